/**
 * Builds the viewer's trace model (see model-types.ts) from a Jaeger trace.
 * Pure: no I/O, no clocks, no mutation of the input.
 *
 * Everything here is iterative and Map-based so that a 50,000-span trace
 * builds in a fraction of a second and deep traces cannot overflow the stack.
 *
 * Tree rules:
 * - A span's parent is its first CHILD_OF reference to a span present in the
 *   trace; failing that a `parentSpanID` field; failing that a FOLLOWS_FROM
 *   reference. References into another trace are ignored.
 * - A span whose referenced parent is missing becomes an orphan root, listed
 *   after the real roots. A reference cycle is cut at its earliest span, which
 *   then also shows as an orphan root.
 * - Spans with the same id: exact copies are dropped; others are kept under a
 *   suffixed id (`<id>~2`). When the copy is the server half of a client span
 *   (Zipkin's shared span ids) it becomes the client's child, as Jaeger's own
 *   span-id deduper does.
 */
import type { JaegerKeyValue, JaegerSpan, JaegerTrace } from './jaeger-model.js';
import type {
  CriticalSection,
  KeyValue,
  SpanKind,
  SpanNode,
  SpanPair,
  TraceModel,
  TraceSummary,
} from './model-types.js';

/** What a span may carry beyond Jaeger's own JSON (OTel exporters, Zipkin converters). */
type LooseSpan = JaegerSpan & { parentSpanID?: string };

const UNKNOWN_SERVICE = '(unknown service)';

/** gRPC codes that count as a server-side error (OpenTelemetry semantic conventions). */
const GRPC_SERVER_ERRORS = new Set([2, 4, 12, 13, 14, 15]);

// ---------------------------------------------------------------------------
// Span facts

/** The span kind from a `span.kind` tag ('unknown' without one). */
export function spanKindOf(tags: readonly KeyValue[] | undefined): SpanKind {
  if (!tags) return 'unknown';
  for (const t of tags) {
    if (t.key !== 'span.kind') continue;
    const v = String(t.value).toLowerCase();
    if (v === 'client' || v === 'server' || v === 'producer' || v === 'consumer' || v === 'internal') return v;
    return 'unknown';
  }
  return 'unknown';
}

/**
 * Whether tags mark a failed span: `error=true`, an HTTP status >= 500
 * (number or string), `otel.status_code=ERROR`, or a gRPC error status
 * (any non-zero code on a client, the server-fault codes on a server).
 */
export function isErrorTags(tags: readonly KeyValue[] | undefined, kind: SpanKind = 'unknown'): boolean {
  if (!tags) return false;
  for (const t of tags) {
    switch (t.key) {
      case 'error':
        if (t.value === true || String(t.value).toLowerCase() === 'true') return true;
        break;
      case 'http.status_code':
      case 'http.response.status_code': {
        const n = Number(t.value);
        if (Number.isFinite(n) && n >= 500) return true;
        break;
      }
      case 'otel.status_code':
        if (String(t.value).toUpperCase() === 'ERROR') return true;
        break;
      case 'rpc.grpc.status_code':
      case 'grpc.status_code': {
        const n = Number(t.value);
        if (Number.isInteger(n) && n !== 0 && (kind !== 'server' || GRPC_SERVER_ERRORS.has(n))) return true;
        break;
      }
      default:
        break;
    }
  }
  return false;
}

/**
 * A service name without its namespace: Istio 1.1+ reports `productpage.default`
 * where 1.0 reports `productpage` (and modern gateways `istio-ingressgateway.istio-system`).
 * Names with more dots, or none, are kept as they are.
 */
export function bareService(name: string): string {
  const m = /^([^.]+)\.[^.]+$/.exec(name);
  return m ? m[1] : name;
}

/** Trace/span ids compare case-insensitively and without leading zeros (Jaeger prints 64-bit ids short). */
function normId(id: string | undefined): string {
  if (!id) return '';
  const s = id.toLowerCase().replace(/^0+/, '');
  return s === '' ? '0' : s;
}

function isZeroId(id: string | undefined): boolean {
  return !id || /^0+$/.test(id);
}

function serviceOf(trace: JaegerTrace, span: JaegerSpan): { name: string; tags: KeyValue[] } {
  const proc = span.process ?? (span.processID !== undefined ? trace.processes?.[span.processID] : undefined);
  return { name: proc?.serviceName || UNKNOWN_SERVICE, tags: (proc?.tags ?? []) as KeyValue[] };
}

function sameSpan(a: JaegerSpan, b: JaegerSpan): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// The model

interface Rec {
  node: SpanNode;
  /** Input order, for stable tie-breaks. */
  seq: number;
  raw: LooseSpan;
  parent?: Rec;
  kids: Rec[];
  /** Forced parent id (a Zipkin shared-id server half), decided at intake. */
  forcedParent?: string;
  /** Span bounds clamped into the parent's (critical path only). */
  cs: number;
  ce: number;
  /** Left out of the critical path (FOLLOWS_FROM, or wholly outside its parent). */
  excluded: boolean;
  /** Critical path: children by clamped end, latest first, and how far the walk got in them. */
  byEnd?: Rec[];
  cursor: number;
}

const byStartRec = (a: Rec, b: Rec): number => a.node.start - b.node.start || a.seq - b.seq;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Build the tree model the viewer draws. */
export function buildTraceModel(trace: JaegerTrace): TraceModel {
  const rawSpans: LooseSpan[] = (trace.spans ?? []) as LooseSpan[];
  const warnings: string[] = [...(trace.warnings ?? [])];
  const traceID = trace.traceID || rawSpans[0]?.traceID || '';
  const spans = new Map<string, SpanNode>();
  const recs = new Map<string, Rec>();
  const list: Rec[] = [];
  let dropped = 0;
  let renamed = 0;
  let noProcess = 0;

  // 1. Intake: one node per span.
  for (let i = 0; i < rawSpans.length; i++) {
    const raw = rawSpans[i];
    if (!raw || typeof raw !== 'object') continue;
    let id = raw.spanID ? String(raw.spanID) : `#${i}`;
    const tags = (raw.tags ?? []) as KeyValue[];
    const kind = spanKindOf(tags);
    let forcedParent: string | undefined;
    let spanWarnings: string[] | undefined = raw.warnings && raw.warnings.length ? [...raw.warnings] : undefined;
    const existing = recs.get(id);
    if (existing) {
      if (sameSpan(existing.raw, raw)) {
        dropped++;
        continue;
      }
      const original = id;
      let k = 2;
      while (recs.has(`${original}~${k}`)) k++;
      id = `${original}~${k}`;
      renamed++;
      if (kind === 'server' && existing.node.kind === 'client') forcedParent = original;
      (spanWarnings ??= []).push(`span id ${original} is used by more than one span; this one shown as ${id}`);
    }
    const proc = serviceOf(trace, raw);
    if (proc.name === UNKNOWN_SERVICE) noProcess++;
    let refs = (raw.references ?? []) as SpanNode['references'];
    for (const r of refs) {
      if (!r || (r.refType !== 'CHILD_OF' && r.refType !== 'FOLLOWS_FROM')) {
        refs = refs.filter((x) => !!x && (x.refType === 'CHILD_OF' || x.refType === 'FOLLOWS_FROM'));
        break;
      }
    }
    const node: SpanNode = {
      spanID: id,
      traceID: raw.traceID || traceID,
      operation: raw.operationName ?? '',
      service: proc.name,
      kind,
      start: Number(raw.startTime) || 0,
      duration: Math.max(0, Number(raw.duration) || 0),
      offset: 0,
      tags,
      processTags: proc.tags,
      logs: (raw.logs ?? []) as SpanNode['logs'],
      references: refs,
      children: [],
      depth: 0,
      orphan: false,
      overrunsParent: false,
      error: isErrorTags(tags, kind),
      critical: false,
      descendants: 0,
      descendantErrors: 0,
    };
    if (spanWarnings) node.warnings = spanWarnings;
    const rec: Rec = { node, seq: list.length, raw, kids: [], cs: 0, ce: 0, excluded: false, cursor: 0 };
    if (forcedParent !== undefined) rec.forcedParent = forcedParent;
    spans.set(id, node);
    recs.set(id, rec);
    list.push(rec);
  }
  if (dropped) warnings.push(`${plural(dropped, 'exact duplicate span', 'exact duplicate spans')} dropped`);
  if (renamed) warnings.push(`${plural(renamed, 'span shares', 'spans share')} an id with another span (shown with a ~N suffix)`);
  if (noProcess) warnings.push(`${plural(noProcess, 'span has', 'spans have')} no process (service unknown)`);

  // 2. Parents: CHILD_OF in this trace, else parentSpanID, else FOLLOWS_FROM.
  let lastTid: string | undefined;
  let lastNorm = '';
  for (const rec of list) {
    const node = rec.node;
    if (node.traceID !== lastTid) {
      lastTid = node.traceID;
      lastNorm = normId(lastTid);
    }
    const own = lastNorm;
    let parent: Rec | undefined = rec.forcedParent !== undefined ? recs.get(rec.forcedParent) : undefined;
    let missing: string | undefined;
    let follows = false;
    const refs = node.references;
    if (!parent) {
      for (let k = 0; k < refs.length; k++) {
        const r = refs[k];
        if (r.refType !== 'CHILD_OF' || r.spanID === node.spanID || isZeroId(r.spanID)) continue;
        if (r.traceID && r.traceID !== lastTid && own !== '' && normId(r.traceID) !== own) continue;
        parent = recs.get(r.spanID);
        if (parent) break;
        missing ??= r.spanID;
      }
    }
    if (!parent) {
      const p = rec.raw.parentSpanID;
      if (typeof p === 'string' && p !== node.spanID && !isZeroId(p)) {
        parent = recs.get(p);
        if (!parent) missing ??= p;
      }
    }
    if (!parent) {
      for (let k = 0; k < refs.length; k++) {
        const r = refs[k];
        if (r.refType !== 'FOLLOWS_FROM' || r.spanID === node.spanID || isZeroId(r.spanID)) continue;
        if (r.traceID && r.traceID !== lastTid && own !== '' && normId(r.traceID) !== own) continue;
        parent = recs.get(r.spanID);
        if (parent) {
          follows = true;
          break;
        }
        missing ??= r.spanID;
      }
    }
    if (parent) {
      rec.parent = parent;
      parent.kids.push(rec);
      node.parentID = parent.node.spanID;
      if (follows) node.followsFrom = true;
    } else if (missing !== undefined) {
      node.orphan = true;
      node.missingParentID = missing;
    }
  }

  // 3. Reachability from the roots; whatever is unreachable hangs off a cycle.
  const seen = new Uint8Array(list.length);
  const stack: Rec[] = [];
  const markFrom = (from: Rec): void => {
    stack.push(from);
    while (stack.length) {
      const cur = stack.pop()!;
      if (seen[cur.seq]) continue;
      seen[cur.seq] = 1;
      for (const c of cur.kids) stack.push(c);
    }
  };
  for (const rec of list) if (!rec.parent) markFrom(rec);
  let cycles = 0;
  for (const rec of list) {
    if (seen[rec.seq]) continue;
    // Walk up until a span repeats: that span is on the cycle.
    const onPath = new Set<Rec>();
    let x = rec;
    while (!onPath.has(x)) {
      onPath.add(x);
      x = x.parent!;
    }
    // Cut the cycle at its earliest span.
    let cut = x;
    for (let y = x.parent!; y !== x; y = y.parent!) if (byStartRec(y, cut) < 0) cut = y;
    const oldParent = cut.parent!;
    oldParent.kids = oldParent.kids.filter((c) => c !== cut);
    delete cut.parent;
    const cutNode = cut.node;
    cutNode.missingParentID = cutNode.parentID;
    delete cutNode.parentID;
    delete cutNode.followsFrom;
    cutNode.orphan = true;
    (cutNode.warnings ??= []).push(`reference cycle: its parent ${oldParent.node.spanID} descends from it; shown as a root`);
    cycles++;
    markFrom(cut);
  }
  if (cycles) warnings.push(`${plural(cycles, 'reference cycle', 'reference cycles')} cut`);

  // 4. Sort children and roots by start time (input order breaks ties).
  const realRoots: Rec[] = [];
  const orphanRoots: Rec[] = [];
  for (const rec of list) {
    if (rec.kids.length > 1) rec.kids.sort(byStartRec);
    if (!rec.parent) (rec.node.orphan ? orphanRoots : realRoots).push(rec);
  }
  realRoots.sort(byStartRec);
  orphanRoots.sort(byStartRec);
  const rootRecs = realRoots.concat(orphanRoots);
  const orphans = orphanRoots.length - cycles;
  if (orphans > 0) warnings.push(`${plural(orphans, 'span references', 'spans reference')} a parent missing from the trace`);

  // 5. Display order (depth-first), depth, offsets, clamped bounds, children ids.
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const rec of list) {
    if (rec.node.start < start) start = rec.node.start;
    const e = rec.node.start + rec.node.duration;
    if (e > end) end = e;
  }
  if (!Number.isFinite(start)) {
    start = 0;
    end = 0;
  }
  const orderRecs: Rec[] = [];
  let maxDepth = 0;
  let overruns = 0;
  for (let r = rootRecs.length - 1; r >= 0; r--) stack.push(rootRecs[r]);
  while (stack.length) {
    const rec = stack.pop()!;
    const node = rec.node;
    node.offset = node.start - start;
    const nodeEnd = node.start + node.duration;
    const parent = rec.parent;
    if (parent) {
      const pn = parent.node;
      node.depth = pn.depth + 1;
      if (node.depth > maxDepth) maxDepth = node.depth;
      if (nodeEnd > pn.start + pn.duration) {
        node.overrunsParent = true;
        overruns++;
      }
      rec.cs = node.start > parent.cs ? node.start : parent.cs;
      rec.ce = nodeEnd < parent.ce ? nodeEnd : parent.ce;
      rec.excluded = parent.excluded || !!node.followsFrom || node.start > parent.ce || nodeEnd < parent.cs;
    } else {
      node.depth = 0;
      rec.cs = node.start;
      rec.ce = nodeEnd;
    }
    orderRecs.push(rec);
    const kids = rec.kids;
    if (kids.length) {
      const ids = new Array<string>(kids.length);
      for (let k = 0; k < kids.length; k++) ids[k] = kids[k].node.spanID;
      node.children = ids;
      for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]);
    }
  }
  if (overruns) warnings.push(`${plural(overruns, 'span ends after its parent', 'spans end after their parents')}`);

  // 6. Errors, services, pairs (in display order).
  const services = new Map<string, { name: string; spans: number; errors: number }>();
  const pairs: SpanPair[] = [];
  const order = new Array<string>(orderRecs.length);
  let errorCount = 0;
  for (let i = 0; i < orderRecs.length; i++) {
    const rec = orderRecs[i];
    const node = rec.node;
    order[i] = node.spanID;
    let svc = services.get(node.service);
    if (!svc) services.set(node.service, (svc = { name: node.service, spans: 0, errors: 0 }));
    svc.spans++;
    if (node.error) {
      svc.errors++;
      errorCount++;
    }
    if (node.pairedWith !== undefined || rec.kids.length === 0) continue;
    let server: SpanNode | undefined;
    if (node.kind === 'client') {
      for (const c of rec.kids) {
        if (c.node.kind === 'server' && c.node.pairedWith === undefined) {
          server = c.node;
          break;
        }
      }
    }
    if (!server && (node.kind === 'unknown' || node.kind === 'client') && rec.kids.length === 1) {
      // Envoy style without kind tags: the callee reports the caller's operation name.
      const child = rec.kids[0].node;
      if (
        (child.kind === 'unknown' || child.kind === 'server') &&
        child.pairedWith === undefined &&
        child.service !== node.service &&
        child.operation === node.operation
      ) {
        server = child;
      }
    }
    if (server) {
      node.pairedWith = server.spanID;
      server.pairedWith = node.spanID;
      pairs.push({ clientID: node.spanID, serverID: server.spanID, gap: node.duration - server.duration, from: node.service, to: server.service });
    }
  }

  // 7. Subtree sizes and hidden errors (children come after parents in the order).
  for (let i = orderRecs.length - 1; i >= 0; i--) {
    const rec = orderRecs[i];
    if (!rec.parent) continue;
    const node = rec.node;
    const pn = rec.parent.node;
    pn.descendants! += 1 + node.descendants!;
    pn.descendantErrors! += node.descendantErrors! + (node.error ? 1 : 0);
  }

  // 8. Critical path, from the first root.
  const { path: criticalPath, sections: criticalSections } = rootRecs.length
    ? criticalPathOf(rootRecs[0])
    : { path: [], sections: [] };
  for (const id of criticalPath) spans.get(id)!.critical = true;

  const rootNode = rootRecs[0]?.node;
  return {
    traceID,
    start,
    duration: end - start,
    spans,
    roots: rootRecs.map((r) => r.node.spanID),
    order,
    pairs,
    criticalPath,
    criticalSections,
    maxDepth,
    services: [...services.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    errorCount,
    rootService: rootNode?.service ?? '',
    rootOperation: rootNode?.operation ?? '',
    warnings,
  };
}

/**
 * Jaeger UI's critical path, iteratively: at a span, descend into the child
 * that finished last (before the moment we came back from, if any); with no
 * such child the span itself was busy from its start, so go back up to the
 * parent, remembering this span's start. Children are clamped into their
 * parent; FOLLOWS_FROM children and children wholly outside it are ignored.
 * Each step either descends (a child is taken at most once: the moments we
 * return at strictly decrease) or climbs, so the walk is linear.
 */
function criticalPathOf(root: Rec): { path: string[]; sections: CriticalSection[] } {
  const sections: CriticalSection[] = [];
  const path: string[] = [];
  const onPath = new Set<Rec>();
  const entered: Rec[] = [root];
  const add = (rec: Rec, s: number, e: number): void => {
    if (e <= s) return;
    sections.push({ spanID: rec.node.spanID, start: s, end: e });
    onPath.add(rec);
  };
  const up: Rec[] = [];
  let cur = root;
  let returning: number | undefined;
  for (;;) {
    let kids = cur.byEnd;
    if (!kids) {
      kids = cur.kids.filter((k) => !k.excluded).sort((a, b) => b.ce - a.ce || a.seq - b.seq);
      cur.byEnd = kids;
    }
    let i = cur.cursor;
    if (returning !== undefined) while (i < kids.length && kids[i].ce >= returning) i++;
    const next = i < kids.length ? kids[i] : undefined;
    cur.cursor = i + 1;
    const sectionEnd = returning ?? cur.ce;
    if (next) {
      add(cur, next.ce, sectionEnd);
      up.push(cur);
      cur = next;
      entered.push(cur);
      returning = undefined;
    } else {
      add(cur, cur.cs, sectionEnd);
      const parent = up.pop();
      if (!parent) break;
      returning = cur.cs;
      cur = parent;
    }
  }
  // Spans that were the bottleneck at some moment, in the order the walk reached them: root first, then downwards.
  for (const rec of entered) if (onPath.has(rec)) path.push(rec.node.spanID);
  return { path, sections };
}

// ---------------------------------------------------------------------------
// Cheap summary for trace lists

/** A "Find Traces" row without building the tree. */
export function summarizeTrace(trace: JaegerTrace): TraceSummary {
  const spans = (trace.spans ?? []) as LooseSpan[];
  const ids = new Set<string>();
  for (const s of spans) if (s?.spanID) ids.add(s.spanID);
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let errorCount = 0;
  const services = new Map<string, number>();
  let root: LooseSpan | undefined;
  let rootIsReal = false;
  for (const s of spans) {
    if (!s) continue;
    const st = Number(s.startTime) || 0;
    const e = st + (Number(s.duration) || 0);
    if (st < start) start = st;
    if (e > end) end = e;
    const tags = s.tags as KeyValue[] | undefined;
    if (isErrorTags(tags, spanKindOf(tags))) errorCount++;
    const name = serviceOf(trace, s).name;
    services.set(name, (services.get(name) ?? 0) + 1);
    // Root: the earliest span without a parent in the trace; a real root (no parent reference) beats an orphan.
    let hasRef = false;
    let inTrace = false;
    for (const r of s.references ?? []) {
      if (!r || isZeroId(r.spanID) || r.spanID === s.spanID) continue;
      if (r.traceID && s.traceID && normId(r.traceID) !== normId(s.traceID)) continue;
      hasRef = true;
      if (ids.has(r.spanID)) inTrace = true;
    }
    if (typeof s.parentSpanID === 'string' && !isZeroId(s.parentSpanID) && s.parentSpanID !== s.spanID) {
      hasRef = true;
      if (ids.has(s.parentSpanID)) inTrace = true;
    }
    if (inTrace) continue;
    const real = !hasRef;
    if (!root || (real && !rootIsReal) || (real === rootIsReal && st < (Number(root.startTime) || 0))) {
      root = s;
      rootIsReal = real;
    }
  }
  if (!Number.isFinite(start)) {
    start = 0;
    end = 0;
  }
  return {
    traceID: trace.traceID || spans[0]?.traceID || '',
    rootService: root ? serviceOf(trace, root).name : '',
    rootOperation: root?.operationName ?? '',
    start,
    duration: end - start,
    spanCount: spans.length,
    errorCount,
    services: [...services].map(([name, n]) => ({ name, spans: n })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

// ---------------------------------------------------------------------------
// Queries the viewer runs on a model

/** The display order with the subtrees of collapsed spans hidden (the collapsed span itself stays). */
export function visibleRows(model: TraceModel, collapsed: ReadonlySet<string>): string[] {
  if (collapsed.size === 0) return model.order.slice();
  const out: string[] = [];
  let hideBelow = -1;
  for (const id of model.order) {
    const node = model.spans.get(id)!;
    if (hideBelow >= 0 && node.depth > hideBelow) continue;
    hideBelow = -1;
    out.push(id);
    if (node.children.length > 0 && collapsed.has(id)) hideBelow = node.depth;
  }
  return out;
}

/** Error spans beneath `id` (what collapsing it hides); 0 for an unknown id. */
export function hiddenErrorCount(model: TraceModel, id: string): number {
  const node = model.spans.get(id);
  if (!node) return 0;
  if (node.descendantErrors !== undefined) return node.descendantErrors;
  let n = 0;
  const stack = [...node.children];
  while (stack.length) {
    const c = model.spans.get(stack.pop()!)!;
    if (c.error) n++;
    for (const k of c.children) stack.push(k);
  }
  return n;
}

/**
 * Spans matching `query` (case-insensitive substring) in service, operation,
 * span id, or a tag's key, value or `key=value`; ids in display order.
 */
export function searchSpans(model: TraceModel, query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const out: string[] = [];
  for (const id of model.order) {
    const node = model.spans.get(id)!;
    if (
      node.service.toLowerCase().includes(q) ||
      node.operation.toLowerCase().includes(q) ||
      node.spanID.toLowerCase().includes(q) ||
      tagsMatch(node.tags, q)
    ) {
      out.push(id);
    }
  }
  return out;
}

function tagsMatch(tags: readonly KeyValue[] | readonly JaegerKeyValue[], q: string): boolean {
  for (const t of tags) {
    if (`${t.key}=${String(t.value)}`.toLowerCase().includes(q)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Formatting

function trimNumber(n: number, decimals: number): string {
  return n.toFixed(decimals).replace(/\.?0+$/, '');
}

/**
 * A duration in microseconds the way Jaeger shows it: `850µs`, `24.13ms`,
 * `1.2s`, then `2m 5s` and `1h 3m` for long ones. Negative values keep their sign.
 */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '?';
  if (us < 0) return `-${formatDuration(-us)}`;
  const round2 = (v: number) => Math.round(v * 100) / 100;
  if (round2(us) < 1000) return `${trimNumber(round2(us), 2)}µs`;
  const ms = round2(us / 1000);
  if (ms < 1000) return `${trimNumber(ms, 2)}ms`;
  const s = round2(us / 1_000_000);
  if (s < 60) return `${trimNumber(s, 2)}s`;
  const totalSeconds = Math.round(us / 1_000_000);
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    const sec = totalSeconds % 60;
    return sec ? `${m}m ${sec}s` : `${m}m`;
  }
  const totalMinutes = Math.round(totalSeconds / 60);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  return m ? `${h}h ${m}m` : `${h}h`;
}
