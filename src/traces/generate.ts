/**
 * Synthetic big traces for tests and benchmarks: a mesh of services calling
 * each other through sidecars (every call a client span plus the callee's
 * server span with the same operation name, as Envoy reports it), with
 * database calls as leaves, a mix of deep chains and wide fan-outs, some
 * failed calls and a few orphans (spans whose parent was never reported).
 * Deterministic for a given seed.
 */
import type { JaegerKeyValue, JaegerProcess, JaegerSpan, JaegerTrace } from './jaeger-model.js';
import { seededRng, type Rng } from '../kube/rng.js';

export interface GenerateOptions {
  /** Seed of the pseudo-random generator (default 1). */
  seed?: number;
  /** Number of services besides the ingress gateway (default: grows with the span count, 3..24). */
  services?: number;
  /** Share of calls that fail with a 5xx (default 0.02). */
  errorRate?: number;
  /** Spans whose parent is left out of the trace (default: 1 per 20,000 spans, at least 1 from 50 spans on). */
  orphans?: number;
  /** Root span start, Unix µs (default 1,700,000,000,000,000). */
  startMicros?: number;
  /** Deepest server-span depth before calls stop nesting (default 24). */
  maxDepth?: number;
}

const SERVICE_NAMES = [
  'frontend', 'checkout', 'cart', 'catalog', 'payment', 'shipping', 'currency', 'email',
  'recommendation', 'ads', 'auth', 'inventory', 'pricing', 'search', 'profile', 'reviews',
  'ratings', 'details', 'orders', 'notifications', 'fraud', 'ledger', 'quotes', 'accounting',
];
const ENDPOINTS = ['/', '/list', '/get', '/update', '/check', '/lookup', '/batch', '/health'];
const DB_SYSTEMS = ['postgresql', 'redis', 'mysql', 'mongodb'];
const NS = 'default';

interface Server {
  id: string;
  service: number;
  start: number;
  end: number;
  depth: number;
}

/** A realistic trace of exactly `spanCount` spans (at least 1). */
export function generateTrace(spanCount: number, opts: GenerateOptions = {}): JaegerTrace {
  const n = Math.max(1, Math.floor(spanCount));
  const rng: Rng = seededRng(opts.seed ?? 1);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const serviceCount = Math.max(1, Math.floor(opts.services ?? Math.min(24, Math.max(3, Math.round(Math.sqrt(n) / 6)))));
  const errorRate = opts.errorRate ?? 0.02;
  const maxDepth = opts.maxDepth ?? 24;
  const t0 = opts.startMicros ?? 1_700_000_000_000_000;

  const usedIds = new Set<string>();
  const hex = (digits: number): string => {
    let s = '';
    for (let i = 0; i < digits; i++) s += Math.floor(rng() * 16).toString(16);
    return s;
  };
  const newId = (): string => {
    let id = hex(16);
    while (usedIds.has(id) || /^0+$/.test(id)) id = hex(16);
    usedIds.add(id);
    return id;
  };
  const traceID = `${(1 + Math.floor(rng() * 15)).toString(16)}${hex(31)}`;

  // Processes: the gateway (p1) and one per service.
  const names: string[] = [];
  for (let i = 0; i < serviceCount; i++) {
    names.push(i < SERVICE_NAMES.length ? SERVICE_NAMES[i] : `${SERVICE_NAMES[i % SERVICE_NAMES.length]}-${Math.floor(i / SERVICE_NAMES.length) + 1}`);
  }
  const processes: Record<string, JaegerProcess> = {
    p1: { serviceName: 'istio-ingressgateway', tags: [tag('hostname', 'istio-ingressgateway-7c5b8d9f6d-hk2vq'), tag('ip', '10.1.0.9')] },
  };
  names.forEach((name, i) => {
    processes[`p${i + 2}`] = {
      serviceName: `${name}.${NS}`,
      tags: [tag('hostname', `${name}-v1-${hex(10)}-${hex(5)}`), tag('ip', `10.1.${Math.floor(i / 200) + 1}.${(i % 200) + 20}`)],
    };
  });
  const pid = (service: number) => (service < 0 ? 'p1' : `p${service + 2}`);
  const podIp = (service: number) => (processes[pid(service)].tags[1].value as string);

  const spans: JaegerSpan[] = [];
  const push = (
    id: string,
    parent: string | null,
    service: number,
    operationName: string,
    start: number,
    end: number,
    tags: JaegerKeyValue[],
  ): void => {
    spans.push({
      traceID,
      spanID: id,
      flags: 1,
      operationName,
      references: parent ? [{ refType: 'CHILD_OF', traceID, spanID: parent }] : [],
      startTime: Math.round(start),
      duration: Math.max(1, Math.round(end) - Math.round(start)),
      tags,
      logs: [],
      processID: pid(service),
      warnings: null,
    });
  };

  const proxyTags = (kind: 'client' | 'server', service: number, callee: number, path: string, status: number): JaegerKeyValue[] => {
    const host = `${names[callee]}.${NS}.svc.cluster.local`;
    const t: JaegerKeyValue[] = [
      tag('component', 'proxy'),
      tag('node_id', `sidecar~${podIp(service)}~${service < 0 ? 'istio-ingressgateway' : names[service]}.${NS}~${NS}.svc.cluster.local`),
      tag('http.method', path === '/update' || path === '/batch' ? 'POST' : 'GET'),
      tag('http.url', `http://${names[callee]}:8080${path}`),
      tag('http.status_code', String(status)),
      tag('upstream_cluster', kind === 'client' ? `outbound|8080||${host}` : `inbound|8080||`),
    ];
    if (status >= 500) t.push({ key: 'error', type: 'bool', value: true });
    t.push(tag('span.kind', kind));
    return t;
  };

  /** A call from `caller` (service index, -1 = gateway) to `callee` in [start, end]; returns the callee's server span (or null if only the client fit). */
  const call = (parent: string | null, caller: number, callee: number, start: number, end: number, depth: number, budget: number): Server | null => {
    const path = ENDPOINTS[int(0, ENDPOINTS.length - 1)];
    const operation = `${names[callee]}.${NS}.svc.cluster.local:8080${path}`;
    const failed = rng() < errorRate;
    const status = failed ? (rng() < 0.7 ? 503 : 500) : 200;
    const clientID = newId();
    push(clientID, parent, caller, operation, start, end, proxyTags('client', caller, callee, path, status));
    if (budget < 2) return null;
    const span = end - start;
    const lead = Math.min(span * 0.2, int(150, 700));
    const tail = Math.min(span * 0.2, int(150, 700));
    const server: Server = { id: newId(), service: callee, start: start + lead, end: end - tail, depth };
    push(server.id, clientID, callee, operation, server.start, server.end, proxyTags('server', callee, caller < 0 ? callee : caller, path, status));
    return server;
  };

  // Root: the gateway's client span and the first service's server span.
  const rootDuration = n < 50 ? int(20_000, 80_000) : int(400_000, 2_500_000);
  const frontier: Server[] = [];
  const servers: Server[] = [];
  const first = call(null, -1, 0, t0, t0 + rootDuration, 1, n);
  if (first) {
    frontier.push(first);
    servers.push(first);
  }

  /** Children of `parent` in its time range: sequential slots or overlapping (parallel) calls. */
  const expand = (parent: Server, count: number): boolean => {
    const span = parent.end - parent.start;
    const pad = Math.min(span * 0.05, 200);
    const lo = Math.ceil(parent.start + pad);
    const hi = Math.floor(parent.end - pad);
    // Every child needs a couple of microseconds of its own.
    count = Math.min(count, Math.floor((hi - lo) / 3));
    if (count < 1) return false;
    const parallel = count > 6 ? rng() < 0.7 : rng() < 0.3;
    const slot = (hi - lo) / count;
    for (let k = 0; k < count && spans.length < n; k++) {
      let s: number;
      let e: number;
      if (parallel) {
        s = lo + rng() * (hi - lo) * 0.3;
        e = s + (hi - s) * (0.3 + rng() * 0.7);
      } else {
        s = lo + k * slot + rng() * slot * 0.1;
        e = lo + (k + 1) * slot - rng() * slot * 0.1;
      }
      const remaining = n - spans.length;
      if (rng() < 0.2 || remaining === 1) {
        // A database call: a client span without a server half.
        const db = DB_SYSTEMS[int(0, DB_SYSTEMS.length - 1)];
        push(newId(), parent.id, parent.service, `${db} query`, s, e, [
          tag('db.system', db),
          tag('db.statement', `SELECT * FROM ${names[parent.service].replace(/-/g, '_')} WHERE id = ?`),
          tag('span.kind', 'client'),
        ]);
        continue;
      }
      let callee = int(0, serviceCount - 1);
      if (callee === parent.service && serviceCount > 1) callee = (callee + 1 + int(0, serviceCount - 2)) % serviceCount;
      const server = call(parent.id, parent.service, callee, s, e, parent.depth + 1, remaining);
      if (server && server.end - server.start >= 20) {
        servers.push(server);
        if (server.depth < maxDepth) frontier.push(server);
      }
    }
    return true;
  };

  while (spans.length < n) {
    let parent: Server | undefined;
    if (frontier.length) {
      // Mostly grow the newest server (depth), sometimes a random one (breadth).
      const idx = rng() < 0.6 ? frontier.length - 1 : int(0, frontier.length - 1);
      parent = frontier[idx];
      frontier[idx] = frontier[frontier.length - 1];
      frontier.pop();
    } else if (servers.length) {
      parent = servers[int(0, servers.length - 1)];
    } else {
      // Only possible for a 1-span trace: the gateway's client span alone.
      break;
    }
    const r = rng();
    const count = r < 0.75 ? int(1, 3) : r < 0.95 ? int(4, 8) : int(10, 60);
    if (!expand(parent, count) && !frontier.length) {
      // Nothing left with room for children: widen the first server instead.
      if (!expand(servers[0], 1)) break;
    }
  }

  // Orphans: a few subtrees whose parent span was never reported.
  const orphanCount = Math.min(opts.orphans ?? (n >= 50 ? 1 + Math.floor(n / 20_000) : 0), Math.max(0, n - 1));
  const orphaned = new Set<number>();
  for (let tries = 0; orphaned.size < orphanCount && tries < orphanCount * 20; tries++) {
    const idx = 1 + int(0, spans.length - 2);
    if (orphaned.has(idx) || spans[idx].references.length === 0) continue;
    orphaned.add(idx);
    spans[idx].references = [{ refType: 'CHILD_OF', traceID, spanID: newId() }];
  }

  spans.sort((a, b) => a.startTime - b.startTime);
  return { traceID, spans, processes, warnings: null };
}

function tag(key: string, value: string): JaegerKeyValue {
  return { key, type: 'string', value };
}
