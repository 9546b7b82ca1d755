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
import type { JaegerTrace } from './jaeger-model.js';
import type { CriticalSection, KeyValue, SpanNode, SpanPair, TraceModel } from './model-types.js';
import { unknownService, isErrorTags, isZeroId, normId, sameSpan, serviceOf, spanKindOf, type LooseSpan } from './span-facts.js';
import { t } from '../i18n/index.js';
export { bareService, isErrorTags, spanKindOf } from './span-facts.js';
export { summarizeTrace } from './trace-summary.js';
export { hiddenErrorCount, searchSpans, visibleRows } from './trace-queries.js';
export { formatDuration } from './duration-format.js';

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
  const unknown = unknownService();

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
      (spanWarnings ??= []).push(t('traces.warn.sharedId', { original, id }));
    }
    const proc = serviceOf(trace, raw);
    if (proc.name === unknown) noProcess++;
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
  if (dropped) warnings.push(t('traces.warn.duplicates', { count: dropped }));
  if (renamed) warnings.push(t('traces.warn.renamed', { count: renamed }));
  if (noProcess) warnings.push(t('traces.warn.noProcess', { count: noProcess }));

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
    (cutNode.warnings ??= []).push(t('traces.warn.cycle', { parent: oldParent.node.spanID }));
    cycles++;
    markFrom(cut);
  }
  if (cycles) warnings.push(t('traces.warn.cycles', { count: cycles }));

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
  if (orphans > 0) warnings.push(t('traces.warn.orphans', { count: orphans }));

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
  if (overruns) warnings.push(t('traces.warn.overruns', { count: overruns }));

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
