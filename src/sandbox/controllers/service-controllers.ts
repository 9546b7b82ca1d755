/** Service admission (cluster IPs, node ports) and the Endpoints controller. */
import type { KubeObject } from '../../kube/types.js';
import { ApiError } from '../api/http-util.js';
import { matchesSelectorObject } from '../../kube/selectors.js';
import type { ControllerContext } from './context.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class ServiceAllocator {
  private nextIp = 10;

  constructor(
    private ctx: ControllerContext,
    /** A node port that must be used for this service port (the sandbox's real gateway listener). */
    private pinnedNodePort: (svc: KubeObject, port: Any) => number | undefined,
  ) {}

  private usedNodePorts(except?: string): Set<number> {
    const used = new Set<number>();
    for (const s of this.ctx.store.peek(this.ctx.services)) {
      if (s.metadata.uid && s.metadata.uid === except) continue;
      for (const p of ((s.spec as Any)?.ports ?? []) as Any[]) if (p.nodePort) used.add(p.nodePort);
    }
    return used;
  }

  admit(svc: KubeObject, old: KubeObject | undefined): void {
    const spec = ((svc.spec as Any) ??= {});
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (old) spec.clusterIP ??= (old.spec as Any)?.clusterIP;
    if (!spec.clusterIP) spec.clusterIP = spec.type === 'ExternalName' ? undefined : `10.96.${Math.floor(this.nextIp / 250)}.${(this.nextIp++ % 250) + 1}`;
    if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
    const used = this.usedNodePorts(old?.metadata.uid);
    const oldPorts: Any[] = (old?.spec as Any)?.ports ?? [];
    const ports = (spec.ports ?? []) as Any[];
    const nodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    // The ports given (or pinned, or kept from before) first, then random ones for the rest: a
    // random pick must never take a port a later entry of the same Service asks for.
    for (const p of ports) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
      if (!nodePorts) {
        delete p.nodePort;
        continue;
      }
      const pinned = this.pinnedNodePort(svc, p);
      if (pinned) p.nodePort = pinned;
      p.nodePort ??= oldPorts.find((o) => o.port === p.port && o.nodePort)?.nodePort;
      if (!p.nodePort) continue;
      if (used.has(p.nodePort) && !pinned) {
        throw new ApiError(422, 'Invalid', `Service "${svc.metadata.name}" is invalid: spec.ports[${ports.indexOf(p)}].nodePort: Invalid value: ${p.nodePort}: provided port is already allocated`);
      }
      used.add(p.nodePort);
    }
    for (const p of nodePorts ? ports : []) {
      if (p.nodePort) continue;
      let n = 30000 + Math.floor(Math.random() * 2768);
      while (used.has(n)) n = n >= 32767 ? 30000 : n + 1;
      p.nodePort = n;
      used.add(n);
    }
    if (spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
    // No load balancer in the sandbox: EXTERNAL-IP stays <pending>, as on kind or minikube, so
    // GATEWAY_URL comes from the node port and the node address — unless someone writes the
    // status (the API server keeps the old status on spec updates; /status writes set it).
    svc.status = old ? (svc.status ?? old.status) : { loadBalancer: {} };
  }
}

const isReady = (p: KubeObject) => ((p.status as Any)?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');

export function reconcileEndpoints(ctx: ControllerContext): void {
  for (const svc of ctx.store.peek(ctx.services)) {
    const spec = svc.spec as Any;
    if (!spec?.selector) continue;
    const pods = ctx.store.peek(ctx.pods, svc.metadata.namespace).filter((p) => matchesSelectorObject({ matchLabels: spec.selector }, p.metadata.labels) && (p.status as Any)?.podIP);
    const addr = (p: KubeObject) => ({ ip: (p.status as Any).podIP, nodeName: (p.spec as Any).nodeName, targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid } });
    const ports = ((spec.ports ?? []) as Any[]).map((p) => {
      let port = p.targetPort;
      if (typeof port === 'string') {
        for (const pod of pods) for (const c of (pod.spec as Any).containers ?? []) for (const cp of c.ports ?? []) if (cp.name === port) port = cp.containerPort;
      }
      return { ...(p.name ? { name: p.name } : {}), port: typeof port === 'number' ? port : p.port, protocol: p.protocol ?? 'TCP' };
    });
    const ready = pods.filter(isReady).map(addr);
    const notReady = pods.filter((p) => !isReady(p)).map(addr);
    const subsets = ready.length || notReady.length ? [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports }] : [];
    const existing = ctx.store.peekOne(ctx.endpoints, svc.metadata.namespace, svc.metadata.name);
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels: svc.metadata.labels },
      ...(subsets.length ? { subsets } : {}),
    };
    if (!existing) {
      try {
        ctx.store.create(ctx.endpoints, body);
      } catch {
        /* raced */
      }
    } else if (JSON.stringify(existing.subsets ?? null) !== JSON.stringify(body.subsets ?? null)) {
      ctx.save(ctx.endpoints, { ...existing, subsets: body.subsets });
    }
  }
  // Endpoints of deleted services go with them.
  for (const ep of ctx.store.peek(ctx.endpoints)) {
    if (!ctx.store.peekOne(ctx.services, ep.metadata.namespace, ep.metadata.name)) {
      try {
        ctx.store.delete(ctx.endpoints, ep.metadata.namespace, ep.metadata.name);
      } catch {
        /* gone */
      }
    }
  }
}
