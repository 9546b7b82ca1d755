/**
 * What the waterfall view tracks (selection, collapsed subtrees, scrolling,
 * search, panes) and a pure reducer over the intents keys map to. Guard
 * clauses return the same state object when an intent changes nothing, so a
 * key that does nothing costs no render.
 */
import type { SpanNode, TraceModel } from './model-types.js';
import { searchSpans } from './trace-queries.js';
import { t } from '../i18n/index.js';
import { orderIndex, rowsOf, waterfallListRows, waterfallNameWidth, type WaterfallSize } from './waterfall-geometry.js';

export interface WaterfallSearch {
  /** The text searched for. */
  query: string;
  /** Matching span ids, in display order. */
  matches: string[];
  /** The current match in `matches`. */
  index: number;
  /** The learner is still typing the query (the prompt has the keys). @default false */
  editing?: boolean;
}

export interface WaterfallState {
  /** The selected span id. */
  selected: string;
  /** Spans whose children are hidden. */
  collapsed: Set<string>;
  /** First visible row (index into the visible rows). */
  scroll: number;
  /** Emphasize the critical path. */
  showCritical: boolean;
  search?: WaterfallSearch;
  /** The details pane of the selected span is shown. */
  detailsOpen: boolean;
  /** Width of the name column in cells. @default 40% of the width, 20–60 */
  nameWidth?: number;
}

export type WaterfallAction =
  | { type: 'move'; by: number }
  | { type: 'page'; by: 1 | -1 }
  | { type: 'top' }
  | { type: 'bottom' }
  | { type: 'select'; spanID: string }
  | { type: 'toggle-collapse' }
  | { type: 'collapse-or-parent' }
  | { type: 'expand-or-child' }
  | { type: 'collapse-all' }
  | { type: 'expand-all' }
  | { type: 'toggle-critical' }
  | { type: 'toggle-details' }
  | { type: 'search-start' }
  | { type: 'search-type'; text: string }
  | { type: 'search-backspace' }
  | { type: 'search-submit' }
  | { type: 'search-cancel' }
  | { type: 'search-next' }
  | { type: 'search-previous' }
  | { type: 'name-width'; by: number }
  /** Re-fit the scroll after a resize. */
  | { type: 'fit' };

/** What the reducer needs besides the state: the trace and the viewport it is drawn in. */
export interface WaterfallContext {
  model: TraceModel;
  size: WaterfallSize;
}

/** The state a freshly opened trace starts in: the first root selected, everything expanded. */
export function initialWaterfallState(model: TraceModel): WaterfallState {
  return {
    selected: model.roots[0] ?? model.order[0] ?? '',
    collapsed: new Set(),
    scroll: 0,
    showCritical: false,
    detailsOpen: false,
  };
}

/** Ids of the ancestors of `id`, nearest first. */
function ancestors(model: TraceModel, id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>([id]);
  let cur = model.spans.get(id)?.parentID;
  while (cur !== undefined && !seen.has(cur)) {
    out.push(cur);
    seen.add(cur);
    cur = model.spans.get(cur)?.parentID;
  }
  return out;
}

/** The span that shows `id`: itself, or its outermost collapsed ancestor. */
export function visibleAncestor(model: TraceModel, collapsed: Set<string>, id: string): string {
  if (collapsed.size === 0) return id;
  let shown = id;
  for (const a of ancestors(model, id)) if (collapsed.has(a)) shown = a;
  return shown;
}

/** `collapsed` without the ancestors of `id` (the same set when none were collapsed). */
function expandTo(model: TraceModel, collapsed: Set<string>, id: string): Set<string> {
  if (collapsed.size === 0) return collapsed;
  const hidden = ancestors(model, id).filter((a) => collapsed.has(a));
  if (!hidden.length) return collapsed;
  const next = new Set(collapsed);
  for (const a of hidden) next.delete(a);
  return next;
}

const hasChildren = (n: SpanNode | undefined): boolean => !!n && n.children.length > 0;

/** Scroll so that the selected row is inside the window of `rows` rows, and no further than the end. */
export function fitScroll(index: number, scroll: number, total: number, rows: number): number {
  const r = Math.max(1, rows);
  let s = Math.min(scroll, Math.max(0, total - r));
  if (index >= 0) {
    if (index < s) s = index;
    else if (index >= s + r) s = index - r + 1;
  }
  return Math.max(0, s);
}

function sameSearch(a: WaterfallSearch | undefined, b: WaterfallSearch | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.query === b.query && a.matches === b.matches && a.index === b.index && !!a.editing === !!b.editing;
}

/** `next`, or `prev` itself when no field changed. */
function settle(prev: WaterfallState, next: WaterfallState): WaterfallState {
  return prev.selected === next.selected &&
    prev.collapsed === next.collapsed &&
    prev.scroll === next.scroll &&
    prev.showCritical === next.showCritical &&
    prev.detailsOpen === next.detailsOpen &&
    prev.nameWidth === next.nameWidth &&
    sameSearch(prev.search, next.search)
    ? prev
    : next;
}

/** Selects `id` (made visible first) and scrolls it into view. */
function selectSpan(s: WaterfallState, ctx: WaterfallContext, id: string, collapsed = s.collapsed): WaterfallState {
  const rows = rowsOf(ctx.model, collapsed);
  const index = rows.indexOf(id);
  const scroll = fitScroll(index, s.scroll, rows.length, waterfallListRows(s, ctx.size));
  return { ...s, selected: id, collapsed, scroll };
}

function moveTo(s: WaterfallState, ctx: WaterfallContext, index: number): WaterfallState {
  const rows = rowsOf(ctx.model, s.collapsed);
  if (!rows.length) return s;
  const i = Math.max(0, Math.min(rows.length - 1, index));
  return selectSpan(s, ctx, rows[i]);
}

function currentIndex(s: WaterfallState, ctx: WaterfallContext): number {
  const rows = rowsOf(ctx.model, s.collapsed);
  const i = rows.indexOf(s.selected);
  if (i >= 0) return i;
  return rows.indexOf(visibleAncestor(ctx.model, s.collapsed, s.selected));
}

function withCollapsed(s: WaterfallState, ctx: WaterfallContext, collapsed: Set<string>): WaterfallState {
  // The selection stays on screen: a hidden span hands it to the ancestor that hides it.
  return selectSpan(s, ctx, visibleAncestor(ctx.model, collapsed, s.selected), collapsed);
}

function gotoMatch(s: WaterfallState, ctx: WaterfallContext, search: WaterfallSearch): WaterfallState {
  const id = search.matches[search.index];
  if (id === undefined) return { ...s, search };
  return { ...selectSpan(s, ctx, id, expandTo(ctx.model, s.collapsed, id)), search };
}

function runSearch(model: TraceModel, query: string, editing: boolean): WaterfallSearch {
  return { query, matches: query.trim() ? searchSpans(model, query) : [], index: 0, editing };
}

/** The next waterfall state after an intent; the same object when nothing changes. */
export function waterfallReducer(s: WaterfallState, a: WaterfallAction, ctx: WaterfallContext): WaterfallState {
  const { model } = ctx;
  return settle(s, reduce(s, a, ctx, model));
}

function reduce(s: WaterfallState, a: WaterfallAction, ctx: WaterfallContext, model: TraceModel): WaterfallState {
  switch (a.type) {
    case 'move':
      return moveTo(s, ctx, currentIndex(s, ctx) + a.by);
    case 'page':
      return moveTo(s, ctx, currentIndex(s, ctx) + a.by * Math.max(1, waterfallListRows(s, ctx.size) - 1));
    case 'top':
      return moveTo(s, ctx, 0);
    case 'bottom':
      return moveTo(s, ctx, Number.MAX_SAFE_INTEGER);
    case 'select':
      return model.spans.has(a.spanID) ? selectSpan(s, ctx, a.spanID, expandTo(model, s.collapsed, a.spanID)) : s;
    case 'fit':
      return moveTo(s, ctx, currentIndex(s, ctx));
    case 'toggle-collapse': {
      if (!hasChildren(model.spans.get(s.selected))) return s;
      const next = new Set(s.collapsed);
      if (next.has(s.selected)) next.delete(s.selected);
      else next.add(s.selected);
      return withCollapsed(s, ctx, next);
    }
    case 'collapse-or-parent': {
      const node = model.spans.get(s.selected);
      if (!node) return s;
      if (hasChildren(node) && !s.collapsed.has(node.spanID)) return withCollapsed(s, ctx, new Set(s.collapsed).add(node.spanID));
      return node.parentID !== undefined && model.spans.has(node.parentID) ? selectSpan(s, ctx, node.parentID) : s;
    }
    case 'expand-or-child': {
      const node = model.spans.get(s.selected);
      if (!node || !hasChildren(node)) return s;
      if (s.collapsed.has(node.spanID)) {
        const next = new Set(s.collapsed);
        next.delete(node.spanID);
        return withCollapsed(s, ctx, next);
      }
      return selectSpan(s, ctx, node.children[0]);
    }
    case 'collapse-all': {
      const next = new Set<string>();
      for (const id of model.order) if (hasChildren(model.spans.get(id))) next.add(id);
      if (next.size === s.collapsed.size && [...next].every((id) => s.collapsed.has(id))) return s;
      return withCollapsed(s, ctx, next);
    }
    case 'expand-all':
      return s.collapsed.size ? withCollapsed(s, ctx, new Set()) : s;
    case 'toggle-critical':
      return { ...s, showCritical: !s.showCritical };
    case 'toggle-details':
      // The list gets shorter or taller: keep the selection in view.
      return moveTo({ ...s, detailsOpen: !s.detailsOpen }, ctx, currentIndex(s, ctx));
    case 'name-width': {
      const cur = waterfallNameWidth(s, ctx.size);
      const nameWidth = waterfallNameWidth({ ...s, nameWidth: cur + a.by }, ctx.size);
      return nameWidth === cur ? s : { ...s, nameWidth };
    }
    case 'search-start':
      return s.search?.editing ? s : { ...s, search: { query: '', matches: [], index: 0, editing: true } };
    case 'search-type': {
      if (!s.search?.editing || !a.text) return s;
      return { ...s, search: runSearch(model, s.search.query + a.text, true) };
    }
    case 'search-backspace': {
      if (!s.search?.editing || !s.search.query) return s;
      return { ...s, search: runSearch(model, [...s.search.query].slice(0, -1).join(''), true) };
    }
    case 'search-submit': {
      if (!s.search?.editing) return s;
      if (!s.search.query.trim()) return { ...s, search: undefined };
      const search = runSearch(model, s.search.query, false);
      // The first match at or after the selection, as in a pager.
      const pos = orderIndex(model);
      const from = pos.get(s.selected) ?? 0;
      const at = search.matches.findIndex((id) => (pos.get(id) ?? 0) >= from);
      return gotoMatch(s, ctx, { ...search, index: Math.max(0, at) });
    }
    case 'search-cancel':
      return s.search ? { ...s, search: undefined } : s;
    case 'search-next':
    case 'search-previous': {
      const search = s.search;
      if (!search || search.editing || !search.matches.length) return s;
      const n = search.matches.length;
      const index = (search.index + (a.type === 'search-next' ? 1 : n - 1)) % n;
      return gotoMatch(s, ctx, { ...search, index });
    }
  }
}

/** The subset of Ink's `Key` the key map reads. */
export interface KeyLike {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

/**
 * The intent of a key on the waterfall, or undefined when the key is not the
 * waterfall's (q, ?, b, Esc outside a search belong to the screen around it).
 * While a search query is being typed, printable keys type.
 */
export function waterfallKeyAction(input: string, key: KeyLike, s: WaterfallState): WaterfallAction | undefined {
  if (s.search?.editing) {
    if (key.return) return { type: 'search-submit' };
    if (key.escape) return { type: 'search-cancel' };
    if (key.backspace || key.delete) return { type: 'search-backspace' };
    if (key.upArrow) return { type: 'move', by: -1 };
    if (key.downArrow) return { type: 'move', by: 1 };
    if (input && !key.ctrl && !key.meta && !key.tab && /^[^\u0000-\u001f\u007f]+$/.test(input)) return { type: 'search-type', text: input };
    return undefined;
  }
  if (key.escape) return s.search ? { type: 'search-cancel' } : undefined;
  if (key.downArrow || input === 'j') return { type: 'move', by: 1 };
  if (key.upArrow || input === 'k') return { type: 'move', by: -1 };
  if (key.pageDown || (key.ctrl && input === 'f')) return { type: 'page', by: 1 };
  if (key.pageUp || (key.ctrl && input === 'b')) return { type: 'page', by: -1 };
  if (key.home || input === 'g') return { type: 'top' };
  if (key.end || input === 'G') return { type: 'bottom' };
  if (key.return || input === ' ') return { type: 'toggle-collapse' };
  if (key.leftArrow || input === 'h') return { type: 'collapse-or-parent' };
  if (key.rightArrow || input === 'l') return { type: 'expand-or-child' };
  if (input === '[') return { type: 'collapse-all' };
  if (input === ']') return { type: 'expand-all' };
  if (input === 'c') return { type: 'toggle-critical' };
  if (input === 'd' || key.tab) return { type: 'toggle-details' };
  if (input === '/') return { type: 'search-start' };
  if (input === 'n') return { type: 'search-next' };
  if (input === 'N') return { type: 'search-previous' };
  if (input === '<') return { type: 'name-width', by: -4 };
  if (input === '>') return { type: 'name-width', by: 4 };
  return undefined;
}

/** `a  or  b` in a help table's key column. */
export const orKeys = (a: string, b: string): string => `${a}  ${t('traces.key.or')}  ${b}`;

/** The waterfall's keys, for the help overlay. */
export const waterfallKeys = (): Array<[string, string]> => [
  [orKeys('↑ ↓', 'k j'), t('traces.wfKey.move')],
  ['PgUp PgDn', t('traces.key.page')],
  ['g  G', t('traces.wfKey.ends')],
  [orKeys('Enter', 'Space'), t('traces.wfKey.collapse')],
  [orKeys('←  →', 'h l'), t('traces.wfKey.parentChild')],
  ['[  ]', t('traces.wfKey.all')],
  ['c', t('traces.wfKey.critical')],
  ['/', t('traces.wfKey.search')],
  ['n  N', t('traces.wfKey.next')],
  [orKeys('d', 'Tab'), t('traces.wfKey.details')],
  ['<  >', t('traces.wfKey.width')],
  ['T', t('traces.wfKey.stats')],
  ['m', t('traces.wfKey.mark')],
  ['=', t('traces.wfKey.compare')],
  [orKeys('Esc', 'b'), t('traces.wfKey.back')],
  ['?', t('traces.key.help')],
  ['q', t('traces.key.quit')],
];
