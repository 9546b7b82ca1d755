/**
 * The sandbox's Jaeger web page with JavaScript off: what the server renders
 * at Jaeger UI's addresses (search, results, trace), its script and styles,
 * and escaping of span text. The browser itself is driven in
 * test/sandbox/jaeger-browser.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  TraceStore,
  buildProductpageTrace,
  createJaegerQueryHandler,
  seededRng,
  type JaegerTrace,
  type RequestHandler,
} from '../../src/sandbox/workloads/index.js';
import { logfmtTags, parseUiRoute, apiSearchParams, defaultSearchForm } from '../../src/sandbox/workloads/jaeger-web/ui-query.js';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0) * 1000;
const SEC = 1_000_000;

async function serve(handler: RequestHandler): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

function traces(era: '1.0' | '1.1' | 'modern', n: number): JaegerTrace[] {
  return Array.from({ length: n }, (_, i) =>
    buildProductpageTrace({ era, reviewsVersion: i % 2 === (n - 1) % 2 ? 'v2' : 'v1', nowMicros: NOW - (n - i) * 60 * SEC, rng: seededRng(50 + i), failing: i === 0 ? { service: 'ratings', status: 503 } : undefined }),
  );
}

/** Text content of the page with tags dropped and entities of the escaper undone. */
function text(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

describe.each([
  ['1.1', '/jaeger'],
  ['1.0', ''],
] as const)('the web page, Istio %s (base path "%s")', (era, base) => {
  const store = new TraceStore();
  const made = traces(era, 3);
  for (const t of made) store.add(t);
  const newest = made[made.length - 1];
  const pp = era === '1.0' ? 'productpage' : 'productpage.default';
  const reviews = era === '1.0' ? 'reviews' : 'reviews.default';
  let srv: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    srv = await serve(createJaegerQueryHandler({ store, basePath: base, nowMicros: () => NOW }));
  });
  afterAll(() => srv.close());

  it('the home page is the search form, its Service list filled from the store', async () => {
    for (const p of [`${base}/`, '/', `${base}/search`]) {
      const res = await fetch(`${srv.url}${p}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await res.text();
      expect(html).toContain('<title>Jaeger UI</title>');
      expect(html).toContain(`<base href="${base}/"`);
      expect(html).toContain('Find Traces');
      for (const s of store.services()) expect(html).toContain(`<option value="${s}">${s}</option>`);
      expect(html).toContain(`Service <span class="count" id="service-count">(${store.services().length})</span>`);
      expect(html).toMatch(/sandbox stand-in for Jaeger's UI/);
      expect(html).not.toMatch(/https?:\/\/(?!127\.)/); // nothing from the network
    }
  });

  it("Jaeger's search URL renders the results, most recent first, with JavaScript off", async () => {
    const res = await fetch(`${srv.url}${base}/search?service=${pp}&lookback=1h&limit=20`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h2 id="trace-count">3 Traces</h2>');
    const ids = [...html.matchAll(/<li class="trace-item" data-trace-id="([0-9a-f]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(made.map((t) => t.traceID).reverse());
    const t = text(html);
    expect(t).toContain(`istio-ingressgateway: productpage.default.svc.cluster.local:9080/productpage ${newest.traceID.slice(0, 7)}`);
    expect(t).toMatch(new RegExp(`${newest.spans.length} Spans`));
    expect(t).toMatch(/ [1-9] Errors? /); // the trace whose ratings call failed
    expect(t).toContain(`${reviews} (`);
    expect(t).toMatch(/Today \| \d\d:\d\d:\d\d/);
    expect(t).toContain('a minute ago');
    expect(html).toContain(`<option value="${pp}" selected>`);
    // The Operation list is the selected service's, server-side too.
    for (const op of store.operations(pp)) expect(html).toContain(`<option value="${op}">`);
    // An operation narrows the search; the lookback and limit are honoured.
    const narrowed = await (await fetch(`${srv.url}${base}/search?service=${reviews}&operation=${encodeURIComponent(`${'ratings'}.default.svc.cluster.local:9080/*`)}&lookback=1h&limit=20`)).text();
    expect(narrowed).toContain('2 Traces<'); // only reviews-v2 (the first and the newest) calls ratings
    expect(await (await fetch(`${srv.url}${base}/search?service=${pp}&lookback=1h&limit=1`)).text()).toContain('1 Trace<');
  });

  it('a bad search shows the API error; an unknown service finds nothing', async () => {
    const bad = await (await fetch(`${srv.url}${base}/search?service=${pp}&minDuration=12`)).text();
    expect(bad).toContain('HTTP Error: unable to parse param &#39;minDuration&#39;');
    const none = await (await fetch(`${srv.url}${base}/search?service=nobody`)).text();
    expect(none).toContain('No trace results. Try another query.');
  });

  it("Jaeger's trace URL renders the trace: header, timeline, pairs and span details", async () => {
    const res = await fetch(`${srv.url}${base}/trace/${newest.traceID}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const t = text(html);
    expect(t).toContain(`istio-ingressgateway: productpage.default.svc.cluster.local:9080/productpage ${newest.traceID.slice(0, 7)}`);
    for (const k of ['Trace Start', 'Duration', 'Services', 'Depth', 'Total Spans']) expect(html).toContain(`<dt>${k}</dt>`);
    expect(html).toContain(`<dt>Total Spans</dt><dd>${newest.spans.length}</dd>`);
    expect(html).toContain(`<dt>Services</dt><dd>${new Set(Object.values(newest.processes).map((p) => p.serviceName)).size}</dd>`);
    expect(html).toContain('<dt>Depth</dt><dd>7</dd>'); // gateway → productpage → reviews client → server → ratings client → server → its policy Check
    expect((html.match(/<details class="span-row/g) ?? []).length).toBe(newest.spans.length);
    // productpage → reviews: a client row and its server row, marked as a pair.
    expect(html).toMatch(new RegExp(`class="span-row paired paired-client[^"]*"[^>]*>.*?<span class="svc">${pp.replace('.', '\\.')}</span><span class="kind kind-client">client</span><span class="pair-mark"[^>]*>[^<]*</span><span class="op"[^>]*>reviews\\.default\\.svc\\.cluster\\.local:9080/\\*</span>`));
    expect(html).toMatch(new RegExp(`<span class="svc">${reviews.replace('.', '\\.')}</span><span class="kind kind-server">server</span><span class="pair-mark"`));
    expect(t).toMatch(/Client\/server pair: productpage(\.default)? client [\d.]+ms → reviews(\.default)? server [\d.]+ms/);
    expect(t).toContain('/istio.mixer.v1.Mixer/Check');
    expect(t).toContain('ratings.default.svc.cluster.local:9080/*');
    // Details: tags, process and the span id.
    expect(t).toContain('http.status_code 200');
    expect(t).toMatch(/Process \(3\) hostname istio-ingressgateway-/);
    expect(t).toContain(`SpanID: ${newest.spans[0].spanID}`);
  });

  it('an unknown trace is a clear 404 page; the lookup box redirects to the trace URL', async () => {
    const res = await fetch(`${srv.url}${base}/trace/abcdef0123456789`);
    expect(res.status).toBe(404);
    expect(text(await res.text())).toContain('no trace with the ID abcdef0123456789');
    const lookup = await fetch(`${srv.url}${base}/trace?id=${newest.traceID}`, { redirect: 'manual' });
    expect(lookup.status).toBe(302);
    expect(lookup.headers.get('location')).toBe(`${base}/trace/${newest.traceID}`);
  });

  it('serves its script and style sheet as what they are, not as the HTML page', async () => {
    const js = await fetch(`${srv.url}${base}/static/kubetutor-jaeger.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await js.text();
    expect(code).not.toMatch(/^\s*</);
    expect(code).toContain('fetch(`api/${');
    const css = await fetch(`${srv.url}${base}/static/kubetutor-jaeger.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.span-row');
  });
});

describe('span text is escaped', () => {
  const evil = '<img src=x onerror="alert(1)">';
  const store = new TraceStore();
  const t = traces('1.1', 1)[0];
  t.spans[0].operationName = evil;
  t.spans[1].tags.push({ key: '<b>k</b>', type: 'string', value: '</td><script>alert(2)</script>' });
  t.processes.p1.serviceName = '<svg onload=alert(3)>';
  store.add(t);
  let srv: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    srv = await serve(createJaegerQueryHandler({ store, basePath: '/jaeger', nowMicros: () => NOW }));
  });
  afterAll(() => srv.close());

  it('in the service list, the results and the trace page', async () => {
    const pages = [
      await (await fetch(`${srv.url}/jaeger/search`)).text(),
      await (await fetch(`${srv.url}/jaeger/search?service=${encodeURIComponent('<svg onload=alert(3)>')}`)).text(),
      await (await fetch(`${srv.url}/jaeger/trace/${t.traceID}`)).text(),
    ];
    for (const html of pages) {
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<svg onload');
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<b>k</b>');
    }
    expect(pages[1]).toContain('&#60;svg onload=alert(3)&#62;: &#60;img src=x onerror=&#34;alert(1)&#34;&#62;');
    expect(pages[2]).toContain('&#60;/td&#62;&#60;script&#62;alert(2)&#60;/script&#62;');
  });
});

describe('the page addresses', () => {
  it("parse Jaeger UI's URL forms", () => {
    const p = (s: string) => new URLSearchParams(s);
    expect(parseUiRoute('search', p('service=a&lookback=2h&limit=5&operation=all'))).toEqual({
      kind: 'search',
      submitted: true,
      form: { service: 'a', operation: '', lookback: '2h', limit: 5, tags: '', minDuration: '', maxDuration: '' },
    });
    expect(parseUiRoute('', p(''))).toMatchObject({ kind: 'search', submitted: false });
    expect(parseUiRoute('api/services', p(''))).toMatchObject({ kind: 'search', submitted: false });
    expect(parseUiRoute('trace/ABC123', p(''))).toEqual({ kind: 'trace', traceID: 'ABC123' });
    expect(parseUiRoute('search', p('service=a&lookback=5y&limit=-3')).kind === 'search' && parseUiRoute('search', p('service=a&lookback=5y&limit=-3'))).toMatchObject({ form: { lookback: '1h', limit: 20 } });
  });

  it('send the query API what Jaeger UI sends', () => {
    const form = { ...defaultSearchForm('productpage.default'), lookback: '2d', tags: 'error=true msg="a b"' };
    const q = apiSearchParams(form, 1_000_000_000_000_000);
    expect([...q.keys()]).toEqual(['end', 'limit', 'lookback', 'service', 'start', 'tags']);
    expect(q.get('start')).toBe(String(1_000_000_000_000_000 - 2 * 24 * 3600 * SEC));
    expect(JSON.parse(q.get('tags')!)).toEqual({ error: 'true', msg: 'a b' });
    expect(() => logfmtTags('error')).toThrow(/key=value/);
  });
});
