import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  TraceStore,
  buildProductpageTrace,
  createJaegerQueryHandler,
  seededRng,
  type RequestHandler,
} from '../../src/sandbox/workloads/index.js';

/** Response JSON, untyped for brevity in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const readJson = (res: Response): Promise<any> => res.json() as Promise<any>;

const NOW = 1_700_000_000_000_000;
const SEC = 1_000_000;

async function serve(handler: RequestHandler): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

function filledStore(era: '1.0' | '1.1'): { store: TraceStore; ids: string[] } {
  const store = new TraceStore();
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const t = buildProductpageTrace({
      era,
      reviewsVersion: i % 2 ? 'v2' : 'v1',
      nowMicros: NOW - (10 - i) * SEC,
      rng: seededRng(i + 1),
      failing: i === 3 ? { service: 'details', status: 500 } : undefined,
    });
    store.add(t);
    ids.push(t.traceID);
  }
  return { store, ids };
}

describe('Jaeger query API, base path "" (Istio 1.0)', () => {
  const { store, ids } = filledStore('1.0');
  let srv: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    srv = await serve(createJaegerQueryHandler({ store, basePath: '', nowMicros: () => NOW }));
  });
  afterAll(() => srv.close());

  it('GET /api/services', async () => {
    const res = await fetch(`${srv.url}/api/services`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    const body = JSON.parse(text);
    expect(body).toEqual({
      data: ['details', 'istio-ingressgateway', 'istio-policy', 'productpage', 'ratings', 'reviews'],
      total: 6,
      limit: 0,
      offset: 0,
      errors: null,
    });
  });

  it('GET /api/services/{svc}/operations and /api/operations', async () => {
    const body = await readJson(await fetch(`${srv.url}/api/services/reviews/operations`));
    expect(body.data).toEqual(['ratings.default.svc.cluster.local:9080/*', 'reviews.default.svc.cluster.local:9080/*']);
    expect(body.total).toBe(2);
    const entries = await readJson(await fetch(`${srv.url}/api/operations?service=reviews&spanKind=client`));
    expect(entries.data).toEqual([{ name: 'ratings.default.svc.cluster.local:9080/*', spanKind: 'client' }]);
    const missing = await fetch(`${srv.url}/api/operations`);
    expect(missing.status).toBe(400);
  });

  it('GET /api/traces searches (newest first, limit, tags, durations, window)', async () => {
    const get = async (q: string) => {
      const res = await fetch(`${srv.url}/api/traces?${q}`);
      return { status: res.status, body: await readJson(res) };
    };
    const all = await get('service=productpage');
    expect(all.status).toBe(200);
    expect(all.body.errors).toBeNull();
    expect(all.body.total).toBe(0);
    expect(all.body.data.map((t: { traceID: string }) => t.traceID)).toEqual([...ids].reverse());
    expect((await get('service=productpage&limit=1')).body.data).toHaveLength(1);
    expect((await get('service=ratings')).body.data).toHaveLength(2);
    const errs = await get(`service=details&tags=${encodeURIComponent('{"error":"true"}')}`);
    expect(errs.body.data.map((t: { traceID: string }) => t.traceID)).toEqual([ids[3]]);
    expect((await get('service=details&tag=http.status_code:500')).body.data).toHaveLength(1);
    expect((await get('service=productpage&minDuration=1h')).body.data).toHaveLength(0);
    expect((await get('service=productpage&minDuration=1ms&maxDuration=10s')).body.data).toHaveLength(4);
    expect((await get(`service=productpage&start=${NOW - 8.5 * SEC}`)).body.data).toHaveLength(2);
    expect((await get(`service=productpage&end=${NOW - 8.5 * SEC}`)).body.data).toHaveLength(2);
    expect((await get(`service=productpage&operation=${encodeURIComponent('reviews.default.svc.cluster.local:9080/*')}`)).body.data).toHaveLength(4);
    expect((await get(`traceID=${ids[1]}&traceID=${ids[2]}`)).body.data).toHaveLength(2);
  });

  it('default window is the last 48h before now', async () => {
    const old = new TraceStore();
    old.add(buildProductpageTrace({ era: '1.0', reviewsVersion: 'v1', nowMicros: NOW - 49 * 3600 * SEC, rng: seededRng(9) }));
    const s = await serve(createJaegerQueryHandler({ store: old, nowMicros: () => NOW }));
    try {
      const body = await readJson(await fetch(`${s.url}/api/traces?service=productpage`));
      expect(body.data).toHaveLength(0);
      const wide = await readJson(await fetch(`${s.url}/api/traces?service=productpage&start=0`));
      expect(wide.data).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('search errors come back as 400 with the errors envelope', async () => {
    const cases: Array<[string, string]> = [
      ['', "parameter 'service' is required"],
      ['service=productpage&minDuration=100', `unable to parse param 'minDuration': time: missing unit in duration "100"`],
      ['service=productpage&limit=ten', 'strconv.ParseInt: parsing "ten": invalid syntax'],
      ['service=productpage&start=yesterday', `unable to parse param 'start': strconv.ParseInt: parsing "yesterday": invalid syntax`],
      ['service=productpage&minDuration=2s&maxDuration=1s', "'maxDuration' should be greater than 'minDuration'"],
      ['service=productpage&tags=notjson', "malformed 'tags' parameter, cannot unmarshal JSON"],
      ['service=productpage&tag=novalue', "malformed 'tag' parameter, expecting key:value, received: novalue"],
    ];
    for (const [q, msg] of cases) {
      const res = await fetch(`${srv.url}/api/traces?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/json');
      const body = await readJson(res);
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].code).toBe(400);
      expect(body.errors[0].msg).toContain(msg);
    }
  });

  it('GET /api/traces/{id}: one trace in data; 404 envelope when missing', async () => {
    const res = await fetch(`${srv.url}/api/traces/${ids[0].toUpperCase()}`);
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body.data).toHaveLength(1);
    expect(body.data[0].traceID).toBe(ids[0]);
    expect(body.data[0].processes.p1.serviceName).toBe('istio-ingressgateway');
    const missing = await fetch(`${srv.url}/api/traces/abcdef0123456789`);
    expect(missing.status).toBe(404);
    expect(await readJson(missing)).toEqual({
      data: null,
      total: 0,
      limit: 0,
      offset: 0,
      errors: [{ code: 404, msg: 'trace not found' }],
    });
    expect((await fetch(`${srv.url}/api/traces/not-hex`)).status).toBe(400);
  });

  it('serves the UI at / and for unknown paths (incl. the /jaeger prefix in 1.0)', async () => {
    for (const p of ['/', '/search', '/jaeger/api/services']) {
      const res = await fetch(`${srv.url}${p}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('<title>Jaeger UI</title>');
    }
  });

  it('rejects other methods', async () => {
    expect((await fetch(`${srv.url}/api/services`, { method: 'POST' })).status).toBe(405);
    const head = await fetch(`${srv.url}/api/services`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
  });
});

describe('Jaeger query API, base path /jaeger (Istio 1.1 / modern)', () => {
  const { store } = filledStore('1.1');
  let srv: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    srv = await serve(createJaegerQueryHandler({ store, basePath: '/jaeger/', nowMicros: () => NOW }));
  });
  afterAll(() => srv.close());

  it('API under /jaeger/api', async () => {
    const res = await fetch(`${srv.url}/jaeger/api/services`);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await readJson(res);
    expect(body.data).toContain('productpage.default');
    expect(body.data).toContain('istio-ingressgateway');
    const traces = await readJson(await fetch(`${srv.url}/jaeger/api/traces?service=productpage.default&limit=20`));
    expect(traces.data).toHaveLength(4);
  });

  it('the base-path trap: /api/services answers 200 HTML, not JSON', async () => {
    const res = await fetch(`${srv.url}/api/services`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<title>Jaeger UI</title>');
    expect(html).toContain('<base href="/jaeger/"');
    expect(() => JSON.parse(html)).toThrow();
  });

  it('UI at /jaeger/ and /jaeger/search', async () => {
    for (const p of ['/jaeger/', '/jaeger', '/jaeger/search', '/']) {
      const res = await fetch(`${srv.url}${p}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Jaeger UI');
    }
  });
});
