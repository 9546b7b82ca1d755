/**
 * A loopback HTTP server that answers with junk, generated per request from a seeded RNG:
 * truncated JSON, wrong shapes, HTML error pages, empty bodies, wrong content types, payloads
 * of a few MB, connections that are slow, cut or not HTTP at all. In `kube` mode it speaks
 * HTTPS, as API servers do, and serves mostly-valid discovery (so clients get as far as the
 * object endpoints) and junk objects and lists; in `jaeger` mode it answers Jaeger's query API
 * (v1 and v3 paths) over plain HTTP, as a port-forward does, with junk.
 */
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTrace } from '../../src/traces/generate.js';
import { selfSignedCertificate } from '../../src/sandbox/tls.js';
import { rng, type Rng } from './lesson-mutations.js';

export interface JunkServer {
  url: string;
  /** Responses sent (or connections cut) so far, and by what kind of junk. */
  responses: number;
  byKind: Map<string, number>;
  close(): Promise<void>;
}

export interface JunkOptions {
  mode: 'kube' | 'jaeger';
  seed: number;
  /** How long a "slow" answer stalls: longer than the clients' deadline. */
  stallMs: number;
  /** Share of discovery requests answered correctly (kube mode). @default 0.85 */
  discoveryOk?: number;
}

type Json = unknown;
type Plan = (req: http.IncomingMessage, res: http.ServerResponse, body: () => Json) => void | Promise<void>;

const FIXTURE_TRACE = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'jaeger', 'ui_01.v1.9.0.json'), 'utf8')) as Json;

// ---------------------------------------------------------------------------
// Well-formed bodies, for the junk to start from

const RESOURCES: Record<string, Array<{ name: string; kind: string; namespaced: boolean }>> = {
  v1: [
    { name: 'pods', kind: 'Pod', namespaced: true },
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
    { name: 'services', kind: 'Service', namespaced: true },
    { name: 'events', kind: 'Event', namespaced: true },
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
  ],
  'apps/v1': [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
  'networking.istio.io/v1alpha3': [
    { name: 'gateways', kind: 'Gateway', namespaced: true },
    { name: 'virtualservices', kind: 'VirtualService', namespaced: true },
  ],
};

function discovery(groupVersion: string): Json {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: RESOURCES[groupVersion].map((r) => ({ ...r, singularName: '', verbs: ['get', 'list', 'watch'] })),
  };
}

function meta(name: string, namespace: string | undefined, labels: Record<string, string> = {}) {
  return { name, ...(namespace ? { namespace } : {}), uid: `uid-${name}`, resourceVersion: '7', creationTimestamp: '2024-05-01T10:00:00Z', labels, annotations: { note: 'x' } };
}

function object(kind: string, name: string, ns: string | undefined): Record<string, unknown> {
  switch (kind) {
    case 'Namespace':
      return { apiVersion: 'v1', kind, metadata: meta(name, undefined, { 'istio-injection': 'enabled' }), status: { phase: 'Active' } };
    case 'Pod':
      return {
        apiVersion: 'v1',
        kind,
        metadata: meta(name, ns, { app: 'productpage' }),
        spec: { containers: [{ name: 'productpage', image: 'docker.io/istio/examples-bookinfo-productpage-v1:1.8.0' }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.0.6' }], initContainers: [{ name: 'istio-init', image: 'docker.io/istio/proxy_init:1.0.6' }] },
        status: {
          phase: 'Pending',
          conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [productpage]' }, { type: 'PodScheduled', status: 'True' }],
          initContainerStatuses: [{ name: 'istio-init', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
          containerStatuses: [
            { name: 'productpage', ready: false, restartCount: 3, image: 'x', state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } },
            { name: 'istio-proxy', ready: true, restartCount: 0, state: { running: { startedAt: '2024-05-01T10:00:05Z' } } },
          ],
        },
      };
    case 'Deployment':
      return {
        apiVersion: 'apps/v1',
        kind,
        metadata: meta(name, ns, { app: 'productpage' }),
        spec: { replicas: 2, selector: { matchLabels: { app: 'productpage' } } },
        status: { replicas: 2, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 2, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }] },
      };
    case 'Service':
      return { apiVersion: 'v1', kind, metadata: meta(name, ns), spec: { type: 'NodePort', ports: [{ name: 'http2', port: 80, targetPort: 80, nodePort: 31380, protocol: 'TCP' }, { name: 'https-tracing', port: 15032, targetPort: 8080 }] } };
    case 'Event':
      return { apiVersion: 'v1', kind, metadata: meta(name, ns), involvedObject: { kind: 'Pod', name: 'productpage-v1-abc' }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', count: 4, lastTimestamp: '2024-05-01T10:03:00Z' };
    case 'ConfigMap':
      return { apiVersion: 'v1', kind, metadata: meta(name, ns), data: { mesh: 'enableTracing: true\n' } };
    default:
      return { apiVersion: 'networking.istio.io/v1alpha3', kind, metadata: meta(name, ns), spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } };
  }
}

/** What a Kubernetes API path asks for, e.g. /api/v1/namespaces/default/pods. */
function kubeRequest(path: string): { discovery?: string; kind?: string; name?: string; namespace?: string } {
  const p = path.split('?')[0].replace(/\/+$/, '');
  if (p === '/api/v1') return { discovery: 'v1' };
  const g = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
  if (g) return { discovery: `${g[1]}/${g[2]}` };
  const m = /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(p);
  if (!m) return {};
  const all = Object.values(RESOURCES).flat();
  // /api/v1/namespaces/NAME is a Namespace, not the namespaced list NAME.
  if (p.startsWith('/api/v1/namespaces/') && p.split('/').length === 5) return { kind: 'Namespace', name: p.split('/')[4] };
  const r = all.find((x) => x.name === m[2]);
  return { kind: r?.kind ?? 'Pod', namespace: m[1], name: m[3] };
}

function kubeBody(path: string, r: Rng): Json {
  const q = kubeRequest(path);
  const kind = q.kind ?? 'Pod';
  if (q.name) return object(kind, q.name, q.namespace);
  const n = r.between(0, 4);
  return { apiVersion: 'v1', kind: `${kind}List`, metadata: { resourceVersion: '9' }, items: Array.from({ length: n }, (_, i) => object(kind, `${kind.toLowerCase()}-${i}`, q.namespace ?? 'default')) };
}

function jaegerBody(path: string, r: Rng): Json {
  const p = path.split('?')[0];
  const trace = r.next() < 0.5 ? structuredClone(FIXTURE_TRACE) : generateTrace(r.between(2, 40), { seed: r.int(1000) });
  if (/\/v3\/services$/.test(p)) return { services: ['productpage.default', 'reviews.default'] };
  if (/\/v3\/traces/.test(p)) {
    const span = (id: string, parent: string) => ({ traceId: '5b8aa5a2d2c872e8321cf37308d69df2', spanId: id, ...(parent ? { parentSpanId: parent } : {}), name: 'GET /productpage', kind: 2, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000050000000', attributes: [{ key: 'http.status_code', value: { intValue: '200' } }], status: {} });
    return { result: { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'productpage.default' } }] }, scopeSpans: [{ scope: { name: 'envoy' }, spans: [span('051581bf3cb55c13', ''), span('151581bf3cb55c13', '051581bf3cb55c13')] }] }] } };
  }
  if (/\/services$/.test(p)) return { data: ['productpage', 'reviews', 'istio-ingressgateway'], total: 3, limit: 0, offset: 0, errors: null };
  if (/\/operations$/.test(p)) return { data: ['GET /productpage'], total: 1, limit: 0, offset: 0, errors: null };
  return { data: [trace], total: 1, limit: 0, offset: 0, errors: null };
}

// ---------------------------------------------------------------------------
// Junk

const JUNK_VALUES: Array<(r: Rng) => Json> = [
  () => null,
  () => 42,
  () => -1,
  () => 1e308,
  () => 'a string',
  () => '',
  () => [],
  () => [1, 'x', null, { a: [] }],
  () => ({}),
  () => ({ a: { b: [null] } }),
  () => true,
  (r) => 'z'.repeat(r.between(1000, 100_000)),
  () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x", "hasOwnProperty": 1}') as Json,
];

/** Every path (array of keys) in a JSON value. */
function paths(v: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push([...prefix, i]); paths(x, [...prefix, i], out); });
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push([...prefix, k]); paths(x, [...prefix, k], out); }
  return out;
}

/** `v` with 1-3 random places replaced by a value of another type, or removed. */
function mutateShape(v: Json, r: Rng): Json {
  const all = paths(v);
  if (all.length === 0) return r.pick(JUNK_VALUES)(r);
  const n = r.between(1, 3);
  for (let k = 0; k < n; k++) {
    const p = r.pick(all);
    let parent = v as Record<string | number, Json>;
    for (const key of p.slice(0, -1)) parent = (parent?.[key] ?? {}) as Record<string | number, Json>;
    if (!parent || typeof parent !== 'object') continue;
    const last = p[p.length - 1];
    if (r.next() < 0.15 && !Array.isArray(parent)) delete parent[last];
    else parent[last] = r.pick(JUNK_VALUES)(r);
  }
  return v;
}

/** The shapes the brief names, aimed at the fields the checks and the trace model read. */
const NAMED_SHAPES: Array<[string, (v: Record<string, any>, r: Rng) => Json]> = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  ['items not an array', (v, r) => ({ ...v, items: r.pick(['pods', 3, { a: 1 }, null]) })],
  ['items of the wrong type', (v) => ({ ...v, items: [1, 'two', null, [3], true] })],
  ['metadata missing', (v) => strip(v, (o) => delete o.metadata)],
  ['metadata a string', (v) => strip(v, (o) => (o.metadata = 'default'))],
  ['name not a string', (v, r) => strip(v, (o) => o.metadata && typeof o.metadata === 'object' && (o.metadata.name = r.pick([42, null, { n: 1 }, ['a']])))],
  ['labels not a map', (v, r) => strip(v, (o) => o.metadata && typeof o.metadata === 'object' && (o.metadata.labels = r.pick(['app=x', ['app'], 7])))],
  ['status a string', (v) => strip(v, (o) => (o.status = 'Running'))],
  ['spec a string', (v) => strip(v, (o) => (o.spec = 'spec'))],
  ['containers not a list', (v, r) => strip(v, (o) => o.spec && typeof o.spec === 'object' && (o.spec.containers = r.pick(['istio-proxy', { name: 'x' }, 3, null])))],
  ['container entries wrong', (v) => strip(v, (o) => o.spec && typeof o.spec === 'object' && (o.spec.containers = [null, 'istio-proxy', { name: 5 }, { image: 'x' }]))],
  ['statuses wrong', (v, r) => strip(v, (o) => o.status && typeof o.status === 'object' && (o.status.containerStatuses = r.pick(['ok', [null, 'x', { state: 'waiting' }, { state: { waiting: 'CrashLoop' } }], { a: 1 }])))],
  ['conditions wrong', (v, r) => strip(v, (o) => o.status && typeof o.status === 'object' && (o.status.conditions = r.pick(['Ready', [null, 3, { type: ['Ready'] }], { Ready: true }])))],
  ['numbers where strings go', (v) => strip(v, (o) => { if (o.metadata && typeof o.metadata === 'object') o.metadata.name = 123; if (o.status && typeof o.status === 'object') o.status.phase = 7; })],
  ['strings where numbers go', (v) => strip(v, (o) => { if (o.spec && typeof o.spec === 'object') { o.spec.replicas = 'three'; o.spec.ports = [{ port: 'http' }, 'x']; } if (o.status && typeof o.status === 'object') o.status.readyReplicas = 'one'; })],
  ['nulls everywhere', (v) => nullify(v)],
  ['data not a list', (v, r) => ({ ...v, data: r.pick(['productpage', { a: 1 }, 5]) })],
  ['spans wrong', (v) => ({ ...v, data: [{ traceID: 'abc', spans: [null, 'span', { spanID: 5, references: 'x', tags: { k: 'v' }, logs: [null] }], processes: 'p' }] })],
  ['reference cycle', (v) => cycle(v)],
  ['errors in the envelope', (v, r) => ({ ...v, data: null, errors: r.pick([[{ code: 500, msg: 'storage down' }], ['plain string'], 'not a list', [{ code: 'x' }]]) })],
];

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Applies `f` to the object itself and to every list item. */
function strip(v: Obj, f: (o: Obj) => unknown): Json {
  if (Array.isArray(v.items)) v.items.forEach((o: Json) => o && typeof o === 'object' && f(o as Obj));
  else f(v);
  return v;
}

function nullify(v: Json): Json {
  if (Array.isArray(v)) return v.map((x, i) => (i % 2 ? null : nullify(x)));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x], i) => [k, i % 2 ? null : nullify(x)]));
  return v;
}

/** Spans that are each other's parents (and one its own). */
function cycle(v: Obj): Json {
  const spans = (v?.data?.[0]?.spans ?? []) as Obj[];
  spans.forEach((s, i) => {
    const parent = spans[(i + 1) % spans.length];
    if (s && parent) s.references = [{ refType: 'CHILD_OF', traceID: s.traceID, spanID: i === 0 ? s.spanID : parent.spanID }];
  });
  return v;
}

const HTML = (title: string) => `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>nginx</p></body></html>\n`;

function send(res: http.ServerResponse, status: number, body: string | Buffer, type?: string): void {
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(body) };
  if (type) headers['content-type'] = type;
  res.writeHead(status, headers);
  res.end(body);
}

function makePlans(r: Rng, stallMs: number): Array<[string, number, Plan]> {
  const json = 'application/json';
  return [
    ['truncated JSON', 10, (_q, res, body) => {
      const t = JSON.stringify(body());
      send(res, 200, t.slice(0, r.int(Math.max(1, t.length))), json);
    }],
    ['wrong shape (random fields)', 22, (_q, res, body) => send(res, 200, JSON.stringify(mutateShape(body(), r)), json)],
    ['wrong shape (named)', 22, (_q, res, body) => {
      const [, f] = r.pick(NAMED_SHAPES);
      send(res, 200, JSON.stringify(f(body() as Obj, r)), json);
    }],
    ['wrong top-level type', 5, (_q, res) => send(res, 200, JSON.stringify(r.pick(JUNK_VALUES)(r)), json)],
    ['HTML error page', 7, (_q, res) => send(res, r.pick([200, 404, 500, 502, 503]), HTML(r.pick(['502 Bad Gateway', 'Sign in', 'Jaeger UI', 'Service Unavailable'])), 'text/html; charset=utf-8')],
    ['empty body', 5, (_q, res) => {
      const status = r.pick([200, 200, 204, 500]);
      res.writeHead(status, status === 204 ? {} : { 'content-type': json, 'content-length': 0 });
      res.end();
    }],
    ['wrong content type', 6, (_q, res, body) => {
      const [type, text] = r.pick([
        ['text/plain', JSON.stringify(body())],
        ['application/octet-stream', JSON.stringify(body())],
        ['application/xml', '<?xml version="1.0"?><items><item/></items>'],
        ['application/yaml', 'items:\n- metadata: {name: x}\n'],
        [undefined, JSON.stringify(body())],
      ] as Array<[string | undefined, string]>);
      send(res, 200, text, type);
    }],
    ['binary junk', 3, (_q, res) => send(res, 200, r.bytes(r.between(1, 20_000)), r.pick([json, 'application/vnd.kubernetes.protobuf']))],
    ['huge payload', 2, (_q, res, body) => {
      const v = body() as Obj;
      // A few MB: a list of thousands of copies, or one enormous string where a name goes.
      if (Array.isArray(v.items) && v.items.length) v.items = Array.from({ length: 6000 }, (_, i) => ({ ...v.items[0], metadata: { ...v.items[0].metadata, name: `x-${i}` } }));
      else if (Array.isArray(v.data)) v.data = Array.from({ length: 3000 }, () => v.data[0]);
      else v.metadata = { name: 'n'.repeat(3_000_000) };
      send(res, 200, JSON.stringify(v), json);
    }],
    ['HTTP error, junk body', 8, (_q, res) => {
      const status = r.pick([400, 401, 403, 404, 409, 410, 429, 500, 503]);
      const body = r.pick([JSON.stringify({ kind: 'Status', message: 42, code: 'x' }), '"just a string"', 'null', JSON.stringify({ message: 'm'.repeat(5000) }), '{"kind":"Status","status":"Failure","message":"etcdserver: request timed out\\nmore"}', '']);
      send(res, status, body, json);
    }],
    ['connection closed at once', 3, (q) => void q.socket.destroy()],
    ['closed mid-body', 3, (q, res, body) => {
      const t = JSON.stringify(body());
      res.writeHead(200, { 'content-type': json, 'content-length': t.length + 1000 });
      res.write(t.slice(0, Math.floor(t.length / 2)));
      setTimeout(() => q.socket.destroy(), 20);
    }],
    ['not HTTP at all', 2, (q) => {
      q.socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\ngarbage');
      q.socket.destroy();
    }],
    ['bad chunked encoding', 2, (q) => {
      q.socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{"items"\r\n');
      setTimeout(() => q.socket.destroy(), 10);
    }],
    ['redirect loop', 1, (q, res) => {
      res.writeHead(302, { location: q.url ?? '/', 'content-length': 0 });
      res.end();
    }],
    ['slow answer', 1, async (_q, res, body) => {
      await new Promise((ok) => setTimeout(ok, stallMs));
      if (!res.destroyed) send(res, 200, JSON.stringify(body()), json);
    }],
    ['stalled body', 1, (q, res, body) => {
      const t = JSON.stringify(body());
      res.writeHead(200, { 'content-type': json, 'content-length': t.length });
      res.write(t.slice(0, 10));
      setTimeout(() => q.socket.destroy(), stallMs);
    }],
  ];
}

export async function startJunkServer(opts: JunkOptions): Promise<JunkServer> {
  const r = rng(opts.seed);
  const plans = makePlans(r, opts.stallMs);
  const total = plans.reduce((a, p) => a + p[1], 0);
  const sockets = new Set<net.Socket>();
  const state = { responses: 0, byKind: new Map<string, number>() };
  const count = (kind: string) => {
    state.responses++;
    state.byKind.set(kind, (state.byKind.get(kind) ?? 0) + 1);
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = req.url ?? '/';
    if (opts.mode === 'kube') {
      const q = kubeRequest(path);
      if (q.discovery && RESOURCES[q.discovery] && r.next() < (opts.discoveryOk ?? 0.85)) {
        send(res, 200, JSON.stringify(discovery(q.discovery)), 'application/json');
        return;
      }
    }
    let x = r.int(total);
    const [kind, , plan] = plans.find((p) => (x -= p[1]) < 0)!;
    count(`${area(path)}: ${kind}`);
    const body = () => (opts.mode === 'kube' ? kubeBody(path, r) : jaegerBody(path, r));
    void Promise.resolve(plan(req, res, body)).catch(() => req.socket.destroy());
  };
  const server = opts.mode === 'kube' ? https.createServer(await selfSignedCertificate(), handler) : http.createServer(handler);
  const area = (path: string) => (opts.mode === 'kube' ? (kubeRequest(path).discovery ? 'discovery' : 'objects') : 'jaeger');
  server.on(opts.mode === 'kube' ? 'secureConnection' : 'connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `${opts.mode === 'kube' ? 'https' : 'http'}://127.0.0.1:${port}`,
    get responses() {
      return state.responses;
    },
    byKind: state.byKind,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
