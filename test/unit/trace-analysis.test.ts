/**
 * Trace compare, statistics and OTLP export (issue 17), on the real Jaeger
 * fixtures, edited copies of them, and the sandbox's Istio-shaped traces.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildProductpageTrace, seededRng, type JaegerSpan, type JaegerTrace } from '../../src/sandbox/workloads/index.js';
import { buildTraceModel } from '../../src/traces/trace-model.js';
import { parseJaegerFile } from '../../src/traces/jaeger-client.js';
import { compareTraces, comparisonToJson, comparisonToText, type TraceComparison } from '../../src/traces/trace-compare.js';
import { parseGrouping, selfTimes, sortStatsRows, traceStats, statsToText } from '../../src/traces/trace-stats.js';
import { jaegerToOtlp, otlpToJaeger } from '../../src/traces/otlp.js';
import type { TraceModel } from '../../src/traces/model-types.js';

const fixture = (name: string): JaegerTrace[] => parseJaegerFile(readFileSync(fileURLToPath(new URL(`../fixtures/jaeger/${name}`, import.meta.url)), 'utf8'));
const copy = <T>(x: T): T => structuredClone(x);

/** Each row as `mark service: operation`, indented by depth: the whole comparison at a glance. */
const marks = (c: TraceComparison): string[] => c.rows.map((n) => `${'  '.repeat(n.depth)}${n.mark} ${n.service}: ${n.operation}`);

describe('compare: the Jaeger fixtures against edited copies', () => {
  const [ui01] = fixture('ui_01.v1.9.0.json');
  const [anon] = fixture('anonymizer-trace_success.json');

  it('a trace against itself: every node alike', () => {
    const m = buildTraceModel(ui01);
    const c = compareTraces(m, buildTraceModel(copy(ui01)));
    expect(marks(c)).toEqual([
      '= service-x: test-general-conversion',
      '  = service-y: some-operation',
      '  = service-y: reference-test',
      '    = service-y: preserveParentID-test',
      '= service-x: some-operation',
    ]);
    expect(c.counts).toEqual({ same: 5, changed: 0, onlyA: 0, onlyB: 0 });
    expect(c.delta).toBe(0);
  });

  it('a span removed in B: `-` on it, `~` on its ancestors, with span counts', () => {
    const b = copy(ui01);
    b.spans = b.spans.filter((s) => s.operationName !== 'preserveParentID-test');
    const c = compareTraces(buildTraceModel(ui01), buildTraceModel(b));
    expect(marks(c)).toEqual([
      '~ service-x: test-general-conversion',
      '  = service-y: some-operation',
      '  ~ service-y: reference-test',
      '    - service-y: preserveParentID-test',
      '= service-x: some-operation',
    ]);
    const root = c.rows[0];
    expect([root.spansA, root.spansB]).toEqual([4, 3]);
    expect(root.childrenDiffer).toBe(true);
    expect(root.slower || root.faster).toBeFalsy();
    expect(c.rows[3]).toMatchObject({ mark: '-', a: '5', durationA: 4 });
    expect(c.rows[3].b).toBeUndefined();
    expect(c.counts).toEqual({ same: 2, changed: 2, onlyA: 1, onlyB: 0 });
  });

  it('a service added in B (a new span and process): `+` on it and its child', () => {
    const b = copy(ui01);
    b.processes.p9 = { serviceName: 'service-z', tags: [] };
    const span = (id: string, parent: string, op: string): JaegerSpan => ({
      traceID: '1', spanID: id, operationName: op, references: [{ refType: 'CHILD_OF', traceID: '1', spanID: parent }],
      startTime: 1485467191639876, duration: 3, tags: [], logs: [], processID: 'p9', warnings: null,
    });
    b.spans.push(span('9', '3', 'new-call'), span('10', '9', 'new-inner'));
    const c = compareTraces(buildTraceModel(ui01), buildTraceModel(b));
    expect(marks(c)).toEqual([
      '~ service-x: test-general-conversion',
      '  ~ service-y: some-operation',
      '    + service-z: new-call',
      '      + service-z: new-inner',
      '  = service-y: reference-test',
      '    = service-y: preserveParentID-test',
      '= service-x: some-operation',
    ]);
    expect(c.rows[2]).toMatchObject({ mark: '+', b: '9', durationB: 3, spansA: 0, spansB: 2 });
    expect(c.counts.onlyB).toBe(2);
    expect(c.b.spans).toBe(7);
  });

  it('durations changed: `~` past the threshold with B - A and % of A; small changes stay `=`', () => {
    const a = copy(anon);
    const b = copy(anon);
    b.spans[0].duration = 534074; // the root doubled
    b.spans[1].duration = 32782 + 1000; // the child +3%: alike
    const c = compareTraces(buildTraceModel(a), buildTraceModel(b));
    expect(marks(c)).toEqual(['~ 16af988c443cff37: a071653098f9250d', '  = 3c220036602f839e: 471418097747d04a']);
    expect(c.rows[0]).toMatchObject({ delta: 267037, deltaPct: 100, slower: true, durationA: 267037, durationB: 534074 });
    expect(c.rows[1]).toMatchObject({ delta: 1000 });
    expect(c.rows[1].deltaPct).toBeCloseTo(3.05, 2);
    expect(c.delta).toBe(267037);
    expect(c.biggest).toEqual([0]);
    // Faster B: marked too.
    const faster = compareTraces(buildTraceModel(b), buildTraceModel(a));
    expect(faster.rows[0]).toMatchObject({ mark: '~', faster: true, delta: -267037, deltaPct: -50 });
    // A lower threshold catches the child's 3%.
    expect(compareTraces(buildTraceModel(a), buildTraceModel(b), { threshold: 0.01 }).rows[1].mark).toBe('~');
  });

  it('plain text and JSON carry every mark', () => {
    const b = copy(ui01);
    b.spans = b.spans.filter((s) => s.operationName !== 'preserveParentID-test');
    const c = compareTraces(buildTraceModel(ui01), buildTraceModel(b));
    const text = comparisonToText(c);
    expect(text[0]).toMatch(/^A 1 · service-x: test-general-conversion · 5µs · 5 spans$/);
    expect(text).toContain('-    └─ service-y: preserveParentID-test  only in A, 4µs');
    expect(text).toContain('~ service-x: test-general-conversion  5µs → 5µs (+0µs, +0%) · spans 4 → 3');
    const json = comparisonToJson(c) as { tree: Array<{ mark: string; children: Array<{ mark: string; children: Array<{ mark: string }> }> }> };
    expect(json.tree.map((n) => n.mark)).toEqual(['~', '=']);
    expect(json.tree[0].children[1].children[0].mark).toBe('-');
  });
});

describe('compare: Bookinfo traces from the sandbox', () => {
  const trace = (era: '1.0' | '1.1' | 'modern', v: 'v1' | 'v2' | 'v3', seed = 1) => buildTraceModel(buildProductpageTrace({ era, reviewsVersion: v, nowMicros: 1_700_000_000_000_000, rng: seededRng(seed) }));

  it('reviews v1 against v3: the ratings call is only in B', () => {
    const c = compareTraces(trace('1.1', 'v1'), trace('1.1', 'v3', 2));
    const added = c.rows.filter((n) => n.mark === '+').map((n) => `${n.service}: ${n.operation}`);
    expect(added).toEqual([
      'reviews.default: ratings.default.svc.cluster.local:9080/*',
      'ratings.default: ratings.default.svc.cluster.local:9080/*',
      'istio-policy: /istio.mixer.v1.Mixer/Check',
    ]);
    expect(c.counts.onlyA).toBe(0);
    const reviews = c.rows.find((n) => n.service === 'reviews.default' && n.operation.startsWith('reviews'))!;
    expect(reviews.mark).toBe('~');
    expect([reviews.spansA, reviews.spansB]).toEqual([2, 5]);
  });

  it('Istio 1.0 against 1.1: `productpage` and `productpage.default` line up (no + or -)', () => {
    const c = compareTraces(trace('1.0', 'v2'), trace('1.1', 'v2'));
    expect(c.counts.onlyA + c.counts.onlyB).toBe(0);
    expect(c.rows).toHaveLength(12);
  });

  it('repeated siblings pair up in start order; the extra one is `+` and the counts differ', () => {
    const a = buildProductpageTrace({ era: '1.1', reviewsVersion: 'v2', nowMicros: 1_700_000_000_000_000, rng: seededRng(5) });
    const b = copy(a);
    const details = b.spans.find((s) => s.operationName.startsWith('details') && s.tags.some((t) => t.key === 'span.kind' && t.value === 'client'))!;
    b.spans.push({ ...copy(details), spanID: 'feedfacefeedface', startTime: details.startTime + 10 });
    const c = compareTraces(buildTraceModel(a), buildTraceModel(b));
    const rows = c.rows.filter((n) => n.operation.startsWith('details') && n.service === 'productpage.default');
    expect(rows.map((n) => n.mark)).toEqual(['=', '+']);
    expect(rows[0]).toMatchObject({ countA: 1, countB: 2, a: details.spanID, b: details.spanID });
    expect(rows[1].b).toBe('feedfacefeedface');
  });
});

describe('statistics', () => {
  const span = (id: string, start: number, duration: number, parent: string | undefined, pid = 'p1'): JaegerSpan => ({
    traceID: 't', spanID: id, operationName: `op-${id}`, references: parent ? [{ refType: 'CHILD_OF', traceID: 't', spanID: parent }] : [],
    startTime: start, duration, tags: [{ key: 'http.status_code', type: 'string', value: id === 'd' ? '500' : '200' }], logs: [], processID: pid, warnings: null,
  });
  const processes = { p1: { serviceName: 'front', tags: [] }, p2: { serviceName: 'back', tags: [] } };

  it('on a serial trace the self times add up to the trace duration', () => {
    // root 0-100; c1 10-40; c2 40-90 with d 50-60 beneath it: nothing runs concurrently.
    const m = buildTraceModel({ traceID: 't', processes, warnings: null, spans: [span('root', 0, 100, undefined), span('c1', 10, 30, 'root', 'p2'), span('c2', 40, 50, 'root', 'p2'), span('d', 50, 10, 'c2')] });
    const self = selfTimes(m);
    expect(Object.fromEntries(self)).toEqual({ root: 20, c1: 30, c2: 40, d: 10 });
    const sum = [...self.values()].reduce((a, b) => a + b, 0);
    expect(sum).toBe(m.duration);
    const byService = traceStats(m, { by: 'service' });
    expect(byService.rows.map((r) => [r.group, r.count, r.total, r.min, r.max, r.self, r.selfShare])).toEqual([
      ['front', 2, 110, 10, 100, 30, 30],
      ['back', 2, 80, 30, 50, 70, 70],
    ]);
    expect(byService.rows.reduce((a, r) => a + r.self, 0)).toBe(m.duration);
    // The critical path tiles the trace. Jaeger's rule: c1, ending just as c2 starts (40), is not
    // "before" it, so root holds 0-40 and 90-100, c2 40-50 and 60-90, d 50-60.
    expect(byService.rows.map((r) => r.critical)).toEqual([60, 40]);
    expect(byService.rows.reduce((a, r) => a + r.critical, 0)).toBe(m.duration);
    const byTag = traceStats(m, parseGrouping('tag:http.status_code')!);
    expect(byTag.rows.map((r) => [r.group, r.count, r.self])).toEqual([['200', 3, 90], ['500', 1, 10]]);
    const byOp = traceStats(m, { by: 'operation' });
    expect(byOp.rows.map((r) => r.group)).toEqual(['front: op-root', 'back: op-c2', 'back: op-c1', 'front: op-d']);
    expect(sortStatsRows(byOp.rows, 'self', false).map((r) => r.self)).toEqual([10, 20, 30, 40]);
    expect(sortStatsRows(byOp.rows, 'group', false)[0].group).toBe('back: op-c1');
    // Memoised: the same table object for the same model and grouping.
    expect(traceStats(m, { by: 'service' })).toBe(byService);
  });

  it('children overlapping each other count once; a child sticking out is clipped to its parent', () => {
    const m = buildTraceModel({ traceID: 't', processes, warnings: null, spans: [span('root', 0, 100, undefined), span('a', 10, 40, 'root'), span('b', 30, 40, 'root'), span('c', 90, 30, 'root')] });
    // Covered: 10-70 (a ∪ b) and 90-100 (c clipped): root's self is 100 - 70 = 30.
    expect(selfTimes(m).get('root')).toBe(30);
    expect(selfTimes(m).get('c')).toBe(30);
  });

  it('the anonymizer fixture, by hand: server 267037µs with a 32782µs client child inside it', () => {
    const [t] = fixture('anonymizer-trace_success.json');
    const m = buildTraceModel(t);
    const stats = traceStats(m, { by: 'service' });
    expect(stats.traceDuration).toBe(267037);
    expect(stats.rows.map((r) => ({ group: r.group, count: r.count, total: r.total, self: r.self }))).toEqual([
      { group: '16af988c443cff37', count: 1, total: 267037, self: 267037 - 32782 },
      { group: '3c220036602f839e', count: 1, total: 32782, self: 32782 },
    ]);
    expect(stats.rows[0].selfShare).toBeCloseTo((234255 / 267037) * 100, 6);
    expect(stats.rows[1].selfShare).toBeCloseTo(12.276, 3);
    expect(stats.rows[0].critical + stats.rows[1].critical).toBe(267037);
    const text = statsToText(m, stats);
    expect(text[3]).toMatch(/^service\s+Count\s+Total ms\s+Avg ms\s+Min ms\s+Max ms\s+Self ms\s+Self %\s+Crit\. path \(ms, %\)$/);
    expect(text[4]).toMatch(/^16af988c443cff37\s+1\s+267\.04\s+267\.04\s+267\.04\s+267\.04\s+234\.25\s+87\.7%\s+234\.25 87\.7%$/);
  });

  it('groups by a tag, with a row for spans without it', () => {
    const [t] = fixture('anonymizer-trace_success.json');
    const stats = traceStats(buildTraceModel(t), { by: 'tag', key: 'error' });
    expect(stats.rows.map((r) => [r.group, r.count])).toEqual([['(no error)', 1], ['true', 1]]);
  });
});

describe('OTLP export', () => {
  it('writes resourceSpans/scopeSpans/spans with hex ids, nanosecond strings and typed attributes, and reads back the same trace', () => {
    const [t] = fixture('ui_01.v1.9.0.json');
    const doc = jaegerToOtlp([t]) as { resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: Record<string, unknown> }> }; scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
    expect(doc.resourceSpans.map((r) => r.resource.attributes[0])).toEqual([
      { key: 'service.name', value: { stringValue: 'service-x' } },
      { key: 'service.name', value: { stringValue: 'service-y' } },
    ]);
    const spans = doc.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(spans).toHaveLength(5);
    const first = spans[0];
    expect(first.traceId).toBe('00000000000000000000000000000001');
    expect(first.spanId).toBe('0000000000000002');
    expect(first.startTimeUnixNano).toBe('1485467191639875000');
    expect(first.endTimeUnixNano).toBe('1485467191639880000');
    const x = spans.find((s) => s.name === 'some-operation' && !s.parentSpanId)!;
    const attrs = x.attributes as Array<{ key: string; value: Record<string, unknown> }>;
    expect(attrs.find((a) => a.key === 'peer.ipv4')?.value).toEqual({ intValue: '23456' });
    expect(x.status).toEqual({ code: 2 }); // error=true becomes the status
    const ref = spans.find((s) => s.name === 'reference-test')!;
    expect(ref.parentSpanId).toBe('0000000000000002');
    expect(ref.links).toEqual([{ traceId: '000000000000000000000000000000ff', spanId: '00000000000000ff' }, { traceId: '00000000000000000000000000000001', spanId: '0000000000000002' }]);

    const [back] = otlpToJaeger(doc);
    expect(back.spans.map((s) => [s.spanID, s.operationName, s.startTime, s.duration])).toEqual(
      t.spans.map((s) => [s.spanID.padStart(16, '0'), s.operationName, s.startTime, s.duration]),
    );
  });

  it('a sandbox trace keeps its tree, kinds and services through OTLP and back', () => {
    const t = buildProductpageTrace({ era: '1.1', reviewsVersion: 'v3', nowMicros: 1_700_000_000_000_000, rng: seededRng(9) });
    const [back] = otlpToJaeger(jaegerToOtlp([t]));
    const shape = (m: TraceModel) => m.order.map((id) => { const n = m.spans.get(id)!; return `${n.depth} ${n.service} ${n.kind} ${n.operation} ${n.duration}`; });
    expect(shape(buildTraceModel(back))).toEqual(shape(buildTraceModel(t)));
  });
});
