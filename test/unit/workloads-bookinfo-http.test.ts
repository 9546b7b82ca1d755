import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  TraceStore,
  createBookinfoHandler,
  seededRng,
  spanServiceName,
  spanTag,
  type BookinfoWorld,
  type BookinfoHandlerOptions,
  type JaegerTrace,
} from '../../src/sandbox/workloads/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const readJson = (res: Response): Promise<any> => res.json() as Promise<any>;

let world: BookinfoWorld;
let store: TraceStore;

function healthy(over: Partial<BookinfoWorld> = {}): BookinfoWorld {
  return {
    era: '1.1',
    routed: true,
    productpageReady: true,
    detailsReady: true,
    reviewsVersions: ['v1', 'v2', 'v3'],
    ratingsReady: true,
    sidecars: true,
    tracing: true,
    samplingPercent: 100,
    store,
    ...over,
  };
}

async function serve(opts: BookinfoHandlerOptions = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(createBookinfoHandler(() => world, { rng: seededRng(5), ...opts }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

const services = (t: JaegerTrace) => new Set(t.spans.map((s) => spanServiceName(t, s)));

describe('Bookinfo behind the ingress gateway', () => {
  let srv: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    srv = await serve();
  });
  afterAll(() => srv.close());
  beforeEach(() => {
    store = new TraceStore();
    world = healthy();
  });

  it('GET /productpage: 200 HTML titled Simple Bookstore App, with x-request-id', async () => {
    const res = await fetch(`${srv.url}/productpage?u=normal`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('server')).toBe('istio-envoy');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const html = await res.text();
    expect(html).toContain('<title>Simple Bookstore App</title>');
    expect(html).toContain('The Comedy of Errors');
    expect(html).toContain('ISBN-10');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(html)));
  });

  it('round-robins reviews versions: no stars, black stars, red stars', async () => {
    const colors: string[] = [];
    for (let i = 0; i < 3; i++) {
      const html = await (await fetch(`${srv.url}/productpage`)).text();
      colors.push(/<font color="(\w+)">/.exec(html)?.[1] ?? 'none');
    }
    expect(colors.sort()).toEqual(['black', 'none', 'red']);
    const versions = store
      .search({ service: 'reviews.default' })
      .map((t) => t.spans.filter((s) => spanServiceName(t, s) === 'ratings.default').length);
    expect(versions.sort()).toEqual([0, 1, 1]); // one ratings server span for v2/v3; v1 never calls ratings
  });

  it('records a trace whose x-request-id and shape match the era', async () => {
    const res = await fetch(`${srv.url}/productpage`, { headers: { 'user-agent': 'kubetutor/1' } });
    await res.text();
    const [t] = store.search({ service: 'productpage.default' });
    expect(t).toBeDefined();
    expect(services(t).has('istio-policy')).toBe(true);
    expect(spanTag(t.spans[0], 'guid:x-request-id')).toBe(res.headers.get('x-request-id'));
    expect(spanTag(t.spans[0], 'user_agent')).toBe('kubetutor/1');
    expect(String(spanTag(t.spans[0], 'http.url'))).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/productpage$/);
  });

  it('honours an incoming x-b3-traceid so a client can find its own trace', async () => {
    await (await fetch(`${srv.url}/productpage`, { headers: { 'x-b3-traceid': '463ac35c9f6413ad', 'x-b3-sampled': '1' } })).text();
    expect(store.get('463ac35c9f6413ad')?.spans.length).toBeGreaterThan(5);
  });

  it('no route: 404 with empty body (no Gateway/VirtualService, or unlisted path)', async () => {
    world = healthy({ routed: false });
    let res = await fetch(`${srv.url}/productpage`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
    world = healthy();
    res = await fetch(`${srv.url}/`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
    expect(store.size).toBe(0);
  });

  it('productpage not ready: 503 no healthy upstream, gateway-only trace', async () => {
    world = healthy({ productpageReady: false });
    const res = await fetch(`${srv.url}/productpage`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('no healthy upstream');
    const [t] = store.search({ service: 'istio-ingressgateway' });
    expect(t.spans).toHaveLength(1);
    expect(spanTag(t.spans[0], 'response_flags')).toBe('UH');
  });

  it('details and reviews missing: page shows errors, traces show 5xx client spans', async () => {
    world = healthy({ detailsReady: false, reviewsVersions: [] });
    const res = await fetch(`${srv.url}/productpage`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Error fetching product details!');
    expect(html).toContain('Error fetching product reviews!');
    const [t] = store.search({ service: 'productpage.default', tags: { error: 'true' } });
    const failed = t.spans.filter((s) => spanTag(s, 'error') === true);
    expect(failed.map((s) => s.operationName).sort()).toEqual([
      'details.default.svc.cluster.local:9080/*',
      'reviews.default.svc.cluster.local:9080/*',
    ]);
    expect(services(t).has('details.default')).toBe(false);
  });

  it('ratings missing with reviews v2: stars replaced by the ratings error', async () => {
    world = healthy({ reviewsVersions: ['v2'], ratingsReady: false });
    const html = await (await fetch(`${srv.url}/productpage`)).text();
    expect(html).toContain('Ratings service is currently unavailable');
    expect(html).not.toContain('<font color=');
  });

  it('no trace without sidecars or without Jaeger', async () => {
    world = healthy({ sidecars: false });
    expect((await fetch(`${srv.url}/productpage`)).status).toBe(200);
    world = healthy({ tracing: false });
    expect((await fetch(`${srv.url}/productpage`)).status).toBe(200);
    expect(store.size).toBe(0);
  });

  it('the products API, login and logout, static', async () => {
    const list = await fetch(`${srv.url}/api/v1/products`);
    expect(list.headers.get('content-type')).toBe('application/json');
    expect((await readJson(list))[0].title).toBe('The Comedy of Errors');
    const details = await readJson(await fetch(`${srv.url}/api/v1/products/0`));
    expect(details.author).toBe('William Shakespeare');
    const ratings = await readJson(await fetch(`${srv.url}/api/v1/products/0/ratings`));
    expect(ratings.ratings.Reviewer1).toBe(5);
    world = healthy({ detailsReady: false });
    expect((await fetch(`${srv.url}/api/v1/products/0`)).status).toBe(503);
    const login = await fetch(`${srv.url}/login`, {
      method: 'POST',
      body: 'username=jason&passwd=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/productpage');
    expect(login.headers.get('set-cookie')).toContain('user=jason');
    const page = await (await fetch(`${srv.url}/productpage`, { headers: { cookie: 'user=jason' } })).text();
    expect(page).toContain('jason');
    const logout = await fetch(`${srv.url}/logout`, { redirect: 'manual' });
    expect(logout.status).toBe(302);
    expect((await fetch(`${srv.url}/static/bootstrap/css/bootstrap.min.css`)).status).toBe(200);
    const apiTraces = store.search({ service: 'productpage.default', operation: 'productpage.default.svc.cluster.local:9080/api/v1/products*' });
    expect(apiTraces.length).toBeGreaterThanOrEqual(4);
  });
});

describe('Bookinfo sampling', () => {
  beforeEach(() => {
    store = new TraceStore();
  });

  it('0% records nothing, unless the client forces sampling with x-b3-sampled: 1', async () => {
    world = healthy({ samplingPercent: 0 });
    const srv = await serve();
    try {
      for (let i = 0; i < 5; i++) await (await fetch(`${srv.url}/productpage`)).text();
      expect(store.size).toBe(0);
      await (await fetch(`${srv.url}/productpage`, { headers: { 'x-b3-sampled': '1' } })).text();
      expect(store.size).toBe(1);
    } finally {
      await srv.close();
    }
  });

  it('100% records every request; x-b3-sampled: 0 opts out', async () => {
    world = healthy({ samplingPercent: 100, era: 'modern' });
    const srv = await serve();
    try {
      for (let i = 0; i < 5; i++) await (await fetch(`${srv.url}/productpage`)).text();
      expect(store.count('productpage.default')).toBe(5);
      expect(store.services()).toContain('istio-ingressgateway.istio-system');
      expect(store.services()).not.toContain('istio-policy');
      await (await fetch(`${srv.url}/productpage`, { headers: { 'x-b3-sampled': '0' } })).text();
      expect(store.size).toBe(5);
    } finally {
      await srv.close();
    }
  });

  it('partial sampling follows the injected roll', async () => {
    const rolls = [10, 60, 49.9, 50];
    world = healthy({ samplingPercent: 50 });
    const srv = await serve({ sampleRoll: () => rolls.shift() ?? 99 });
    try {
      for (let i = 0; i < 4; i++) await (await fetch(`${srv.url}/productpage`)).text();
      expect(store.size).toBe(2);
    } finally {
      await srv.close();
    }
  });

  it('optionally records gateway-only traces when pods lack sidecars', async () => {
    world = healthy({ sidecars: false, era: '1.0' });
    const srv = await serve({ gatewaySpansWithoutSidecars: true });
    try {
      await (await fetch(`${srv.url}/productpage`)).text();
      expect(store.services()).toEqual(['istio-ingressgateway']);
    } finally {
      await srv.close();
    }
  });
});
