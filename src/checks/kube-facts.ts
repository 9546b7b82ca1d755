/**
 * Kubernetes objects condensed into small fact records (namespaces, pods, events, deployments,
 * services), and the reads that gather them. The checks on Kubernetes objects
 * (src/checks/kinds/) judge these facts; the jaeger-traces check reads them for its diagnosis.
 */
import { ClusterError, type KubeClient } from '../cluster/kube-client.js';
import type { KubeObject } from '../kube/types.js';
import { readObject, readObjects, usableObjects } from './common.js';
import { t } from '../i18n/index.js';
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
export type Any = Record<string, unknown>;

/** `v` if it is a mapping, else an empty one. */
export function obj(v: unknown): Any {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Any) : {};
}

/** The mappings in `v` if it is a list, else none. */
export function objs(v: unknown): Any[] {
  return Array.isArray(v) ? v.filter((x): x is Any => !!x && typeof x === 'object' && !Array.isArray(x)) : [];
}

/** A string, number or boolean as text; anything else undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** A finite number (also from a numeric string), else `dflt`. */
export function count(v: unknown, dflt: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : dflt;
}

/** Labels and annotations: the entries with text values. */
export function stringMap(v: unknown): Record<string, string> {
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

export function conditions(o: KubeObject): ConditionFact[] {
  return objs(obj(o.status).conditions).map((c) => {
    const reason = text(c.reason);
    const message = text(c.message);
    return { type: text(c.type) ?? '', status: text(c.status) ?? '', ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
  });
}

export function containerStatus(cs: Any, image: string | undefined, init: boolean): ContainerStatusFact {
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
export async function optional<T>(read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'forbidden') return fallback;
    throw e;
  }
}

export async function readNamespace(cluster: KubeClient, name: string): Promise<NamespaceFact> {
  const ns = await optional<unknown>(() => cluster.get('v1', 'Namespace', undefined, name), null);
  return namespaceFact(name, ns === null ? null : readObject(cluster, ns, t('check.ask.get', { kind: 'Namespace', name })));
}

/** Pods as the cluster lists them, checked. */
export async function listPods(cluster: KubeClient, namespace: string, selector?: string): Promise<KubeObject[]> {
  return readObjects(cluster, await cluster.list('v1', 'Pod', namespace, selector), t('check.ask.listIn', { kind: 'Pod', namespace }));
}

/** Warning events about the given pods, newest first. */
export async function warningsFor(cluster: KubeClient, namespace: string, pods: PodFact[]): Promise<EventFact[]> {
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

export function labelsMatch(labels: Record<string, string>, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => labels[k] === v);
}
