import { describe, expect, it } from 'vitest';
import {
  TraceStore,
  buildProductpageTrace,
  seededRng,
  parseGoDuration,
  GoDurationError,
  type JaegerTrace,
} from '../../src/sandbox/workloads/index.js';

const T0 = 1_700_000_000_000_000;
const SEC = 1_000_000;

function trace(i: number, over: Partial<Parameters<typeof buildProductpageTrace>[0]> = {}): JaegerTrace {
  return buildProductpageTrace({ era: '1.0', reviewsVersion: 'v1', nowMicros: T0 + i * SEC, rng: seededRng(100 + i), ...over });
}

/** A tiny hand-made trace: one span of `service` with a given duration and tags. */
function tiny(id: string, service: string, start: number, duration: number, tags: Record<string, string> = {}): JaegerTrace {
  return {
    traceID: id,
    spans: [
      {
        traceID: id,
        spanID: `${id}0000`.slice(0, 16).padEnd(16, '0'),
        operationName: 'op',
        references: [],
        startTime: start,
        duration,
        tags: Object.entries(tags).map(([key, value]) => ({ key, type: 'string' as const, value })),
        logs: [],
        processID: 'p1',
        warnings: null,
      },
    ],
    processes: { p1: { serviceName: service, tags: [{ key: 'hostname', type: 'string', value: `${service}-pod` }] } },
    warnings: null,
  };
}

describe('TraceStore', () => {
  it('lists services and operations', () => {
    const store = new TraceStore();
    store.add(trace(0, { reviewsVersion: 'v2' }));
    expect(store.services()).toEqual(['details', 'istio-ingressgateway', 'istio-policy', 'productpage', 'ratings', 'reviews']);
    expect(store.operations('productpage')).toEqual([
      'details.default.svc.cluster.local:9080/*',
      'productpage.default.svc.cluster.local:9080/productpage',
      'reviews.default.svc.cluster.local:9080/*',
    ]);
    expect(store.operations('istio-policy')).toEqual(['/istio.mixer.v1.Mixer/Check']);
    expect(store.operations('nope')).toEqual([]);
    expect(store.operationEntries('productpage', 'server')).toEqual([
      { name: 'productpage.default.svc.cluster.local:9080/productpage', spanKind: 'server' },
    ]);
  });

  it('searches by service, newest first, with the limit keeping the newest', () => {
    const store = new TraceStore();
    for (let i = 0; i < 5; i++) store.add(trace(i));
    const all = store.search({ service: 'productpage' });
    expect(all).toHaveLength(5);
    const starts = all.map((t) => Math.min(...t.spans.map((s) => s.startTime)));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(starts[0]).toBe(T0 + 4 * SEC);
    const two = store.search({ service: 'productpage', limit: 2 });
    expect(two.map((t) => t.traceID)).toEqual(all.slice(0, 2).map((t) => t.traceID));
    expect(store.search({ service: 'ratings' })).toHaveLength(0);
    expect(store.search({ service: 'unknown' })).toHaveLength(0);
  });

  it('filters by operation', () => {
    const store = new TraceStore();
    store.add(trace(0));
    store.add(trace(1, { path: '/api/v1/products' }));
    expect(store.search({ service: 'productpage', operation: 'productpage.default.svc.cluster.local:9080/productpage' })).toHaveLength(1);
    expect(store.search({ service: 'productpage', operation: 'details.default.svc.cluster.local:9080/*' })).toHaveLength(1);
    expect(store.search({ service: 'details', operation: 'productpage.default.svc.cluster.local:9080/productpage' })).toHaveLength(0);
  });

  it('tags must all match on ONE span of the service (span, process and log tags, as strings)', () => {
    const store = new TraceStore();
    store.add(trace(0));
    store.add(trace(1, { failing: { service: 'reviews', status: 503, noUpstream: true } }));
    expect(store.search({ service: 'productpage', tags: { error: 'true' } })).toHaveLength(1);
    expect(store.search({ service: 'productpage', tags: { 'http.status_code': '503', response_flags: 'UH' } })).toHaveLength(1);
    // the 503 is on the client span; the server span has 200 -> no single span has both
    expect(store.search({ service: 'productpage', tags: { 'http.status_code': '503', 'span.kind': 'server' } })).toHaveLength(0);
    expect(store.search({ service: 'productpage', tags: { hostname: 'productpage-v1-54b8c7d9f5-zr7tx' } })).toHaveLength(2);
    const withLog = tiny('aa01', 'svc', T0, 10);
    withLog.spans[0].logs = [{ timestamp: T0, fields: [{ key: 'event', type: 'string', value: 'boom' }] }];
    store.add(withLog);
    expect(store.search({ service: 'svc', tags: { event: 'boom' } })).toHaveLength(1);
  });

  it('filters by span duration and by start-time window (µs, inclusive)', () => {
    const store = new TraceStore();
    store.add(tiny('a1', 'svc', T0, 5_000));
    store.add(tiny('a2', 'svc', T0 + SEC, 50_000));
    store.add(tiny('a3', 'svc', T0 + 2 * SEC, 500_000));
    const ids = (r: JaegerTrace[]) => r.map((t) => t.traceID);
    expect(ids(store.search({ service: 'svc', minDuration: 50_000 }))).toEqual(['a3', 'a2']);
    expect(ids(store.search({ service: 'svc', maxDuration: 50_000 }))).toEqual(['a2', 'a1']);
    expect(ids(store.search({ service: 'svc', minDuration: 6_000, maxDuration: 60_000 }))).toEqual(['a2']);
    expect(ids(store.search({ service: 'svc', start: T0 + SEC }))).toEqual(['a3', 'a2']);
    expect(ids(store.search({ service: 'svc', end: T0 + SEC }))).toEqual(['a2', 'a1']);
    expect(ids(store.search({ service: 'svc', start: T0 + 1, end: T0 + SEC + 1 }))).toEqual(['a2']);
  });

  it('get ignores case and leading zeros; count by service and time', () => {
    const store = new TraceStore();
    store.add(tiny('00ab12', 'svc', T0, 1));
    store.add(trace(1));
    expect(store.get('AB12')?.traceID).toBe('00ab12');
    expect(store.get('ab12')).toEqual(store.get('00AB12'));
    expect(store.get('ffff')).toBeUndefined();
    expect(store.count()).toBe(2);
    expect(store.count('svc')).toBe(1);
    expect(store.count('productpage')).toBe(1);
    expect(store.count(undefined, T0 + 1)).toBe(1);
    expect(store.count('svc', T0 + 1)).toBe(0);
  });

  it('returns copies and merges spans that arrive later for the same trace', () => {
    const store = new TraceStore();
    store.add(tiny('cafe', 'a', T0, 10));
    const got = store.get('cafe')!;
    got.spans.length = 0;
    expect(store.get('cafe')!.spans).toHaveLength(1);
    const later = tiny('cafe', 'b', T0 + 5, 3);
    later.spans[0].spanID = '1111111111111111';
    store.add(later);
    const merged = store.get('cafe')!;
    expect(merged.spans).toHaveLength(2);
    expect(merged.spans.map((s) => merged.processes[s.processID!].serviceName)).toEqual(['a', 'b']);
    expect(store.services()).toEqual(['a', 'b']);
  });

  it('is bounded: oldest traces drop out but services are remembered', () => {
    const store = new TraceStore({ maxTraces: 3 });
    for (let i = 0; i < 5; i++) store.add(tiny(`b${i}`, `svc${i}`, T0 + i, 1));
    expect(store.size).toBe(3);
    expect(store.get('b0')).toBeUndefined();
    expect(store.get('b4')).toBeDefined();
    expect(store.services()).toHaveLength(5);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.services()).toEqual([]);
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['10ms', 10_000],
    ['1.5s', 1_500_000],
    ['250us', 250],
    ['250µs', 250],
    ['1m30s', 90_000_000],
    ['2h', 7_200_000_000],
    ['500ns', 0.5],
    ['.5s', 500_000],
    ['0', 0],
    ['-1ms', -1000],
  ])('%s = %d µs', (input, micros) => {
    expect(parseGoDuration(input)).toBeCloseTo(micros, 6);
  });

  it.each([
    ['100', 'time: missing unit in duration "100"'],
    ['10x', 'time: unknown unit "x" in duration "10x"'],
    ['', 'time: invalid duration ""'],
    ['ms', 'time: invalid duration "ms"'],
  ])('rejects %j like Go', (input, msg) => {
    expect(() => parseGoDuration(input)).toThrow(GoDurationError);
    expect(() => parseGoDuration(input)).toThrow(msg);
  });
});
