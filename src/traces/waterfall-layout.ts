/**
 * The trace waterfall as lines of styled cells: a pure function of the trace
 * model, the waterfall state and the terminal size. Only the rows that fit are
 * laid out, so a frame costs the same for 50 spans or 50,000 (beyond listing
 * the visible rows, which is memoized per collapsed set). Every state has a
 * text marker too (`›` selected, `!` error, `▶` collapsed, `⇄` pair, `*`
 * critical), so the view reads without colour.
 *
 *  productpage: productpage.default.svc.cluster.local:9080/productpage   24.13ms · 12 spans
 *  ■ istio-ingressgateway (1)  ■ productpage (4)  ■ reviews (2)  …
 *  Service  Operation          │╷0µs      ╷6.03ms     ╷12.07ms    ╷18.1ms     24.13ms╷
 * ›▼ ⇄ istio-ingressgateway pr…│████████████████████████████████████████████████▉
 *  └─▼ ⇄ productpage product…  │ ▐██████████████████████████████████████████▍
 */
import type { Cell, ScreenLine } from '../text/cells.js';
import { cellWidth as textWidth, fit, padCells, truncateCells as truncate } from '../text/cells.js';
import { t } from '../i18n/index.js';
import type { SpanNode, TraceModel } from './model-types.js';
import { formatDuration } from './duration-format.js';
import { hiddenErrorCount } from './trace-queries.js';
import type { WaterfallState } from './waterfall-state.js';
import { paint, serviceColor, type Color } from './service-colors.js';
import { MIN_H, MIN_W, geometry, rowsOf, type Geometry, type WaterfallSize } from './waterfall-geometry.js';
import { detailsPane } from './waterfall-details.js';
export { detailLines, pairText } from './waterfall-details.js';

export { SERVICE_PALETTE, serviceColor } from './service-colors.js';
export { defaultNameWidth, orderIndex, rowsOf, waterfallListRows, waterfallNameWidth, type WaterfallSize } from './waterfall-geometry.js';

export interface WaterfallOptions extends WaterfallSize {
  /** Colour the services, errors and bars; without it only text markers and bar shapes remain. */
  color: boolean;
}

/** Left-aligned eighth blocks: `EIGHTHS[k]` fills k/8 of a cell from its left edge. */
export const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'] as const;

// ---------------------------------------------------------------------------
// Memoized per-model indexes (the model is immutable once built).

const descendantsCache = new WeakMap<TraceModel, Map<string, number>>();

/** How many spans are beneath `id` (all of them hide when it is collapsed). */
export function descendantCount(model: TraceModel, id: string): number {
  const known = model.spans.get(id)?.descendants;
  if (known !== undefined) return known;
  let m = descendantsCache.get(model);
  if (!m) {
    m = new Map();
    // Depth-first order lists children after their parent: walking it backwards sums children first.
    for (let i = model.order.length - 1; i >= 0; i--) {
      const node = model.spans.get(model.order[i]);
      if (!node) continue;
      let n = 0;
      for (const c of node.children) n += 1 + (m.get(c) ?? 0);
      m.set(node.spanID, n);
    }
    descendantsCache.set(model, m);
  }
  return m.get(id) ?? 0;
}

const criticalCache = new WeakMap<TraceModel, Set<string>>();
function criticalSet(model: TraceModel): Set<string> {
  let s = criticalCache.get(model);
  if (!s) criticalCache.set(model, (s = new Set(model.criticalPath)));
  return s;
}

const matchCache = new WeakMap<string[], Set<string>>();
function matchSet(matches: string[]): Set<string> {
  let s = matchCache.get(matches);
  if (!s) matchCache.set(matches, (s = new Set(matches)));
  return s;
}

// ---------------------------------------------------------------------------
// Rows.

interface RowContext {
  model: TraceModel;
  state: WaterfallState;
  g: Geometry;
  color: boolean;
  selectedPartner?: string;
  critical: Set<string> | null;
  matches: Set<string> | null;
  /** Tree levels left out of the guides in this window. */
  shift: number;
}


/**
 * Tree guides for a row: `│ ` / `  ` per ancestor level, then `├─` / `└─`.
 * Levels up to `shift` are left out (deep windows), so that every row of the
 * window drops the same levels and the guides stay aligned.
 */
function guides(model: TraceModel, node: SpanNode, shift: number): string {
  const levels = Math.max(0, node.depth) - shift;
  const parts: string[] = [];
  let cur: SpanNode | undefined = node;
  for (let i = 0; i < levels && cur; i++) {
    const parent: SpanNode | undefined = cur.parentID !== undefined ? model.spans.get(cur.parentID) : undefined;
    if (!parent) break;
    const last = parent.children[parent.children.length - 1] === cur.spanID;
    parts.push(i === 0 ? (last ? '└─' : '├─') : last ? '  ' : '│ ');
    cur = parent;
  }
  parts.reverse();
  return (shift > 0 ? '… ' : '') + parts.join('');
}

/** Levels to leave out so that the deepest row of the window keeps its guides within about half the name column. */
function guideShift(model: TraceModel, ids: string[], nameW: number): number {
  const maxLevels = Math.max(1, Math.floor((nameW * 0.45) / 2));
  let deepest = 0;
  for (const id of ids) deepest = Math.max(deepest, model.spans.get(id)?.depth ?? 0);
  // One level's width goes to the "… " marker.
  return deepest > maxLevels ? deepest - maxLevels + 1 : 0;
}

function nameCells(id: string, node: SpanNode, rc: RowContext): ScreenLine {
  const { model, state, g, color } = rc;
  const selected = id === state.selected;
  const collapsed = state.collapsed.has(id) && node.children.length > 0;
  const critical = rc.critical?.has(id) ?? false;
  const partner = rc.selectedPartner === id;
  const matched = rc.matches?.has(id) ?? false;

  const toggle = node.children.length ? (collapsed ? '▶' : '▼') : node.depth > 0 ? '─' : ' ';
  const lead = `${selected ? '›' : ' '}${guides(model, node, rc.shift)}${toggle} `;
  const flags: Cell[] = [];
  if (node.error) flags.push({ text: '!', color: paint(color, 'red'), bold: true });
  if (node.orphan) flags.push({ text: '?', color: paint(color, 'yellow'), bold: true });
  if (node.overrunsParent) flags.push({ text: '»', color: paint(color, 'yellow') });
  if (node.pairedWith !== undefined) flags.push({ text: partner ? '↔' : '⇄', color: paint(color, partner ? 'yellow' : 'gray'), bold: partner });
  if (critical) flags.push({ text: '*', bold: true });
  if (flags.length) flags.push({ text: ' ' });

  let suffix: Cell[] = [];
  if (collapsed) {
    const hidden = descendantCount(model, id);
    const errs = hiddenErrorCount(model, id);
    suffix = errs
      ? [{ text: ` (+${hidden}, ` }, { text: t('traces.wf.errors', { count: errs }), color: paint(color, 'red'), bold: true }, { text: ')' }]
      : [{ text: ` (+${hidden})`, dim: true }];
  }
  const used = textWidth(lead) + flags.reduce((n, c) => n + textWidth(c.text), 0);
  let room = g.nameW - used - suffix.reduce((n, c) => n + textWidth(c.text), 0);
  if (room < 6 && suffix.length) {
    // Too narrow for the words: keep the counts.
    const errs = collapsed ? hiddenErrorCount(model, id) : 0;
    suffix = [{ text: ` +${descendantCount(model, id)}` }, ...(errs ? [{ text: `!${errs}`, color: paint(color, 'red'), bold: true }] : [])];
    room = g.nameW - used - suffix.reduce((n, c) => n + textWidth(c.text), 0);
  }
  const svc = truncate(node.service || t('traces.unknownService'), Math.max(1, Math.min(room, Math.max(8, Math.floor(room * 0.6)))));
  const op = truncate(node.operation, Math.max(0, room - textWidth(svc) - 1));
  const emph = critical || undefined;
  const dimmed = rc.critical !== null && !critical ? true : undefined;
  const line: ScreenLine = [
    { text: lead, inverse: selected, bold: selected || undefined },
    ...flags.map((c) => ({ ...c, inverse: selected })),
    { text: svc, color: paint(color, serviceColor(node.service)), inverse: selected, bold: emph, dim: dimmed, underline: partner || undefined },
    { text: op ? ` ${op}` : '', inverse: selected, bold: emph, dim: dimmed, underline: partner || matched || undefined, color: matched ? paint(color, 'yellow') : undefined },
  ];
  const name = fit(line, g.nameW - suffix.reduce((n, c) => n + textWidth(c.text), 0));
  if (selected) for (const c of name) c.inverse = true;
  return [...name, ...suffix.map((c) => ({ ...c, inverse: selected || undefined }))];
}

/** The bar of one span: scaled to the trace, eighth-block ends, at least one cell. */
export function barCells(model: TraceModel, node: SpanNode, barW: number, opts: { color: boolean; selected?: boolean; critical?: boolean | null }): ScreenLine {
  const total = model.duration > 0 ? model.duration : 1;
  const eighths = barW * 8;
  const scale = (t: number) => Math.max(0, Math.min(eighths, Math.round((t / total) * eighths)));
  let end = node.offset + node.duration;
  if (node.overrunsParent && node.parentID !== undefined) {
    const p = model.spans.get(node.parentID);
    if (p) end = Math.max(node.offset, Math.min(end, p.offset + p.duration));
  }
  const c = paint(opts.color, node.error ? 'red' : serviceColor(node.service));
  const style: Omit<Cell, 'text'> = { color: c, bold: opts.critical === true || undefined, dim: opts.critical === false || undefined };
  const bar: Cell[] = [];
  let s8 = scale(node.offset);
  let e8 = scale(end);
  let startCell: number;
  let endCell: number; // last cell the bar touches
  if (node.duration <= 0) {
    startCell = endCell = Math.min(barW - 1, Math.floor(s8 / 8));
    bar.push({ text: '│', ...style });
  } else {
    if (e8 <= s8) {
      if (s8 >= eighths) s8 = eighths - 1;
      e8 = s8 + 1;
    }
    startCell = Math.min(barW - 1, Math.floor(s8 / 8));
    endCell = Math.max(startCell, Math.ceil(e8 / 8) - 1);
    if (startCell === endCell) {
      // Within one cell: left-aligned blocks when it starts in the left half, right-aligned ones otherwise.
      const lf = s8 - startCell * 8;
      const rf = e8 - startCell * 8;
      if (lf < 4) bar.push({ text: EIGHTHS[Math.max(1, Math.min(8, rf))], ...style });
      else if (rf === 8 && opts.color) bar.push({ text: EIGHTHS[lf], ...style, inverse: true });
      else bar.push({ text: rf - lf >= 3 ? '▐' : '▕', ...style });
    } else {
      const lf = s8 - startCell * 8;
      if (lf === 0) bar.push({ text: '█', ...style });
      // A block empty on its left: the left-aligned block drawn in reverse video...
      else if (opts.color) bar.push({ text: EIGHTHS[lf], ...style, inverse: true });
      // ...or, without styles, the right half block when at most half is covered.
      else bar.push({ text: lf >= 4 ? '▐' : '█', ...style });
      if (endCell - startCell > 1) bar.push({ text: '█'.repeat(endCell - startCell - 1), ...style });
      bar.push({ text: EIGHTHS[Math.max(1, Math.min(8, e8 - endCell * 8))], ...style });
    }
  }
  const label = formatDuration(node.duration);
  const labelCell: Cell = { text: label, dim: !opts.selected || undefined, bold: opts.selected || undefined };
  const n = textWidth(label);
  const out: ScreenLine = [];
  if (endCell + 2 + n <= barW) {
    out.push({ text: ' '.repeat(startCell) }, ...bar, { text: ' ' }, labelCell);
  } else if (startCell - 1 - n >= 0) {
    out.push({ text: ' '.repeat(startCell - 1 - n) }, labelCell, { text: ' ' }, ...bar);
  } else {
    out.push({ text: ' '.repeat(startCell) }, ...bar);
  }
  return fit(out, barW);
}

function rowLine(id: string, rc: RowContext): ScreenLine {
  const node = rc.model.spans.get(id);
  if (!node) return fit([{ text: ` ${t('traces.wf.missingSpan', { id })}`, dim: true }], rc.g.listW);
  const selected = id === rc.state.selected;
  const critical = rc.critical ? rc.critical.has(id) : null;
  return [
    ...fit(nameCells(id, node, rc), rc.g.nameW),
    { text: '│', dim: true },
    ...barCells(rc.model, node, rc.g.barW, { color: rc.color, selected, critical }),
  ];
}

// ---------------------------------------------------------------------------
// Header, axis, footer.

function headerLine(model: TraceModel, W: number, color: boolean): ScreenLine {
  const errs = model.errorCount ? [{ text: ` · ${t('traces.wf.errors', { count: model.errorCount })}`, color: paint(color, 'red'), bold: true }] : [];
  const warn = model.warnings.length ? [{ text: ` · ${t('traces.wf.warnings', { count: model.warnings.length })}`, color: paint(color, 'yellow') }] : [];
  const right: Cell[] = [{ text: `${formatDuration(model.duration)} · ${t('traces.wf.spans', { count: model.spans.size })}` }, ...errs, ...warn, { text: ` · ${model.traceID} `, dim: true }];
  const rightW = right.reduce((n, c) => n + textWidth(c.text), 0);
  const left = ` ${model.rootService}: ${model.rootOperation}`;
  if (rightW + 10 > W) return fit([{ text: left, bold: true }], W);
  return [...fit([{ text: left, bold: true }], W - rightW - 1), { text: ' ' }, ...right];
}

function legendLine(model: TraceModel, W: number, color: boolean): ScreenLine {
  const line: Cell[] = [{ text: ' ' }];
  let used = 1;
  const svcs = model.services;
  for (let i = 0; i < svcs.length; i++) {
    const s = svcs[i];
    const item = `${s.name} (${s.spans})`;
    const rest = svcs.length - i - 1;
    const tail = rest ? ` ${t('traces.more', { count: rest })}` : '';
    const need = 2 + textWidth(item) + 2;
    if (used + need + textWidth(tail) > W && i > 0) {
      line.push({ text: t('traces.more', { count: svcs.length - i }), dim: true });
      break;
    }
    line.push({ text: '■ ', color: paint(color, serviceColor(s.name)) }, { text: item, color: s.errors ? paint(color, 'red') : undefined }, { text: '  ' });
    used += need;
  }
  return fit(line, W);
}

function axisLine(model: TraceModel, g: Geometry): ScreenLine {
  const chars = new Array<string>(g.barW).fill(' ');
  const put = (at: number, s: string): boolean => {
    const cs = [...s];
    if (at < 0 || at + cs.length > g.barW) return false;
    for (let i = 0; i < cs.length; i++) if (chars[at + i] !== ' ') return false;
    cs.forEach((ch, i) => (chars[at + i] = ch));
    return true;
  };
  // The ends first (they matter most), then the quarters where they fit.
  for (const k of [0, 4, 2, 1, 3]) {
    const pos = Math.min(g.barW - 1, Math.round((g.barW * k) / 4));
    const label = formatDuration((model.duration * k) / 4);
    // A tick marks its moment; the label follows it, except the end's, which precedes it.
    if (k < 4) {
      if (!put(pos, `╷${label}`)) put(pos, '╷');
    } else if (!put(pos - textWidth(label), `${label}╷`)) put(pos, '╷');
  }
  return [...fit([{ text: ` ${t('traces.wf.colService')}  ${t('traces.wf.colOperation')}`, bold: true }], g.nameW), { text: '│', dim: true }, { text: chars.join(''), dim: true }];
}


function footerLine(state: WaterfallState, first: number, shown: number, total: number, W: number, color: boolean): ScreenLine {
  const pos = total ? `${first + 1}–${first + shown}/${total} ` : '';
  const crit = state.showCritical ? `${t('traces.wf.criticalPath')} ` : '';
  const right: Cell[] = [{ text: crit, color: paint(color, 'yellow') }, { text: pos, dim: true }];
  const rightW = textWidth(crit) + textWidth(pos);
  let left: Cell[];
  const s = state.search;
  if (s?.editing) {
    const count = s.query.trim() ? `  ${t('traces.wf.matches', { count: s.matches.length })}` : '';
    left = [{ text: ' /', color: paint(color, 'yellow'), bold: true }, { text: s.query }, { text: '▏' }, { text: `${count}  ${t('traces.wf.searchEditing')}`, dim: true }];
  } else if (s) {
    const where = s.matches.length ? `${s.index + 1}/${s.matches.length}` : t('traces.wf.noMatches');
    left = [{ text: ` ${t('traces.wf.search', { query: s.query })} `, color: paint(color, 'yellow') }, { text: where, bold: true }, { text: `  ${t('traces.wf.searchKeys')}`, dim: true }];
  } else {
    left = [{ text: ` ${t('traces.wf.footer')}`, dim: true }];
  }
  if (rightW + 20 > W) return fit(left, W);
  return [...fit(left, W - rightW), ...right];
}

// ---------------------------------------------------------------------------
// The whole view, and the help screen.
/**
 * Lays out the waterfall: exactly `height` lines (at least 8) of exactly
 * `width` columns (at least 30). Only the rows in the window are laid out.
 */
export function layoutWaterfall(model: TraceModel, state: WaterfallState, opts: WaterfallOptions): ScreenLine[] {
  const g = geometry(state, opts);
  const { color } = opts;
  const rows = rowsOf(model, state.collapsed);
  const index = rows.indexOf(state.selected);
  // The reducer keeps the selection in view; a resize may not have told it yet.
  let first = Math.min(state.scroll, Math.max(0, rows.length - g.listH));
  if (index >= 0 && index < first) first = index;
  if (index >= first + g.listH) first = index - g.listH + 1;
  first = Math.max(0, first);
  const shown = rows.slice(first, first + g.listH);

  const sel = model.spans.get(state.selected);
  const rc: RowContext = {
    model,
    state,
    g,
    color,
    selectedPartner: sel?.pairedWith,
    critical: state.showCritical ? criticalSet(model) : null,
    matches: state.search?.matches.length ? matchSet(state.search.matches) : null,
    shift: guideShift(model, shown, g.nameW),
  };

  const lines: ScreenLine[] = [headerLine(model, g.W, color)];
  if (g.headerH > 1) lines.push(legendLine(model, g.W, color));

  const body: ScreenLine[] = [axisLine(model, g)];
  for (const id of shown) body.push(rowLine(id, rc));
  if (!rows.length) body.push(fit([{ text: ` ${t('traces.wf.noSpans')}`, dim: true }], g.listW));
  while (body.length < g.listH + 1) body.push(fit([{ text: ' '.repeat(g.nameW) }, { text: '│', dim: true }], g.listW));

  if (g.sideW) {
    const pane = detailsPane(model, state.selected, g.sideW, body.length, color, false);
    body.forEach((l, i) => lines.push([...l, { text: '│', dim: true }, ...pane[i]]));
  } else {
    lines.push(...body);
    if (g.belowH) lines.push(...detailsPane(model, state.selected, g.W, g.belowH, color, true));
  }
  lines.push(footerLine(state, first, shown.length, rows.length, g.W, color));
  return lines;
}

/** A key list overlay, exactly `width`×`height`. */
export function layoutHelp(title: string, keys: Array<[string, string]>, size: WaterfallSize, color = true): ScreenLine[] {
  const W = Math.max(MIN_W, size.width);
  const H = Math.max(MIN_H, size.height);
  const keyW = Math.min(22, Math.max(...keys.map(([k]) => textWidth(k))) + 4);
  const lines: ScreenLine[] = [fit([{ text: ` ${title}`, bold: true }], W), fit([], W)];
  for (const [k, d] of keys) lines.push(fit([{ text: padCells(`  ${k}`, keyW), color: paint(color, 'cyan') }, { text: d }], W));
  const out = lines.slice(0, H - 1);
  while (out.length < H - 1) out.push(fit([], W));
  out.push(fit([{ text: ` ${t('traces.helpClose')}`, dim: true }], W));
  return out;
}
