/**
 * The trace store keeps traces packed (src/sandbox/workloads/packed-trace.ts):
 * what comes out is byte for byte what went in, odd shapes are kept as they
 * came, evicted traces give their strings back, and 10,000 Bookinfo traces
 * fit the 50 MB budget (heap measured after a forced GC; no timings).
 */
import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TraceStore, buildProductpageTrace, seededRng, type JaegerTrace } from '../../src/sandbox/workloads/index.js';

const T0 = 1_700_000_000_000_000;

function bookinfo(i: number, era: '1.0' | '1.1' | 'modern' = '1.1'): JaegerTrace {
  return buildProductpageTrace({
    era,
    reviewsVersion: (['v1', 'v2', 'v3'] as const)[i % 3],
    nowMicros: T0 + i * 1000,
    rng: seededRng(7 + i + { '1.0': 0, '1.1': 100_000, modern: 200_000 }[era]),
    failing: i % 7 === 3 ? { service: 'ratings', status: 503 } : i % 11 === 5 ? { service: 'details', status: 503, noUpstream: true } : undefined,
  });
}

describe('the packed trace store', () => {
  it('gives back exactly the JSON it was given, in every era and failure', () => {
    const store = new TraceStore();
    const made: JaegerTrace[] = [];
    for (const era of ['1.0', '1.1', 'modern'] as const) for (let i = 0; i < 12; i++) made.push(bookinfo(i, era));
    // Logs, numbers, booleans, warnings, references into another trace, a span without flags.
    const t = made[0];
    t.spans[1].logs.push({ timestamp: t.spans[1].startTime + 5, fields: [{ key: 'event', type: 'string', value: 'retry' }, { key: 'attempt', type: 'int64', value: 2 }, { key: 'ratio', type: 'float64', value: 0.25 }, { key: 'final', type: 'bool', value: false }] });
    t.spans[2].warnings = ['clock skew adjusted'];
    t.spans[2].references.push({ refType: 'FOLLOWS_FROM', traceID: 'feedface00000001', spanID: '00000000000000ff' });
    delete t.spans[3].flags;
    t.spans[4].spanID = 'abc'; // not 16 hex digits
    t.warnings = ['a trace-level warning'];
    for (const trace of made) store.add(trace);
    expect(store.packedCount).toBe(made.length);
    for (const trace of made) expect(JSON.stringify(store.get(trace.traceID))).toBe(JSON.stringify(trace));
    // Search answers are the same traces, newest first.
    const found = store.search({ service: 'productpage.default', limit: 0 });
    expect(found.map((x) => x.traceID)).toEqual(made.filter((m) => m.spans.some((s) => m.processes[s.processID!].serviceName === 'productpage.default')).sort((a, b) => b.spans[0].startTime - a.spans[0].startTime).map((m) => m.traceID));
    // Tags match on one span: its own, its process's or its logs' (the log is on productpage's server span; era 1.0 names).
    expect(store.search({ service: 'istio-ingressgateway', tags: { attempt: '2' } })).toHaveLength(0);
    expect(store.search({ service: 'productpage', tags: { attempt: '2', final: 'false', ip: t.processes[t.spans[1].processID!].tags[1].value as string } }).map((x) => x.traceID)).toEqual([t.traceID]);
    expect(store.search({ service: 'productpage', tags: { attempt: '2', final: 'true' } })).toHaveLength(0);
  });

  it('keeps a trace of another shape as it came (an inlined process, extra keys)', () => {
    const store = new TraceStore();
    const odd = bookinfo(1);
    const span = odd.spans[0];
    odd.spans[0] = { ...span, process: odd.processes[span.processID!] };
    delete odd.spans[0].processID;
    const extra = { ...bookinfo(2), extraField: 1 } as JaegerTrace;
    store.add(odd);
    store.add(extra);
    store.add(bookinfo(3));
    expect(store.packedCount).toBe(1);
    expect(JSON.stringify(store.get(odd.traceID))).toBe(JSON.stringify(odd));
    expect(JSON.stringify(store.get(extra.traceID))).toBe(JSON.stringify(extra));
    expect(store.search({ service: 'istio-ingressgateway' })).toHaveLength(3);
  });

  it('evicted traces give their strings back: the shared table stays the size of what is held', () => {
    const store = new TraceStore({ maxTraces: 200 });
    for (let i = 0; i < 200; i++) store.add(bookinfo(i));
    const held = store.sharedStrings;
    for (let i = 200; i < 3000; i++) store.add(bookinfo(i));
    expect(store.size).toBe(200);
    // Each trace brings one string of its own (its x-request-id); nothing else accumulates.
    expect(store.sharedStrings).toBeLessThanOrEqual(held + 10);
    store.clear();
    expect(store.sharedStrings).toBe(0);
  });

  it('10,000 Bookinfo traces take at most 50 MB', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const traces = Array.from({ length: 500 }, (_, i) => bookinfo(i));
    // Heap objects plus typed arrays' backing stores (outside the V8 heap).
    const used = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    gc();
    const before = used();
    const store = new TraceStore();
    for (let i = 0; i < 10_000; i++) {
      const t = structuredClone(traces[i % traces.length]);
      t.traceID = (0x1000000000000000n + BigInt(i)).toString(16);
      for (const s of t.spans) {
        s.traceID = t.traceID;
        for (const r of s.references) r.traceID = t.traceID;
        // A request id of its own per trace, as real traffic has.
        for (const tag of s.tags) if (tag.key === 'guid:x-request-id') tag.value = `${tag.value.toString().slice(0, 24)}${String(i).padStart(12, '0')}`;
      }
      store.add(t);
    }
    gc();
    const perTrace = (used() - before) / store.size;
    expect(store.size).toBe(10_000);
    expect(store.packedCount).toBe(10_000);
    console.log(`trace store: ${Math.round(perTrace)} bytes of memory per stored trace (${traces[0].spans.length}-${traces[1].spans.length} spans each)`);
    expect(perTrace * 10_000).toBeLessThanOrEqual(50 * 1024 * 1024);
  });
});
