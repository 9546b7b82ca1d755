/**
 * Checks on Kubernetes objects: namespace, pods-ready, container-present,
 * deployment-available, service and resource. Gathering reads the cluster
 * and condenses objects into small fact records; judging reads only those.
 */
import { ClusterError, type KubeClient } from '../cluster/kube-client.js';
import type { KubeObject } from '../kube/types.js';
import type { CheckResult } from '../lesson/types.js';
import { clip, failed, listing, passed, plural, readObject, readObjects, requireCluster, shellWord, usableObjects } from './common.js';
import type { CheckKindModule, CheckOf } from './types.js';

// ---------------------------------------------------------------------------
// Facts

export interface NamespaceFact {
  name: string;
  /** null when the namespace could not be read (RBAC). */
  exists: boolean | null;
  phase?: string;
  labels: Record<string, string>;
}

export interface ConditionFact {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface ContainerStatusFact {
  name: string;
  image?: string;
  init?: boolean;
  ready: boolean;
  restartCount: number;
  state: 'waiting' | 'running' | 'terminated' | 'unknown';
  reason?: string;
  message?: string;
  exitCode?: number;
  lastTermination?: { reason?: string; exitCode?: number };
}

export interface PodFact {
  name: string;
  phase: string;
  ready: boolean;
  /** Has a deletionTimestamp: on its way out. */
  terminating: boolean;
  createdAt?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Containers in the spec, native sidecars (restartPolicy Always init containers) included. */
  containers: string[];
  statuses: ContainerStatusFact[];
  conditions: ConditionFact[];
}

export interface EventFact {
  /** Name of the object the event is about. */
  object: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  /** Last seen (RFC 3339), when known. */
  last?: string;
}

export interface DeploymentFact {
  name: string;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  matchLabels: Record<string, string>;
  conditions: ConditionFact[];
}

export interface ServicePortFact {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol?: string;
}

export interface ServiceFact {
  name: string;
  type: string;
  ports: ServicePortFact[];
}

export interface ObjectRefFact {
  name: string;
  namespace?: string;
  deleting?: boolean;
}

export interface NamespaceFacts { namespace: NamespaceFact }
export interface PodsFacts { namespace: NamespaceFact; pods: PodFact[]; events: EventFact[] }
export interface DeploymentFacts { deployments: DeploymentFact[]; pods: PodFact[]; events: EventFact[]; others: string[] }
export interface ServiceFacts { service: ServiceFact | null; others: string[] }
export interface ResourceFacts { kindMissing?: string; objects: ObjectRefFact[]; others: string[] }

// ---------------------------------------------------------------------------
// Condensing objects into facts (pure)

/*
 * The cluster's answer is read field by field: a field of the wrong type (a list where a mapping
 * goes, a number where a string goes, null anywhere) counts as absent, never as a crash.
 */
type Any = Record<string, unknown>;

/** `v` if it is a mapping, else an empty one. */
function obj(v: unknown): Any {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Any) : {};
}

/** The mappings in `v` if it is a list, else none. */
function objs(v: unknown): Any[] {
  return Array.isArray(v) ? v.filter((x): x is Any => !!x && typeof x === 'object' && !Array.isArray(x)) : [];
}

/** A string, number or boolean as text; anything else undefined. */
function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** A finite number (also from a numeric string), else `dflt`. */
function count(v: unknown, dflt: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : dflt;
}

/** Labels and annotations: the entries with text values. */
function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) {
    const t = text(x);
    if (t !== undefined) out[k] = t;
  }
  return out;
}

export function namespaceFact(name: string, ns: KubeObject | undefined | null): NamespaceFact {
  if (ns === null) return { name, exists: null, labels: {} };
  if (!ns) return { name, exists: false, labels: {} };
  const phase = text(obj(ns.status).phase);
  return { name, exists: true, ...(phase !== undefined ? { phase } : {}), labels: stringMap(obj(ns.metadata).labels) };
}

function conditions(o: KubeObject): ConditionFact[] {
  return objs(obj(o.status).conditions).map((c) => {
    const reason = text(c.reason);
    const message = text(c.message);
    return { type: text(c.type) ?? '', status: text(c.status) ?? '', ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
  });
}

function containerStatus(cs: Any, image: string | undefined, init: boolean): ContainerStatusFact {
  const st = obj(cs.state);
  const kind = st.waiting ? 'waiting' : st.running ? 'running' : st.terminated ? 'terminated' : 'unknown';
  const detail = obj(st.waiting ?? st.terminated);
  const last = cs.lastState && obj(cs.lastState).terminated ? obj(obj(cs.lastState).terminated) : undefined;
  const img = image ?? text(cs.image);
  const reason = text(detail.reason);
  const message = text(detail.message);
  return {
    name: text(cs.name) ?? '(unnamed)',
    ...(img ? { image: img } : {}),
    ...(init ? { init: true } : {}),
    ready: cs.ready === true,
    restartCount: count(cs.restartCount, 0),
    state: kind,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    ...(typeof detail.exitCode === 'number' ? { exitCode: detail.exitCode } : {}),
    ...(last ? { lastTermination: { reason: text(last.reason), exitCode: typeof last.exitCode === 'number' ? last.exitCode : undefined } } : {}),
  };
}

export function podFact(pod: KubeObject): PodFact {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const meta = obj(pod.metadata);
  const images = new Map<string, string>();
  for (const c of [...objs(spec.initContainers), ...objs(spec.containers)]) {
    const name = text(c.name);
    const image = text(c.image);
    if (name !== undefined && image !== undefined) images.set(name, image);
  }
  const sidecars = objs(spec.initContainers).filter((c) => c.restartPolicy === 'Always').map((c) => text(c.name)).filter((n): n is string => n !== undefined);
  const conds = conditions(pod);
  const statusesOf = (v: unknown, init: boolean) => objs(v).map((cs) => containerStatus(cs, images.get(text(cs.name) ?? ''), init));
  const created = text(meta.creationTimestamp);
  return {
    name: text(meta.name) ?? '(unnamed)',
    phase: text(status.phase) ?? 'Unknown',
    ready: conds.some((c) => c.type === 'Ready' && c.status === 'True'),
    terminating: !!meta.deletionTimestamp,
    ...(created ? { createdAt: created } : {}),
    labels: stringMap(meta.labels),
    annotations: stringMap(meta.annotations),
    containers: [...objs(spec.containers).map((c) => text(c.name)).filter((n): n is string => n !== undefined), ...sidecars],
    statuses: [...statusesOf(status.initContainerStatuses, true), ...statusesOf(status.containerStatuses, false)],
    conditions: conds,
  };
}

export function eventFact(ev: KubeObject): EventFact {
  const e = ev as Any;
  const series = obj(e.series);
  const last = text(e.lastTimestamp) ?? text(e.eventTime) ?? text(series.lastObservedTime) ?? text(e.firstTimestamp) ?? text(obj(ev.metadata).creationTimestamp);
  return {
    object: text(obj(e.involvedObject).name) ?? text(obj(e.regarding).name) ?? '',
    type: text(e.type) ?? 'Normal',
    reason: text(e.reason) ?? '',
    message: text(e.message) ?? text(e.note) ?? '',
    count: count(e.count ?? series.count, 1),
    ...(last ? { last } : {}),
  };
}

export function deploymentFact(d: KubeObject): DeploymentFact {
  const spec = obj(d.spec);
  const status = obj(d.status);
  return {
    name: text(obj(d.metadata).name) ?? '(unnamed)',
    replicas: count(spec.replicas, 1),
    readyReplicas: count(status.readyReplicas, 0),
    availableReplicas: count(status.availableReplicas, 0),
    updatedReplicas: count(status.updatedReplicas, 0),
    matchLabels: stringMap(obj(spec.selector).matchLabels),
    conditions: conditions(d),
  };
}

export function serviceFact(s: KubeObject): ServiceFact {
  const spec = obj(s.spec);
  const ports: ServicePortFact[] = [];
  for (const p of objs(spec.ports)) {
    const port = count(p.port, NaN);
    if (!Number.isInteger(port)) continue;
    const name = text(p.name);
    const targetPort = typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : undefined;
    const nodePort = count(p.nodePort, 0);
    const protocol = text(p.protocol);
    ports.push({ ...(name ? { name } : {}), port, ...(targetPort !== undefined ? { targetPort } : {}), ...(nodePort ? { nodePort } : {}), ...(protocol ? { protocol } : {}) });
  }
  return { name: text(obj(s.metadata).name) ?? '(unnamed)', type: text(spec.type) ?? 'ClusterIP', ports };
}

// ---------------------------------------------------------------------------
// Gathering helpers

/** Reads that only enrich a diagnosis: a refusal (RBAC) yields `fallback` instead of failing the check. */
async function optional<T>(read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'forbidden') return fallback;
    throw e;
  }
}

async function readNamespace(cluster: KubeClient, name: string): Promise<NamespaceFact> {
  const ns = await optional<unknown>(() => cluster.get('v1', 'Namespace', undefined, name), null);
  return namespaceFact(name, ns === null ? null : readObject(cluster, ns, `get Namespace ${name}`));
}

/** Pods as the cluster lists them, checked. */
async function listPods(cluster: KubeClient, namespace: string, selector?: string): Promise<KubeObject[]> {
  return readObjects(cluster, await cluster.list('v1', 'Pod', namespace, selector), `list Pod objects in namespace ${namespace}`);
}

/** Warning events about the given pods, newest first. */
async function warningsFor(cluster: KubeClient, namespace: string, pods: PodFact[]): Promise<EventFact[]> {
  if (pods.length === 0) return [];
  const names = new Set(pods.map((p) => p.name));
  const events = usableObjects(await optional(() => cluster.events(namespace), []));
  return newestFirst(events.map(eventFact).filter((e) => e.type === 'Warning' && names.has(e.object)));
}

/** Newest first; events seen in the same second keep the server's (creation) order reversed. */
export function newestFirst(events: EventFact[]): EventFact[] {
  return events
    .map((e, i) => ({ e, i, t: e.last ? Date.parse(e.last) || 0 : 0 }))
    .sort((a, b) => b.t - a.t || b.i - a.i)
    .map((x) => x.e);
}

function labelsMatch(labels: Record<string, string>, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => labels[k] === v);
}

// ---------------------------------------------------------------------------
// Pod diagnosis (pure)

/** `Pending: ImagePullBackOff`, `Running`, `Running: CrashLoopBackOff`. */
export function podState(p: PodFact): string {
  const stuck = p.statuses.find((s) => !s.ready && s.reason && !(s.init && s.state === 'terminated' && s.exitCode === 0));
  return `${p.terminating ? 'Terminating' : p.phase}${stuck?.reason ? `: ${stuck.reason}` : ''}`;
}

/** What is wrong with one pod: its state, its containers, restarts, and the latest Warning events. */
export function podDiagnosis(p: PodFact, events: EventFact[], namespace: string): string[] {
  const lines: string[] = [];
  const at = `${p.name}:`;
  const scheduled = p.conditions.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') lines.push(`${at} not scheduled: ${scheduled.reason ?? 'Unschedulable'}${scheduled.message ? ` — ${clip(scheduled.message, 160)}` : ''}`);
  else lines.push(`${at} phase ${p.phase}${p.ready ? ', Ready' : ', not Ready'}`);
  for (const s of p.statuses) {
    const c = `${at} ${s.init ? 'init container' : 'container'} ${s.name}`;
    if (s.state === 'waiting' && s.reason !== 'PodInitializing') {
      lines.push(`${c} waiting: ${s.reason ?? 'unknown reason'}${s.message ? ` — ${clip(s.message, 200)}` : ''}`);
      if (/ImagePull|ErrImage|InvalidImageName/.test(s.reason ?? '')) lines.push(`${at} the image ${s.image ? `"${s.image}" ` : ''}cannot be pulled: check its name and tag`);
      if (s.reason === 'CrashLoopBackOff') lines.push(`${at} it keeps crashing: read its logs with kubectl logs -n ${namespace} ${p.name} -c ${s.name} --previous`);
    } else if (s.state === 'terminated' && !(s.init && s.exitCode === 0)) {
      lines.push(`${c} terminated: ${s.reason ?? 'exited'}${s.exitCode !== undefined ? ` (exit code ${s.exitCode})` : ''}${s.message ? ` — ${clip(s.message, 160)}` : ''}`);
    } else if (s.state === 'running' && !s.ready && !s.init) {
      lines.push(`${c} is running but not Ready: its readiness probe is failing`);
    }
    if (s.restartCount > 0) {
      const last = s.lastTermination;
      const lastText = last ? `; last exit: ${last.reason ?? 'unknown'}${last.exitCode !== undefined ? ` (exit code ${last.exitCode})` : ''}` : '';
      lines.push(`${c} restarted ${plural(s.restartCount, 'time')}${lastText}`);
    }
  }
  const seen = new Set<string>();
  for (const e of newestFirst(events.filter((e) => e.object === p.name && e.type === 'Warning'))) {
    const key = `${e.reason}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`${at} event ${e.reason}${e.count > 1 ? ` (×${e.count})` : ''}: ${clip(e.message, 200)}`);
    if (seen.size >= 3) break;
  }
  return lines;
}

const MAX_PODS_DIAGNOSED = 4;

function diagnosePods(pods: PodFact[], events: EventFact[], namespace: string): string[] {
  const lines = pods.slice(0, MAX_PODS_DIAGNOSED).flatMap((p) => podDiagnosis(p, events, namespace));
  if (pods.length > MAX_PODS_DIAGNOSED) lines.push(`… and ${pods.length - MAX_PODS_DIAGNOSED} more pods not Ready`);
  return lines;
}

function noPods(check: { selector: string; namespace: string; hint?: string }, facts: { namespace: NamespaceFact; pods: PodFact[] }, expected: string): CheckResult {
  const { selector, namespace } = check;
  const diagnosis: string[] = [];
  if (facts.namespace.exists === false) diagnosis.push(`namespace ${namespace} does not exist`);
  else diagnosis.push(`no pod in namespace ${namespace} has the labels ${selector}: is the workload deployed? (kubectl get pods -n ${namespace} --show-labels)`);
  const leaving = facts.pods.filter((p) => p.terminating).length;
  if (leaving) diagnosis.push(`${plural(leaving, 'matching pod is', 'matching pods are')} terminating; their replacements have not been created yet`);
  return failed(check, `no pods ${selector} in ${namespace}`, { expected, found: leaving ? `${plural(leaving, 'terminating pod')}` : 'no matching pods', diagnosis });
}

// ---------------------------------------------------------------------------
// namespace

export const namespaceCheck: CheckKindModule<CheckOf<'namespace'>, NamespaceFacts> = {
  kind: 'namespace',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const ns = readObject(cluster, await cluster.get('v1', 'Namespace', undefined, check.name), `get Namespace ${check.name}`);
    return { namespace: namespaceFact(check.name, ns) };
  },
  judge(check, { namespace: ns }) {
    const want = Object.entries(check.labels ?? {});
    const shown = want.map(([k, v]) => `${k}=${v}`).join(',');
    if (check.absent) {
      if (!ns.exists) return passed(`namespace ${check.name} is absent`);
      const terminating = ns.phase === 'Terminating';
      return failed(check, `namespace ${check.name} still exists${terminating ? ' (Terminating)' : ''}`, {
        expected: `no namespace ${check.name}`,
        found: `namespace ${check.name}, phase ${ns.phase ?? 'unknown'}`,
        diagnosis: [terminating ? `namespace ${check.name} is being deleted: its objects are being removed; check again in a moment` : `delete it: kubectl delete namespace ${check.name}`],
      });
    }
    if (!ns.exists) {
      return failed(check, `namespace ${check.name} not found`, { expected: `namespace ${check.name}${shown ? ` with labels ${shown}` : ''}`, found: 'no such namespace', diagnosis: [`create it: kubectl create namespace ${check.name}`] });
    }
    const wrong = want.filter(([k, v]) => ns.labels[k] !== v);
    if (wrong.length === 0) return passed(`namespace ${check.name} exists${shown ? ` with ${shown}` : ''}`);
    const found = Object.entries(ns.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'no labels';
    return failed(check, `namespace ${check.name} lacks ${wrong.map(([k, v]) => `${k}=${v}`).join(',')}`, {
      expected: `namespace ${check.name} with labels ${shown}`,
      found: `labels: ${found}`,
      diagnosis: wrong.map(([k, v]) => (ns.labels[k] === undefined ? `label ${k} is not set: kubectl label namespace ${check.name} ${k}=${v}` : `label ${k} is "${ns.labels[k]}", not "${v}": kubectl label namespace ${check.name} ${k}=${v} --overwrite`)),
    });
  },
};

// ---------------------------------------------------------------------------
// pods-ready

export const podsReadyCheck: CheckKindModule<CheckOf<'pods-ready'>, PodsFacts> = {
  kind: 'pods-ready',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const [pods, namespace] = await Promise.all([listPods(cluster, check.namespace, check.selector), readNamespace(cluster, check.namespace)]);
    const facts = pods.map(podFact);
    const events = await warningsFor(cluster, check.namespace, facts.filter((p) => !p.ready && !p.terminating));
    return { namespace, pods: facts, events };
  },
  judge(check, facts) {
    const min = check.min ?? 1;
    const { selector, namespace } = check;
    const expected = `at least ${plural(min, 'pod')} matching ${selector} in ${namespace}, all Ready`;
    const live = facts.pods.filter((p) => !p.terminating);
    if (live.length === 0) return noPods(check, facts, expected);
    const ready = live.filter((p) => p.ready);
    const notReady = live.filter((p) => !p.ready);
    const tally = `${ready.length} of ${live.length} pods ${selector} Ready in ${namespace}`;
    if (notReady.length === 0 && live.length >= min) return passed(tally);
    const found = [
      `${ready.length} of ${live.length} Ready`,
      ...(notReady.length ? [`not Ready: ${listing(notReady.map((p) => `${p.name} (${podState(p)})`), 4)}`] : []),
    ].join('; ');
    const diagnosis = diagnosePods(notReady, facts.events, namespace);
    if (live.length < min) diagnosis.push(`only ${plural(live.length, 'pod matches', 'pods match')} ${selector}; at least ${min} should: scale the deployment up (kubectl scale)`);
    return failed(check, `${tally}${live.length < min ? ` (need at least ${min})` : ''}`, { expected, found, diagnosis });
  },
};

// ---------------------------------------------------------------------------
// container-present

export const containerPresentCheck: CheckKindModule<CheckOf<'container-present'>, PodsFacts> = {
  kind: 'container-present',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const [pods, namespace] = await Promise.all([listPods(cluster, check.namespace, check.selector), readNamespace(cluster, check.namespace)]);
    return { namespace, pods: pods.map(podFact), events: [] };
  },
  judge(check, facts) {
    const { selector, namespace, container } = check;
    const expected = `every pod matching ${selector} in ${namespace} has a container ${container}`;
    const live = facts.pods.filter((p) => !p.terminating);
    if (live.length === 0) return noPods(check, facts, expected);
    const missing = live.filter((p) => !p.containers.includes(container));
    const tally = `${live.length - missing.length} of ${live.length} pods have container ${container} (${selector} in ${namespace})`;
    if (missing.length === 0) return passed(tally);
    const found = listing(missing.map((p) => `${p.name} has ${p.containers.join(', ') || 'no containers'}`), 4);
    const diagnosis = container === 'istio-proxy' ? injectionDiagnosis(facts.namespace, missing, selector) : [];
    return failed(check, tally, { expected, found, diagnosis });
  },
};

/** Why pods have no istio-proxy sidecar: the namespace label, a pod opt-out, or pods older than the label. */
export function injectionDiagnosis(ns: NamespaceFact, missing: PodFact[], selector: string): string[] {
  const lines: string[] = [];
  const name = ns.name;
  const recreate = `delete them so they are recreated with the sidecar (kubectl delete pod -n ${name} -l ${shellWord(selector)})`;
  const optedOut = missing.filter((p) => p.annotations['sidecar.istio.io/inject'] === 'false' || p.labels['sidecar.istio.io/inject'] === 'false');
  for (const p of optedOut.slice(0, 3)) lines.push(`pod ${p.name} opts out of injection with sidecar.istio.io/inject: "false"`);
  const injection = ns.labels['istio-injection'];
  const revision = ns.labels['istio.io/rev'];
  if (ns.exists === null) {
    lines.push(`could not read namespace ${name} to see its istio-injection label (kubectl get namespace ${name} --show-labels)`);
  } else if (injection === 'enabled' || (revision && injection !== 'disabled')) {
    const label = injection === 'enabled' ? 'istio-injection=enabled' : `istio.io/rev=${revision}`;
    if (optedOut.length < missing.length) lines.push(`namespace ${name} has ${label}, so the pods were created before injection was enabled: ${recreate}`);
  } else if (injection === 'disabled') {
    lines.push(`namespace ${name} has istio-injection=disabled: relabel it (kubectl label namespace ${name} istio-injection=enabled --overwrite), then ${recreate}`);
  } else {
    lines.push(`namespace ${name} lacks the label istio-injection=enabled: label it (kubectl label namespace ${name} istio-injection=enabled), then ${recreate}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------
// deployment-available

function isAvailable(d: DeploymentFact): boolean {
  const cond = d.conditions.find((c) => c.type === 'Available');
  return cond ? cond.status === 'True' : d.availableReplicas >= d.replicas;
}

export const deploymentAvailableCheck: CheckKindModule<CheckOf<'deployment-available'>, DeploymentFacts> = {
  kind: 'deployment-available',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const found = check.name
      ? [readObject(cluster, await cluster.get('apps/v1', 'Deployment', check.namespace, check.name), `get Deployment ${check.name} in namespace ${check.namespace}`)].filter((d): d is KubeObject => !!d)
      : readObjects(cluster, await cluster.list('apps/v1', 'Deployment', check.namespace, check.selector), `list Deployment objects in namespace ${check.namespace}`);
    const deployments = found.map(deploymentFact);
    const others = deployments.length ? [] : usableObjects(await optional(() => cluster.list('apps/v1', 'Deployment', check.namespace), [])).map((d) => d.metadata.name);
    const unavailable = deployments.filter((d) => !isAvailable(d));
    let pods: PodFact[] = [];
    let events: EventFact[] = [];
    if (unavailable.length) {
      pods = usableObjects(await optional(() => cluster.list('v1', 'Pod', check.namespace), []))
        .map(podFact)
        .filter((p) => unavailable.some((d) => Object.keys(d.matchLabels).length > 0 && labelsMatch(p.labels, d.matchLabels)));
      events = await warningsFor(cluster, check.namespace, pods.filter((p) => !p.ready && !p.terminating));
    }
    return { deployments, pods, events, others };
  },
  judge(check, facts) {
    const ns = check.namespace;
    const sel = check.selector ? ` ${check.selector}` : '';
    const what = check.name ? `deployment ${check.name}` : `deployments${sel || ' (all)'}`;
    const expected = `${what} in ${ns} Available`;
    if (facts.deployments.length === 0) {
      return failed(check, check.name ? `deployment ${check.name} not found in ${ns}` : `no deployments${sel} in ${ns}`, {
        expected,
        found: 'no such deployment',
        diagnosis: [facts.others.length ? `deployments in ${ns}: ${listing(facts.others)}` : `there are no deployments in ${ns} at all: apply the app's manifests first`],
      });
    }
    const down = facts.deployments.filter((d) => !isAvailable(d));
    const replicas = (d: DeploymentFact) => `${d.availableReplicas}/${d.replicas} replicas available`;
    if (down.length === 0) {
      if (check.name) return passed(`deployment ${check.name} Available in ${ns} (${replicas(facts.deployments[0])})`);
      return passed(`${facts.deployments.length} of ${facts.deployments.length} deployments${sel} Available in ${ns}`);
    }
    const summary = check.name
      ? `deployment ${check.name} not Available in ${ns} (${replicas(down[0])})`
      : `${facts.deployments.length - down.length} of ${facts.deployments.length} deployments${sel} Available in ${ns}`;
    const diagnosis: string[] = [];
    for (const d of down) {
      const conds = d.conditions
        .filter((c) => (c.type === 'Available' && c.status !== 'True') || (c.type === 'Progressing' && c.status === 'False') || c.type === 'ReplicaFailure')
        .map((c) => `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? ` — ${clip(c.message, 160)}` : ''}`);
      diagnosis.push(`deployment ${d.name}: ${d.readyReplicas}/${d.replicas} ready, ${d.updatedReplicas} up to date${conds.length ? `; ${conds.join('; ')}` : ''}`);
      const pods = facts.pods.filter((p) => labelsMatch(p.labels, d.matchLabels) && !p.ready && !p.terminating);
      diagnosis.push(...diagnosePods(pods, facts.events, ns));
    }
    return failed(check, summary, { expected, found: listing(down.map((d) => `${d.name} (${replicas(d)})`), 4), diagnosis });
  },
};

// ---------------------------------------------------------------------------
// service

function describePort(p: ServicePortFact): string {
  return `${p.name ? `${p.name} ` : ''}${p.port}${p.targetPort !== undefined && String(p.targetPort) !== String(p.port) ? `→${p.targetPort}` : ''}${p.nodePort ? ` (nodePort ${p.nodePort})` : ''}`;
}

export const serviceCheck: CheckKindModule<CheckOf<'service'>, ServiceFacts> = {
  kind: 'service',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const svc = readObject(cluster, await cluster.get('v1', 'Service', check.namespace, check.name), `get Service ${check.name} in namespace ${check.namespace}`);
    const others = svc ? [] : usableObjects(await optional(() => cluster.list('v1', 'Service', check.namespace), [])).map((s) => s.metadata.name);
    return { service: svc ? serviceFact(svc) : null, others };
  },
  judge(check, facts) {
    const ns = check.namespace;
    const want = check.ports ?? [];
    const expected = `service ${check.name} in ${ns}${want.length ? ` exposing port${want.length > 1 ? 's' : ''} ${want.join(', ')}` : ''}`;
    const svc = facts.service;
    if (!svc) {
      return failed(check, `service ${check.name} not found in ${ns}`, { expected, found: 'no such service', diagnosis: [`services in ${ns}: ${listing(facts.others)}`] });
    }
    const missing = want.filter((p) => !svc.ports.some((x) => x.port === p));
    if (missing.length === 0) return passed(`service ${check.name} in ${ns}${want.length ? ` exposes ${want.join(', ')}` : ' exists'}`);
    const diagnosis: string[] = [];
    for (const m of missing) {
      const behind = svc.ports.find((x) => String(x.targetPort) === String(m));
      if (behind) diagnosis.push(`${m} is a target port here: the service exposes it as port ${behind.port}${behind.name ? ` (${behind.name})` : ''}`);
    }
    return failed(check, `service ${check.name} in ${ns} lacks port${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      expected,
      found: `${svc.type} with ports ${listing(svc.ports.map(describePort), 12)}`,
      ...(diagnosis.length ? { diagnosis } : {}),
    });
  },
};

// ---------------------------------------------------------------------------
// resource

export const resourceCheck: CheckKindModule<CheckOf<'resource'>, ResourceFacts> = {
  kind: 'resource',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const ref = (o: KubeObject): ObjectRefFact => {
      const ns = text(o.metadata.namespace);
      return { name: o.metadata.name, ...(ns ? { namespace: ns } : {}), ...(o.metadata.deletionTimestamp ? { deleting: true } : {}) };
    };
    const where = check.namespace ? ` in namespace ${check.namespace}` : '';
    try {
      if (check.name) {
        const found = readObject(cluster, await cluster.get(check.apiVersion, check.resourceKind, check.namespace, check.name), `get ${check.resourceKind} ${check.name}${where}`);
        const others = found || check.absent ? [] : usableObjects(await optional(() => cluster.list(check.apiVersion, check.resourceKind, check.namespace), [])).map((o) => o.metadata.name);
        return { objects: found ? [ref(found)] : [], others };
      }
      const list = readObjects(cluster, await cluster.list(check.apiVersion, check.resourceKind, check.namespace, check.selector), `list ${check.resourceKind} objects${where}`);
      return { objects: list.map(ref), others: [] };
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'not-found-kind') return { kindMissing: e.message, objects: [], others: [] };
      throw e;
    }
  },
  judge(check, facts) {
    const kind = check.resourceKind;
    const where = check.namespace ? ` in ${check.namespace}` : '';
    const what = check.name ? `${kind} ${check.name}` : `${kind} objects${check.selector ? ` matching ${check.selector}` : ''}`;
    const names = facts.objects.map((o) => (o.namespace && !check.namespace ? `${o.namespace}/${o.name}` : o.name));
    if (check.absent) {
      if (facts.objects.length === 0) return passed(`no ${what}${where}${facts.kindMissing ? ` (the cluster has no ${kind} kind)` : ''}`);
      const deleting = facts.objects.filter((o) => o.deleting).length;
      return failed(check, `${what} still exist${facts.objects.length === 1 && check.name ? 's' : ''}${where}`, {
        expected: `no ${what}${where}`,
        found: listing(names),
        diagnosis: [
          deleting
            ? `${plural(deleting, 'object is', 'objects are')} being deleted (finalizers may hold ${deleting === 1 ? 'it' : 'them'}); check again in a moment`
            : `delete ${check.name ? 'it' : 'them'}: kubectl delete ${kind.toLowerCase()} ${check.name ?? (check.selector ? `-l ${shellWord(check.selector)}` : '--all')}${check.namespace ? ` -n ${check.namespace}` : ''}`,
        ],
      });
    }
    if (facts.kindMissing) return failed(check, facts.kindMissing, { expected: `${what}${where}`, found: `no ${kind} kind (${check.apiVersion}) in the cluster` });
    if (facts.objects.length > 0) return passed(check.name ? `${kind} ${check.name} exists${where}` : `${plural(facts.objects.length, `${kind} object`)}${check.selector ? ` matching ${check.selector}` : ''}${where}`);
    return failed(check, `${what} not found${where}`, {
      expected: `${what}${where}`,
      found: 'none',
      ...(check.name ? { diagnosis: [`${kind} objects${where}: ${listing(facts.others)}`] } : {}),
    });
  },
};
