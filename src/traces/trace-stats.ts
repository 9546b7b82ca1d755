/**
 * The statistics table of one trace, like Jaeger UI's "Trace Statistics":
 * spans grouped by service, by service and operation, or by a tag's value,
 * with count, total, average, min, max, self time and its share, and the time
 * each group was on the critical path. Pure; computed once per trace and
 * grouping (memoised on the model, which never changes once built).
 *
 * Self time is a span's duration minus the union of its children's
 * intervals, each child clipped to the span, never below 0: the one
 * definition every view uses. Shares name their denominator: the trace's wall
 * time (concurrent spans can take a group's self share past 100%, which is
 * why the column is "of the trace", not "of the group").
 */
import type { KeyValue, SpanNode, TraceModel } from './model-types.js';
import { t, type MessageKey } from '../i18n/index.js';
import { cellWidth, padCells, padStartCells } from '../text/cells.js';

export type StatsGrouping = { by: 'service' } | { by: 'operation' } | { by: 'tag'; key: string };

export interface StatsRow {
  /** The group's label: `reviews`, `reviews: GET /reviews`, or a tag value (`200`, `(no http.status_code)`). */
  group: string;
  count: number;
  /** Sum of the spans' durations (µs). */
  total: number;
  avg: number;
  min: number;
  max: number;
  /** Sum of the spans' self times (µs). */
  self: number;
  /** Self time as a share of the trace's wall time (%). */
  selfShare: number;
  /** Time the group's spans were the critical path's bottleneck (µs). */
  critical: number;
  /** Critical-path time as a share of the trace's wall time (%). */
  criticalShare: number;
}

export interface TraceStats {
  grouping: StatsGrouping;
  /** The denominator of both shares: the trace's wall time (µs). */
  traceDuration: number;
  spans: number;
  /** In the table's default order: total time, longest first. */
  rows: StatsRow[];
}

export type StatsColumn = 'group' | 'count' | 'total' | 'avg' | 'min' | 'max' | 'self' | 'selfShare' | 'critical';

/** Columns in table order, with their headings (what the sort key cycles through). */
const COLUMN_LABEL = {
  group: 'traces.stats.group',
  count: 'traces.stats.count',
  total: 'traces.stats.total',
  avg: 'traces.stats.avg',
  min: 'traces.stats.min',
  max: 'traces.stats.max',
  self: 'traces.stats.self',
  selfShare: 'traces.stats.selfShare',
  critical: 'traces.stats.critical',
} as const satisfies Record<StatsColumn, MessageKey>;

/** The columns in order; each label in this run's language. */
export const STATS_COLUMNS: ReadonlyArray<{ id: StatsColumn; readonly label: string }> = (Object.keys(COLUMN_LABEL) as StatsColumn[]).map((id) => ({
  id,
  get label() {
    return t(COLUMN_LABEL[id]);
  },
}));

export function groupingLabel(g: StatsGrouping): string {
  return g.by === 'service' ? t('traces.stats.byService') : g.by === 'operation' ? t('traces.stats.byOperation') : t('traces.stats.byTag', { key: g.key });
}

// ---------------------------------------------------------------------------
// Per-span facts, memoised per model

const selfCache = new WeakMap<TraceModel, Map<string, number>>();

/** Every span's self time (µs), by span id. Linear: children are already sorted by start. */
export function selfTimes(model: TraceModel): Map<string, number> {
  const steps = selfTimeSteps(model);
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/** How many spans a slice handles between two looks at the clock. */
const SLICE = 5000;

function* selfTimeSteps(model: TraceModel): Generator<void, Map<string, number>> {
  const known = selfCache.get(model);
  if (known) return known;
  const out = new Map<string, number>();
  let k = 0;
  for (const id of model.order) {
    if (++k % SLICE === 0) yield;
    const node = model.spans.get(id)!;
    out.set(id, selfTimeOf(model, node));
  }
  selfCache.set(model, out);
  return out;
}

function selfTimeOf(model: TraceModel, node: SpanNode): number {
  const s = node.start;
  const e = s + node.duration;
  let covered = 0;
  let runStart = 0;
  let runEnd = Number.NEGATIVE_INFINITY;
  for (const cid of node.children) {
    const c = model.spans.get(cid);
    if (!c) continue;
    const cs = c.start > s ? c.start : s;
    const ceRaw = c.start + c.duration;
    const ce = ceRaw < e ? ceRaw : e;
    if (ce <= cs) continue;
    if (cs > runEnd) {
      if (runEnd > runStart) covered += runEnd - runStart;
      runStart = cs;
      runEnd = ce;
    } else if (ce > runEnd) runEnd = ce;
  }
  if (runEnd > runStart) covered += runEnd - runStart;
  return Math.max(0, node.duration - covered);
}

const criticalCache = new WeakMap<TraceModel, Map<string, number>>();

/** Time each span was the critical path's bottleneck (µs), by span id (only spans on the path). */
export function criticalTimes(model: TraceModel): Map<string, number> {
  let out = criticalCache.get(model);
  if (out) return out;
  out = new Map();
  for (const sec of model.criticalSections ?? []) out.set(sec.spanID, (out.get(sec.spanID) ?? 0) + (sec.end - sec.start));
  criticalCache.set(model, out);
  return out;
}

function tagValue(tags: readonly KeyValue[], key: string): string | undefined {
  for (const t of tags) if (t.key === key) return String(t.value);
  return undefined;
}

const keysCache = new WeakMap<TraceModel, string[]>();

/** Tag keys worth grouping by: those with more than one value, or missing on some spans (sorted). */
export function groupableTagKeys(model: TraceModel): string[] {
  let out = keysCache.get(model);
  if (out) return out;
  const values = new Map<string, { first: string; varied: boolean; spans: number }>();
  for (const node of model.spans.values()) {
    for (const t of node.tags) {
      const v = String(t.value);
      const e = values.get(t.key);
      if (!e) values.set(t.key, { first: v, varied: false, spans: 1 });
      else {
        e.spans++;
        if (!e.varied && e.first !== v) e.varied = true;
      }
    }
  }
  out = [...values].filter(([, e]) => e.varied || e.spans < model.spans.size).map(([k]) => k).sort();
  keysCache.set(model, out);
  return out;
}

// ---------------------------------------------------------------------------
// The table

const statsCache = new WeakMap<TraceModel, Map<string, TraceStats>>();

const groupingKey = (g: StatsGrouping) => (g.by === 'tag' ? `tag:${g.key}` : g.by);

/** The statistics table of `model` grouped as asked (memoised per model and grouping). */
export function traceStats(model: TraceModel, grouping: StatsGrouping = { by: 'service' }): TraceStats {
  let perModel = statsCache.get(model);
  if (!perModel) statsCache.set(model, (perModel = new Map()));
  const key = groupingKey(grouping);
  const hit = perModel.get(key);
  if (hit) return hit;
  const steps = statsSteps(model, grouping);
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/**
 * The same table, computed in slices of at most about `sliceMs` each (a screen
 * keeps answering keys meanwhile): call `step()` from a timer until it returns
 * the table, which is then memoised like traceStats'.
 */
export function traceStatsInSlices(model: TraceModel, grouping: StatsGrouping, sliceMs = 15): { step: () => TraceStats | undefined } {
  const known = statsCache.get(model)?.get(groupingKey(grouping));
  if (known) return { step: () => known };
  const steps = statsSteps(model, grouping);
  let result: TraceStats | undefined;
  return {
    step() {
      if (result) return result;
      const until = Date.now() + sliceMs;
      for (;;) {
        const r = steps.next();
        if (r.done) return (result = r.value);
        if (Date.now() >= until) return undefined;
      }
    },
  };
}

function* statsSteps(model: TraceModel, grouping: StatsGrouping): Generator<void, TraceStats> {
  let perModel = statsCache.get(model);
  if (!perModel) statsCache.set(model, (perModel = new Map()));
  const key = groupingKey(grouping);
  const self = yield* selfTimeSteps(model);
  const crit = criticalTimes(model);
  const groups = new Map<string, StatsRow>();
  const label = (n: SpanNode): string => {
    if (grouping.by === 'service') return n.service;
    if (grouping.by === 'operation') return `${n.service}: ${n.operation}`;
    return tagValue(n.tags, grouping.key) ?? tagValue(n.processTags, grouping.key) ?? `(no ${grouping.key})`;
  };
  let k = 0;
  for (const id of model.order) {
    if (++k % SLICE === 0) yield;
    const n = model.spans.get(id)!;
    const g = label(n);
    let row = groups.get(g);
    if (!row) {
      row = { group: g, count: 0, total: 0, avg: 0, min: Number.POSITIVE_INFINITY, max: 0, self: 0, selfShare: 0, critical: 0, criticalShare: 0 };
      groups.set(g, row);
    }
    row.count++;
    row.total += n.duration;
    if (n.duration < row.min) row.min = n.duration;
    if (n.duration > row.max) row.max = n.duration;
    row.self += self.get(id) ?? 0;
    row.critical += crit.get(id) ?? 0;
  }
  const D = model.duration;
  const share = (x: number) => (D > 0 ? (x / D) * 100 : 0);
  const rows = [...groups.values()];
  for (const r of rows) {
    r.avg = r.count ? r.total / r.count : 0;
    if (!Number.isFinite(r.min)) r.min = 0;
    r.selfShare = share(r.self);
    r.criticalShare = share(r.critical);
  }
  const stats: TraceStats = { grouping, traceDuration: D, spans: model.order.length, rows: sortStatsRows(rows, 'total', true) };
  perModel.set(key, stats);
  return stats;
}

/** The rows sorted by a column (ties by group name), a new array. */
export function sortStatsRows(rows: readonly StatsRow[], by: StatsColumn, descending: boolean): StatsRow[] {
  const dir = descending ? -1 : 1;
  const byName = (a: StatsRow, b: StatsRow) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0);
  if (by === 'group') return [...rows].sort((a, b) => dir * byName(a, b));
  return [...rows].sort((a, b) => dir * (a[by] - b[by]) || byName(a, b));
}

// ---------------------------------------------------------------------------
// Text

function ms(us: number): string {
  return (us / 1000).toFixed(2);
}

function pct(p: number): string {
  return `${p.toFixed(1)}%`;
}

/** A row's cells as text, in STATS_COLUMNS order (times in ms with 2 decimals, as Jaeger UI rounds them). */
export function statsCells(r: StatsRow): string[] {
  return [r.group, String(r.count), ms(r.total), ms(r.avg), ms(r.min), ms(r.max), ms(r.self), pct(r.selfShare), `${ms(r.critical)} ${pct(r.criticalShare)}`];
}

/** The table as text (`--stats --plain`): a header naming the grouping and denominator, then aligned columns. */
export function statsToText(model: TraceModel, stats: TraceStats): string[] {
  const head = STATS_COLUMNS.map((c) => (c.id === 'group' ? groupingLabel(stats.grouping) : c.id === 'critical' ? t('traces.statsText.critical') : c.id === 'selfShare' || c.id === 'count' ? c.label : t('traces.statsText.inMs', { label: c.label })));
  const cells = stats.rows.map(statsCells);
  // Measured in terminal cells: a Chinese head or a CJK service name is two cells a character.
  const widths = head.map((h, i) => Math.max(cellWidth(h), ...cells.map((r) => cellWidth(r[i]))));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? padCells(c, widths[i]) : padStartCells(c, widths[i]))).join('  ').trimEnd();
  return [
    t('traces.statsText.header', { id: model.traceID, root: `${model.rootService}: ${model.rootOperation}`, count: stats.spans, ms: ms(stats.traceDuration) }),
    t('traces.statsText.grouped', { grouping: groupingLabel(stats.grouping) }),
    '',
    line(head),
    ...cells.map(line),
  ];
}

/** The column ids `--sort` accepts. */
export const STATS_COLUMN_IDS: readonly StatsColumn[] = STATS_COLUMNS.map((c) => c.id);

/** `service`, `operation` (service + operation) or `tag:KEY`, as `--group-by` takes it; undefined for anything else. */
export function parseGrouping(text: string): StatsGrouping | undefined {
  const t = text.trim();
  if (t === 'service') return { by: 'service' };
  if (t === 'operation' || t === 'service+operation' || t === 'service-operation') return { by: 'operation' };
  const m = /^tag[:=](.+)$/.exec(t);
  return m && m[1].trim() ? { by: 'tag', key: m[1].trim() } : undefined;
}

/** The table as JSON (`--stats --json`): times in µs, shares in %. */
export function statsToJson(model: TraceModel, stats: TraceStats): unknown {
  return {
    traceID: model.traceID,
    groupedBy: stats.grouping.by === 'tag' ? `tag:${stats.grouping.key}` : stats.grouping.by,
    unit: 'µs',
    sharesOf: 'trace wall time',
    traceDuration: stats.traceDuration,
    spans: stats.spans,
    rows: stats.rows,
  };
}
