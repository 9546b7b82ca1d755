/**
 * The Deployment and ReplicaSet controllers: a Deployment owns one ReplicaSet
 * per pod template (named by the template's hash), a ReplicaSet keeps its
 * count of Pods, and both report status the way `kubectl rollout` reads it.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../kube/types.js';
import { matchesSelectorObject } from '../../kube/selectors.js';
import { now, type ControllerContext } from './context.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
/** Kubernetes' "safe" alphabet for generated name suffixes (no vowels, no look-alikes). */
export function safeSuffix(seed: string, n: number): string {
  const h = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < n; i++) out += SAFE[h[i] % SAFE.length];
  return out;
}

export function templateHash(template: unknown): string {
  return safeSuffix(JSON.stringify(template ?? {}), 10).slice(0, 10);
}

const ownedBy = (o: KubeObject, owner: KubeObject) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
const ownerRef = (owner: KubeObject) => ({ apiVersion: 'apps/v1', kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true });

const isReady = (p: KubeObject) => ((p.status as Any)?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');

/** Defaults that older API versions left to the server (extensions/v1beta1 had no required selector). */
export function defaultDeployment(d: KubeObject): void {
  const spec = ((d.spec as Any) ??= {});
  spec.replicas ??= 1;
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.selector ??= { matchLabels: { ...(spec.template.metadata.labels ?? {}) } };
  spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
}

/** A ReplicaSet scaled to `n`: a new object, since the stored one is frozen. */
const withReplicas = (rs: KubeObject, n: number): KubeObject => ({ ...rs, spec: { ...(rs.spec as Any), replicas: n } });

export function reconcileDeployments(ctx: ControllerContext): void {
  for (const d of ctx.store.peek(ctx.deployments)) {
    if (d.metadata.deletionTimestamp) continue;
    const spec = d.spec as Any;
    const hash = templateHash(spec.template);
    const owned = ctx.store.peek(ctx.replicasets, d.metadata.namespace).filter((rs) => ownedBy(rs, d));
    let current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    if (!current) {
      const labels = { ...(spec.template.metadata?.labels ?? {}), 'pod-template-hash': hash };
      const rs: KubeObject = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          labels,
          annotations: { 'deployment.kubernetes.io/desired-replicas': String(spec.replicas), 'deployment.kubernetes.io/revision': String(owned.length + 1) },
          ownerReferences: [ownerRef(d)],
        },
        spec: {
          replicas: spec.replicas,
          selector: { matchLabels: { ...(spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
          template: { ...spec.template, metadata: { ...(spec.template.metadata ?? {}), labels } },
        },
        status: { replicas: 0 },
      };
      try {
        current = ctx.store.create(ctx.replicasets, rs);
        ctx.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rs.metadata.name} from 0 to ${spec.replicas}`, 'deployment-controller');
      } catch {
        continue;
      }
    } else if ((current.spec as Any).replicas !== spec.replicas) {
      const from = (current.spec as Any).replicas;
      ctx.save(ctx.replicasets, withReplicas(current, spec.replicas));
      ctx.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${spec.replicas > from ? 'up' : 'down'} replica set ${current.metadata.name} from ${from} to ${spec.replicas}`, 'deployment-controller');
    }
    for (const old of owned) {
      if (old.metadata.uid === current.metadata.uid || (old.spec as Any).replicas === 0) continue;
      const from = (old.spec as Any).replicas;
      ctx.save(ctx.replicasets, withReplicas(old, 0));
      ctx.event(d, 'Normal', 'ScalingReplicaSet', `Scaled down replica set ${old.metadata.name} from ${from} to 0`, 'deployment-controller');
    }
    const all = ctx.store.peek(ctx.replicasets, d.metadata.namespace).filter((rs) => ownedBy(rs, d));
    const cur = all.find((rs) => rs.metadata.uid === current!.metadata.uid) ?? current;
    const sum = (f: string) => all.reduce((n, rs) => n + ((rs.status as Any)?.[f] ?? 0), 0);
    const ready = sum('readyReplicas');
    const want = spec.replicas as number;
    const available = ready >= want;
    const prev = (d.status as Any) ?? {};
    const cond = (type: string, status: string, reason: string, message: string) => {
      const old = (prev.conditions ?? []).find((c: Any) => c.type === type);
      if (old && old.status === status && old.reason === reason) return old;
      return { type, status, lastUpdateTime: now(), lastTransitionTime: now(), reason, message };
    };
    const status: Any = {
      observedGeneration: d.metadata.generation,
      replicas: sum('replicas'),
      updatedReplicas: (cur.status as Any)?.replicas ?? 0,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(want - ready > 0 ? { unavailableReplicas: want - ready } : {}),
      conditions: [
        available
          ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
          : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
        ((cur.status as Any)?.readyReplicas ?? 0) >= want
          ? cond('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${cur.metadata.name}" has successfully progressed.`)
          : cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${cur.metadata.name}" is progressing.`),
      ],
    };
    if (status.readyReplicas === 0) delete status.readyReplicas;
    if (status.availableReplicas === 0) delete status.availableReplicas;
    if (JSON.stringify(status) !== JSON.stringify(d.status)) ctx.save(ctx.deployments, { ...d, status });
  }
}

export function reconcileReplicaSets(ctx: ControllerContext): void {
  for (const rs of ctx.store.peek(ctx.replicasets)) {
    const spec = rs.spec as Any;
    const pods = ctx.store
      .peek(ctx.pods, rs.metadata.namespace)
      .filter((p) => ownedBy(p, rs) && !p.metadata.deletionTimestamp);
    const want = spec.replicas ?? 1;
    for (let i = pods.length; i < want; i++) {
      const tmpl = spec.template ?? {};
      let name = '';
      for (let attempt = 0; attempt < 20; attempt++) {
        name = `${rs.metadata.name}-${safeSuffix(`${rs.metadata.uid}-${Math.random()}`, 5)}`;
        if (!ctx.store.peekOne(ctx.pods, rs.metadata.namespace, name)) break;
      }
      const pod: KubeObject = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: rs.metadata.namespace,
          generateName: `${rs.metadata.name}-`,
          labels: { ...(tmpl.metadata?.labels ?? {}) },
          annotations: { ...(tmpl.metadata?.annotations ?? {}) },
          ownerReferences: [{ ...ownerRef(rs), apiVersion: 'apps/v1', kind: 'ReplicaSet' }],
        },
        spec: structuredClone(tmpl.spec ?? {}),
      };
      try {
        // Pods made by controllers pass the same admission as any other (sidecar injection, defaults).
        ctx.createPod(pod);
        ctx.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, 'replicaset-controller');
      } catch (e) {
        ctx.event(rs, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, 'replicaset-controller');
        break;
      }
    }
    if (pods.length > want) {
      // Scale down the newest, not-ready ones first, as the real controller prefers.
      const victims = [...pods].sort((a, b) => Number(isReady(a)) - Number(isReady(b)) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '')).slice(0, pods.length - want);
      for (const v of victims) {
        try {
          ctx.store.delete(ctx.pods, v.metadata.namespace, v.metadata.name);
          ctx.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${v.metadata.name}`, 'replicaset-controller');
        } catch {
          /* already gone */
        }
      }
    }
    const live = ctx.store.peek(ctx.pods, rs.metadata.namespace).filter((p) => ownedBy(p, rs) && !p.metadata.deletionTimestamp);
    const ready = live.filter(isReady).length;
    const status: Any = { replicas: live.length, fullyLabeledReplicas: live.filter((p) => matchesSelectorObject(spec.selector, p.metadata.labels)).length, observedGeneration: rs.metadata.generation };
    if (ready) {
      status.readyReplicas = ready;
      status.availableReplicas = ready;
    }
    if (JSON.stringify(status) !== JSON.stringify(rs.status)) ctx.save(ctx.replicasets, { ...rs, status });
  }
}
