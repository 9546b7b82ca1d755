/**
 * HTTP from inside a simulated pod: cluster DNS (`svc`, `svc.ns`,
 * `svc.ns.svc[.cluster.local]`, resolved relative to the pod's namespace),
 * Service port → targetPort → a ready endpoint, and the request itself over
 * the sandbox's workloads (WorkloadRouter.connect), coming from the pod's IP
 * so the workload knows the caller and its sidecar reports the client span.
 *
 * Failures come back as curl's error codes and words; a pod with a sidecar
 * gets Envoy's own 503 answers instead where Envoy would answer.
 */
import http from 'node:http';
import type net from 'node:net';
import type { KubeObject } from '../../kube/types.js';
import { IstioState } from '../istio-state.js';
import type { WorkloadRouter } from '../workload-router.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface MeshRequest {
  url: URL;
  method: string;
  /** In order, as sent (Host first). */
  headers: Array<[string, string]>;
  body?: Buffer;
  signal: AbortSignal;
}

export interface MeshResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  headers: Array<[string, string]>;
  body: Buffer;
  remoteIp: string;
  remotePort: number;
}

export type MeshResult = { ok: true; response: MeshResponse } | { ok: false; code: number; message: string };

export interface MeshClient {
  request(req: MeshRequest): Promise<MeshResult>;
}

/** What the cluster looks like to the DNS and routing of one pod. */
export interface MeshView {
  services(namespace?: string): KubeObject[];
  pods(namespace?: string): KubeObject[];
  namespaceExists(name: string): boolean;
}

type Target =
  | { kind: 'service'; svc: KubeObject; ip: string }
  | { kind: 'pod'; pod: KubeObject; ip: string };

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export class PodMeshClient implements MeshClient {
  private readonly sidecar: boolean;

  constructor(private readonly self: KubeObject, private readonly view: MeshView, private readonly workloads: WorkloadRouter) {
    this.sidecar = IstioState.hasSidecar(self);
  }

  private get selfIp(): string {
    return (this.self.status as Any)?.podIP ?? '127.0.0.1';
  }

  /** Cluster DNS as the pod's resolv.conf search path sees it. */
  resolve(hostname: string): Target | null {
    const host = hostname.replace(/\.$/, '').toLowerCase();
    const ns = this.self.metadata.namespace ?? 'default';
    if (host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === this.self.metadata.name || host === this.selfIp) {
      return { kind: 'pod', pod: this.self, ip: host === 'localhost' || host.startsWith('127.') || host === '[::1]' ? '127.0.0.1' : this.selfIp };
    }
    if (IPV4.test(host)) {
      const svc = this.view.services().find((s) => (s.spec as Any)?.clusterIP === host);
      if (svc) return { kind: 'service', svc, ip: host };
      const pod = this.view.pods().find((p) => (p.status as Any)?.podIP === host);
      return pod ? { kind: 'pod', pod, ip: host } : null;
    }
    const parts = host.split('.');
    let name: string;
    let namespace: string;
    if (parts.length === 1) [name, namespace] = [parts[0]!, ns];
    else if (parts.length === 2) [name, namespace] = [parts[0]!, parts[1]!];
    else if (parts.length === 3 && parts[2] === 'svc') [name, namespace] = [parts[0]!, parts[1]!];
    else if (parts.length === 5 && parts.slice(2).join('.') === 'svc.cluster.local') [name, namespace] = [parts[0]!, parts[1]!];
    else return null;
    const svc = this.view.services(namespace).find((s) => s.metadata.name === name);
    if (!svc) return null;
    const ip = (svc.spec as Any)?.clusterIP;
    if (!ip || ip === 'None') {
      // Headless: the name resolves to the ready pods themselves.
      const pod = this.endpoints(svc)[0];
      return pod ? { kind: 'pod', pod, ip: (pod.status as Any).podIP } : null;
    }
    return { kind: 'service', svc, ip };
  }

  private endpoints(svc: KubeObject): KubeObject[] {
    const selector = (svc.spec as Any)?.selector as Record<string, string> | undefined;
    if (!selector || Object.keys(selector).length === 0) return [];
    return this.view.pods(svc.metadata.namespace).filter((p) => IstioState.ready(p) && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
  }

  async request(req: MeshRequest): Promise<MeshResult> {
    const { url } = req;
    const host = url.hostname;
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const target = this.resolve(host);
    if (!target) return { ok: false, code: 6, message: `Could not resolve host: ${host}` };
    const refused = (): MeshResult => ({ ok: false, code: 7, message: `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server` });

    let pod: KubeObject;
    let podPort: number;
    if (target.kind === 'service') {
      const ports = ((target.svc.spec as Any)?.ports ?? []) as Any[];
      const sp = ports.find((p) => p.port === port);
      if (!sp) return refused();
      const ready = this.endpoints(target.svc);
      if (ready.length === 0) return this.sidecar ? envoyReply(503, 'no healthy upstream', target.ip, port) : refused();
      pod = ready[Math.floor(Math.random() * ready.length)]!;
      podPort = resolveTargetPort(pod, sp);
    } else {
      pod = target.pod;
      podPort = port;
    }
    if (url.protocol === 'https:') {
      // The simulated workloads speak plain HTTP; a TLS client hello gets an HTTP error back.
      return { ok: false, code: 35, message: 'OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number' };
    }
    let stream: net.Socket;
    try {
      stream = (await this.workloads.connect(pod, podPort, this.selfIp)) as unknown as net.Socket;
    } catch {
      if (this.sidecar && target.kind === 'service') return envoyReply(503, 'upstream connect error or disconnect/reset before headers. reset reason: connection failure', target.ip, port);
      return refused();
    }
    return new Promise<MeshResult>((resolve) => {
      const flat: string[] = req.headers.flatMap(([k, v]) => [k, v]);
      const r = http.request({
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers: flat,
        setHost: false,
        createConnection: () => stream,
        signal: req.signal,
      });
      r.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Array<[string, string]> = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!;
            // Node's own connection headers; a sidecar's Envoy speaks for the connection instead.
            if (/^(connection|keep-alive)$/i.test(name)) continue;
            headers.push([this.sidecar ? name.toLowerCase() : name, res.rawHeaders[i + 1]!]);
          }
          stream.destroy();
          resolve({ ok: true, response: { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', httpVersion: res.httpVersion, headers, body: Buffer.concat(chunks), remoteIp: target.ip, remotePort: port } });
        });
        res.on('error', () => resolve({ ok: false, code: 56, message: 'Recv failure: Connection reset by peer' }));
      });
      r.on('error', () => {
        stream.destroy();
        resolve(req.signal.aborted ? { ok: false, code: 42, message: 'Callback aborted' } : { ok: false, code: 52, message: 'Empty reply from server' });
      });
      r.end(req.body);
    });
  }
}

function resolveTargetPort(pod: KubeObject, sp: Any): number {
  const t = sp.targetPort;
  if (typeof t === 'number') return t;
  if (typeof t === 'string' && /^[0-9]+$/.test(t)) return Number(t);
  if (typeof t === 'string') {
    for (const c of ((pod.spec as Any)?.containers ?? []) as Any[]) {
      const named = (c.ports ?? []).find((p: Any) => p.name === t);
      if (named) return named.containerPort;
    }
  }
  return sp.port;
}

/** An answer the calling pod's sidecar gives by itself. */
function envoyReply(status: number, body: string, ip: string, port: number): MeshResult {
  const bytes = Buffer.from(body, 'utf8');
  return {
    ok: true,
    response: {
      status,
      statusText: http.STATUS_CODES[status] ?? '',
      httpVersion: '1.1',
      headers: [['content-length', String(bytes.length)], ['content-type', 'text/plain'], ['date', new Date().toUTCString()], ['server', 'envoy']],
      body: bytes,
      remoteIp: ip,
      remotePort: port,
    },
  };
}
