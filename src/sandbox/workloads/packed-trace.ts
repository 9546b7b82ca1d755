/**
 * A compact form of a Jaeger trace for the sandbox's trace store, so that
 * 10,000 stored Bookinfo traces cost tens of megabytes rather than hundreds
 * (a plain JaegerTrace spends an object on every tag, reference and log).
 *
 * - Strings (service and operation names, tag keys and values, process ids)
 *   live once in a reference-counted StringPool shared by the whole store;
 *   a trace keeps their numbers. Evicting a trace releases them.
 * - 16-digit lowercase hex span ids are kept as two 32-bit numbers.
 * - A trace is two typed arrays and one small object: `ints` (structure, ids,
 *   tags) and `nums` (times, durations, numeric tag values, log timestamps).
 * - `unpackTrace` rebuilds exactly the JSON the trace was stored from (same
 *   keys in the same order), so the query API's answers do not change.
 * A trace in any other shape (an inlined `process`, extra keys, an unknown
 * tag type ...) is not packed: `packTrace` returns undefined and the store
 * keeps such a trace as it came.
 *
 * Hand-written: no maintained library packs this JSON shape into typed arrays
 * with a shared string table.
 *
 * `ints` layout:
 *   [0] span count  [1] process count  [2] trace warnings (NONE or offset of: count, ids...)
 *   processes, 3 words each: process id (pool), service (pool), offset of its tags (count, then 2 words a tag)
 *   spans, SPAN_WORDS each: bits, flags, id a, id b, operation (pool), process index, offset of its variable part
 *   variable parts: refs (count, 4 words each), tags (count, 2 words each), logs (count, then per log:
 *   nums index of its timestamp, field count, 2 words a field), warnings (NONE or count, ids...)
 * A tag is `key << 8 | kind << 4 | type` and a value word: a pool id (string), 0/1 (bool) or a nums index (number).
 * A span's start and duration are nums[2i], nums[2i+1].
 */
import type { JaegerKeyValue, JaegerLog, JaegerProcess, JaegerReference, JaegerSpan, JaegerTagType, JaegerTrace } from '../../traces/jaeger-model.js';

/** Interned strings with reference counts; ids of released strings are reused. */
export class StringPool {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];
  private readonly refs: number[] = [];
  private readonly free: number[] = [];

  /** The id of `s`, counting one more use of it. */
  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.free.pop() ?? this.strings.length;
      this.strings[id] = s;
      this.refs[id] = 0;
      this.ids.set(s, id);
    }
    this.refs[id]++;
    return id;
  }

  /** The id of `s` if it is in the pool (no use counted). */
  find(s: string): number | undefined {
    return this.ids.get(s);
  }

  get(id: number): string {
    return this.strings[id];
  }

  release(id: number): void {
    if (--this.refs[id] === 0) {
      this.ids.delete(this.strings[id]);
      this.strings[id] = '';
      this.free.push(id);
    }
  }

  /** Distinct strings held. */
  get size(): number {
    return this.ids.size;
  }
}

export interface PackedTrace {
  readonly traceID: string;
  readonly ints: Uint32Array;
  readonly nums: Float64Array;
  /** Earliest span start (Unix µs; 0 without spans). */
  readonly start: number;
}

const NONE = 0xffffffff;
const SPAN_WORDS = 7;
const BIT_FLAGS = 1;
const BIT_HEX_ID = 2;
const REF_HEX = 0x100;
const REF_OTHER_TRACE = 0x200;

const TYPES: readonly JaegerTagType[] = ['string', 'bool', 'int64', 'float64', 'binary'];
const KIND_STRING = 0;
const KIND_BOOL = 1;
const KIND_NUMBER = 2;
const REF_TYPES = ['CHILD_OF', 'FOLLOWS_FROM'] as const;

const TRACE_KEYS = 'traceID,spans,processes,warnings';
const SPAN_KEYS = 'traceID,spanID,flags,operationName,references,startTime,duration,tags,logs,processID,warnings';
const SPAN_KEYS_NO_FLAGS = 'traceID,spanID,operationName,references,startTime,duration,tags,logs,processID,warnings';
const isHex16 = (s: string) => s.length === 16 && /^[0-9a-f]{16}$/.test(s);
const keysOf = (o: object) => Object.keys(o).join(',');

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function tagPackable(t: JaegerKeyValue): boolean {
  if (keysOf(t) !== 'key,type,value' || typeof t.key !== 'string' || !TYPES.includes(t.type)) return false;
  return typeof t.value === 'string' || typeof t.value === 'boolean' || (typeof t.value === 'number' && !Number.isNaN(t.value));
}

/** Whether the trace has exactly the shape packTrace reproduces. */
function packable(trace: JaegerTrace): boolean {
  if (keysOf(trace) !== TRACE_KEYS || typeof trace.traceID !== 'string' || !Array.isArray(trace.spans)) return false;
  if (trace.warnings !== null && !isStringList(trace.warnings)) return false;
  if (!trace.processes || typeof trace.processes !== 'object') return false;
  for (const p of Object.values(trace.processes)) {
    if (!p || keysOf(p) !== 'serviceName,tags' || typeof p.serviceName !== 'string' || !Array.isArray(p.tags) || !p.tags.every(tagPackable)) return false;
  }
  for (const s of trace.spans) {
    if (!s || typeof s !== 'object') return false;
    const keys = keysOf(s);
    if (keys !== SPAN_KEYS && keys !== SPAN_KEYS_NO_FLAGS) return false;
    if (s.traceID !== trace.traceID || typeof s.spanID !== 'string' || typeof s.operationName !== 'string') return false;
    if (s.flags !== undefined && !(Number.isInteger(s.flags) && s.flags >= 0 && s.flags < NONE)) return false;
    if (!Number.isFinite(s.startTime) || !Number.isFinite(s.duration)) return false;
    if (typeof s.processID !== 'string' || !Object.prototype.hasOwnProperty.call(trace.processes, s.processID)) return false;
    if (s.warnings !== null && !isStringList(s.warnings)) return false;
    if (!Array.isArray(s.tags) || !s.tags.every(tagPackable)) return false;
    if (!Array.isArray(s.references)) return false;
    for (const r of s.references) {
      if (!r || keysOf(r) !== 'refType,traceID,spanID' || !REF_TYPES.includes(r.refType) || typeof r.traceID !== 'string' || typeof r.spanID !== 'string') return false;
    }
    if (!Array.isArray(s.logs)) return false;
    for (const l of s.logs) {
      if (!l || keysOf(l) !== 'timestamp,fields' || !Number.isFinite(l.timestamp) || !Array.isArray(l.fields) || !l.fields.every(tagPackable)) return false;
    }
  }
  return true;
}

/** The packed form of `trace`, or undefined when its shape is not the one packing reproduces. */
export function packTrace(trace: JaegerTrace, pool: StringPool): PackedTrace | undefined {
  if (!packable(trace)) return undefined;
  const ints: number[] = [];
  const nums: number[] = [];
  const spans = trace.spans;
  const procIds = Object.keys(trace.processes);
  const procIndex = new Map(procIds.map((id, i) => [id, i]));
  ints.push(spans.length, procIds.length, NONE);
  const procBase = ints.length;
  for (let i = 0; i < procIds.length; i++) ints.push(0, 0, 0);
  const spanBase = ints.length;
  for (let i = 0; i < spans.length; i++) for (let k = 0; k < SPAN_WORDS; k++) ints.push(0);
  // Span i's start and duration are nums[2i] and nums[2i + 1]; other numbers follow.
  for (const s of spans) nums.push(s.startTime, s.duration);

  const tags = (list: readonly JaegerKeyValue[]) => {
    ints.push(list.length);
    for (const t of list) {
      const type = TYPES.indexOf(t.type);
      const key = pool.intern(t.key) << 8;
      if (typeof t.value === 'string') ints.push(key | (KIND_STRING << 4) | type, pool.intern(t.value));
      else if (typeof t.value === 'boolean') ints.push(key | (KIND_BOOL << 4) | type, t.value ? 1 : 0);
      else {
        ints.push(key | (KIND_NUMBER << 4) | type, nums.length);
        nums.push(t.value);
      }
    }
  };
  const strings = (list: readonly string[] | null) => {
    if (list === null) return void ints.push(NONE);
    ints.push(list.length);
    for (const w of list) ints.push(pool.intern(w));
  };

  procIds.forEach((id, i) => {
    const p = trace.processes[id];
    ints[procBase + i * 3] = pool.intern(id);
    ints[procBase + i * 3 + 1] = pool.intern(p.serviceName);
    ints[procBase + i * 3 + 2] = ints.length;
    tags(p.tags);
  });
  let start = Number.POSITIVE_INFINITY;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    const at = spanBase + i * SPAN_WORDS;
    if (s.startTime < start) start = s.startTime;
    let bits = 0;
    if (s.flags !== undefined) {
      bits |= BIT_FLAGS;
      ints[at + 1] = s.flags;
    }
    if (isHex16(s.spanID)) {
      bits |= BIT_HEX_ID;
      ints[at + 2] = parseInt(s.spanID.slice(0, 8), 16);
      ints[at + 3] = parseInt(s.spanID.slice(8), 16);
    } else {
      ints[at + 2] = pool.intern(s.spanID);
    }
    ints[at] = bits;
    ints[at + 4] = pool.intern(s.operationName);
    ints[at + 5] = procIndex.get(s.processID!)!;
    ints[at + 6] = ints.length;
    ints.push(s.references.length);
    for (const r of s.references) {
      let code = REF_TYPES.indexOf(r.refType as (typeof REF_TYPES)[number]);
      let traceRef = 0;
      if (r.traceID !== trace.traceID) {
        code |= REF_OTHER_TRACE;
        traceRef = pool.intern(r.traceID);
      }
      if (isHex16(r.spanID)) ints.push(code | REF_HEX, traceRef, parseInt(r.spanID.slice(0, 8), 16), parseInt(r.spanID.slice(8), 16));
      else ints.push(code, traceRef, pool.intern(r.spanID), 0);
    }
    tags(s.tags);
    ints.push(s.logs.length);
    for (const l of s.logs) {
      ints.push(nums.length);
      nums.push(l.timestamp);
      tags(l.fields);
    }
    strings(s.warnings);
  }
  if (trace.warnings !== null) {
    ints[2] = ints.length;
    strings(trace.warnings);
  }
  return { traceID: trace.traceID, ints: Uint32Array.from(ints), nums: Float64Array.from(nums), start: Number.isFinite(start) ? start : 0 };
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

function readTags(p: PackedTrace, pool: StringPool, at: number): [JaegerKeyValue[], number] {
  const { ints, nums } = p;
  const n = ints[at++];
  const out = new Array<JaegerKeyValue>(n);
  for (let k = 0; k < n; k++) {
    const head = ints[at++];
    const v = ints[at++];
    const kind = (head >>> 4) & 0xf;
    const value = kind === KIND_STRING ? pool.get(v) : kind === KIND_BOOL ? v === 1 : nums[v];
    out[k] = { key: pool.get(head >>> 8), type: TYPES[head & 0xf], value };
  }
  return [out, at];
}

function readStrings(p: PackedTrace, pool: StringPool, at: number): [string[] | null, number] {
  const n = p.ints[at++];
  if (n === NONE) return [null, at];
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(pool.get(p.ints[at++]));
  return [out, at];
}

function spanIdAt(p: PackedTrace, pool: StringPool, at: number): string {
  const { ints } = p;
  return ints[at] & BIT_HEX_ID ? hex8(ints[at + 2]) + hex8(ints[at + 3]) : pool.get(ints[at + 2]);
}

/** The trace as it was packed: fresh objects, keys in their original order. */
export function unpackTrace(p: PackedTrace, pool: StringPool): JaegerTrace {
  const { ints, nums } = p;
  const spanCount = ints[0];
  const procCount = ints[1];
  const procBase = 3;
  const spanBase = procBase + procCount * 3;
  const procIds: string[] = [];
  const processes: Record<string, JaegerProcess> = {};
  for (let i = 0; i < procCount; i++) {
    const id = pool.get(ints[procBase + i * 3]);
    procIds.push(id);
    processes[id] = { serviceName: pool.get(ints[procBase + i * 3 + 1]), tags: readTags(p, pool, ints[procBase + i * 3 + 2])[0] };
  }
  const spans = new Array<JaegerSpan>(spanCount);
  for (let i = 0; i < spanCount; i++) {
    const at = spanBase + i * SPAN_WORDS;
    let v = ints[at + 6];
    const refCount = ints[v++];
    const references: JaegerReference[] = [];
    for (let k = 0; k < refCount; k++, v += 4) {
      const code = ints[v];
      const spanID = code & REF_HEX ? hex8(ints[v + 2]) + hex8(ints[v + 3]) : pool.get(ints[v + 2]);
      references.push({ refType: REF_TYPES[code & 0xff], traceID: code & REF_OTHER_TRACE ? pool.get(ints[v + 1]) : p.traceID, spanID });
    }
    let tags: JaegerKeyValue[];
    [tags, v] = readTags(p, pool, v);
    const logCount = ints[v++];
    const logs: JaegerLog[] = [];
    for (let k = 0; k < logCount; k++) {
      const timestamp = nums[ints[v++]];
      let fields: JaegerKeyValue[];
      [fields, v] = readTags(p, pool, v);
      logs.push({ timestamp, fields });
    }
    const [warnings] = readStrings(p, pool, v);
    const base = { traceID: p.traceID, spanID: spanIdAt(p, pool, at) };
    const rest = {
      operationName: pool.get(ints[at + 4]),
      references,
      startTime: nums[2 * i],
      duration: nums[2 * i + 1],
      tags,
      logs,
      processID: procIds[ints[at + 5]],
      warnings,
    };
    spans[i] = ints[at] & BIT_FLAGS ? { ...base, flags: ints[at + 1], ...rest } : { ...base, ...rest };
  }
  const warnings = ints[2] === NONE ? null : readStrings(p, pool, ints[2])[0];
  return { traceID: p.traceID, spans, processes, warnings };
}

/** Gives back every pool string the packed trace uses (it is being dropped). */
export function releaseTrace(p: PackedTrace, pool: StringPool): void {
  const { ints } = p;
  const spanCount = ints[0];
  const procCount = ints[1];
  const spanBase = 3 + procCount * 3;
  const tags = (at: number): number => {
    const n = ints[at++];
    for (let k = 0; k < n; k++, at += 2) {
      pool.release(ints[at] >>> 8);
      if (((ints[at] >>> 4) & 0xf) === KIND_STRING) pool.release(ints[at + 1]);
    }
    return at;
  };
  const strings = (at: number): number => {
    const n = ints[at++];
    if (n === NONE) return at;
    for (let k = 0; k < n; k++) pool.release(ints[at++]);
    return at;
  };
  for (let i = 0; i < procCount; i++) {
    pool.release(ints[3 + i * 3]);
    pool.release(ints[3 + i * 3 + 1]);
    tags(ints[3 + i * 3 + 2]);
  }
  for (let i = 0; i < spanCount; i++) {
    const at = spanBase + i * SPAN_WORDS;
    if (!(ints[at] & BIT_HEX_ID)) pool.release(ints[at + 2]);
    pool.release(ints[at + 4]);
    let v = ints[at + 6];
    const refCount = ints[v++];
    for (let k = 0; k < refCount; k++, v += 4) {
      if (ints[v] & REF_OTHER_TRACE) pool.release(ints[v + 1]);
      if (!(ints[v] & REF_HEX)) pool.release(ints[v + 2]);
    }
    v = tags(v);
    const logCount = ints[v++];
    for (let k = 0; k < logCount; k++) {
      v++;
      v = tags(v);
    }
    strings(v);
  }
  if (ints[2] !== NONE) strings(ints[2]);
}

/** What a search asks of one span, with its strings already looked up in the pool. */
export interface PackedQuery {
  service: number;
  /** undefined: any operation. */
  operation?: number;
  minDuration?: number;
  maxDuration?: number;
  start?: number;
  end?: number;
  /** Wanted tags: key id and the value as a string. */
  tags: Array<[number, string]>;
}

/** Pool ids of the services the trace's processes report (with repeats). */
export function packedServices(p: PackedTrace): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.ints[1]; i++) out.push(p.ints[3 + i * 3 + 1]);
  return out;
}

/** A tag value the way Jaeger's KeyValue.AsString renders it, from its packed words. */
function tagString(p: PackedTrace, pool: StringPool, head: number, v: number): string {
  const kind = (head >>> 4) & 0xf;
  if (kind === KIND_STRING) return pool.get(v);
  if (kind === KIND_BOOL) return v === 1 ? 'true' : 'false';
  return String(p.nums[v]);
}

function tagsHave(p: PackedTrace, pool: StringPool, at: number, key: number, value: string): boolean {
  const { ints } = p;
  const n = ints[at++];
  for (let k = 0; k < n; k++, at += 2) {
    if (ints[at] >>> 8 === key && tagString(p, pool, ints[at], ints[at + 1]) === value) return true;
  }
  return false;
}

function skipTags(p: PackedTrace, at: number): number {
  return at + 1 + 2 * p.ints[at];
}

/**
 * Whether ONE span satisfies every condition of the query (Jaeger's memory
 * store semantics; tags match the span's tags, its process's, or its logs').
 */
export function packedTraceMatches(p: PackedTrace, pool: StringPool, q: PackedQuery): boolean {
  const { ints, nums } = p;
  const spanCount = ints[0];
  const procCount = ints[1];
  const spanBase = 3 + procCount * 3;
  for (let i = 0; i < spanCount; i++) {
    const at = spanBase + i * SPAN_WORDS;
    const proc = ints[at + 5];
    if (ints[3 + proc * 3 + 1] !== q.service) continue;
    if (q.operation !== undefined && ints[at + 4] !== q.operation) continue;
    const start = nums[2 * i];
    const duration = nums[2 * i + 1];
    if (q.minDuration && duration < q.minDuration) continue;
    if (q.maxDuration && duration > q.maxDuration) continue;
    if (q.start !== undefined && start < q.start) continue;
    if (q.end !== undefined && start > q.end) continue;
    if (q.tags.length === 0) return true;
    let v = ints[at + 6];
    v += 1 + 4 * ints[v]; // references
    const spanTags = v;
    v = skipTags(p, v);
    const logs: number[] = [];
    const logCount = ints[v++];
    for (let k = 0; k < logCount; k++) {
      v++;
      logs.push(v);
      v = skipTags(p, v);
    }
    const procTags = ints[3 + proc * 3 + 2];
    const all = q.tags.every(([key, value]) => tagsHave(p, pool, spanTags, key, value) || tagsHave(p, pool, procTags, key, value) || logs.some((l) => tagsHave(p, pool, l, key, value)));
    if (all) return true;
  }
  return false;
}
