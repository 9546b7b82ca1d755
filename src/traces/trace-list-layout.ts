/**
 * The trace list, like Jaeger's "Find Traces", as lines of styled cells: a
 * pure function of the summaries and the terminal size. Each trace takes two
 * lines (its root and numbers, then its services); only the traces that fit
 * are laid out. Start times are local wall-clock `HH:MM:SS.mmm`.
 *
 *  Traces · 3 found · sorted by most recent                                s sort
 *    Service: operation                        Spans Errors Duration          Started
 *  › istio-ingressgateway: productpage.def…      12      0 ████████  24.13ms  10:12:01.123
 *      ■ details (2)  ■ istio-policy (4)  ■ productpage (3)  …               4f3a2c1
 */
import type { Cell, ScreenLine } from '../text/cells.js';
import { cellWidth as textWidth, fit, graphemes, padCells, padStartCells, truncateCells as truncate } from '../text/cells.js';
import { t } from '../i18n/index.js';
import type { TraceSummary } from './model-types.js';
import { formatDuration } from './duration-format.js';
import { EIGHTHS, serviceColor } from './waterfall-layout.js';
import { orKeys } from './waterfall-state.js';

export type TraceSort = 'recent' | 'longest' | 'most-spans' | 'most-errors';

/** The sorts in the order `s` cycles through them. */
export const TRACE_SORTS: readonly TraceSort[] = ['recent', 'longest', 'most-spans', 'most-errors'];

/** How the header names a sort. */
export function sortLabel(s: TraceSort): string {
  return s === 'recent' ? t('traces.sort.recent') : s === 'longest' ? t('traces.sort.longest') : s === 'most-spans' ? t('traces.sort.mostSpans') : t('traces.sort.mostErrors');
}

/** The sort after `s` in the cycle. */
export function nextSort(s: TraceSort): TraceSort {
  return TRACE_SORTS[(TRACE_SORTS.indexOf(s) + 1) % TRACE_SORTS.length];
}

/**
 * A sorted copy of the summaries. Every sort falls back to the most recent
 * first, then the trace id, so the order is total and stable.
 */
export function sortSummaries(rows: readonly TraceSummary[], by: TraceSort): TraceSummary[] {
  const recent = (a: TraceSummary, b: TraceSummary) => b.start - a.start || (a.traceID < b.traceID ? -1 : a.traceID > b.traceID ? 1 : 0);
  const key: Record<TraceSort, (t: TraceSummary) => number> = {
    recent: () => 0,
    longest: (t) => t.duration,
    'most-spans': (t) => t.spanCount,
    'most-errors': (t) => t.errorCount,
  };
  const k = key[by];
  return [...rows].sort((a, b) => k(b) - k(a) || recent(a, b));
}

/** The most recently started trace, whatever the sort. */
export function mostRecent(rows: readonly TraceSummary[]): TraceSummary | undefined {
  let best: TraceSummary | undefined;
  for (const t of rows) if (!best || t.start > best.start) best = t;
  return best;
}

/** A start time (Unix µs) as local `HH:MM:SS.mmm`. */
export function formatStartTime(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export interface TraceListOptions {
  /** Index of the selected trace in `rows`. */
  selected: number;
  /** The order `rows` are in (shown in the header; `rows` must already be sorted). */
  sort: TraceSort;
  width: number;
  height: number;
  /** First trace shown (adjusted so that the selected one is visible). */
  scroll: number;
  /** @default true */
  color?: boolean;
  /** The trace marked as A for a comparison (drawn with an `A` beside it). */
  marked?: string;
}

const LINES_PER_TRACE = 2;
const MIN_W = 30;
const MIN_H = 6;

/** How many traces fit in a list `height` lines tall. */
export function traceListCapacity(height: number): number {
  return Math.max(1, Math.floor((Math.max(MIN_H, height) - 3) / LINES_PER_TRACE));
}

/** The first trace shown for a selection: `scroll`, moved just enough to show `selected`. */
export function traceListScroll(selected: number, scroll: number, count: number, height: number): number {
  const cap = traceListCapacity(height);
  let s = Math.min(scroll, Math.max(0, count - cap));
  if (selected < s) s = selected;
  if (selected >= s + cap) s = selected - cap + 1;
  return Math.max(0, s);
}

/** The list's keys, for the help overlay. */
export const traceListKeys = (): Array<[string, string]> => [
  [orKeys('↑ ↓', 'k j'), t('traces.listKey.move')],
  ['PgUp PgDn', t('traces.key.page')],
  ['g  G', t('traces.listKey.ends')],
  ['Enter', t('traces.listKey.open')],
  ['o', t('traces.listKey.recent')],
  ['s', t('traces.listKey.sort')],
  ['m', t('traces.listKey.mark')],
  ['=', t('traces.listKey.compare')],
  ['?', t('traces.key.help')],
  ['q', t('traces.key.quit')],
];

interface Columns {
  title: number;
  bar: number;
  start: boolean;
}

function columns(W: number): Columns {
  const bar = W >= 90 ? 12 : W >= 70 ? 6 : 0;
  const start = W >= 60;
  const fixed = 2 + 6 + 7 + (bar ? bar + 1 : 0) + 9 + (start ? 14 : 0);
  return { title: Math.max(8, W - fixed), bar, start };
}

/** A bar `fraction` of `cells` long, in eighths (at least one eighth). */
function relativeBar(fraction: number, cells: number): string {
  const e = Math.max(1, Math.min(cells * 8, Math.round(fraction * cells * 8)));
  return ('█'.repeat(Math.floor(e / 8)) + EIGHTHS[e % 8]).padEnd(cells);
}

/**
 * Lays out the trace list: exactly `height` lines (at least 6) of exactly
 * `width` columns (at least 30). `rows === null` means the traces are still loading.
 */
export function layoutTraceList(rows: readonly TraceSummary[] | null, opts: TraceListOptions): ScreenLine[] {
  const W = Math.max(MIN_W, Math.floor(opts.width));
  const H = Math.max(MIN_H, Math.floor(opts.height));
  const color = opts.color ?? true;
  const paint = (c: Cell['color']) => (color ? c : undefined);
  const col = columns(W);
  const count = rows?.length ?? 0;

  const headerLeft = rows === null ? ` ${t('traces.list.headerLoading')}` : ` ${t('traces.list.header', { count, sort: sortLabel(opts.sort) })}`;
  const headerRight = `${t('traces.list.sortHint')} `;
  const duration = t('traces.list.colDuration');
  const lines: ScreenLine[] = [
    [...fit([{ text: headerLeft, bold: true }], W - textWidth(headerRight)), { text: headerRight, dim: true }],
    fit(
      [
        { text: `  ${padCells(t('traces.list.colTitle'), col.title)}` },
        { text: padStartCells(t('traces.list.colSpans'), 6) },
        { text: padStartCells(t('traces.list.colErrors'), 7) },
        { text: col.bar ? ` ${padCells(duration, col.bar)}` : '' },
        { text: col.bar ? ' '.repeat(9) : padStartCells(duration, 9) },
        { text: col.start ? padCells(`  ${t('traces.list.colStarted')}`, 14) : '' },
      ].map((c) => ({ ...c, dim: true })),
      W,
    ),
  ];

  const body: ScreenLine[] = [];
  if (rows === null) body.push(fit([{ text: ` ${t('traces.list.loading')}`, color: paint('yellow') }], W));
  else if (!count) body.push(fit([{ text: ` ${t('traces.list.none')}`, dim: true }], W));
  else {
    const selected = Math.max(0, Math.min(count - 1, opts.selected));
    const first = traceListScroll(selected, opts.scroll, count, H);
    const cap = traceListCapacity(H);
    let longest = 0;
    for (const r of rows) if (r.duration > longest) longest = r.duration;
    for (let i = first; i < Math.min(count, first + cap); i++) {
      const row = rows[i];
      const sel = i === selected;
      const svc = truncate(row.rootService || t('traces.unknownService'), Math.max(4, Math.floor(col.title * 0.6)));
      const op = truncate(row.rootOperation, Math.max(0, col.title - textWidth(svc) - 2));
      const errText = row.errorCount ? `!${row.errorCount}` : '0';
      const title: ScreenLine = [
        { text: sel ? '›' : ' ', bold: true },
        { text: row.traceID === opts.marked ? 'A' : ' ', bold: true, color: row.traceID === opts.marked ? paint('yellow') : undefined },
        ...fit([{ text: svc, color: paint(serviceColor(row.rootService)), bold: true }, { text: `: ${op}` }], col.title),
        { text: String(row.spanCount).padStart(6) },
        { text: errText.padStart(7), color: row.errorCount ? paint('red') : undefined, bold: row.errorCount > 0 || undefined, dim: !row.errorCount || undefined },
        ...(col.bar ? [{ text: ' ' }, { text: relativeBar(longest ? row.duration / longest : 1, col.bar), color: paint(row.errorCount ? 'red' : 'cyan') }] : []),
        { text: formatDuration(row.duration).padStart(9) },
        { text: col.start ? `  ${formatStartTime(row.start)}` : '' },
      ];
      const line = fit(title, W);
      // The whole row reverses, except the bar, which keeps its colour.
      if (sel) for (const c of line) c.inverse = !/[█▏▎▍▌▋▊▉]/.test(c.text);
      body.push(line);

      const id = row.traceID.slice(0, 7);
      const services: Cell[] = [{ text: '    ' }];
      const room = W - 4 - id.length - 2;
      let used = 0;
      for (let k = 0; k < row.services.length; k++) {
        const s = row.services[k];
        const item = `${s.name} (${s.spans})`;
        const need = 2 + textWidth(item) + 2;
        const rest = row.services.length - k - 1;
        // Room for this one, and for the "+N more" that would follow it.
        if (used + need + (rest ? textWidth(t('traces.more', { count: rest })) : 0) > room && k > 0) {
          services.push({ text: t('traces.more', { count: row.services.length - k }), dim: true });
          break;
        }
        services.push({ text: '■ ', color: paint(serviceColor(s.name)) }, { text: item, dim: true }, { text: '  ' });
        used += need;
      }
      body.push([...fit(services, W - id.length - 1), { text: id, dim: true }, { text: ' ' }]);
    }
  }
  while (body.length < H - 3) body.push(fit([], W));
  lines.push(...body.slice(0, H - 3));
  lines.push(fit([{ text: ` ${t('traces.list.footer')}`, dim: true }], W));
  return lines;
}

/** `text` cut into pieces of at most `w` cells (a wide character is never split); at least one piece. */
function cutCells(text: string, w: number): string[] {
  const out: string[] = [];
  let piece = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const gw = textWidth(g);
    if (used + gw > w && piece) {
      out.push(piece);
      piece = '';
      used = 0;
    }
    piece += g;
    used += gw;
  }
  out.push(piece);
  return out;
}

/** A whole-screen message (loading, an error), exactly `width`×`height`. */
export function layoutMessage(title: string, body: Array<{ text: string; color?: Cell['color'] }>, footer: string, size: { width: number; height: number }): ScreenLine[] {
  const W = Math.max(MIN_W, Math.floor(size.width));
  const H = Math.max(MIN_H, Math.floor(size.height));
  const lines: ScreenLine[] = [fit([{ text: ` ${title}`, bold: true }], W), fit([], W)];
  for (const b of body) {
    // Long messages (an error's text) wrap by character, in cells, so nothing is lost off the edge.
    for (const piece of cutCells(b.text, W - 2)) lines.push(fit([{ text: ` ${piece}`, color: b.color }], W));
  }
  const out = lines.slice(0, H - 1);
  while (out.length < H - 1) out.push(fit([], W));
  out.push(fit([{ text: ` ${footer}`, dim: true }], W));
  return out;
}
