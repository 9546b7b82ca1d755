import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildProductpageTrace,
  seededRng,
  type JaegerSpan,
  type JaegerTrace,
} from '../../src/sandbox/workloads/index.js';
import {
  buildTraceModel,
  formatDuration,
  hiddenErrorCount,
  isErrorTags,
  searchSpans,
  summarizeTrace,
  visibleRows,
} from '../../src/traces/trace-model.js';
import { parseJaegerFile } from '../../src/traces/jaeger-client.js';
import { generateTrace } from '../../src/traces/generate.js';
import type { TraceModel } from '../../src/traces/model-types.js';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../fixtures/jaeger/${name}`, import.meta.url)), 'utf8');

const NOW = 1_700_000_000_000_000;

function productpage(era: '1.0' | '1.1' | 'modern', extra: Partial<Parameters<typeof buildProductpageTrace>[0]> = {}): JaegerTrace {
  return buildProductpageTrace({ era, reviewsVersion: 'v2', nowMicros: NOW, rng: seededRng(3), ...extra });
}

const node = (m: TraceModel, id: string) => {
  const n = m.spans.get(id);
  if (!n) throw new Error(`no span ${id}`);
  return n;
};
const byOp = (m: TraceModel, service: string, kind: string, opIncludes: string) =>
  [...m.spans.values()].find((s) => s.service === service && s.kind === kind && s.operation.includes(opIncludes))!;

/** A hand-made span: `ref` is the CHILD_OF parent. */
function span(id: string, start: number, duration: number, ref?: string, more: Partial<JaegerSpan> = {}): JaegerSpan {
  return {
    traceID: 't1',
    spanID: id,
    operationName: `op-${id}`,
    references: ref ? [{ refType: 'CHILD_OF', traceID: 't1', spanID: ref }] : [],
    startTime: start,
    duration,
    tags: [],
    logs: [],
    processID: 'p1',
    warnings: null,
    ...more,
  };
}
const traceOf = (spans: JaegerSpan[]): JaegerTrace => ({
  traceID: 't1',
  spans,
  processes: { p1: { serviceName: 'svc-a', tags: [] }, p2: { serviceName: 'svc-b', tags: [] } },
  warnings: null,
});

/** The critical path sections, in time order, must tile [from, to] without gaps or overlaps. */
function expectSectionsTile(m: TraceModel, from: number, to: number): void {
  const sections = [...(m.criticalSections ?? [])].sort((a, b) => a.start - b.start);
  expect(sections.length).toBeGreaterThan(0);
  expect(sections[0].start).toBe(from);
  expect(sections[sections.length - 1].end).toBe(to);
  for (let i = 1; i < sections.length; i++) expect(sections[i].start).toBe(sections[i - 1].end);
}

describe('Jaeger fixtures', () => {
  it('ui_01 (Jaeger v1.9.0): tree from references, duplicate ids, cross-trace refs, logs, warnings', () => {
    const [trace] = parseJaegerFile(fixture('ui_01.v1.9.0.json'));
    const m = buildTraceModel(trace);
    // Two different spans share id "2": the second is kept as "2~2".
    expect(m.spans.size).toBe(5);
    expect(m.roots).toEqual(['2', '2~2']);
    expect(m.order).toEqual(['2', '3', '4', '5', '2~2']);
    expect(node(m, '2').children).toEqual(['3', '4']);
    // Span 4: its first CHILD_OF points into trace "ff" and is ignored; the second one counts.
    expect(node(m, '4').parentID).toBe('2');
    expect(node(m, '4').orphan).toBe(false);
    expect(node(m, '5').parentID).toBe('4');
    expect(node(m, '5').depth).toBe(2);
    expect(node(m, '2').service).toBe('service-x');
    expect(node(m, '3').service).toBe('service-y');
    expect(node(m, '2').logs).toHaveLength(2);
    expect(node(m, '2~2').error).toBe(true); // error=true (bool)
    expect(node(m, '2~2').tags.find((t) => t.key === 'peer.ipv4')).toEqual({ key: 'peer.ipv4', type: 'int64', value: 23456 });
    expect(m.errorCount).toBe(1);
    expect(m.services).toEqual([
      { name: 'service-x', spans: 2, errors: 1 },
      { name: 'service-y', spans: 3, errors: 0 },
    ]);
    expect(m.warnings).toContain('some trace warning');
    expect(m.warnings).toContain('1 span shares an id with another span (shown with a ~N suffix)');
    expect(node(m, '4').warnings).toEqual(['some span warning']);
    expect(node(m, '2~2').warnings?.[0]).toMatch(/span id 2 is used by more than one span/);
    expect(m.duration).toBe(5);
    // Every span starts at once; the child that ends last (3, first in input) carries the path.
    expect(m.criticalPath).toEqual(['3']);
    expect(node(m, '3').critical).toBe(true);
    expect(m.pairs).toEqual([]);
  });

  it('anonymizer trace_success: spans with an inline process, an orphan root, span.kind, error as a string', () => {
    const traces = parseJaegerFile(fixture('anonymizer-trace_success.json'));
    expect(traces).toHaveLength(1);
    const m = buildTraceModel(traces[0]);
    expect(m.traceID).toBe('2be38093ead7a083');
    expect(m.roots).toEqual(['7606ddfe69932d34']);
    const root = node(m, '7606ddfe69932d34');
    expect(root.orphan).toBe(true);
    expect(root.missingParentID).toBe('492770a15935810f');
    expect(root.service).toBe('16af988c443cff37');
    expect(root.kind).toBe('server');
    const child = node(m, '7bd66f09ba90ea3d');
    expect(child.parentID).toBe(root.spanID);
    expect(child.service).toBe('3c220036602f839e');
    expect(child.kind).toBe('client');
    expect(child.error).toBe(true); // {"type":"bool","value":"true"}
    expect(child.overrunsParent).toBe(false);
    expect(m.rootService).toBe('16af988c443cff37');
    expect(m.rootOperation).toBe('a071653098f9250d');
    expect(m.warnings).toContain('1 span references a parent missing from the trace');
    expect(m.pairs).toEqual([]); // a server whose child is a client is no pair
    expect(m.criticalPath).toEqual([root.spanID, child.spanID]);
    expectSectionsTile(m, root.start, root.start + root.duration);
    expect(hiddenErrorCount(m, root.spanID)).toBe(1);

    const s = summarizeTrace(traces[0]);
    expect(s).toMatchObject({ rootService: '16af988c443cff37', rootOperation: 'a071653098f9250d', spanCount: 2, errorCount: 1 });
    expect(s.duration).toBe(m.duration);
  });

  it('otlp2jaeger envelope: exact duplicate spans are dropped once', () => {
    const traces = parseJaegerFile(fixture('otlp2jaeger-out.api-envelope.json'));
    expect(traces).toHaveLength(1);
    expect(traces[0].spans).toHaveLength(2);
    const m = buildTraceModel(traces[0]);
    expect(m.spans.size).toBe(1);
    expect(m.order).toEqual(['e127af99e3b3e074']);
    expect(m.warnings).toContain('1 exact duplicate span dropped');
    const s = node(m, 'e127af99e3b3e074');
    expect(s).toMatchObject({ service: 'telemetrygen', kind: 'server', orphan: true, missingParentID: '909541b92cf05311', duration: 123 });
  });
});

describe('Istio traces from the sandbox', () => {
  it('1.0: client/server pairs with their gap, istio-policy Check spans, the critical path', () => {
    const trace = productpage('1.0');
    const m = buildTraceModel(trace);
    expect(m.spans.size).toBe(trace.spans.length);
    expect(m.order).toHaveLength(trace.spans.length);
    expect(m.roots).toHaveLength(1);
    expect(m.rootService).toBe('istio-ingressgateway');
    expect(m.rootOperation).toBe('productpage.default.svc.cluster.local:9080/productpage');
    expect(m.warnings).toEqual([]);

    const client = byOp(m, 'productpage', 'client', 'reviews.default');
    const server = byOp(m, 'reviews', 'server', 'reviews.default');
    expect(server.parentID).toBe(client.spanID);
    expect(client.pairedWith).toBe(server.spanID);
    expect(server.pairedWith).toBe(client.spanID);
    const pair = m.pairs.find((p) => p.clientID === client.spanID)!;
    expect(pair).toEqual({ clientID: client.spanID, serverID: server.spanID, gap: client.duration - server.duration, from: 'productpage', to: 'reviews' });
    expect(pair.gap).toBeGreaterThan(0);
    expect(m.pairs.map((p) => `${p.from}->${p.to}`)).toEqual([
      'istio-ingressgateway->productpage',
      'productpage->details',
      'productpage->reviews',
      'reviews->ratings',
    ]);

    // Mixer Check: a lone server span under each checked server span, never paired.
    const policy = [...m.spans.values()].filter((s) => s.service === 'istio-policy');
    expect(policy.length).toBe(4);
    for (const p of policy) {
      expect(p.operation).toBe('/istio.mixer.v1.Mixer/Check');
      expect(p.pairedWith).toBeUndefined();
      expect(node(m, p.parentID!).kind).toBe('server');
    }
    expect(m.services.find((s) => s.name === 'istio-policy')).toEqual({ name: 'istio-policy', spans: 4, errors: 0 });

    // Children in start order, display order depth-first.
    for (const s of m.spans.values()) {
      const starts = s.children.map((c) => node(m, c).start);
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    }
    expect(m.order[0]).toBe(m.roots[0]);
    expect(node(m, m.order[1]).parentID).toBe(m.roots[0]);

    // Critical path: root first, tiles the whole request; reviews (called last) is on it.
    expect(m.criticalPath[0]).toBe(m.roots[0]);
    expect(m.criticalPath).toContain(client.spanID);
    expect(m.criticalPath).toContain(server.spanID);
    expectSectionsTile(m, m.start, m.start + m.duration);
    expect(node(m, m.roots[0]).critical).toBe(true);
  });

  it('modern: namespaced service names, no istio-policy, the same four pairs', () => {
    const m = buildTraceModel(productpage('modern'));
    expect(m.services.map((s) => s.name)).toEqual([
      'details.default',
      'istio-ingressgateway.istio-system',
      'productpage.default',
      'ratings.default',
      'reviews.default',
    ]);
    const pair = m.pairs.find((p) => p.from === 'productpage.default' && p.to === 'reviews.default')!;
    const c = node(m, pair.clientID);
    const s = node(m, pair.serverID);
    expect(c.kind).toBe('client');
    expect(s.kind).toBe('server');
    expect(pair.gap).toBe(c.duration - s.duration);
    expect(m.pairs).toHaveLength(4);
    expectSectionsTile(m, m.start, m.start + m.duration);
  });

  it('pairs Envoy spans without span.kind tags by "only child, other service, same operation"', () => {
    const trace = productpage('1.0');
    for (const s of trace.spans) s.tags = s.tags.filter((t) => t.key !== 'span.kind');
    const m = buildTraceModel(trace);
    expect([...m.spans.values()].every((s) => s.kind === 'unknown')).toBe(true);
    expect(m.pairs.map((p) => `${p.from}->${p.to}`)).toEqual([
      'istio-ingressgateway->productpage',
      'productpage->details',
      'productpage->reviews',
      'reviews->ratings',
    ]);
  });

  it('errors: a failing service, hidden error counts of collapsed rows', () => {
    const m = buildTraceModel(productpage('1.1', { failing: { service: 'details', status: 503 } }));
    const errors = [...m.spans.values()].filter((s) => s.error);
    expect(errors.map((s) => `${s.service}/${s.kind}`).sort()).toEqual(['details.default/server', 'productpage.default/client']);
    expect(m.errorCount).toBe(2);
    const root = m.roots[0];
    const ppServer = node(m, root).children[0];
    expect(hiddenErrorCount(m, root)).toBe(2);
    expect(hiddenErrorCount(m, ppServer)).toBe(2);
    expect(node(m, root).descendants).toBe(m.spans.size - 1);
    expect(visibleRows(m, new Set([root]))).toEqual([root]);
    expect(visibleRows(m, new Set([ppServer]))).toEqual([root, ppServer]);
    expect(visibleRows(m, new Set())).toEqual(m.order);
    // Collapsing a leaf hides nothing.
    const leaf = m.order[m.order.length - 1];
    expect(visibleRows(m, new Set([leaf]))).toEqual(m.order);
    expect(summarizeTrace(productpage('1.1', { failing: { service: 'details', status: 503 } })).errorCount).toBe(2);
  });

  it('an orphan: the parent span is missing, its children become flagged roots after the real root', () => {
    const trace = productpage('1.0');
    const full = buildTraceModel(trace);
    const reviewsServer = byOp(full, 'reviews', 'server', 'reviews.default');
    const kids = reviewsServer.children;
    expect(kids.length).toBe(2);
    trace.spans = trace.spans.filter((s) => s.spanID !== reviewsServer.spanID);
    const m = buildTraceModel(trace);
    expect(m.roots).toEqual([full.roots[0], ...kids]);
    for (const k of kids) {
      expect(node(m, k)).toMatchObject({ orphan: true, missingParentID: reviewsServer.spanID, depth: 0 });
    }
    expect(m.warnings).toContain('2 spans reference a parent missing from the trace');
    // The orphans' subtrees follow the real tree in display order.
    const mainTree = node(m, m.roots[0]).descendants! + 1;
    expect(m.order.indexOf(kids[0])).toBe(mainTree);
    expect(m.order.indexOf(kids[1])).toBe(mainTree + 1 + node(m, kids[0]).descendants!);
    // The reviews client lost its server half: no pair for it.
    expect(m.pairs.some((p) => p.to === 'reviews')).toBe(false);
    expect(m.order).toHaveLength(trace.spans.length);
  });

  it('summarizeTrace agrees with the model', () => {
    const trace = productpage('modern');
    const m = buildTraceModel(trace);
    const s = summarizeTrace(trace);
    expect(s).toEqual({
      traceID: trace.traceID,
      rootService: m.rootService,
      rootOperation: m.rootOperation,
      start: m.start,
      duration: m.duration,
      spanCount: m.spans.size,
      errorCount: m.errorCount,
      services: m.services.map(({ name, spans }) => ({ name, spans })),
    });
  });
});

describe('tree edge cases', () => {
  it('a child that overruns its parent is flagged, and the critical path stays inside the parent', () => {
    const m = buildTraceModel(
      traceOf([span('r', 0, 100), span('a', 10, 30, 'r'), span('b', 50, 80, 'r'), span('c', 60, 10, 'b')]),
    );
    expect(node(m, 'b').overrunsParent).toBe(true);
    expect(node(m, 'a').overrunsParent).toBe(false);
    expect(m.warnings).toContain('1 span ends after its parent');
    expect(m.duration).toBe(130);
    // b is clamped to [50, 100]: r's own time 0-10 and 40-50, a 10-40, b 50-60 and 70-100, c 60-70.
    const sections = [...m.criticalSections!].sort((x, y) => x.start - y.start);
    expect(sections.map((s) => `${s.spanID}:${s.start}-${s.end}`)).toEqual([
      'r:0-10', 'a:10-40', 'r:40-50', 'b:50-60', 'c:60-70', 'b:70-100',
    ]);
    expect(m.criticalPath).toEqual(['r', 'b', 'c', 'a']);
  });

  it('critical path: walks back to the child that ended before the last one started', () => {
    // r [0,100]: a [5,40], b [20,60] overlaps a, c [65,90]. Last to finish: c; before c started: b (60 < 65);
    // before b started (20): nothing ended, so r's own time until 20 — a is not on the path.
    const m = buildTraceModel(traceOf([span('r', 0, 100), span('a', 5, 35, 'r'), span('b', 20, 40, 'r'), span('c', 65, 25, 'r')]));
    expect(m.criticalPath).toEqual(['r', 'c', 'b']);
    expect(node(m, 'a').critical).toBe(false);
    expectSectionsTile(m, 0, 100);
  });

  it('parents: CHILD_OF before FOLLOWS_FROM, a parentSpanID field, FOLLOWS_FROM alone; self-references ignored', () => {
    const m = buildTraceModel(
      traceOf([
        span('r', 0, 100),
        span('x', 1, 10, undefined, {
          references: [
            { refType: 'FOLLOWS_FROM', traceID: 't1', spanID: 'r' },
            { refType: 'CHILD_OF', traceID: 't1', spanID: 'y' },
          ],
        }),
        span('y', 0, 50, 'r'),
        Object.assign(span('z', 2, 5), { parentSpanID: 'y' }),
        span('f', 60, 90, undefined, { references: [{ refType: 'FOLLOWS_FROM', traceID: 't1', spanID: 'r' }] }),
        span('s', 3, 1, 's'),
      ]),
    );
    expect(node(m, 'x').parentID).toBe('y');
    expect(node(m, 'z').parentID).toBe('y');
    expect(node(m, 'f').parentID).toBe('r');
    expect(node(m, 'f').followsFrom).toBe(true);
    expect(node(m, 's').parentID).toBeUndefined();
    expect(node(m, 's').orphan).toBe(false);
    expect(m.roots).toEqual(['r', 's']);
    // FOLLOWS_FROM children are not on the critical path.
    expect(m.criticalPath).not.toContain('f');
    expect(node(m, 'f').overrunsParent).toBe(true);
  });

  it('a reference cycle is cut instead of looping', () => {
    const m = buildTraceModel(traceOf([span('r', 0, 10), span('a', 5, 50, 'b'), span('b', 7, 20, 'c'), span('c', 6, 30, 'a')]));
    expect(m.order).toHaveLength(4);
    expect(m.roots).toEqual(['r', 'a']);
    expect(node(m, 'a')).toMatchObject({ orphan: true, missingParentID: 'b', depth: 0 });
    expect(node(m, 'c').parentID).toBe('a');
    expect(node(m, 'b').parentID).toBe('c');
    expect(m.order).toEqual(['r', 'a', 'c', 'b']);
    expect(m.warnings).toContain('1 reference cycle cut');
  });

  it('spans without a process, an empty trace', () => {
    const m = buildTraceModel({ traceID: 'e', spans: [span('a', 0, 1, undefined, { processID: 'nope' })], processes: {}, warnings: null });
    expect(node(m, 'a').service).toBe('(unknown service)');
    const empty = buildTraceModel({ traceID: 'e', spans: [], processes: {}, warnings: null });
    expect(empty).toMatchObject({ roots: [], order: [], criticalPath: [], duration: 0, rootService: '' });
    expect(summarizeTrace({ traceID: 'e', spans: [], processes: {}, warnings: null })).toMatchObject({ spanCount: 0, rootService: '' });
  });

  it('error rules', () => {
    expect(isErrorTags([{ key: 'error', value: true }])).toBe(true);
    expect(isErrorTags([{ key: 'error', value: 'true' }])).toBe(true);
    expect(isErrorTags([{ key: 'error', value: false }])).toBe(false);
    expect(isErrorTags([{ key: 'http.status_code', value: 503 }])).toBe(true);
    expect(isErrorTags([{ key: 'http.status_code', value: '502' }])).toBe(true);
    expect(isErrorTags([{ key: 'http.status_code', value: '404' }])).toBe(false);
    expect(isErrorTags([{ key: 'otel.status_code', value: 'ERROR' }])).toBe(true);
    expect(isErrorTags([{ key: 'otel.status_code', value: 'OK' }])).toBe(false);
    expect(isErrorTags([{ key: 'rpc.grpc.status_code', value: 5 }], 'client')).toBe(true);
    expect(isErrorTags([{ key: 'rpc.grpc.status_code', value: 5 }], 'server')).toBe(false);
    expect(isErrorTags([{ key: 'grpc.status_code', value: '14' }], 'server')).toBe(true);
  });
});

describe('search and formatting', () => {
  const m = buildTraceModel(productpage('1.0', { failing: { service: 'ratings', status: 503 } }));

  it('searchSpans matches service, operation, tags and span ids case-insensitively, in display order', () => {
    const reviews = searchSpans(m, 'REVIEWS');
    expect(reviews.length).toBeGreaterThan(0);
    expect(reviews).toEqual(m.order.filter((id) => reviews.includes(id)));
    for (const id of reviews) {
      const s = node(m, id);
      const hay = `${s.service} ${s.operation} ${s.spanID} ${s.tags.map((t) => `${t.key}=${t.value}`).join(' ')}`.toLowerCase();
      expect(hay).toContain('reviews');
    }
    const failed = searchSpans(m, 'http.status_code=503');
    expect(failed.map((id) => node(m, id).service).sort()).toEqual(['ratings', 'reviews']);
    expect(searchSpans(m, 'mixer')).toHaveLength(4);
    const someId = m.order[3];
    expect(searchSpans(m, someId.toUpperCase())).toContain(someId);
    expect(searchSpans(m, '   ')).toEqual([]);
    expect(searchSpans(m, 'no-such-thing')).toEqual([]);
  });

  it('formatDuration', () => {
    expect(formatDuration(24130)).toBe('24.13ms');
    expect(formatDuration(22990)).toBe('22.99ms');
    expect(formatDuration(1_200_000)).toBe('1.2s');
    expect(formatDuration(850)).toBe('850µs');
    expect(formatDuration(0)).toBe('0µs');
    expect(formatDuration(1000)).toBe('1ms');
    expect(formatDuration(999_999)).toBe('1s');
    expect(formatDuration(1_234_567)).toBe('1.23s');
    expect(formatDuration(61_000_000)).toBe('1m 1s');
    expect(formatDuration(3_600_000_000)).toBe('1h');
    expect(formatDuration(-912)).toBe('-912µs');
    expect(formatDuration(12.5)).toBe('12.5µs');
  });
});

describe('big traces', () => {
  for (const n of [10_000, 50_000]) {
    it(`${n.toLocaleString('en')} generated spans build (no quadratic blow-up)`, () => {
      const trace = generateTrace(n, { seed: 42 });
      expect(trace.spans).toHaveLength(n);
      const t0 = performance.now();
      const m = buildTraceModel(trace);
      const ms = performance.now() - t0;
      console.log(`buildTraceModel: ${n} spans in ${ms.toFixed(0)} ms`);
      // The figures come from `npm run bench`; this bound only catches a quadratic blow-up, not a slow machine.
      expect(ms).toBeLessThan(20_000);
      expect(m.order).toHaveLength(n);
      expect(new Set(m.order).size).toBe(n);
      expect(m.spans.size).toBe(n);
      expect(m.pairs.length).toBeGreaterThan(n / 4);
      expect(m.errorCount).toBeGreaterThan(0);
      expect(m.roots.length).toBeGreaterThan(1); // the generator's orphans
      expect(m.roots.slice(1).every((id) => node(m, id).orphan)).toBe(true);
      expect(m.maxDepth).toBeGreaterThan(10);
      expect(m.criticalPath[0]).toBe(m.roots[0]);
      expect(m.services.reduce((a, s) => a + s.spans, 0)).toBe(n);
      const collapsed = new Set(m.roots);
      expect(visibleRows(m, collapsed)).toEqual(m.roots);
      // Every error is a root or hidden under one.
      const perRoot = m.roots.map((id) => hiddenErrorCount(m, id) + (node(m, id).error ? 1 : 0));
      expect(perRoot.reduce((a, b) => a + b, 0)).toBe(m.errorCount);
      const s = summarizeTrace(trace);
      expect(s.spanCount).toBe(n);
      expect(s.errorCount).toBe(m.errorCount);
      expect(s.rootService).toBe(m.rootService);
    });
  }

  it('a 50,000-deep chain: no recursion anywhere', () => {
    const spans: JaegerSpan[] = [];
    for (let i = 0; i < 50_000; i++) spans.push(span(`s${i}`, i, 100_000 - 2 * i, i ? `s${i - 1}` : undefined));
    const m = buildTraceModel(traceOf(spans));
    expect(m.maxDepth).toBe(49_999);
    expect(m.order[49_999]).toBe('s49999');
    expect(m.criticalPath).toHaveLength(50_000);
    expect(visibleRows(m, new Set(['s2']))).toEqual(['s0', 's1', 's2']);
    expect(node(m, 's0').descendants).toBe(49_999);
  });

  it('generateTrace is deterministic for a seed', () => {
    expect(generateTrace(500, { seed: 9 })).toEqual(generateTrace(500, { seed: 9 }));
    expect(generateTrace(500, { seed: 9 }).traceID).not.toBe(generateTrace(500, { seed: 10 }).traceID);
    for (const n of [1, 2, 3, 7]) expect(generateTrace(n, { seed: 1 }).spans).toHaveLength(n);
    const g = buildTraceModel(generateTrace(2000, { seed: 3, services: 5, errorRate: 0 }));
    expect(g.errorCount).toBe(0);
    expect(g.services.length).toBe(6); // the gateway and five services
    expect(g.warnings.filter((w) => w.includes('after their parent'))).toEqual([]);
  });
});
