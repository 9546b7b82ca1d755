/**
 * An in-memory trace store with the search semantics of Jaeger's own memory
 * backend (what the all-in-one image Istio ships runs with):
 * - a trace matches when ONE of its spans satisfies every condition at once
 *   (service, operation, duration range, start-time window, tags);
 * - tags are compared as strings against the span's tags, its process's tags
 *   and its log fields;
 * - the service and operation lists remember everything ever seen, even after
 *   old traces were evicted.
 * Results come back newest first (by the trace's earliest span).
 *
 * Traces are kept packed (packed-trace.ts: shared strings, typed arrays, no
 * object per span), so the 10,000 traces a busy room leaves cost about 3 KB
 * each; a trace of an unusual shape is kept as it came.
 */
import type { JaegerKeyValue, JaegerSpan, JaegerTrace } from '../../traces/jaeger-model.js';
import { spanProcess } from '../../traces/jaeger-model.js';
import { type PackedQuery, type PackedTrace, StringPool, packTrace, packedServices, packedTraceMatches, releaseTrace, unpackTrace } from './packed-trace.js';

export interface TraceQuery {
  service: string;
  operation?: string;
  /** Every entry must match one tag of the same span (string comparison). */
  tags?: Record<string, string>;
  /** Span duration bounds in microseconds (inclusive; 0/undefined = none). */
  minDuration?: number;
  maxDuration?: number;
  /** Span start-time window, Unix microseconds (inclusive). */
  start?: number;
  end?: number;
  /** Most traces to return, newest kept; default 100 like Jaeger; <= 0 = all. */
  limit?: number;
}

export interface OperationEntry {
  name: string;
  spanKind: string;
}

export interface TraceStoreOptions {
  /** Traces kept before the oldest are dropped (Jaeger's `--memory.max-traces`). */
  maxTraces?: number;
}

export const DEFAULT_SEARCH_LIMIT = 100;
export const DEFAULT_MAX_TRACES = 10_000;

/** A trace the packer does not reproduce (odd shape), kept as it came. */
interface RawEntry {
  raw: JaegerTrace;
  start: number;
  services: Set<string>;
}

type Entry = PackedTrace | RawEntry;

const isRaw = (e: Entry): e is RawEntry => 'raw' in e;

/** Jaeger prints 64-bit ids without leading zeros; compare ids that way. */
export function normalizeTraceId(id: string): string {
  const lower = id.trim().toLowerCase();
  const stripped = lower.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

export class TraceStore {
  readonly maxTraces: number;
  private traces = new Map<string, Entry>();
  private pool = new StringPool();
  /** service -> operation -> span kinds seen */
  private readonly ops = new Map<string, Map<string, Set<string>>>();

  constructor(opts: TraceStoreOptions = {}) {
    this.maxTraces = Math.max(1, opts.maxTraces ?? DEFAULT_MAX_TRACES);
  }

  /** Number of traces held. */
  get size(): number {
    return this.traces.size;
  }

  /** Distinct strings the packed traces share (service, operation, tag keys and values ...). */
  get sharedStrings(): number {
    return this.pool.size;
  }

  /** How many traces are held packed (the rest are kept as they came). */
  get packedCount(): number {
    let n = 0;
    for (const e of this.traces.values()) if (!isRaw(e)) n++;
    return n;
  }

  /** Store a trace (spans of a trace id seen before are merged into it). */
  add(trace: JaegerTrace): void {
    const key = normalizeTraceId(trace.traceID);
    const existing = this.traces.get(key);
    for (const span of trace.spans) this.index(trace, span);
    let merged = trace;
    if (existing) {
      merged = mergeTraces(this.expand(existing), structuredClone(trace));
      this.drop(existing);
    }
    this.traces.delete(key); // re-insert so it counts as the newest arrival
    this.traces.set(key, this.entryFor(merged));
    while (this.traces.size > this.maxTraces) {
      const [oldest, entry] = this.traces.entries().next().value as [string, Entry];
      this.traces.delete(oldest);
      this.drop(entry);
    }
  }

  /** Forget everything, including the service and operation lists. */
  clear(): void {
    this.traces = new Map();
    this.pool = new StringPool();
    this.ops.clear();
  }

  /** Every service name ever reported, sorted. */
  services(): string[] {
    return [...this.ops.keys()].sort();
  }

  /** Operation names reported by a service, sorted ([] if unknown). */
  operations(service: string): string[] {
    return [...(this.ops.get(service)?.keys() ?? [])].sort();
  }

  /** Operations with their span kind (newer `/api/operations` shape). */
  operationEntries(service: string, spanKind?: string): OperationEntry[] {
    const out: OperationEntry[] = [];
    for (const [name, kinds] of this.ops.get(service) ?? []) {
      for (const kind of kinds) {
        if (!spanKind || spanKind === kind) out.push({ name, spanKind: kind });
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name) || a.spanKind.localeCompare(b.spanKind));
  }

  /** Traces matching the query, newest first. */
  search(q: TraceQuery): JaegerTrace[] {
    const packedQuery = this.packedQuery(q);
    const hits: Entry[] = [];
    for (const entry of this.traces.values()) {
      if (isRaw(entry)) {
        if (entry.services.has(q.service) && entry.raw.spans.some((span) => spanMatches(entry.raw, span, q))) hits.push(entry);
      } else if (packedQuery && packedTraceMatches(entry, this.pool, packedQuery)) {
        hits.push(entry);
      }
    }
    hits.sort((a, b) => b.start - a.start);
    const limit = q.limit ?? DEFAULT_SEARCH_LIMIT;
    const kept = limit > 0 ? hits.slice(0, limit) : hits;
    return kept.map((e) => this.expand(e));
  }

  /** One trace by id (case and leading zeros ignored). */
  get(traceID: string): JaegerTrace | undefined {
    const entry = this.traces.get(normalizeTraceId(traceID));
    return entry ? this.expand(entry) : undefined;
  }

  /** Traces held, optionally only those involving `service` and starting at or after `sinceMicros`. */
  count(service?: string, sinceMicros?: number): number {
    const id = service === undefined ? undefined : this.pool.find(service);
    let n = 0;
    for (const entry of this.traces.values()) {
      if (sinceMicros !== undefined && entry.start < sinceMicros) continue;
      if (service !== undefined) {
        if (isRaw(entry) ? !entry.services.has(service) : id === undefined || !packedServices(entry).includes(id)) continue;
      }
      n++;
    }
    return n;
  }

  /** A fresh JaegerTrace of an entry (callers may change it freely). */
  private expand(entry: Entry): JaegerTrace {
    return isRaw(entry) ? structuredClone(entry.raw) : unpackTrace(entry, this.pool);
  }

  private entryFor(trace: JaegerTrace): Entry {
    return packTrace(trace, this.pool) ?? describe(structuredClone(trace));
  }

  private drop(entry: Entry): void {
    if (!isRaw(entry)) releaseTrace(entry, this.pool);
  }

  /** The query with its strings as pool ids; undefined when no packed trace can match. */
  private packedQuery(q: TraceQuery): PackedQuery | undefined {
    const service = this.pool.find(q.service);
    if (service === undefined) return undefined;
    const out: PackedQuery = { service, tags: [] };
    if (q.operation) {
      const op = this.pool.find(q.operation);
      if (op === undefined) return undefined;
      out.operation = op;
    }
    if (q.minDuration) out.minDuration = q.minDuration;
    if (q.maxDuration) out.maxDuration = q.maxDuration;
    if (q.start !== undefined) out.start = q.start;
    if (q.end !== undefined) out.end = q.end;
    for (const [k, v] of Object.entries(q.tags ?? {})) {
      const key = this.pool.find(k);
      if (key === undefined) return undefined;
      out.tags.push([key, v]);
    }
    return out;
  }

  private index(trace: JaegerTrace, span: JaegerSpan): void {
    const service = spanProcess(trace, span)?.serviceName;
    if (!service) return;
    let byOp = this.ops.get(service);
    if (!byOp) this.ops.set(service, (byOp = new Map()));
    let kinds = byOp.get(span.operationName);
    if (!kinds) byOp.set(span.operationName, (kinds = new Set()));
    const kind = span.tags.find((t) => t.key === 'span.kind')?.value;
    kinds.add(typeof kind === 'string' ? kind : '');
  }
}

function describe(trace: JaegerTrace): RawEntry {
  const services = new Set<string>();
  let start = Number.POSITIVE_INFINITY;
  for (const span of trace.spans) {
    const name = spanProcess(trace, span)?.serviceName;
    if (name) services.add(name);
    start = Math.min(start, span.startTime);
  }
  return { raw: trace, start: Number.isFinite(start) ? start : 0, services };
}

/** Append `extra`'s spans to `base`, renaming process ids that would clash. */
function mergeTraces(base: JaegerTrace, extra: JaegerTrace): JaegerTrace {
  const processes = { ...base.processes };
  const rename = new Map<string, string>();
  let next = Object.keys(processes).length + 1;
  for (const [id, proc] of Object.entries(extra.processes)) {
    let newId = id;
    if (processes[id] && JSON.stringify(processes[id]) !== JSON.stringify(proc)) {
      while (processes[`p${next}`]) next++;
      newId = `p${next++}`;
    }
    processes[newId] = proc;
    rename.set(id, newId);
  }
  const spans = extra.spans.map((s) =>
    s.processID !== undefined ? { ...s, processID: rename.get(s.processID) ?? s.processID } : s,
  );
  const warnings = [...(base.warnings ?? []), ...(extra.warnings ?? [])];
  return {
    traceID: base.traceID,
    spans: [...base.spans, ...spans],
    processes,
    warnings: warnings.length ? warnings : null,
  };
}

function spanMatches(trace: JaegerTrace, span: JaegerSpan, q: TraceQuery): boolean {
  const process = spanProcess(trace, span);
  if (process?.serviceName !== q.service) return false;
  if (q.operation && span.operationName !== q.operation) return false;
  if (q.minDuration && span.duration < q.minDuration) return false;
  if (q.maxDuration && span.duration > q.maxDuration) return false;
  if (q.start !== undefined && span.startTime < q.start) return false;
  if (q.end !== undefined && span.startTime > q.end) return false;
  const wanted = Object.entries(q.tags ?? {});
  if (wanted.length === 0) return true;
  const pool: JaegerKeyValue[] = [...span.tags, ...(process?.tags ?? []), ...span.logs.flatMap((l) => l.fields)];
  return wanted.every(([k, v]) => pool.some((t) => t.key === k && tagAsString(t) === v));
}

/** A tag value the way Jaeger's KeyValue.AsString renders it. */
export function tagAsString(t: JaegerKeyValue): string {
  if (t.type === 'bool') return t.value === true || t.value === 'true' ? 'true' : 'false';
  return String(t.value);
}
