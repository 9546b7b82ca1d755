import { describe, expect, it } from 'vitest';
import {
  buildProductpageTrace,
  seededRng,
  spanServiceName,
  spanTag,
  parentSpanId,
  MIXER_CHECK_OPERATION,
  type JaegerSpan,
  type JaegerTrace,
  type ProductpageTraceOptions,
} from '../../src/sandbox/workloads/index.js';
import type { IstioEra } from '../../src/kube/types.js';

const NOW = 1_700_000_000_000_000;

function build(over: Partial<ProductpageTraceOptions> = {}): JaegerTrace {
  return buildProductpageTrace({ era: '1.0', reviewsVersion: 'v2', nowMicros: NOW, rng: seededRng(42), ...over });
}

const svc = (t: JaegerTrace, s: JaegerSpan) => spanServiceName(t, s);
const kind = (s: JaegerSpan) => spanTag(s, 'span.kind');
const byId = (t: JaegerTrace) => new Map(t.spans.map((s) => [s.spanID, s]));

/** Spans of service `service` of the given kind. */
function find(t: JaegerTrace, service: string, k?: string): JaegerSpan[] {
  return t.spans.filter((s) => svc(t, s) === service && (k === undefined || kind(s) === k));
}

/** The server span whose parent is the client span `client`. */
function serverChild(t: JaegerTrace, client: JaegerSpan): JaegerSpan | undefined {
  return t.spans.find((s) => parentSpanId(s) === client.spanID && kind(s) === 'server' && s.operationName === client.operationName);
}

const NAMES: Record<IstioEra, Record<string, string>> = {
  '1.0': { gw: 'istio-ingressgateway', pp: 'productpage', details: 'details', reviews: 'reviews', ratings: 'ratings' },
  '1.1': { gw: 'istio-ingressgateway', pp: 'productpage.default', details: 'details.default', reviews: 'reviews.default', ratings: 'ratings.default' },
  modern: { gw: 'istio-ingressgateway.istio-system', pp: 'productpage.default', details: 'details.default', reviews: 'reviews.default', ratings: 'ratings.default' },
};

describe('buildProductpageTrace: shape per era', () => {
  const cases: Array<[IstioEra, 'v1' | 'v2' | 'v3', number]> = [
    // gateway + productpage server + 2 RPCs (4) [+ ratings RPC (2)] [+ one Check per server span]
    ['1.0', 'v1', 6 + 3],
    ['1.0', 'v2', 8 + 4],
    ['1.1', 'v3', 8 + 4],
    ['1.1', 'v1', 6 + 3],
    ['modern', 'v1', 6],
    ['modern', 'v2', 8],
    ['modern', 'v3', 8],
  ];
  it.each(cases)('era %s reviews %s has %i spans', (era, reviewsVersion, count) => {
    const t = build({ era, reviewsVersion });
    expect(t.spans).toHaveLength(count);
    expect(t.warnings).toBeNull();
    for (const s of t.spans) {
      expect(s.traceID).toBe(t.traceID);
      expect(s.spanID).toMatch(/^[0-9a-f]{16}$/);
      expect(t.processes[s.processID!]).toBeDefined();
      expect(Number.isInteger(s.startTime) && Number.isInteger(s.duration)).toBe(true);
    }
    expect(new Set(t.spans.map((s) => s.spanID)).size).toBe(count);
  });

  it.each(['1.0', '1.1', 'modern'] as IstioEra[])('service names in era %s', (era) => {
    const t = build({ era, reviewsVersion: 'v3' });
    const names = new Set(t.spans.map((s) => svc(t, s)));
    const n = NAMES[era];
    const expected = [n.gw, n.pp, n.details, n.reviews, n.ratings];
    if (era !== 'modern') expected.push('istio-policy');
    expect([...names].sort()).toEqual(expected.sort());
  });

  it('trace ids: 64-bit in the Mixer eras, 128-bit in modern', () => {
    expect(build({ era: '1.0' }).traceID).toMatch(/^[1-9a-f][0-9a-f]{15}$/);
    expect(build({ era: 'modern' }).traceID).toMatch(/^[1-9a-f][0-9a-f]{31}$/);
  });

  it('is deterministic for a seeded rng', () => {
    expect(build({ rng: seededRng(3) })).toEqual(build({ rng: seededRng(3) }));
    expect(build({ rng: seededRng(3) }).traceID).not.toBe(build({ rng: seededRng(4) }).traceID);
  });
});

describe('buildProductpageTrace: RPC structure', () => {
  it('root is the gateway client span; productpage server span is its child', () => {
    for (const era of ['1.0', '1.1', 'modern'] as IstioEra[]) {
      const t = build({ era });
      const roots = t.spans.filter((s) => s.references.length === 0);
      expect(roots).toHaveLength(1);
      const root = roots[0];
      expect(svc(t, root)).toBe(NAMES[era].gw);
      expect(kind(root)).toBe('client');
      expect(root.operationName).toBe('productpage.default.svc.cluster.local:9080/productpage');
      const pp = serverChild(t, root);
      expect(pp && svc(t, pp)).toBe(NAMES[era].pp);
      expect(root.startTime).toBe(NOW);
    }
  });

  it('each call has a caller client span whose child is the callee server span', () => {
    for (const era of ['1.0', '1.1', 'modern'] as IstioEra[]) {
      const t = build({ era, reviewsVersion: 'v2' });
      const n = NAMES[era];
      const ppServer = find(t, n.pp, 'server')[0];
      const ppClients = find(t, n.pp, 'client');
      expect(ppClients.map((s) => s.operationName)).toEqual([
        'details.default.svc.cluster.local:9080/*',
        'reviews.default.svc.cluster.local:9080/*',
      ]);
      for (const c of ppClients) expect(parentSpanId(c)).toBe(ppServer.spanID);
      expect(svc(t, serverChild(t, ppClients[0])!)).toBe(n.details);
      const reviewsServer = serverChild(t, ppClients[1])!;
      expect(svc(t, reviewsServer)).toBe(n.reviews);
      const ratingsClient = find(t, n.reviews, 'client')[0];
      expect(parentSpanId(ratingsClient)).toBe(reviewsServer.spanID);
      expect(ratingsClient.operationName).toBe('ratings.default.svc.cluster.local:9080/*');
      expect(svc(t, serverChild(t, ratingsClient)!)).toBe(n.ratings);
    }
  });

  it('details is called before reviews, sequentially', () => {
    const t = build();
    const [details, reviews] = find(t, 'productpage', 'client');
    expect(details.startTime + details.duration).toBeLessThanOrEqual(reviews.startTime);
  });

  it('every child lies inside its parent; client spans outlast their server child by ~1ms', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const era of ['1.0', '1.1', 'modern'] as IstioEra[]) {
        const t = build({ era, rng: seededRng(seed), reviewsVersion: 'v3' });
        const spans = byId(t);
        for (const s of t.spans) {
          const pid = parentSpanId(s);
          if (!pid) continue;
          const p = spans.get(pid)!;
          expect(s.startTime).toBeGreaterThanOrEqual(p.startTime);
          expect(s.startTime + s.duration).toBeLessThanOrEqual(p.startTime + p.duration);
          if (kind(p) === 'client' && kind(s) === 'server') {
            const gap = p.duration - s.duration;
            expect(gap).toBeGreaterThanOrEqual(500);
            expect(gap).toBeLessThanOrEqual(1400);
          }
        }
        const root = t.spans.find((s) => s.references.length === 0)!;
        expect(root.duration).toBeGreaterThan(10_000);
        expect(root.duration).toBeLessThan(120_000);
      }
    }
  });

  it('reviews v1 never calls ratings', () => {
    for (const era of ['1.0', '1.1', 'modern'] as IstioEra[]) {
      const t = build({ era, reviewsVersion: 'v1' });
      expect(find(t, NAMES[era].ratings)).toHaveLength(0);
      expect(find(t, NAMES[era].reviews, 'client')).toHaveLength(0);
    }
  });

  it('istio-policy Check spans only in 1.0/1.1, one under reviews server before ratings', () => {
    expect(find(build({ era: 'modern' }), 'istio-policy')).toHaveLength(0);
    for (const era of ['1.0', '1.1'] as IstioEra[]) {
      const t = build({ era, reviewsVersion: 'v2' });
      const reviewsServer = find(t, NAMES[era].reviews, 'server')[0];
      const children = t.spans.filter((s) => parentSpanId(s) === reviewsServer.spanID);
      expect(children.map((s) => svc(t, s))).toEqual(['istio-policy', NAMES[era].reviews]);
      expect(children[0].operationName).toBe(MIXER_CHECK_OPERATION);
      expect(children[0].startTime + children[0].duration).toBeLessThanOrEqual(children[1].startTime);
    }
    const onlyReviews = build({ era: '1.0', policyChecks: 'reviews' });
    expect(find(onlyReviews, 'istio-policy')).toHaveLength(1);
    expect(find(build({ era: '1.0', policyChecks: 'none' }), 'istio-policy')).toHaveLength(0);
  });

  it('defaultRouteSuffix "/" reproduces the 1.0 task text spelling', () => {
    const t = build({ defaultRouteSuffix: '/' });
    expect(find(t, 'reviews', 'server')[0].operationName).toBe('reviews.default.svc.cluster.local:9080/');
  });
});

describe('buildProductpageTrace: tags and processes', () => {
  it('Envoy spans carry the proxy tags', () => {
    const t = build({ era: '1.1', requestId: 'req-1', userAgent: 'kubetutor-test' });
    const client = find(t, 'productpage.default', 'client')[0];
    const tags = Object.fromEntries(client.tags.map((x) => [x.key, x.value]));
    expect(tags).toMatchObject({
      component: 'proxy',
      'guid:x-request-id': 'req-1',
      'http.url': 'http://details:9080/details/0',
      'http.method': 'GET',
      'http.status_code': '200',
      'http.protocol': 'HTTP/1.1',
      upstream_cluster: 'outbound|9080||details.default.svc.cluster.local',
      downstream_cluster: '-',
      user_agent: 'kubetutor-test',
      request_size: '0',
      response_flags: '-',
      'span.kind': 'client',
    });
    expect(String(tags.node_id)).toMatch(/^sidecar~10\.\d+\.\d+\.\d+~productpage-v1-[\w-]+\.default~default\.svc\.cluster\.local$/);
    expect(Number(tags.response_size)).toBeGreaterThan(0);
    expect(tags.error).toBeUndefined();
    const gw = t.spans[0];
    expect(String(spanTag(gw, 'node_id'))).toMatch(/^router~.*~istio-system\.svc\.cluster\.local$/);
  });

  it('processes carry hostname, ip and jaeger.version and use supplied pods', () => {
    const t = build({ pods: { 'reviews-v2': { name: 'reviews-v2-abc-12345', ip: '10.9.9.9' } } });
    for (const p of Object.values(t.processes)) {
      expect(p.tags.map((x) => x.key).sort()).toEqual(['hostname', 'ip', 'jaeger.version']);
    }
    const reviews = Object.values(t.processes).find((p) => p.serviceName === 'reviews')!;
    expect(reviews.tags.find((x) => x.key === 'hostname')?.value).toBe('reviews-v2-abc-12345');
    expect(t.processes.p1.serviceName).toBe('istio-ingressgateway');
  });

  const tagsOf = (s: JaegerSpan) => Object.fromEntries(s.tags.map((x) => [x.key, x.value]));

  it('an app error: both halves of the call carry the 5xx and error=true', () => {
    const t = build({ era: '1.1', failing: { service: 'details', status: 500 } });
    const server = find(t, 'details.default', 'server')[0];
    const client = find(t, 'productpage.default', 'client')[0];
    expect(parentSpanId(server)).toBe(client.spanID);
    for (const s of [server, client]) {
      expect(tagsOf(s)['http.status_code']).toBe('500');
      expect(s.tags.find((x) => x.key === 'error')).toEqual({ key: 'error', type: 'bool', value: true });
    }
    // the page itself still renders: gateway and productpage server are 200
    expect(tagsOf(t.spans[0])['http.status_code']).toBe('200');
    expect(tagsOf(t.spans[0]).error).toBeUndefined();
  });

  it('no healthy upstream: only the caller reports, 503 UH', () => {
    const t = build({ era: 'modern', failing: [{ service: 'reviews', status: 503, noUpstream: true }] });
    expect(find(t, 'reviews.default')).toHaveLength(0);
    const client = find(t, 'productpage.default', 'client')[1];
    expect(client.operationName).toBe('reviews.default.svc.cluster.local:9080/*');
    expect(tagsOf(client)).toMatchObject({ 'http.status_code': '503', response_flags: 'UH', error: true });
    expect(t.spans).toHaveLength(5); // gateway, productpage server, details pair, reviews client
  });

  it('productpage down: a single gateway span with 503', () => {
    const t = build({ failing: { service: 'productpage', status: 503, noUpstream: true } });
    expect(t.spans).toHaveLength(1);
    expect(tagsOf(t.spans[0])).toMatchObject({ 'http.status_code': '503', response_flags: 'UH', error: true });
  });

  it('without sidecars only the gateway reports', () => {
    const t = build({ era: 'modern', sidecars: false });
    expect(t.spans).toHaveLength(1);
    expect(svc(t, t.spans[0])).toBe('istio-ingressgateway.istio-system');
  });

  it('other routes use the VirtualService decorator and the backends that route calls', () => {
    const api = build({ path: '/api/v1/products/0/ratings', reviewsVersion: 'v1' });
    expect(api.spans[0].operationName).toBe('productpage.default.svc.cluster.local:9080/api/v1/products*');
    expect(find(api, 'productpage', 'client').map((s) => s.operationName)).toEqual(['ratings.default.svc.cluster.local:9080/*']);
    const login = build({ era: 'modern', path: '/login', method: 'POST' });
    expect(login.spans).toHaveLength(2);
    expect(spanTag(login.spans[0], 'http.method')).toBe('POST');
  });
});
