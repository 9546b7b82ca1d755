/**
 * Small constructors for the desired-state objects the scenarios are made of.
 *
 * Every object is written the way the sandbox API server stores it after a
 * create: `apps/v1` Deployments with an explicit selector (the 1.0/1.1
 * manifests used `extensions/v1beta1`, which defaulted the selector to the
 * template labels), Service ports with `protocol` and `targetPort` filled in
 * (the API server's defaults), CRDs as `apiextensions.k8s.io/v1`.
 * No status, uid, resourceVersion or timestamps: the API server adds those.
 */
import type { KubeObject } from '../../kube/types.js';

export type Labels = Record<string, string>;

/** A Service port. `targetPort` defaults to `port`, `protocol` to TCP. */
export interface ServicePortSpec {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol?: 'TCP' | 'UDP';
}

export interface ContainerPortSpec {
  containerPort: number;
  protocol?: 'TCP' | 'UDP';
  name?: string;
}

export type EnvVar =
  | { name: string; value: string }
  | { name: string; valueFrom: Record<string, unknown> };

export interface ContainerSpec {
  name: string;
  image: string;
  imagePullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
  command?: string[];
  args?: string[];
  ports?: ContainerPortSpec[];
  env?: EnvVar[];
  readinessProbe?: Record<string, unknown>;
  livenessProbe?: Record<string, unknown>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  resources?: Record<string, unknown>;
}

export interface DeploymentSpec {
  labels?: Labels;
  annotations?: Record<string, string>;
  replicas?: number;
  /** Defaults to all of `podLabels` (what extensions/v1beta1 defaulted to). */
  selector?: Labels;
  podLabels: Labels;
  podAnnotations?: Record<string, string>;
  serviceAccountName?: string;
  containers: ContainerSpec[];
  volumes?: Array<Record<string, unknown>>;
}

export interface ServiceSpec {
  labels?: Labels;
  annotations?: Record<string, string>;
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  clusterIP?: string;
  selector: Labels;
  ports: ServicePortSpec[];
}

/** `metadata` with only the keys that have a value (no `labels: undefined`). */
function meta(name: string, namespace: string | undefined, labels?: Labels, annotations?: Record<string, string>): KubeObject['metadata'] {
  const m: KubeObject['metadata'] = { name };
  if (namespace !== undefined) m.namespace = namespace;
  if (labels && Object.keys(labels).length > 0) m.labels = { ...labels };
  if (annotations && Object.keys(annotations).length > 0) m.annotations = { ...annotations };
  return m;
}

export function namespace(name: string, labels: Labels = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(name, undefined, { 'kubernetes.io/metadata.name': name, ...labels }),
  };
}

export function serviceAccount(ns: string, name: string, labels?: Labels): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name, ns, labels) };
}

export function configMap(ns: string, name: string, data: Record<string, string>, labels?: Labels): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, ns, labels), data: { ...data } };
}

export function servicePort(p: ServicePortSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.name !== undefined) out.name = p.name;
  out.protocol = p.protocol ?? 'TCP';
  out.port = p.port;
  out.targetPort = p.targetPort ?? p.port;
  if (p.nodePort !== undefined) out.nodePort = p.nodePort;
  return out;
}

export function service(ns: string, name: string, spec: ServiceSpec): KubeObject {
  const s: Record<string, unknown> = { type: spec.type ?? 'ClusterIP' };
  if (spec.clusterIP !== undefined) s.clusterIP = spec.clusterIP;
  s.selector = { ...spec.selector };
  s.ports = spec.ports.map(servicePort);
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(name, ns, spec.labels, spec.annotations), spec: s };
}

function container(c: ContainerSpec): Record<string, unknown> {
  // Key order follows what `kubectl get -o yaml` users are used to reading.
  const out: Record<string, unknown> = { name: c.name, image: c.image };
  if (c.imagePullPolicy) out.imagePullPolicy = c.imagePullPolicy;
  if (c.command) out.command = [...c.command];
  if (c.args) out.args = [...c.args];
  if (c.ports) out.ports = c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' }));
  if (c.env) out.env = c.env.map((e) => structuredClone(e));
  if (c.readinessProbe) out.readinessProbe = structuredClone(c.readinessProbe);
  if (c.livenessProbe) out.livenessProbe = structuredClone(c.livenessProbe);
  if (c.resources) out.resources = structuredClone(c.resources);
  if (c.volumeMounts) out.volumeMounts = c.volumeMounts.map((v) => ({ ...v }));
  return out;
}

export function deployment(ns: string, name: string, spec: DeploymentSpec): KubeObject {
  const podSpec: Record<string, unknown> = {};
  if (spec.serviceAccountName) podSpec.serviceAccountName = spec.serviceAccountName;
  podSpec.containers = spec.containers.map(container);
  if (spec.volumes) podSpec.volumes = structuredClone(spec.volumes);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, ns, spec.labels, spec.annotations),
    spec: {
      replicas: spec.replicas ?? 1,
      selector: { matchLabels: { ...(spec.selector ?? spec.podLabels) } },
      template: {
        metadata: meta2(spec.podLabels, spec.podAnnotations),
        spec: podSpec,
      },
    },
  };
}

function meta2(labels: Labels, annotations?: Record<string, string>): Record<string, unknown> {
  const m: Record<string, unknown> = { labels: { ...labels } };
  if (annotations && Object.keys(annotations).length > 0) m.annotations = { ...annotations };
  return m;
}

/** A namespaced custom resource (Gateway, VirtualService, Telemetry, ...). */
export function customResource(apiVersion: string, kind: string, ns: string, name: string, spec: Record<string, unknown>, labels?: Labels): KubeObject {
  return { apiVersion, kind, metadata: meta(name, ns, labels), spec: structuredClone(spec) };
}

export function env(name: string, value: string): EnvVar {
  return { name, value };
}

/** An env var from the downward API (`valueFrom.fieldRef`). */
export function fieldEnv(name: string, fieldPath: string, apiVersion: string | null = 'v1'): EnvVar {
  const fieldRef: Record<string, string> = apiVersion === null ? { fieldPath } : { apiVersion, fieldPath };
  return { name, valueFrom: { fieldRef } };
}

/** `containerPort` entries for plain TCP port numbers. */
export function tcpPorts(...ports: number[]): ContainerPortSpec[] {
  return ports.map((containerPort) => ({ containerPort }));
}

/** Helm 2 ("Tiller") release labels the 1.0/1.1 charts put on what they render. */
export function tillerLabels(chart: string): Labels {
  return { chart, heritage: 'Tiller', release: 'istio' };
}
