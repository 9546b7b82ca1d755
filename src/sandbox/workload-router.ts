/**
 * What answers on a pod's port: the simulated Jaeger query service, the
 * ingress gateway's listeners (Bookinfo, or the tracing gateway on 15032),
 * and Bookinfo's own pods. Port-forwards, the gateway's node port and the
 * API server's service proxy all reach workloads through `connect`.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../kube/types.js';
import { duplexPair } from './duplex-pair.js';
import { IstioState } from './istio-state.js';
import { TraceStore, createJaegerQueryHandler, createBookinfoHandler, createBookinfoServiceHandler, type BookinfoWorld, type MeshCaller, type ReviewsVersion } from './workloads/index.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** The text a kubelet returns when nothing listens on the forwarded port. */
export function refusedMessage(pod: KubeObject, port: number): string {
  return `error forwarding port ${port} to pod ${(pod.status as Any)?.containerStatuses?.[0]?.containerID?.replace('containerd://', '') ?? pod.metadata.uid}, uid : failed to execute portforward in network namespace "/var/run/netns/cni-${pod.metadata.uid}": failed to connect to localhost:${port} inside namespace "${(pod.status as Any)?.containerStatuses?.[0]?.containerID?.replace('containerd://', '').slice(0, 12) ?? ''}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6: address localhost: no suitable address found `;
}

/** The Jaeger version a pod runs, from its image tag (`jaegertracing/all-in-one:1.9` -> `1.9`). */
function jaegerVersion(pod: KubeObject | undefined): string | undefined {
  const containers: Any[] = (pod?.spec as Any)?.containers ?? [];
  const image = String((containers.find((c) => c.name === 'jaeger') ?? containers[0])?.image ?? '');
  const tag = /:([\w.-]+)$/.exec(image)?.[1];
  return tag && /^v?\d/.test(tag) ? tag.replace(/^v/, '') : undefined;
}

export class WorkloadRouter {
  readonly traces = new TraceStore();
  private servers = new Map<string, http.Server>();
  private jaegerHandlers = new Map<string, Handler>();

  constructor(private state: IstioState) {}

  private server(key: string, handler: Handler): http.Server {
    let s = this.servers.get(key);
    if (!s) {
      s = http.createServer({ keepAliveTimeout: 5000 }, handler);
      this.servers.set(key, s);
    }
    return s;
  }

  private jaeger(basePath: '' | '/jaeger', pod?: KubeObject): Handler {
    let h = this.jaegerHandlers.get(basePath);
    if (!h) {
      h = createJaegerQueryHandler({ store: this.traces, basePath, version: jaegerVersion(pod) });
      this.jaegerHandlers.set(basePath, h);
    }
    return h;
  }

  /** The Bookinfo world as the mesh sees it at this moment. */
  bookinfoWorld(routed: boolean): BookinfoWorld {
    const s = this.state;
    const era = s.era() ?? 'modern';
    const pods = s.podsBy('default', {});
    const readyApp = (app: string, version?: string) => pods.some((p) => p.metadata.labels?.app === app && (!version || p.metadata.labels?.version === version) && IstioState.ready(p));
    const productpage = pods.find((p) => p.metadata.labels?.app === 'productpage' && IstioState.ready(p));
    const podRefs: Record<string, { name: string; ip: string }> = {};
    for (const p of pods) {
      const { app, version } = p.metadata.labels ?? {};
      if (!app || !IstioState.ready(p)) continue;
      const ref = { name: p.metadata.name, ip: (p.status as Any).podIP };
      podRefs[app] ??= ref;
      // By deployment too, so a span of reviews v2 names a reviews-v2 pod.
      if (version) podRefs[`${app}-${version}`] ??= ref;
    }
    return {
      era,
      routed,
      productpageReady: !!productpage,
      detailsReady: readyApp('details'),
      reviewsVersions: (['v1', 'v2', 'v3'] as const).filter((v) => readyApp('reviews', v)),
      ratingsReady: readyApp('ratings'),
      sidecars: !!productpage && IstioState.hasSidecar(productpage),
      tracing: !!s.jaegerPod() && s.tracingEnabled(),
      samplingPercent: s.samplingPercent(),
      store: this.traces,
      pods: podRefs,
    };
  }

  /** The HTTP handler behind a pod port, or undefined when nothing listens there. */
  handlerFor(pod: KubeObject, port: number): { key: string; handler: Handler } | undefined {
    const labels = pod.metadata.labels ?? {};
    const declared = ((pod.spec as Any)?.containers ?? []).some((c: Any) => (c.ports ?? []).some((p: Any) => p.containerPort === port));
    if (labels.app === 'jaeger' && port === 16686) {
      const base = this.state.jaegerBasePath(pod);
      return { key: `jaeger${base}`, handler: this.jaeger(base, pod) };
    }
    if (labels.istio === 'ingressgateway') {
      // Modern gateways run unprivileged: a Gateway server declared on port 80 listens on 8080
      // (and newer samples declare 8080 outright).
      const candidates = this.state.era() === 'modern' && (port === 8080 || port === 8443) ? [port, port - 8000] : [port];
      const serverPort = candidates.find((p) => this.state.gatewaysOnPort(p, pod).length > 0);
      if (serverPort === undefined) return undefined;
      return { key: `gateway:${pod.metadata.uid}:${serverPort}`, handler: (req, res) => this.gatewayRequest(pod, serverPort, req, res) };
    }
    if (labels.app === 'productpage' && port === 9080 && declared) {
      return { key: 'bookinfo-direct', handler: (this.productpageDirect ??= createBookinfoHandler(() => this.bookinfoWorld(true), { callerOf: (req) => this.meshCaller(req) })) };
    }
    if ((labels.app === 'details' || labels.app === 'reviews' || labels.app === 'ratings') && port === 9080 && declared) {
      const app = labels.app;
      const version = (['v1', 'v2', 'v3'] as const).find((v) => v === labels.version) ?? 'v1';
      const key = `bookinfo:${app}:${version}`;
      let handler = this.serviceHandlers.get(key);
      if (!handler) {
        handler = createBookinfoServiceHandler(() => this.bookinfoWorld(true), { app, version: version as ReviewsVersion, callerOf: (req) => this.meshCaller(req) });
        this.serviceHandlers.set(key, handler);
      }
      return { key, handler };
    }
    if (labels['app.kubernetes.io/name'] === 'ingress-nginx' && labels['app.kubernetes.io/component'] === 'controller' && port === 80) {
      return { key: 'ingress-nginx', handler: (req, res) => this.ingressRequest(req, res) };
    }
    return undefined;
  }

  private bookinfo?: Handler;
  private productpageDirect?: Handler;
  private serviceHandlers = new Map<string, Handler>();

  /** The pod a connection comes from, when it comes from a pod (its source address is the pod's IP). */
  private meshCaller(req: http.IncomingMessage): MeshCaller | undefined {
    const ip = req.socket.remoteAddress;
    if (!ip || ip === '127.0.0.1') return undefined;
    const pod = this.state.podByIp(ip);
    if (!pod) return undefined;
    const labels = pod.metadata.labels ?? {};
    return {
      app: labels.app ?? labels['app.kubernetes.io/name'] ?? pod.metadata.name,
      version: labels.version,
      namespace: pod.metadata.namespace ?? 'default',
      pod: { name: pod.metadata.name, ip },
      sidecar: IstioState.hasSidecar(pod),
    };
  }

  private gatewayRequest(gwPod: KubeObject, serverPort: number, req: http.IncomingMessage, res: http.ServerResponse): void {
    const routes = this.state.routesFor(this.state.gatewaysOnPort(serverPort, gwPod));
    const hosts: string[] = routes.flatMap((vs) => ((vs.spec as Any)?.http ?? []).flatMap((h: Any) => (h.route ?? []).map((r: Any) => String(r.destination?.host ?? ''))));
    if (hosts.some((h) => h.startsWith('tracing'))) {
      const jaeger = this.state.jaegerPod();
      if (!jaeger) {
        res.writeHead(503, { 'content-type': 'text/plain', server: 'envoy' });
        res.end('no healthy upstream');
        return;
      }
      this.jaeger(this.state.jaegerBasePath(jaeger), jaeger)(req, res);
      return;
    }
    this.bookinfo ??= createBookinfoHandler(() => {
      const rs = this.state.routesFor(this.state.gatewaysOnPort(serverPort, gwPod));
      const routed = rs.some((vs) => ((vs.spec as Any)?.http ?? []).some((h: Any) => (h.route ?? []).some((r: Any) => String(r.destination?.host ?? '').startsWith('productpage'))));
      return this.bookinfoWorld(routed);
    });
    this.bookinfo(req, res);
  }

  /**
   * An ingress controller's answer: the longest path of an Ingress rule that matches (host and
   * path; Prefix and ImplementationSpecific match by path segments, as ingress-nginx does) leads
   * to its backend Service's ready pod, the path passed on as it is.
   */
  private ingressRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let best: { ns: string; backend: Any; len: number } | undefined;
    for (const ing of this.state.ingresses()) {
      for (const rule of ((ing.spec as Any)?.rules ?? []) as Any[]) {
        if (rule.host && rule.host !== host) continue;
        for (const p of (rule.http?.paths ?? []) as Any[]) {
          const want = String(p.path ?? '/').trim() || '/';
          const exact = p.pathType === 'Exact';
          const base = want.replace(/\/+$/, '');
          const hit = exact ? path === want : want === '/' || path === base || path.startsWith(`${base}/`);
          if (hit && (!best || want.length > best.len)) best = { ns: ing.metadata.namespace ?? 'default', backend: p.backend ?? {}, len: want.length };
        }
      }
    }
    const page = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/html', server: 'nginx' });
      res.end(`<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
    };
    if (!best) return page(404, 'Not Found');
    // networking.k8s.io/v1 (service.name, service.port.number|name) or the v1beta1 shape (serviceName, servicePort).
    const name = best.backend.service?.name ?? best.backend.serviceName;
    const wantPort = best.backend.service?.port?.number ?? best.backend.service?.port?.name ?? best.backend.servicePort;
    const svc = name ? this.state.service(best.ns, String(name)) : undefined;
    const sp = ((svc?.spec as Any)?.ports ?? []).find((p: Any) => p.port === wantPort || p.name === wantPort);
    const pod = svc && (svc.spec as Any)?.selector ? this.state.podsBy(best.ns, (svc.spec as Any).selector).find(IstioState.ready) : undefined;
    if (!sp || !pod) return page(503, 'Service Temporarily Unavailable');
    const target = typeof sp.targetPort === 'number' ? sp.targetPort : sp.port;
    const h = this.handlerFor(pod, target);
    if (!h) return page(502, 'Bad Gateway');
    h.handler(req, res);
  }

  /**
   * Opens a byte stream to a pod's port, as a kubelet's port-forward would;
   * `from` is the address the workload sees the connection come from (a
   * calling pod's IP for traffic inside the mesh).
   */
  async connect(pod: KubeObject, port: number, from?: string): Promise<Duplex> {
    const h = this.handlerFor(pod, port);
    if (!h) throw new Error(refusedMessage(pod, port));
    const [client, server] = duplexPair(from);
    this.server(h.key, h.handler).emit('connection', server);
    return client;
  }

  close(): void {
    for (const s of this.servers.values()) s.closeAllConnections?.();
  }
}
