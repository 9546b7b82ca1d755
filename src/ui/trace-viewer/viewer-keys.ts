/**
 * The trace viewer's keys as a pure reducer: (state, key, what is cached) → the next state and
 * the effects the component carries out (fetch a trace, compute a comparison or a table, quit).
 * A reducer that leaves the state alone returns the same object, so nothing re-renders.
 */
import type { TraceModel } from '../../traces/model-types.js';
import { mostRecent, nextSort, traceListCapacity, traceListScroll } from '../../traces/trace-list-layout.js';
import { analysisRows, compareRowsShown, fitTableScroll, statsColumns } from '../../traces/analysis-layout.js';
import { initialWaterfallState, waterfallKeyAction, waterfallReducer, type KeyLike, type WaterfallState } from '../../traces/waterfall-state.js';
import { t } from '../../i18n/index.js';
import { compareKey, groupingFor, groupingsOf, statsKey, statsTable, type StatsScreen, type ViewerContext, type ViewerState } from './viewer-state.js';

export type ViewerEffect =
  /** The learner pressed q (or Ctrl-C). */
  | { kind: 'quit' }
  /** Fetch trace `id` and build its model (a newer load or `cancelLoad` makes an older one void). */
  | { kind: 'load'; id: string }
  /** A load still in flight no longer opens anything. */
  | { kind: 'cancelLoad' }
  /** Trace `id`, already cached, is on screen. */
  | { kind: 'opened'; id: string }
  /** Keep where the learner left trace `id`. */
  | { kind: 'save'; id: string; wf: WaterfallState }
  /** Compute the comparison of A and B (unless cached). */
  | { kind: 'compare'; a: string; b: string }
  /** Compute the statistics of trace `id` in its `grouping`th grouping (unless cached). */
  | { kind: 'stats'; id: string; grouping: number };

export interface ViewerStep {
  state: ViewerState;
  effects: ViewerEffect[];
}

const stay = (state: ViewerState, effects: ViewerEffect[] = []): ViewerStep => ({ state, effects });
/** `step`'s effects, then `more`'s, ending in `more`'s state. */
const then = (step: ViewerStep, more: ViewerStep): ViewerStep => ({ state: more.state, effects: [...step.effects, ...more.effects] });

/** The first waterfall of a trace: the span the lesson points at (details open), else the root. */
export function focusedWaterfall(model: TraceModel, focus?: (model: TraceModel) => string | undefined): WaterfallState {
  const first = initialWaterfallState(model);
  const id = focus?.(model);
  return id && model.spans.has(id) ? { ...first, selected: id, detailsOpen: true } : first;
}

/** Trace `id` has its model: its waterfall where the learner left it, or the first one. */
export function traceReady(s: ViewerState, id: string, model: TraceModel, ctx: Pick<ViewerContext, 'saved' | 'focus'>): ViewerState {
  return s.open?.id === id ? { ...s, open: { id, status: 'ready' }, wf: ctx.saved.get(id) ?? focusedWaterfall(model, ctx.focus) } : s;
}

/** Trace `id` could not be fetched (`error` is display text). */
export function traceFailed(s: ViewerState, id: string, error: string): ViewerState {
  return s.open?.id === id ? { ...s, open: { id, status: 'error', error } } : s;
}

export function openTrace(s: ViewerState, id: string, ctx: ViewerContext): ViewerStep {
  const cached = ctx.models.get(id);
  const opening: ViewerState = { ...s, screen: 'trace', selectedID: s.selectedID ?? id, help: false, wf: undefined, open: { id, status: cached ? 'ready' : 'loading' } };
  if (!cached) return stay(opening, [{ kind: 'load', id }]);
  return stay(traceReady(opening, id, cached, ctx), [{ kind: 'cancelLoad' }, { kind: 'opened', id }]);
}

/** Back to the list, keeping where the learner was in the trace. */
export function backToList(s: ViewerState): ViewerStep {
  const effects: ViewerEffect[] = [{ kind: 'cancelLoad' }];
  if (s.open && s.wf) effects.push({ kind: 'save', id: s.open.id, wf: s.wf });
  return stay({ ...s, screen: 'list', open: undefined, wf: undefined, help: false }, effects);
}

export function startCompare(s: ViewerState, a: string, b: string, from: 'list' | 'trace', ctx: ViewerContext): ViewerStep {
  const ready = ctx.comparisons.has(compareKey(a, b));
  const state: ViewerState = { ...s, screen: 'compare', help: false, compare: { a, b, from, status: ready ? 'ready' : 'loading', selected: 0, scroll: 0, differencesOnly: false } };
  return stay(state, ready ? [] : [{ kind: 'compare', a, b }]);
}

export function openStats(s: ViewerState, id: string, ctx: ViewerContext): ViewerStep {
  const status = statsTable(ctx, id, 0) ? 'ready' : 'computing';
  const stats: StatsScreen = s.stats?.id === id ? { ...s.stats, grouping: 0, status } : { id, grouping: 0, sort: 'total', descending: true, selected: 0, scroll: 0, status };
  return stay({ ...s, screen: 'stats', help: false, stats }, [{ kind: 'stats', id, grouping: 0 }]);
}

function toggleMark(s: ViewerState, id: string): ViewerState {
  return s.marked === id
    ? { ...s, marked: undefined, notice: t('traces.notice.unmarked', { id: id.slice(0, 7) }) }
    : { ...s, marked: id, notice: t('traces.notice.marked', { id: id.slice(0, 7) }) };
}

function compareWith(s: ViewerState, b: string, from: 'list' | 'trace', ctx: ViewerContext): ViewerStep {
  const a = s.marked;
  if (!a) return stay({ ...s, notice: t('traces.notice.markFirst') });
  if (a === b) return stay({ ...s, notice: t('traces.notice.sameTrace') });
  const save: ViewerEffect[] = from === 'trace' && s.open && s.wf ? [{ kind: 'save', id: s.open.id, wf: s.wf }] : [];
  return then(stay(s, save), startCompare(s, a, b, from, ctx));
}

/** Leaves the comparison or the table for where it was opened from. */
function leaveAnalysis(s: ViewerState): ViewerState {
  const to = s.screen === 'compare' ? (s.compare?.from === 'trace' && s.open ? 'trace' : 'list') : s.open ? 'trace' : 'list';
  return { ...s, screen: to, help: false };
}

function onListKey(input: string, key: KeyLike, s: ViewerState, ctx: ViewerContext): ViewerStep {
  const { rows } = ctx;
  const { height } = ctx.size;
  const index = Math.max(0, rows.findIndex((t) => t.traceID === s.selectedID));
  const select = (i: number): ViewerStep => {
    if (!rows.length) return stay(s);
    const to = Math.max(0, Math.min(rows.length - 1, i));
    const listScroll = traceListScroll(to, s.listScroll, rows.length, height);
    return stay(s.selectedID === rows[to].traceID && s.listScroll === listScroll ? s : { ...s, selectedID: rows[to].traceID, listScroll });
  };
  const page = Math.max(1, traceListCapacity(height) - 1);
  if (key.downArrow || input === 'j') return select(index + 1);
  if (key.upArrow || input === 'k') return select(index - 1);
  if (key.pageDown) return select(index + page);
  if (key.pageUp) return select(index - page);
  if (input === 'g' || key.home) return select(0);
  if (input === 'G' || key.end) return select(rows.length - 1);
  // Keep the selected trace selected; the new order puts it elsewhere.
  if (input === 's') return stay({ ...s, sort: nextSort(s.sort), selectedID: s.selectedID ?? rows[0]?.traceID });
  if (key.return && rows[index]) return openTrace(s, rows[index].traceID, ctx);
  if (input === 'm' && rows[index]) return stay(toggleMark(s, rows[index].traceID));
  if (input === '=' && rows[index]) return compareWith(s, rows[index].traceID, 'list', ctx);
  if (input === 'o') {
    const latest = mostRecent(rows);
    if (latest) return openTrace({ ...s, selectedID: latest.traceID }, latest.traceID, ctx);
  }
  return stay(s);
}

/** j/k, pages, g/G in a table of `total` rows. */
function tableMove(input: string, key: KeyLike, total: number, view: { selected: number; scroll: number }, height: number): { selected: number; scroll: number } | undefined {
  const rows = analysisRows(height);
  let to: number | undefined;
  if (key.downArrow || input === 'j') to = view.selected + 1;
  else if (key.upArrow || input === 'k') to = view.selected - 1;
  else if (key.pageDown || (key.ctrl && input === 'f')) to = view.selected + rows - 1;
  else if (key.pageUp || (key.ctrl && input === 'b')) to = view.selected - (rows - 1);
  else if (input === 'g' || key.home) to = 0;
  else if (input === 'G' || key.end) to = total - 1;
  if (to === undefined) return undefined;
  const selected = Math.max(0, Math.min(total - 1, to));
  return { selected, scroll: fitTableScroll(selected, view.scroll, total, rows) };
}

function onCompareKey(input: string, key: KeyLike, s: ViewerState, ctx: ViewerContext): ViewerStep {
  const cs = s.compare;
  if (!cs || input === 'b' || key.escape || key.leftArrow) return stay(leaveAnalysis(s));
  const c = ctx.comparisons.get(compareKey(cs.a, cs.b));
  if (cs.status !== 'ready' || !c) return stay(s);
  if (input === 'f') return stay({ ...s, compare: { ...cs, differencesOnly: !cs.differencesOnly, selected: 0, scroll: 0 } });
  const shown = compareRowsShown(c, cs.differencesOnly);
  const moved = tableMove(input, key, shown ? shown.length : c.rows.length, cs, ctx.size.height);
  return stay(moved && (moved.selected !== cs.selected || moved.scroll !== cs.scroll) ? { ...s, compare: { ...cs, ...moved } } : s);
}

function onStatsKey(input: string, key: KeyLike, s: ViewerState, ctx: ViewerContext): ViewerStep {
  const ss = s.stats;
  if (!ss || input === 'b' || key.escape) return stay(leaveAnalysis(s));
  if (input === 't') {
    const grouping = ss.grouping + 1;
    const model = ctx.models.get(ss.id);
    const next = grouping < 2 ? grouping : grouping % (model ? groupingsOf(model).length : 1);
    const status = ctx.stats.has(statsKey(ss.id, groupingFor(ctx.models, ss.id, next))) ? 'ready' : 'computing';
    return stay({ ...s, stats: { ...ss, grouping: next, selected: 0, scroll: 0, status } }, [{ kind: 'stats', id: ss.id, grouping: next }]);
  }
  const table = statsTable(ctx, ss.id, ss.grouping);
  if (ss.status !== 'ready' || !table) return stay(s);
  const cols = statsColumns(ctx.size.width);
  if (input === 's' || input === 'S' || key.rightArrow || key.leftArrow) {
    const by = input === 'S' || key.leftArrow ? -1 : 1;
    const at = cols.indexOf(ss.sort);
    const sort = cols[((at < 0 ? 0 : at) + by + cols.length) % cols.length];
    // Names read best A→Z; numbers largest first.
    return stay({ ...s, stats: { ...ss, sort, descending: sort !== 'group', selected: 0, scroll: 0 } });
  }
  if (input === 'r') return stay({ ...s, stats: { ...ss, descending: !ss.descending, selected: 0, scroll: 0 } });
  const moved = tableMove(input, key, table.rows.length, ss, ctx.size.height);
  return stay(moved && (moved.selected !== ss.selected || moved.scroll !== ss.scroll) ? { ...s, stats: { ...ss, ...moved } } : s);
}

function onTraceKey(input: string, key: KeyLike, s: ViewerState, ctx: ViewerContext): ViewerStep {
  const open = s.open;
  if (!open) return backToList(s);
  const model = ctx.models.get(open.id);
  if (open.status !== 'ready' || !model || !s.wf) {
    if (input === 'b' || key.escape || key.leftArrow) return backToList(s);
    if (input === 'r' && open.status === 'error') return openTrace(s, open.id, ctx);
    return stay(s);
  }
  const wf = s.wf;
  if (!wf.search?.editing) {
    if (input === '?') return stay({ ...s, help: true });
    if (input === 'b' || (key.escape && !wf.search)) return backToList(s);
    if (input === 'm') return stay(toggleMark(s, open.id));
    if (input === '=') return compareWith(s, open.id, 'trace', ctx);
    if (input === 'T') return openStats(s, open.id, ctx);
  }
  const action = waterfallKeyAction(input, key, wf);
  if (!action) return stay(s);
  const next = waterfallReducer(wf, action, { model, size: ctx.size });
  return stay(next === wf ? s : { ...s, wf: next });
}

/** One key. */
export function viewerKey(s: ViewerState, input: string, key: KeyLike, ctx: ViewerContext): ViewerStep {
  const typing = s.screen === 'trace' && !!s.wf?.search?.editing;
  if (key.ctrl && input === 'c') return stay(s, [{ kind: 'quit' }]);
  if (input === 'q' && !typing) return stay(s, [{ kind: 'quit' }]);
  // A notice lasts until the next key.
  if (s.notice) s = { ...s, notice: undefined };
  if (s.help) return stay(input === '?' || key.escape || input === 'b' ? { ...s, help: false } : s);
  if (s.screen === 'compare' || s.screen === 'stats') {
    if (input === '?') return stay({ ...s, help: true });
    return s.screen === 'compare' ? onCompareKey(input, key, s, ctx) : onStatsKey(input, key, s, ctx);
  }
  if (s.screen === 'list') {
    if (input === '?') return stay({ ...s, help: true });
    return onListKey(input, key, s, ctx);
  }
  return onTraceKey(input, key, s, ctx);
}

/**
 * The keys of one input event. Ink hands a burst of plain keys (a paste, tmux send-keys "jjG")
 * over as one string: taken key by key.
 */
export function splitKeys(input: string, key: KeyLike): Array<[string, KeyLike]> {
  const chars = [...input];
  if (chars.length <= 1 || key.ctrl || key.meta) return [[input, key]];
  return chars.map((ch): [string, KeyLike] =>
    ch === '\r' || ch === '\n' ? ['', { return: true }] : ch === '\t' ? ['', { tab: true }] : ch === '\u007f' || ch === '\b' ? ['', { backspace: true }] : [ch, {}],
  );
}
