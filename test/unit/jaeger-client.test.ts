import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  TraceStore,
  buildProductpageTrace,
  createJaegerQueryHandler,
  jaegerUiHtml,
  seededRng,
  type JaegerTrace,
  type RequestHandler,
} from '../../src/sandbox/workloads/index.js';
import { JaegerClient, JaegerError, otlpToJaeger, parseJaegerFile, rfc3339 } from '../../src/traces/jaeger-client.js';
import { buildTraceModel } from '../../src/traces/trace-model.js';

const NOW = Date.now() * 1000;
const SEC = 1_000_000;

async function serve(handler: RequestHandler): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function filledStore(era: '1.0' | '1.1' | 'modern'): { store: TraceStore; traces: JaegerTrace[] } {
  const store = new TraceStore();
  const traces: JaegerTrace[] = [];
  for (let i = 0; i < 4; i++) {
    const t = buildProductpageTrace({
      era,
      reviewsVersion: i % 2 ? 'v2' : 'v1',
      nowMicros: NOW - (10 - i) * SEC,
      rng: seededRng(i + 1),
      failing: i === 3 ? { service: 'details', status: 500 } : undefined,
    });
    store.add(t);
    traces.push(t);
  }
  return { store, traces };
}

const fail = async (p: Promise<unknown>): Promise<JaegerError> => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(JaegerError);
    return err as JaegerError;
  }
  throw new Error('expected a JaegerError');
};

/** A Jaeger trace as the v3 API sends it: OTLP JSON, ids in hex (or base64), nanosecond strings. */
function toOtlp(trace: JaegerTrace, ids: 'hex' | 'base64' = 'hex'): unknown {
  const id = (hex: string) => (ids === 'hex' ? hex.padStart(hex.length > 16 ? 32 : 16, '0') : Buffer.from(hex.padStart(hex.length > 16 ? 32 : 16, '0'), 'hex').toString('base64'));
  const byProcess = new Map<string, unknown[]>();
  for (const s of trace.spans) {
    const kindTag = s.tags.find((t) => t.key === 'span.kind')?.value;
    const isError = s.tags.some((t) => t.key === 'error' && t.value === true);
    const parent = s.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
    const list = byProcess.get(s.processID!) ?? [];
    byProcess.set(s.processID!, list);
    list.push({
      traceId: id(trace.traceID),
      spanId: id(s.spanID),
      parentSpanId: parent ? id(parent) : '',
      name: s.operationName,
      kind: kindTag === 'server' ? 2 : kindTag === 'client' ? 'SPAN_KIND_CLIENT' : 1,
      startTimeUnixNano: String(BigInt(s.startTime) * 1000n),
      endTimeUnixNano: String(BigInt(s.startTime + s.duration) * 1000n + 999n),
      attributes: s.tags
        .filter((t) => t.key !== 'span.kind' && t.key !== 'error')
        .map((t) => ({ key: t.key, value: typeof t.value === 'boolean' ? { boolValue: t.value } : { stringValue: String(t.value) } })),
      status: isError ? { code: 2, message: 'upstream failed' } : {},
    });
  }
  return {
    resourceSpans: [...byProcess].map(([pid, spans]) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: trace.processes[pid].serviceName } },
          ...trace.processes[pid].tags.map((t) => ({ key: t.key, value: { stringValue: String(t.value) } })),
        ],
      },
      scopeSpans: [{ scope: { name: 'envoy' }, spans }],
    })),
  };
}

function sendText(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

describe('JaegerClient against the sandbox Jaeger, base path "" (Istio 1.0)', () => {
  const { store, traces } = filledStore('1.0');
  let srv: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    srv = await serve(createJaegerQueryHandler({ store, basePath: '' }));
  });
  afterAll(() => srv.close());

  it('connects at the URL as given', async () => {
    const c = await JaegerClient.connect(srv.url);
    expect(c.base).toBe(srv.url);
    expect(c.flavour).toBe('v1');
    expect(c.apiRoot).toBe(`${srv.url}/api`);
    // Given /jaeger (the UI's HTML there), it falls back to the parent.
    const c2 = await JaegerClient.connect(`${srv.url}/jaeger/`);
    expect(c2.base).toBe(srv.url);
    // A pasted UI or API address works too.
    expect((await JaegerClient.connect(`${srv.url}/search`)).base).toBe(srv.url);
    expect((await JaegerClient.connect(`${srv.url}/api/services`)).base).toBe(srv.url);
  });

  it('services, operations, search, trace', async () => {
    const c = await JaegerClient.connect(srv.url);
    expect(await c.services()).toEqual(['details', 'istio-ingressgateway', 'istio-policy', 'productpage', 'ratings', 'reviews']);
    expect(await c.operations('reviews')).toEqual(['ratings.default.svc.cluster.local:9080/*', 'reviews.default.svc.cluster.local:9080/*']);

    const found = await c.search({ service: 'productpage', limit: 3 });
    expect(found.map((t) => t.traceID)).toEqual([traces[3].traceID, traces[2].traceID, traces[1].traceID]);
    const failed = await c.search({ service: 'details', tags: { 'http.status_code': '500' } });
    expect(failed.map((t) => t.traceID)).toEqual([traces[3].traceID]);
    const requestId = String(traces[1].spans[0].tags.find((t) => t.key === 'guid:x-request-id')!.value);
    const byRequest = await c.search({ service: 'productpage', tags: { 'guid:x-request-id': requestId, 'http.method': 'GET' } });
    expect(byRequest.map((t) => t.traceID)).toEqual([traces[1].traceID]);
    const slow = await c.search({ service: 'reviews', operation: 'ratings.default.svc.cluster.local:9080/*', minDuration: '1us' });
    expect(slow.map((t) => t.traceID).sort()).toEqual([traces[1].traceID, traces[3].traceID].sort());
    expect(await c.search({ service: 'productpage', start: NOW + SEC })).toEqual([]);

    const one = await c.trace(traces[2].traceID);
    expect(one.traceID).toBe(traces[2].traceID);
    expect(one.spans).toHaveLength(traces[2].spans.length);
    const m = buildTraceModel(one);
    expect(m.pairs.some((p) => p.from === 'productpage' && p.to === 'reviews')).toBe(true);
  });

  it('a missing trace id, a bad id, Jaeger\'s own errors array', async () => {
    const c = await JaegerClient.connect(srv.url);
    const missing = await fail(c.trace('abcdef0123456789'));
    expect(missing.message).toBe('no trace abcdef0123456789 in Jaeger');
    expect(missing.kind).toBe('not-found');
    expect((await fail(c.trace('not-hex'))).message).toMatch(/^not a trace id: not-hex/);
    // An id from a broken Jaeger (or a paste gone wrong) is quoted cut, on one line.
    const long = await fail(c.trace(`${'cf3'.repeat(200)}\n${'x'.repeat(50)}`));
    expect(long.message).toBe(`not a trace id: ${'cf3'.repeat(13)}… (expected up to 32 hex digits)`);
    const bad = await fail(c.search({ service: 'productpage', minDuration: 'bogus' }));
    expect(bad.kind).toBe('api');
    expect(bad.message).toMatch(/^Jaeger says: unable to parse param 'minDuration'/);
    expect(bad.message).not.toContain('\n');
  });

  it('uses an injected fetch', async () => {
    const seen: string[] = [];
    const c = await JaegerClient.connect(srv.url, { fetch: (u, init) => (seen.push(u), fetch(u, init)) });
    await c.services();
    expect(seen).toEqual([`${srv.url}/api/services`, `${srv.url}/api/services`]);
  });
});

describe('JaegerClient against the sandbox Jaeger, base path /jaeger (Istio 1.1+)', () => {
  const { store, traces } = filledStore('1.1');
  let srv: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    srv = await serve(createJaegerQueryHandler({ store, basePath: '/jaeger' }));
  });
  afterAll(() => srv.close());

  it('finds the API under /jaeger when given the bare port-forward URL, or /jaeger itself', async () => {
    for (const given of [srv.url, `${srv.url}/`, `${srv.url}/jaeger`, `127.0.0.1:${new URL(srv.url).port}/jaeger/search`]) {
      const c = await JaegerClient.connect(given);
      expect(c.base).toBe(`${srv.url}/jaeger`);
      expect(c.flavour).toBe('v1');
    }
    const c = await JaegerClient.connect(srv.url);
    expect(await c.services()).toContain('productpage.default');
    const found = await c.search({ service: 'productpage.default' });
    expect(found).toHaveLength(4);
    expect((await c.trace(traces[0].traceID)).spans).toHaveLength(traces[0].spans.length);
  });
});

describe('JaegerClient through a Kubernetes service-proxy URL', () => {
  const { store } = filledStore('1.1');
  const proxy = '/api/v1/namespaces/istio-system/services/tracing:80/proxy';
  let srv: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    srv = await serve(createJaegerQueryHandler({ store, basePath: `${proxy}/jaeger` }));
  });
  afterAll(() => srv.close());

  it('keeps the proxy path and finds /jaeger beneath it', async () => {
    for (const given of [`${srv.url}${proxy}`, `${srv.url}${proxy}/jaeger/api/services`, `${srv.url}${proxy}/jaeger/trace/abc123`]) {
      const c = await JaegerClient.connect(given);
      expect(c.base).toBe(`${srv.url}${proxy}/jaeger`);
    }
    expect(await (await JaegerClient.connect(`${srv.url}${proxy}`)).services()).toContain('reviews.default');
  });
});

describe('JaegerClient against a v3-only Jaeger', () => {
  const { store, traces } = filledStore('modern');
  const requests: URL[] = [];
  let traceByIdGone = false;
  let servicesStay = false;
  let srv: Awaited<ReturnType<typeof serve>>;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url);
    const json = (status: number, v: unknown) => sendText(res, status, 'application/json', JSON.stringify(v));
    const p = url.pathname;
    if (p === '/jaeger/api/services' && servicesStay) return json(200, { data: store.services(), total: 0, limit: 0, offset: 0, errors: null });
    if (p === '/jaeger/api/services' || p === '/jaeger/api/traces') return sendText(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
    if (p === '/jaeger/api/v3/services') return json(200, { services: store.services() });
    if (p === '/jaeger/api/v3/operations') {
      const service = url.searchParams.get('service') ?? '';
      return json(200, { operations: store.operationEntries(service).map((o) => ({ name: o.name, spanKind: o.spanKind })) });
    }
    if (p === '/jaeger/api/v3/traces') {
      const service = url.searchParams.get('query.service_name') ?? '';
      const min = url.searchParams.get('query.start_time_min');
      const max = url.searchParams.get('query.start_time_max');
      if (!min || !max) return json(400, { error: { httpCode: 400, message: 'query.start_time_min and query.start_time_max are required' } });
      const found = store.search({
        service,
        start: Date.parse(min) * 1000,
        end: Date.parse(max) * 1000 + 999,
        limit: Number(url.searchParams.get('query.num_traces') ?? 100),
      });
      if (!found.length) return json(404, { error: { httpCode: 404, message: 'trace not found' } });
      // Streamed: one document per trace, the first with base64 ids.
      return sendText(res, 200, 'application/json', found.map((t, i) => JSON.stringify({ result: toOtlp(t, i === 0 ? 'base64' : 'hex') })).join('\n'));
    }
    const v3Trace = /^\/jaeger\/api\/v3\/traces\/([0-9a-f]+)$/.exec(p);
    if (v3Trace) {
      const t = store.get(v3Trace[1]);
      return t ? json(200, { result: toOtlp(t) }) : json(404, { error: { httpCode: 404, message: 'trace not found' } });
    }
    const v1Trace = /^\/jaeger\/api\/traces\/([0-9a-f]+)$/.exec(p);
    if (v1Trace && !traceByIdGone) {
      const t = store.get(v1Trace[1]);
      return t
        ? json(200, { data: [t], total: 0, limit: 0, offset: 0, errors: null })
        : json(404, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] });
    }
    if (v1Trace) return sendText(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
    sendText(res, 200, 'text/html; charset=utf-8', jaegerUiHtml('/jaeger'));
  };
  beforeAll(async () => {
    srv = await serve(handler);
  });
  afterAll(() => srv.close());

  it('falls back to /api/v3 and converts OTLP into Jaeger traces', async () => {
    const c = await JaegerClient.connect(srv.url);
    expect(c.flavour).toBe('v3');
    expect(c.base).toBe(`${srv.url}/jaeger`);
    expect(await c.services()).toEqual(store.services());
    expect(await c.operations('reviews.default')).toEqual(store.operations('reviews.default'));

    requests.length = 0;
    const found = await c.search({ service: 'productpage.default', limit: 10, start: NOW - 60 * SEC, end: NOW });
    const q = requests[0].searchParams;
    expect(requests[0].pathname).toBe('/jaeger/api/v3/traces');
    expect(q.get('query.service_name')).toBe('productpage.default');
    expect(q.get('query.num_traces')).toBe('10');
    expect(q.get('query.start_time_min')).toBe(rfc3339(NOW - 60 * SEC));
    expect(q.get('query.start_time_min')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(q.get('query.start_time_max')).toBe(rfc3339(NOW));

    // Newest first, like the classic search; every span back with its ids, times, service and parent.
    expect(found.map((t) => t.traceID)).toEqual([...traces].reverse().map((t) => t.traceID));
    for (const t of found) {
      const original = traces.find((o) => o.traceID === t.traceID)!;
      expect(t.spans).toHaveLength(original.spans.length);
      for (const s of original.spans) {
        const got = t.spans.find((x) => x.spanID === s.spanID)!;
        expect(got).toBeDefined();
        expect(got.startTime).toBe(s.startTime);
        expect(got.duration).toBe(s.duration);
        expect(got.operationName).toBe(s.operationName);
        expect(got.references.filter((r) => r.refType === 'CHILD_OF').map((r) => r.spanID)).toEqual(s.references.map((r) => r.spanID));
        expect(t.processes[got.processID!].serviceName).toBe(original.processes[s.processID!].serviceName);
      }
      const m = buildTraceModel(t);
      const om = buildTraceModel(original);
      expect(m.pairs.map((p) => [p.from, p.to, p.gap])).toEqual(om.pairs.map((p) => [p.from, p.to, p.gap]));
      expect(m.errorCount).toBe(om.errorCount);
      expect(m.rootService).toBe('istio-ingressgateway.istio-system');
    }
    // The failed call (status 2) is an error span, with otel.status_code.
    const failing = found.find((t) => t.traceID === traces[3].traceID)!;
    const errSpans = failing.spans.filter((s) => s.tags.some((x) => x.key === 'otel.status_code' && x.value === 'ERROR'));
    expect(errSpans).toHaveLength(2);

    // Tags are filtered on the client side (the v3 API has no tag filter).
    const failedOnly = await c.search({ service: 'details.default', tags: { 'http.status_code': '500' } });
    expect(failedOnly.map((t) => t.traceID)).toEqual([traces[3].traceID]);
    // Nothing found: v3 answers 404, the client an empty list.
    expect(await c.search({ service: 'details.default', start: NOW + 10 * SEC, end: NOW + 20 * SEC })).toEqual([]);
  });

  it('switches to v3 when only the classic search is gone', async () => {
    servicesStay = true;
    try {
      const c = await JaegerClient.connect(srv.url);
      expect(c.flavour).toBe('v1');
      const found = await c.search({ service: 'reviews.default' });
      expect(c.flavour).toBe('v3');
      expect(found).toHaveLength(4);
    } finally {
      servicesStay = false;
    }
  });

  it('gets one trace from /api/traces/{id}, or from /api/v3/traces/{id} when that is gone too', async () => {
    const c = await JaegerClient.connect(`${srv.url}/jaeger`);
    expect((await c.trace(traces[1].traceID)).spans).toHaveLength(traces[1].spans.length);
    expect((await fail(c.trace('ffff0000ffff0000'))).message).toBe('no trace ffff0000ffff0000 in Jaeger');
    traceByIdGone = true;
    try {
      const t = await c.trace(traces[1].traceID);
      expect(t.spans).toHaveLength(traces[1].spans.length);
      expect(requests.at(-1)!.pathname).toBe(`/jaeger/api/v3/traces/${traces[1].traceID}`);
      expect((await fail(c.trace('ffff0000ffff0000'))).message).toBe('no trace ffff0000ffff0000 in Jaeger');
    } finally {
      traceByIdGone = false;
    }
  });
});

describe('JaegerClient errors', () => {
  it('an HTML-only server: wrong base path', async () => {
    const srv = await serve((_req, res) => sendText(res, 200, 'text/html; charset=utf-8', '<!doctype html><html><body>Jaeger UI</body></html>'));
    try {
      const err = await fail(JaegerClient.connect(srv.url));
      expect(err.kind).toBe('html');
      expect(err.message).toBe(`${srv.url} answered HTML, not JSON: is the base path right? (tried /api and /jaeger/api)`);
    } finally {
      await srv.close();
    }
  });

  it('a closed port: unreachable, with the port-forward hint', async () => {
    const srv = await serve((_req, res) => res.end());
    await srv.close();
    const err = await fail(JaegerClient.connect(srv.url));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(`cannot reach Jaeger at ${srv.url}: connect ECONNREFUSED — is the port-forward running?`);
  });

  it('an errors array from Jaeger, a non-Jaeger server, a silent server', async () => {
    const broken = await serve((_req, res) =>
      sendText(res, 500, 'application/json', JSON.stringify({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 500, msg: 'storage backend unavailable' }] })),
    );
    const other = await serve((_req, res) => sendText(res, 404, 'text/plain', 'nope'));
    const silent = await serve(() => undefined);
    try {
      expect((await fail(JaegerClient.connect(broken.url))).message).toBe('Jaeger says: storage backend unavailable');
      const e = await fail(JaegerClient.connect(other.url));
      expect(e.kind).toBe('no-api');
      expect(e.message).toBe(
        `no Jaeger query API at ${other.url}: GET /api/services answered 404, GET /jaeger/api/services answered 404 — is this Jaeger's query port (16686)?`,
      );
      const t = await fail(JaegerClient.connect(silent.url, { timeoutMs: 200 }));
      expect(t.kind).toBe('timeout');
      expect(t.message).toBe(`cannot reach Jaeger at ${silent.url}: no answer within 0.2s — is the port-forward running?`);
    } finally {
      await Promise.all([broken.close(), other.close(), silent.close()]);
    }
  });

  it('a bad URL', async () => {
    expect((await fail(JaegerClient.connect('http://[::1'))).kind).toBe('invalid-url');
    expect((await fail(JaegerClient.connect('ftp://example.com'))).message).toBe('not an http(s) URL: ftp://example.com');
  });
});

describe('parseJaegerFile', () => {
  const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/jaeger/${name}`, import.meta.url)), 'utf8');
  const trace = buildProductpageTrace({ era: '1.0', reviewsVersion: 'v3', nowMicros: NOW, rng: seededRng(5) });

  it('accepts an API envelope, a trace, an array of traces, an array of spans', () => {
    expect(parseJaegerFile(JSON.stringify({ data: [trace], total: 0, limit: 0, offset: 0, errors: null }))).toEqual([trace]);
    expect(parseJaegerFile(JSON.stringify(trace))).toEqual([trace]);
    expect(parseJaegerFile(JSON.stringify([trace, trace]))).toHaveLength(2);
    expect(parseJaegerFile(fixture('ui_01.v1.9.0.json'))[0].spans).toHaveLength(5);
    expect(parseJaegerFile(fixture('otlp2jaeger-out.api-envelope.json'))[0].processes.p1.serviceName).toBe('telemetrygen');
    const spans = parseJaegerFile(fixture('anonymizer-trace_success.json'));
    expect(spans).toHaveLength(1);
    expect(spans[0].spans[0].process?.serviceName).toBe('16af988c443cff37');
    expect(spans[0].spans[0].references).toEqual([{ refType: 'CHILD_OF', traceID: '2be38093ead7a083', spanID: '492770a15935810f' }]);
  });

  it('accepts OTLP JSON: hex or base64 ids, kinds, status, events, links, typed attributes', () => {
    const doc = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }, { key: 'host.name', value: { stringValue: 'n1' } }] },
          scopeSpans: [
            {
              scope: { name: 'io.opentelemetry.http', version: '1.2' },
              spans: [
                {
                  traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==',
                  spanId: 'AAAAAAAAAAI=',
                  name: 'GET /cart',
                  kind: 'SPAN_KIND_SERVER',
                  startTimeUnixNano: '1700000000123456789',
                  endTimeUnixNano: '1700000000124456789',
                  attributes: [
                    { key: 'http.response.status_code', value: { intValue: '503' } },
                    { key: 'retry', value: { boolValue: false } },
                    { key: 'ratio', value: { doubleValue: 0.5 } },
                    { key: 'ids', value: { arrayValue: { values: [{ intValue: '1' }, { intValue: '2' }] } } },
                  ],
                  events: [{ timeUnixNano: '1700000000123500000', name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'boom' } }] }],
                  links: [{ traceId: '0000000000000000000000000000000f', spanId: '000000000000000e' }],
                  status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                },
                {
                  traceId: '00000000000000000000000000000001',
                  spanId: '0000000000000003',
                  parentSpanId: '0000000000000002',
                  name: 'SELECT',
                  kind: 3,
                  startTimeUnixNano: 1700000000123600000,
                  endTimeUnixNano: 1700000000123700000,
                },
              ],
            },
          ],
        },
      ],
    };
    const [t] = parseJaegerFile(JSON.stringify(doc));
    expect(t.traceID).toBe('00000000000000000000000000000001');
    expect(t.processes.p1).toEqual({ serviceName: 'cart', tags: [{ key: 'host.name', type: 'string', value: 'n1' }] });
    const [server, client] = t.spans;
    expect(server.spanID).toBe('0000000000000002');
    expect(server.startTime).toBe(1700000000123456);
    expect(server.duration).toBe(1000);
    expect(server.references).toEqual([{ refType: 'FOLLOWS_FROM', traceID: '0000000000000000000000000000000f', spanID: '000000000000000e' }]);
    expect(server.tags).toEqual(
      expect.arrayContaining([
        { key: 'otel.scope.name', type: 'string', value: 'io.opentelemetry.http' },
        { key: 'http.response.status_code', type: 'int64', value: 503 },
        { key: 'retry', type: 'bool', value: false },
        { key: 'ratio', type: 'float64', value: 0.5 },
        { key: 'ids', type: 'string', value: '[1,2]' },
        { key: 'span.kind', type: 'string', value: 'server' },
        { key: 'otel.status_code', type: 'string', value: 'ERROR' },
        { key: 'error', type: 'bool', value: true },
        { key: 'otel.status_description', type: 'string', value: 'boom' },
      ]),
    );
    expect(server.logs).toEqual([
      { timestamp: 1700000000123500, fields: [{ key: 'event', type: 'string', value: 'exception' }, { key: 'exception.message', type: 'string', value: 'boom' }] },
    ]);
    expect(client.references).toEqual([{ refType: 'CHILD_OF', traceID: t.traceID, spanID: '0000000000000002' }]);
    const m = buildTraceModel(t);
    expect(m.roots).toEqual(['0000000000000002']); // a link into another trace makes no orphan
    expect(m.spans.get('0000000000000003')!.kind).toBe('client');
    expect(m.errorCount).toBe(1);
    // Several documents in a row (a streamed answer) and the {result} wrapper.
    const two = `${JSON.stringify({ result: doc })}\n${JSON.stringify(toOtlp(trace))}\n`;
    expect(parseJaegerFile(two).map((x) => x.traceID)).toEqual([t.traceID, trace.traceID]);
    expect(otlpToJaeger({ result: doc })).toHaveLength(1);
  });

  it('rejects what is not a trace file', () => {
    for (const text of ['nope', '{"hello": 1}', '[1, 2]']) {
      const err = (() => {
        try {
          parseJaegerFile(text);
        } catch (e) {
          return e as JaegerError;
        }
        throw new Error('expected an error');
      })();
      expect(err).toBeInstanceOf(JaegerError);
      expect(err.kind).toBe('bad-file');
    }
    expect(() => parseJaegerFile(JSON.stringify({ data: null, errors: [{ code: 404, msg: 'trace not found' }] }))).toThrow('Jaeger says: trace not found');
  });
});
