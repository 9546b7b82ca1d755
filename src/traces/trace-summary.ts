/** A "Find Traces" row for a trace, read straight off its spans (no tree built). Pure. */
import type { JaegerTrace } from './jaeger-model.js';
import type { KeyValue, TraceSummary } from './model-types.js';
import { isErrorTags, isZeroId, normId, serviceOf, spanKindOf, type LooseSpan } from './span-facts.js';

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
