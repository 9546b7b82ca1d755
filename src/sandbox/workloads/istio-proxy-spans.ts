/**
 * The spans of one simulated trace as Envoy (and Mixer) report them: which workload reports a
 * span, the tags a proxy puts on its client and server spans in each era, and the recorder that
 * collects spans and their processes into a Jaeger trace. The walk through the mesh that decides
 * which spans there are is istio-trace.ts.
 */
import type { IstioEra } from '../../kube/types.js';
import type { JaegerKeyValue, JaegerProcess, JaegerSpan, JaegerTrace } from '../../traces/jaeger-model.js';
import { stringTag } from '../../traces/jaeger-model.js';
import { APP_PORT, MESH_DOMAIN, type PodRef } from './istio-mesh-names.js';

/** What reports a span: a Bookinfo sidecar, the gateway (a router), or istio-policy (Mixer). */
export interface Workload {
  app: string;
  service: string;
  version: string;
  namespace: string;
  pod: PodRef;
  role: 'sidecar' | 'router' | 'mixer';
}

/** One HTTP exchange as a proxy saw it. */
export interface Exchange {
  url: string;
  status: number;
  flags: string;
  responseSize: number;
  upstreamCluster: string;
  peer: Workload | null;
}

/** What every proxy span of one request shares. */
export interface RequestFacts {
  era: IstioEra;
  requestId: string;
  method: string;
  userAgent: string;
}

const nodeId = (w: Workload): string =>
  `${w.role === 'router' ? 'router' : 'sidecar'}~${w.pod.ip}~${w.pod.name}.${w.namespace}~${w.namespace}.${MESH_DOMAIN}`;

/** The tags Envoy puts on a client or server span (modern Istio adds its canonical names and the peer). */
export function proxyTags(req: RequestFacts, w: Workload, kind: 'client' | 'server', x: Exchange): JaegerKeyValue[] {
  const tags: JaegerKeyValue[] = [
    stringTag('component', 'proxy'),
    stringTag('node_id', nodeId(w)),
    stringTag('guid:x-request-id', req.requestId),
    stringTag('http.url', x.url),
    stringTag('http.method', req.method),
    stringTag('downstream_cluster', '-'),
    stringTag('user_agent', req.userAgent),
    stringTag('http.protocol', 'HTTP/1.1'),
    stringTag('request_size', '0'),
    stringTag('upstream_cluster', x.upstreamCluster),
    stringTag('http.status_code', String(x.status)),
    stringTag('response_size', String(x.responseSize)),
    stringTag('response_flags', x.flags),
  ];
  if (req.era === 'modern') {
    tags.push(
      stringTag('istio.canonical_revision', w.version),
      stringTag('istio.canonical_service', w.app),
      stringTag('istio.mesh_id', 'cluster.local'),
      stringTag('istio.namespace', w.namespace),
      stringTag('upstream_cluster.name', x.upstreamCluster.startsWith('inbound|') ? `inbound|${APP_PORT}||` : x.upstreamCluster),
    );
    if (x.peer) tags.push(stringTag('peer.address', x.peer.pod.ip));
  }
  if (x.status >= 500) tags.push({ key: 'error', type: 'bool', value: true });
  tags.push(stringTag('span.kind', kind));
  return tags;
}

/** Collects the spans of one trace, a process per (service, pod). */
export class SpanRecorder {
  private readonly spans: JaegerSpan[] = [];
  private readonly processes: Record<string, JaegerProcess> = {};
  private readonly processIds = new Map<string, string>();

  constructor(private readonly traceID: string) {}

  private processOf(w: Workload): string {
    const key = `${w.service}|${w.pod.name}`;
    let id = this.processIds.get(key);
    if (!id) {
      id = `p${this.processIds.size + 1}`;
      this.processIds.set(key, id);
      this.processes[id] = {
        serviceName: w.service,
        tags: [
          stringTag('hostname', w.pod.name),
          stringTag('ip', w.pod.ip),
          // Envoy's Zipkin tracer sets no client version; Mixer used jaeger-client-go.
          stringTag('jaeger.version', w.role === 'mixer' ? 'Go-2.15.0' : 'Envoy-Zipkin'),
        ],
      };
    }
    return id;
  }

  push(w: Workload, spanID: string, parent: string | null, operationName: string, start: number, end: number, tags: JaegerKeyValue[]): void {
    const { traceID } = this;
    this.spans.push({
      traceID,
      spanID,
      flags: 1,
      operationName,
      references: parent ? [{ refType: 'CHILD_OF', traceID, spanID: parent }] : [],
      startTime: start,
      duration: Math.max(1, end - start),
      tags,
      logs: [],
      processID: this.processOf(w),
      warnings: null,
    });
  }

  /** The trace: spans by start time, processes numbered in the order their first span starts (gateway = p1). */
  trace(): JaegerTrace {
    const spans = this.spans;
    spans.sort((a, b) => a.startTime - b.startTime);
    const renumbered: Record<string, JaegerProcess> = {};
    const newIds = new Map<string, string>();
    for (const span of spans) {
      const old = span.processID as string;
      let id = newIds.get(old);
      if (!id) {
        id = `p${newIds.size + 1}`;
        newIds.set(old, id);
        renumbered[id] = this.processes[old];
      }
      span.processID = id;
    }
    return { traceID: this.traceID, spans, processes: renumbered, warnings: null };
  }
}
