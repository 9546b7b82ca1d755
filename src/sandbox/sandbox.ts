/**
 * The embedded cluster: an HTTPS Kubernetes API on 127.0.0.1 with a random
 * bearer token, simulated controllers, and Istio/Bookinfo/Jaeger workloads,
 * seeded from a scenario.
 */
import https from 'node:https';
import net from 'node:net';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import type { KubeObject } from '../kube/types.js';
import { ApiServer, type ForbiddenRule } from './api/server.js';
import { ApiError } from './api/http-util.js';
import { Authorizer } from './api/authorizer.js';
import { KUBERNETES_RELEASES, kubernetesRelease } from './kubernetes-release.js';
import { ResourceTypes, resourceKey } from './api/resource-types.js';
import { Store } from './api/store.js';
import { ControllerContext, DEFAULT_TIMING, type Timing } from './controllers/context.js';
import { PodLifecycle, NODE_IP, NODE_NAME } from './controllers/pod-lifecycle.js';
import { defaultDeployment, reconcileDeployments, reconcileReplicaSets } from './controllers/workload-controllers.js';
import { ServiceAllocator, reconcileEndpoints } from './controllers/service-controllers.js';
import { admitCrd, collectGarbage, NamespaceTerminator, syncCrdTypes } from './controllers/lifecycle-controllers.js';
import { IstioState } from './istio-state.js';
import { WorkloadRouter } from './workload-router.js';
import { selfSignedCertificate } from './tls.js';
import { sandboxKubeconfig } from './kubeconfig.js';
import { writeKubeconfig } from '../kube/kubeconfig-file.js';
import { getScenario, SCENARIO_NAMES } from './scenarios/index.js';
import { INGRESS_CONTROLLER, INGRESS_CONTROLLER_LABELS, INGRESS_NS } from './scenarios/ingress.js';
import { handlePortForwardUpgrade } from './portforward/index.js';
import { handleExecUpgrade } from './exec/index.js';
import { SimulatedContainers } from './container/runtime.js';
import { SandboxFaults } from './faults.js';

export interface SandboxOptions {
  /** Scenario name (see `listScenarios`). @default 'ready' */
  scenario?: string;
  /** API port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Where to write the kubeconfig; a temp file when omitted (removed on stop). */
  kubeconfigOut?: string;
  timing?: Partial<Timing>;
  /** Requests the sandbox refuses with 403, to rehearse RBAC failures (added to the scenario's own). */
  forbid?: ForbiddenRule[];
  /**
   * The Kubernetes release to run (`1.14`), instead of the scenario's: /version, the node's
   * kubelet and the API groups served follow it (the minor also picks the kubectl the dispatcher runs).
   */
  kubernetes?: string;
  bookmarkIntervalMs?: number;
}

export class UnknownScenarioError extends Error {}

export class Sandbox {
  constructor(
    readonly scenario: string,
    readonly url: string,
    readonly token: string,
    readonly kubeconfigPath: string,
    readonly kubeconfig: string,
    /** The real loopback port behind the ingress gateway's `http2` node port. */
    readonly gatewayPort: number,
    readonly store: Store,
    readonly types: ResourceTypes,
    readonly api: ApiServer,
    readonly workloads: WorkloadRouter,
    private closers: Array<() => void | Promise<void>>,
    private busy: () => boolean,
    /** Fault switches for the API server (outage, dropped or expired watches, latency, errors): see faults.ts. */
    readonly faults: SandboxFaults,
    /**
     * A kubectl cache folder of this run's own, for KUBECACHEDIR. kubectl keeps discovery on disk
     * per host and port for hours (~/.kube/cache/discovery/127.0.0.1_PORT): a later sandbox on a
     * reused port that serves another Kubernetes release's groups would otherwise be read from
     * the earlier one's cache.
     */
    readonly kubectlCacheDir: string,
  ) {}

  /** Kubernetes objects of a kind, for tests and tools that sit beside the API. */
  objects(group: string, plural: string, namespace?: string): KubeObject[] {
    const rt = this.types.byKey(`${group}/${plural}`);
    return rt ? this.store.list(rt, namespace) : [];
  }

  /** Resolves once no pod is on its way to a resting state (Running, or stuck), or after `timeoutMs`. */
  async settled(timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end && this.busy()) await new Promise((r) => setTimeout(r, 25));
  }

  async stop(): Promise<void> {
    for (const c of this.closers.reverse()) await c();
  }
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const scenarioName = opts.scenario ?? 'ready';
  const scenario = getScenario(scenarioName);
  if (!scenario) throw new UnknownScenarioError(`unknown scenario "${scenarioName}"; known scenarios: ${SCENARIO_NAMES.join(', ')}`);

  const k8s = opts.kubernetes === undefined ? scenario.kubernetes : kubernetesRelease(opts.kubernetes);
  if (!k8s) throw new UnknownScenarioError(`unknown Kubernetes release "${opts.kubernetes}"; known: ${Object.keys(KUBERNETES_RELEASES).join(', ')}`);
  const store = new Store();
  const types = new ResourceTypes(k8s.minor);
  const ctx = new ControllerContext(store, types, { ...DEFAULT_TIMING, ...opts.timing }, new Set(scenario.brokenImages ?? []));
  const state = new IstioState(store, types);
  const pods = new PodLifecycle(ctx, () => state.era());
  const workloads = new WorkloadRouter(state);
  const terminator = new NamespaceTerminator(ctx);
  const containers = new SimulatedContainers({
    services: (ns) => store.list(types.byKey('/services')!, ns),
    pods: (ns) => store.list(types.byKey('/pods')!, ns),
    namespaceExists: (name) => !!store.get(types.byKey('/namespaces')!, undefined, name),
  }, workloads);

  // The ingress gateway's node port is a real loopback listener: GATEWAY_URL works from a shell.
  // When 31380 is taken (another sandbox), the gateway's real port is picked at random: never one
  // that a Service of the scenario (or of Istio's released manifests) declares, or admission of
  // that Service would find it already allocated.
  const declared = new Set([31380, 31390, 31400, 31443, 30080, 30443, 30521, 30543]);
  for (const o of scenario.objects) {
    for (const p of ((o.spec as { ports?: Array<{ nodePort?: number }> } | undefined)?.ports ?? [])) if (typeof p?.nodePort === 'number') declared.add(p.nodePort);
  }
  const gateway = await listenNodePort(31380, declared, 'the ingress gateway', () => {
    const gw = state.podsBy('istio-system', { istio: 'ingressgateway' }).find(IstioState.ready);
    return gw && { pod: gw, port: state.era() === 'modern' ? 8080 : 80 };
  }, workloads);
  // A world with an ingress controller (the tracing Ingress): its `http` node port is real too.
  const hasIngress = scenario.objects.some((o) => o.kind === 'Service' && o.metadata.namespace === INGRESS_NS && o.metadata.name === INGRESS_CONTROLLER);
  const ingress = hasIngress
    ? await listenNodePort(30080, new Set([...declared, gateway.port]), 'the ingress controller', () => {
      const pod = state.podsBy(INGRESS_NS, INGRESS_CONTROLLER_LABELS).find(IstioState.ready);
      return pod && { pod, port: 80 };
    }, workloads).catch((e) => {
      gateway.server.close();
      throw e;
    })
    : undefined;
  const services = new ServiceAllocator(ctx, (svc, port) => {
    if (svc.metadata.namespace === 'istio-system' && svc.metadata.name === 'istio-ingressgateway' && port.name === 'http2') return gateway.port;
    if (ingress && svc.metadata.namespace === INGRESS_NS && svc.metadata.name === INGRESS_CONTROLLER && port.name === 'http') return ingress.port;
    return undefined;
  });

  const admit = (op: 'create' | 'update' | 'delete', rt: ReturnType<ResourceTypes['all']>[number], obj: KubeObject, old: KubeObject | undefined) => {
    if (op === 'delete') return;
    const key = resourceKey(rt);
    if (key === '/pods' && op === 'create') pods.admit(obj);
    if (key === '/services') services.admit(obj, old);
    if (key === 'apps/deployments') defaultDeployment(obj);
    if (key === '/namespaces') {
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = old?.status ?? { phase: 'Active' };
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    }
    if (key === 'apiextensions.k8s.io/customresourcedefinitions') {
      admitCrd(obj);
      if (!types.defineFromCrd(obj)) throw new ApiError(422, 'Invalid', `CustomResourceDefinition "${obj.metadata.name}" is invalid: spec: Required value: group, names.plural, names.kind and at least one version are required`);
    }
  };
  ctx.createPod = (pod) => {
    admit('create', ctx.pods, pod, undefined);
    return store.create(ctx.pods, pod);
  };

  // One reconcile pass at a time, re-run while the store keeps changing. Each controller runs
  // only when a kind it reads has changed: a pass over everything costs tens of milliseconds
  // on the event loop the runner shares, so a Gateway created must not re-run the ReplicaSets.
  let scheduled = false;
  let stopped = false;
  let changed = new Set<string>();
  let gcNeeded = false;
  const reconcile = (all = false) => {
    scheduled = false;
    if (stopped) return;
    const keys = changed;
    changed = new Set();
    const gc = gcNeeded;
    gcNeeded = false;
    const any = (...ks: string[]) => all || ks.some((k) => keys.has(k));
    if (any('apiextensions.k8s.io/customresourcedefinitions')) syncCrdTypes(ctx);
    if (any('/namespaces') || terminator.busy) terminator.reconcile();
    if (all || gc) collectGarbage(ctx);
    if (any('apps/deployments', 'apps/replicasets', '/pods')) {
      reconcileDeployments(ctx);
      reconcileReplicaSets(ctx);
      reconcileDeployments(ctx);
    }
    if (any('/services', '/endpoints', '/pods')) reconcileEndpoints(ctx);
  };
  const unsubscribe = store.subscribe((ev) => {
    if (ev.key === '/pods') {
      if (ev.type === 'ADDED') pods.started(ev.object);
      if (ev.type === 'DELETED') pods.forget(ev.object);
    }
    if (ev.key === '/events') return;
    changed.add(ev.key);
    // Dependents follow their owners: after a deletion, or when something arrives already owned.
    if (ev.type === 'DELETED' || (ev.type === 'ADDED' && ev.object.metadata.ownerReferences?.length)) gcNeeded = true;
    if (!scheduled) {
      scheduled = true;
      setImmediate(reconcile);
    }
  });

  // Seed: the node, then the scenario's objects through the same admission a client's would pass.
  store.create(types.byKey('/nodes')!, node(k8s.gitVersion.replace(/-.*$/, '')));
  const seedOrder = (o: KubeObject) => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2);
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    if (!scenario.objects.some((o) => o.kind === 'Namespace' && o.metadata.name === ns)) scenario.objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  for (const o of [...scenario.objects].sort((a, b) => seedOrder(a) - seedOrder(b))) {
    // Objects are written as the newest API version has them; an older Kubernetes stores them all the same.
    const rt = types.byKind(o.apiVersion, o.kind) ?? types.byGroupKind(o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '', o.kind);
    if (!rt) throw new Error(`scenario ${scenarioName}: no kind ${o.apiVersion} ${o.kind} in Kubernetes ${k8s.name}`);
    if (rt.namespaced) o.metadata.namespace ??= 'default';
    admit('create', rt, o, undefined);
    store.create(rt, o);
  }
  for (const sa of ['default']) {
    for (const ns of store.list(types.byKey('/namespaces')!)) {
      if (!store.get(types.byKey('/serviceaccounts')!, ns.metadata.name, sa)) store.create(types.byKey('/serviceaccounts')!, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns.metadata.name } });
    }
  }
  reconcile(true);
  // Events before this point are history a client could never have seen: compact them, as etcd would.
  store.compact();

  const token = randomBytes(24).toString('base64url');
  const cert = await selfSignedCertificate();
  let serverAddress = '127.0.0.1:0';
  const api = new ApiServer({
    store,
    types,
    token,
    version: { major: '1', minor: String(k8s.minor), gitVersion: k8s.gitVersion, goVersion: k8s.goVersion, buildDate: k8s.buildDate },
    admit: [admit],
    serverAddress: () => serverAddress,
    authorizer: new Authorizer([...(scenario.refused ?? []), ...(opts.forbid ?? [])]),
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
    portForward: (pod, req, socket, head) => handlePortForwardUpgrade(req, socket, head, (port) => workloads.connect(pod, port)),
    exec: (pod, container, req, socket, head) => handleExecUpgrade(req, socket, head, (command, io) => containers.run(pod, container, command, io)),
    podLog: (pod, container) => podLog(pod, container),
    serviceProxy: (svc, port, path, req, res) => proxyToService(state, workloads, svc, port, path, req, res),
  });
  // Set once the server listens; with every fault switch off, a request pays one property read.
  let faults: SandboxFaults | undefined;
  const server = https.createServer({ cert: cert.cert, key: cert.key }, (req, res) =>
    faults?.armed ? faults.handle(req, res, () => void api.handle(req, res)) : void api.handle(req, res),
  );
  server.on('upgrade', (req, socket, head) =>
    faults?.armed ? faults.handleUpgrade(socket, () => api.handleUpgrade(req, socket, head)) : api.handleUpgrade(req, socket, head),
  );
  server.on('clientError', (_e, socket) => socket.destroy());
  // Every socket, upgraded ones included: stopping must not wait on a client that keeps a watch open.
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  }).catch((e: NodeJS.ErrnoException) => {
    gateway.server.close();
    ingress?.server.close();
    if (e.code === 'EADDRINUSE') throw new PortInUseError(`port ${opts.port} on 127.0.0.1 is already in use; pick another with --port, or 0 for any free port`);
    throw e;
  });
  const port = (server.address() as net.AddressInfo).port;
  faults = new SandboxFaults(server, sockets, api, store, port);
  serverAddress = `127.0.0.1:${port}`;
  const url = `https://127.0.0.1:${port}`;
  const kubeconfigText = sandboxKubeconfig(url, token);
  const tempConfig = !opts.kubeconfigOut;
  const kubeconfigPath = opts.kubeconfigOut ?? join(tmpdir(), `kubetutor-sandbox-${process.pid}-${port}.kubeconfig`);
  writeKubeconfig(kubeconfigPath, kubeconfigText);
  const kubectlCacheDir = mkdtempSync(join(tmpdir(), 'kubetutor-kubectl-cache-'));

  const closers: Array<() => void | Promise<void>> = [
    () => {
      stopped = true;
      unsubscribe();
      pods.stop();
      terminator.stop();
    },
    () => api.closeWatches(),
    () => workloads.close(),
    () => new Promise<void>((r) => { gateway.server.close(() => r()); gateway.closeAll(); }),
    ...(ingress ? [() => new Promise<void>((r) => { ingress.server.close(() => r()); ingress.closeAll(); })] : []),
    () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); for (const s of sockets) s.destroy(); }),
    () => { if (tempConfig) rmSync(kubeconfigPath, { force: true }); },
    () => rmSync(kubectlCacheDir, { recursive: true, force: true }),
  ];
  return new Sandbox(scenarioName, url, token, kubeconfigPath, kubeconfigText, gateway.port, store, types, api, workloads, closers.reverse(), () => scheduled || pods.pending() > 0, faults, kubectlCacheDir);
}

export class PortInUseError extends Error {}

function node(kubeletVersion: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: NODE_NAME, labels: { 'kubernetes.io/hostname': NODE_NAME, 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' } },
    spec: {},
    status: {
      addresses: [{ type: 'InternalIP', address: NODE_IP }, { type: 'Hostname', address: NODE_NAME }],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      nodeInfo: { kubeletVersion, osImage: 'kubetutor sandbox', containerRuntimeVersion: 'containerd://1.7.0', architecture: 'amd64', operatingSystem: 'linux' },
      capacity: { cpu: '2', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '2', memory: '8Gi', pods: '110' },
    },
  };
}

/**
 * Binds a node port on 127.0.0.1 that leads to a pod's port (the ingress gateway's, an ingress
 * controller's): the usual port (31380 for Istio's gateway) when free, else another in the
 * node-port range that no Service declares.
 */
async function listenNodePort(
  preferred: number,
  avoid: ReadonlySet<number>,
  what: string,
  target: () => { pod: KubeObject; port: number } | undefined,
  workloads: WorkloadRouter,
): Promise<{ server: net.Server; port: number; closeAll: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const to = target();
    if (!to) return socket.destroy();
    workloads.connect(to.pod, to.port).then(
      (pod) => {
        socket.pipe(pod).pipe(socket);
        pod.on('error', () => socket.destroy());
        socket.on('close', () => pod.destroy());
      },
      () => socket.destroy(),
    );
  });
  const tryListen = (port: number) =>
    new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
  const closeAll = () => sockets.forEach((s) => s.destroy());
  if (await tryListen(preferred)) return { server, port: preferred, closeAll };
  for (let i = 0; i < 50; i++) {
    const p = 30000 + Math.floor(Math.random() * 2768);
    if (avoid.has(p)) continue;
    if (await tryListen(p)) return { server, port: p, closeAll };
  }
  throw new PortInUseError(`no free port in 30000-32767 on 127.0.0.1 for ${what}`);
}

function podLog(pod: KubeObject, container: string | undefined): string {
  const containers = ((pod.spec as { containers?: Array<{ name: string; image: string }> }).containers ?? []);
  const c = containers.find((x) => x.name === container) ?? containers[0];
  if (!c) return '';
  const t = pod.metadata.creationTimestamp ?? new Date().toISOString();
  if (c.name === 'istio-proxy') return `${t}\tinfo\tEnvoy proxy is ready\n`;
  if (/jaeger/.test(c.image)) return `{"level":"info","ts":"${t}","msg":"Query server started","port":16686}\n`;
  return `${t} ${c.name} started (image ${c.image})\n`;
}

/** `kubectl get --raw /api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH` reaches the service's first ready pod. */
function proxyToService(state: IstioState, workloads: WorkloadRouter, svc: KubeObject, port: string | undefined, path: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  type P = { name?: string; port: number; targetPort?: number | string };
  const spec = svc.spec as { selector?: Record<string, string>; ports?: P[] };
  const sp = (spec.ports ?? []).find((p) => !port || p.name === port || String(p.port) === port);
  const pod = spec.selector ? state.podsBy(svc.metadata.namespace!, spec.selector).find(IstioState.ready) : undefined;
  const fail = (code: number, msg: string) => {
    const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: msg, reason: code === 503 ? 'ServiceUnavailable' : 'NotFound', code });
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(body);
  };
  if (!sp || !pod) return fail(503, `no endpoints available for service "${svc.metadata.name}"`);
  const target = typeof sp.targetPort === 'number' ? sp.targetPort : sp.port;
  const search = new URL(req.url ?? '/', 'https://x').search;
  workloads.connect(pod, target).then(
    (stream) => {
      const r = http.request({ method: req.method, path: path + search, headers: { accept: req.headers.accept ?? '*/*' }, createConnection: () => stream as unknown as net.Socket });
      r.on('response', (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      r.on('error', () => fail(503, 'error trying to reach service'));
      req.pipe(r);
    },
    () => fail(503, `error trying to reach service: dial tcp ${(pod.status as { podIP?: string }).podIP}:${target}: connect: connection refused`),
  );
}
