/**
 * What the scheduler and kubelet would do to a pod: defaults and an IP at
 * admission, Istio's sidecar injection, then Pending → Running and Ready
 * after a short delay — or ErrImagePull → ImagePullBackOff for an image that
 * cannot be pulled, with the events a real node records.
 */
import type { KubeObject, IstioEra } from '../../kube/types.js';
import { now, type ControllerContext } from './context.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const NODE_NAME = 'sandbox';
export const NODE_IP = '127.0.0.1';

const PROXY_IMAGE: Record<IstioEra, string> = {
  '1.0': 'docker.io/istio/proxyv2:1.0.9',
  '1.1': 'docker.io/istio/proxyv2:1.1.4',
  modern: 'docker.io/istio/proxyv2:1.29.6',
};

/** Images whose pull fails: a scenario's broken ones, and tags that say so. */
export function imageMissing(ctx: ControllerContext, image: string): boolean {
  return ctx.brokenImages.has(image) || /:(does-not-exist|nonexistent|missing)$/.test(image);
}

export class PodLifecycle {
  private timers = new Map<string, NodeJS.Timeout[]>();
  private nextIp = 10;

  constructor(
    private ctx: ControllerContext,
    /** The Istio layout installed right now (decides whether and what to inject). */
    private era: () => IstioEra | null,
  ) {}

  /** Admission for a new pod: defaults, scheduling, sidecar injection. */
  admit(pod: KubeObject): void {
    const spec = ((pod.spec as Any) ??= {});
    spec.containers ??= [];
    spec.restartPolicy ??= 'Always';
    spec.dnsPolicy ??= 'ClusterFirst';
    spec.schedulerName ??= 'default-scheduler';
    spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
    spec.terminationGracePeriodSeconds ??= 30;
    spec.nodeName ??= NODE_NAME;
    for (const c of spec.containers) {
      c.imagePullPolicy ??= c.image?.endsWith(':latest') || !c.image?.includes(':') ? 'Always' : 'IfNotPresent';
      c.terminationMessagePath ??= '/dev/termination-log';
      c.terminationMessagePolicy ??= 'File';
      for (const p of c.ports ?? []) p.protocol ??= 'TCP';
    }
    this.inject(pod);
    const ip = `10.244.0.${this.nextIp++ % 250 + 2}`;
    pod.status = {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now() }],
      hostIP: NODE_IP,
      hostIPs: [{ ip: NODE_IP }],
      podIP: ip,
      podIPs: [{ ip }],
      qosClass: 'BestEffort',
      startTime: now(),
      containerStatuses: spec.containers.map((c: Any) => ({ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} })),
      ...(spec.initContainers?.length ? { initContainerStatuses: spec.initContainers.map((c: Any) => ({ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } }, lastState: {} })) } : {}),
    };
  }

  private inject(pod: KubeObject): void {
    const era = this.era();
    if (!era) return;
    const ns = this.ctx.store.get(this.ctx.namespaces, undefined, pod.metadata.namespace ?? 'default');
    const enabled = ns?.metadata.labels?.['istio-injection'] === 'enabled' || ns?.metadata.labels?.['istio.io/rev'] !== undefined;
    const optOut = pod.metadata.annotations?.['sidecar.istio.io/inject'] === 'false' || pod.metadata.labels?.['sidecar.istio.io/inject'] === 'false';
    const spec = pod.spec as Any;
    if (!enabled || optOut || spec.hostNetwork || spec.containers.some((c: Any) => c.name === 'istio-proxy')) return;
    const image = PROXY_IMAGE[era];
    const app = pod.metadata.labels?.app ?? pod.metadata.name;
    spec.initContainers = [
      ...(spec.initContainers ?? []),
      { name: 'istio-init', image, args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020'], imagePullPolicy: 'IfNotPresent', securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] }, runAsUser: 0 } },
    ];
    spec.containers.push({
      name: 'istio-proxy',
      image,
      args: ['proxy', 'sidecar', '--domain', `${pod.metadata.namespace}.svc.cluster.local`, '--serviceCluster', era === 'modern' ? `${app}.${pod.metadata.namespace}` : app],
      ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
      imagePullPolicy: 'IfNotPresent',
      env: [{ name: 'ISTIO_META_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      readinessProbe: { httpGet: { path: '/healthz/ready', port: era === 'modern' ? 15021 : 15020 } },
    });
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), 'sidecar.istio.io/status': JSON.stringify({ initContainers: ['istio-init'], containers: ['istio-proxy'], volumes: ['istio-envoy'], imagePullSecrets: null }) };
    pod.metadata.labels = { ...(pod.metadata.labels ?? {}), 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': app };
  }

  /** Starts the simulated kubelet's work on a freshly stored pod. */
  started(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    const ctx = this.ctx;
    const spec = pod.spec as Any;
    ctx.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${NODE_NAME}`, 'default-scheduler');
    const broken = spec.containers.find((c: Any) => imageMissing(ctx, c.image));
    const timers: NodeJS.Timeout[] = [];
    let remaining = 0;
    const later = (ms: number, fn: () => void) => {
      remaining++;
      timers.push(
        setTimeout(() => {
          this.ifAlive(pod, fn);
          // Its last transition done, the pod has reached its resting state.
          if (--remaining === 0) this.timers.delete(uid);
        }, ms),
      );
    };
    if (broken) {
      later(this.ctx.timing.podReadyMs / 2, () => this.pullFails(pod, broken, 'ErrImagePull'));
      later(this.ctx.timing.podReadyMs / 2 + this.ctx.timing.backoffMs, () => this.pullFails(pod, broken, 'ImagePullBackOff'));
    } else {
      later(this.ctx.timing.podReadyMs, () => this.run(pod));
    }
    for (const t of timers) t.unref();
    this.timers.set(uid, timers);
  }

  forget(pod: KubeObject): void {
    for (const t of this.timers.get(pod.metadata.uid!) ?? []) clearTimeout(t);
    this.timers.delete(pod.metadata.uid!);
  }

  /** Pods still on their way to Running (or to ImagePullBackOff). */
  pending(): number {
    return this.timers.size;
  }

  stop(): void {
    for (const ts of this.timers.values()) for (const t of ts) clearTimeout(t);
    this.timers.clear();
  }

  private ifAlive(pod: KubeObject, fn: () => void): void {
    const cur = this.ctx.store.get(this.ctx.pods, pod.metadata.namespace, pod.metadata.name);
    if (cur && cur.metadata.uid === pod.metadata.uid) fn();
  }

  private current(pod: KubeObject): KubeObject {
    return this.ctx.store.get(this.ctx.pods, pod.metadata.namespace, pod.metadata.name)!;
  }

  private pullFails(pod: KubeObject, container: Any, reason: 'ErrImagePull' | 'ImagePullBackOff'): void {
    const ctx = this.ctx;
    const p = this.current(pod);
    const image = container.image as string;
    const status = p.status as Any;
    if (reason === 'ErrImagePull') {
      ctx.event(p, 'Normal', 'Pulling', `Pulling image "${image}"`);
      ctx.event(p, 'Warning', 'Failed', `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`);
      ctx.event(p, 'Warning', 'Failed', 'Error: ErrImagePull');
    } else {
      ctx.event(p, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
      ctx.event(p, 'Warning', 'Failed', 'Error: ImagePullBackOff');
    }
    const message = reason === 'ErrImagePull' ? `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found` : `Back-off pulling image "${image}"`;
    status.containerStatuses = status.containerStatuses.map((cs: Any) =>
      cs.name === container.name ? { ...cs, state: { waiting: { reason, message } } } : this.runningStatus(cs, false),
    );
    // Init containers finish; the pod stays Pending because one container never starts.
    if (status.initContainerStatuses) status.initContainerStatuses = status.initContainerStatuses.map((c: Any) => this.terminatedInit(c));
    status.conditions = [
      ...status.conditions.filter((c: Any) => c.type === 'PodScheduled'),
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now() },
      { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: now(), reason: 'ContainersNotReady', message: `containers with unready status: [${container.name}]` },
      { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: now(), reason: 'ContainersNotReady', message: `containers with unready status: [${container.name}]` },
    ];
    ctx.save(ctx.pods, p);
  }

  private run(pod: KubeObject): void {
    const ctx = this.ctx;
    const p = this.current(pod);
    const spec = p.spec as Any;
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      ctx.event(p, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
      ctx.event(p, 'Normal', 'Created', `Created container: ${c.name}`);
      ctx.event(p, 'Normal', 'Started', `Started container ${c.name}`);
    }
    const status = p.status as Any;
    status.phase = 'Running';
    status.containerStatuses = status.containerStatuses.map((cs: Any) => this.runningStatus(cs, true));
    if (status.initContainerStatuses) status.initContainerStatuses = status.initContainerStatuses.map((c: Any) => this.terminatedInit(c));
    const t = now();
    status.conditions = [
      { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      ...status.conditions.filter((c: Any) => c.type === 'PodScheduled'),
    ];
    ctx.save(ctx.pods, p);
  }

  private runningStatus(cs: Any, ready: boolean): Any {
    const digest = 'sha256:' + Buffer.from(cs.image).toString('hex').padEnd(64, '0').slice(0, 64);
    return { ...cs, ready, started: true, imageID: `${cs.image.split(':')[0]}@${digest}`, containerID: `containerd://${digest.slice(7)}`, state: { running: { startedAt: now() } } };
  }

  private terminatedInit(cs: Any): Any {
    return { ...cs, ready: true, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now(), finishedAt: now() } } };
  }
}
