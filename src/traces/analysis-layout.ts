/**
 * The trace viewer's two analysis screens, as lines of styled cells: the
 * comparison of two traces (trace-compare.ts) and the statistics table of one
 * (trace-stats.ts). Pure functions of the computed result, a little view
 * state, and the terminal size; only the rows that fit are laid out, so a
 * 50,000-span comparison costs a frame no more than a 12-span one. Every mark
 * is text as well as colour (`+ - ~ =`, `▼ ▲` on the sorted column).
 */
import type { Cell, ScreenLine } from '../text/cells.js';
import { cellWidth as textWidth, fit, padCells, padStartCells, truncateCells as truncate } from '../text/cells.js';
import { t } from '../i18n/index.js';
import { orKeys } from './waterfall-state.js';
import type { CompareNode, TraceComparison } from './trace-compare.js';
import { signedDuration, signedPct } from './trace-compare.js';
import { formatDuration } from './duration-format.js';
import { groupingLabel, sortStatsRows, STATS_COLUMNS, type StatsColumn, type StatsRow, type TraceStats } from './trace-stats.js';

type Color = NonNullable<Cell['color']>;
const paint = (color: boolean, c: Color): Color | undefined => (color ? c : undefined);
const MIN_W = 30;
const MIN_H = 8;

export interface TableView {
  /** Selected row (index into the rows shown). */
  selected: number;
  /** First row shown. */
  scroll: number;
}

/** Rows of the table window for a screen `height` tall (header 3 lines, footer 1). */
export function analysisRows(height: number): number {
  return Math.max(1, Math.max(MIN_H, Math.floor(height)) - 4);
}

/** `scroll` moved just enough to show `selected`. */
export function fitTableScroll(selected: number, scroll: number, total: number, rows: number): number {
  let s = Math.min(scroll, Math.max(0, total - rows));
  if (selected < s) s = selected;
  if (selected >= s + rows) s = selected - rows + 1;
  return Math.max(0, s);
}

function screen(lines: ScreenLine[], footer: ScreenLine, W: number, H: number): ScreenLine[] {
  const out = lines.slice(0, H - 1);
  while (out.length < H - 1) out.push(fit([], W));
  out.push(fit(footer, W));
  return out;
}

function position(first: number, shown: number, total: number): string {
  return total ? `${first + 1}–${first + shown}/${total} ` : '';
}

function footer(keys: string, pos: string, W: number): ScreenLine {
  const left: Cell[] = [{ text: ` ${keys}`, dim: true }];
  if (textWidth(pos) + 20 > W) return fit(left, W);
  return [...fit(left, W - textWidth(pos)), { text: pos, dim: true }];
}

// ---------------------------------------------------------------------------
// Compare

export const compareKeys = (): Array<[string, string]> => [
  [orKeys('↑ ↓', 'k j'), t('traces.compareKey.move')],
  ['PgUp PgDn', t('traces.key.page')],
  ['g  G', t('traces.compareKey.ends')],
  ['f', t('traces.compareKey.filter')],
  [orKeys('Esc', 'b'), t('traces.compareKey.back')],
  ['?', t('traces.key.help')],
  ['q', t('traces.key.quit')],
  ['', ''],
  ['+', t('traces.compareKey.onlyB')],
  ['-', t('traces.compareKey.onlyA')],
  ['~', t('traces.compareKey.changed')],
  ['=', t('traces.compareKey.same')],
];

const MARK_COLOR: Record<CompareNode['mark'], Color> = { '+': 'green', '-': 'red', '~': 'yellow', '=': 'gray' };

const differingCache = new WeakMap<TraceComparison, number[]>();

/** The rows a view shows: all of them, or only those that differ (memoised per comparison). */
export function compareRowsShown(c: TraceComparison, differencesOnly: boolean): number[] | null {
  if (!differencesOnly) return null; // all rows, 0..n-1
  let rows = differingCache.get(c);
  if (!rows) {
    rows = [];
    for (let i = 0; i < c.rows.length; i++) if (c.rows[i].mark !== '=') rows.push(i);
    differingCache.set(c, rows);
  }
  return rows;
}

export interface CompareView extends TableView {
  differencesOnly: boolean;
}

/** The comparison screen: exactly `width`×`height`. */
export function layoutComparison(c: TraceComparison, view: CompareView, size: { width: number; height: number }, color = true): ScreenLine[] {
  const W = Math.max(MIN_W, Math.floor(size.width));
  const H = Math.max(MIN_H, Math.floor(size.height));
  const shownRows = compareRowsShown(c, view.differencesOnly);
  const total = shownRows ? shownRows.length : c.rows.length;
  const listH = analysisRows(H);
  const selected = Math.max(0, Math.min(total - 1, view.selected));
  const first = fitTableScroll(selected, view.scroll, total, listH);
  const side = (x: TraceComparison['a']) => t('traces.compare.side', { id: x.traceID.slice(0, 7), duration: formatDuration(x.duration), count: x.spans });
  const pct = signedPct(c.deltaPct);
  const lines: ScreenLine[] = [
    fit([{ text: ` ${t('traces.compare.title')} · `, bold: true }, { text: `A ${side(c.a)}`, bold: true }, { text: `  ${t('traces.compare.vs')}  ` }, { text: `B ${side(c.b)}`, bold: true }], W),
    fit(
      [
        { text: view.differencesOnly ? ` ${t('traces.compare.differencesOnly')}` : '', bold: true },
        { text: ` B − A ${signedDuration(c.delta)}${pct ? ` (${pct})` : ''} · ` },
        { text: t('traces.compare.onlyB', { count: c.counts.onlyB }), color: paint(color, 'green') },
        { text: ' · ' },
        { text: t('traces.compare.onlyA', { count: c.counts.onlyA }), color: paint(color, 'red') },
        { text: ' · ' },
        { text: t('traces.compare.changed', { count: c.counts.changed }), color: paint(color, 'yellow') },
        { text: ` · ${t('traces.compare.alike', { count: c.counts.same })}`, dim: true },
      ],
      W,
    ),
  ];
  const numW = W >= 100 ? 10 : 9;
  const pctW = W >= 70 ? 8 : 0;
  const nameW = Math.max(8, W - 2 - numW * 3 - pctW);
  lines.push(
    fit(
      [
        { text: `  ${padCells(t('traces.list.colTitle'), nameW)}` },
        { text: 'A'.padStart(numW) },
        { text: 'B'.padStart(numW) },
        { text: 'B − A'.padStart(numW) },
        { text: pctW ? padStartCells(t('traces.compare.colPct'), pctW) : '' },
      ].map((x) => ({ ...x, dim: true })),
      W,
    ),
  );
  if (!total) lines.push(fit([{ text: ` ${view.differencesOnly ? t('traces.compare.allAlike') : t('traces.noSpans')}`, dim: true }], W));
  for (let k = first; k < Math.min(total, first + listH); k++) {
    const n = c.rows[shownRows ? shownRows[k] : k];
    const sel = k === selected;
    const indent = '  '.repeat(Math.min(n.depth, 16));
    const name = truncate(`${indent}${n.service}: ${n.operation}`, nameW);
    const dur = (v: number | undefined) => (v === undefined ? '—' : formatDuration(v)).padStart(numW);
    const line: ScreenLine = [
      { text: sel ? '›' : ' ', bold: true },
      { text: n.mark, color: paint(color, MARK_COLOR[n.mark]), bold: n.mark !== '=' },
      { text: padCells(name, nameW), dim: n.mark === '=' || undefined },
      { text: dur(n.durationA), color: n.mark === '-' ? paint(color, 'red') : undefined },
      { text: dur(n.durationB), color: n.mark === '+' ? paint(color, 'green') : undefined },
      { text: (n.delta === undefined ? '' : signedDuration(n.delta)).padStart(numW), color: n.slower ? paint(color, 'red') : n.faster ? paint(color, 'green') : undefined },
      { text: pctW ? signedPct(n.deltaPct).padStart(pctW) : '' },
    ];
    const out = fit(line, W);
    if (sel) for (const cell of out) cell.inverse = true;
    lines.push(out);
  }
  return screen(lines, footer(t('traces.compare.footer'), position(first, Math.min(listH, total - first), total), W), W, H);
}

// ---------------------------------------------------------------------------
// Statistics

export const statsKeys = (): Array<[string, string]> => [
  [orKeys('↑ ↓', 'k j'), t('traces.statsKey.move')],
  ['PgUp PgDn  g G', t('traces.statsKey.page')],
  ['s  S', t('traces.statsKey.sort')],
  ['r', t('traces.statsKey.reverse')],
  ['t', t('traces.statsKey.group')],
  [orKeys('Esc', 'b'), t('traces.statsKey.back')],
  ['?', t('traces.key.help')],
  ['q', t('traces.key.quit')],
  ['', ''],
  [t('traces.stats.self'), t('traces.statsKey.self')],
  [`${t('traces.stats.selfShare')}  ${t('traces.stats.critical')}`, t('traces.statsKey.shares')],
];

export interface StatsView extends TableView {
  sort: StatsColumn;
  descending: boolean;
}

const sortedCache = new WeakMap<TraceStats, Map<string, StatsRow[]>>();

/** The table's rows in a view's order (memoised per table, column and direction). */
export function statsRowsSorted(stats: TraceStats, sort: StatsColumn, descending: boolean): StatsRow[] {
  if (sort === 'total' && descending) return stats.rows;
  let m = sortedCache.get(stats);
  if (!m) sortedCache.set(stats, (m = new Map()));
  const key = `${sort}:${descending}`;
  let rows = m.get(key);
  if (!rows) m.set(key, (rows = sortStatsRows(stats.rows, sort, descending)));
  return rows;
}

/** Which columns fit a width (what `s` cycles through); a narrower table drops min and max first, then avg. */
export function statsColumns(W: number): StatsColumn[] {
  const all: StatsColumn[] = ['group', 'count', 'total', 'avg', 'min', 'max', 'self', 'selfShare', 'critical'];
  if (W >= 120) return all;
  if (W >= 90) return all.filter((c) => c !== 'min' && c !== 'max');
  return ['group', 'count', 'total', 'self', 'selfShare', 'critical'];
}

const COL_W: Record<Exclude<StatsColumn, 'group'>, number> = { count: 6, total: 10, avg: 10, min: 10, max: 10, self: 10, selfShare: 8, critical: 15 };

function cell(r: StatsRow, c: Exclude<StatsColumn, 'group'>): string {
  switch (c) {
    case 'count':
      return String(r.count);
    case 'selfShare':
      return `${r.selfShare.toFixed(1)}%`;
    case 'critical':
      return r.critical ? `${formatDuration(r.critical)} ${r.criticalShare.toFixed(0)}%` : '—';
    default:
      return formatDuration(r[c]);
  }
}

/** The statistics screen: exactly `width`×`height`. */
export function layoutStats(stats: TraceStats, view: StatsView, title: string, size: { width: number; height: number }, color = true): ScreenLine[] {
  const W = Math.max(MIN_W, Math.floor(size.width));
  const H = Math.max(MIN_H, Math.floor(size.height));
  const rows = statsRowsSorted(stats, view.sort, view.descending);
  const listH = analysisRows(H);
  const selected = Math.max(0, Math.min(rows.length - 1, view.selected));
  const first = fitTableScroll(selected, view.scroll, rows.length, listH);
  const cols = statsColumns(W);
  const nums = cols.filter((c): c is Exclude<StatsColumn, 'group'> => c !== 'group');
  const groupW = Math.max(8, W - 1 - nums.reduce((a, c) => a + COL_W[c], 0));
  const label = (c: StatsColumn) => {
    const l = STATS_COLUMNS.find((x) => x.id === c)!.label;
    return c === view.sort ? `${l}${view.descending ? '▼' : '▲'}` : l;
  };
  const sortName = STATS_COLUMNS.find((x) => x.id === view.sort)!.label;
  const lines: ScreenLine[] = [
    fit([{ text: ` ${t('traces.stats.title', { title })}`, bold: true }], W),
    fit([{ text: ` ${t('traces.stats.summary', { grouping: groupingLabel(stats.grouping), sort: sortName, direction: view.descending ? '▼' : '▲', count: stats.spans, duration: formatDuration(stats.traceDuration) })}`, dim: true }], W),
    fit(
      [
        { text: padCells(` ${label('group')}`, groupW + 1), bold: view.sort === 'group' || undefined, dim: view.sort !== 'group' || undefined },
        ...nums.map((c) => ({ text: padStartCells(label(c), COL_W[c]), bold: view.sort === c || undefined, dim: view.sort !== c || undefined, color: view.sort === c ? paint(color, 'cyan') : undefined })),
      ],
      W,
    ),
  ];
  for (let i = first; i < Math.min(rows.length, first + listH); i++) {
    const r = rows[i];
    const line = fit(
      [{ text: i === selected ? '›' : ' ', bold: true }, { text: padCells(truncate(r.group, groupW), groupW) }, ...nums.map((c) => ({ text: cell(r, c).padStart(COL_W[c]), bold: view.sort === c || undefined }))],
      W,
    );
    if (i === selected) for (const c of line) c.inverse = true;
    lines.push(line);
  }
  if (!rows.length) lines.push(fit([{ text: ` ${t('traces.noSpans')}`, dim: true }], W));
  return screen(lines, footer(t('traces.stats.footer'), position(first, Math.min(listH, rows.length - first), rows.length), W), W, H);
}

/** A whole-screen "working on it" line while a comparison or table is computed. */
export function layoutComputing(title: string, what: string, size: { width: number; height: number }, color = true): ScreenLine[] {
  const W = Math.max(MIN_W, Math.floor(size.width));
  const H = Math.max(MIN_H, Math.floor(size.height));
  return screen([fit([{ text: ` ${title}`, bold: true }], W), fit([], W), fit([{ text: ` ◌ ${what}…`, color: paint(color, 'yellow') }], W)], [{ text: ` ${t('traces.backQuit')}`, dim: true }], W, H);
}
