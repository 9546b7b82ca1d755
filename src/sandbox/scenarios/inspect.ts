/**
 * Read-only questions about a set of objects, answered from the objects
 * themselves rather than from the era name, so they stay true after a learner
 * edits the cluster (e.g. removes the tracing Gateway or changes sampling).
 * Pure functions; nothing here mutates its input.
 */
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function findObject(objects: readonly KubeObject[], kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
}

/** Pod template of a Deployment (or anything with `spec.template`). */
function template(o: KubeObject): { labels: Dict; containers: Dict[]; volumes: Dict[] } {
  const spec = isDict(o.spec) ? o.spec : {};
  const tpl = isDict(spec.template) ? spec.template : {};
  const meta = isDict(tpl.metadata) ? tpl.metadata : {};
  const pod = isDict(tpl.spec) ? tpl.spec : {};
  return {
    labels: isDict(meta.labels) ? meta.labels : {},
    containers: asArray(pod.containers).filter(isDict),
    volumes: asArray(pod.volumes).filter(isDict),
  };
}

function envValue(container: Dict, name: string): string | undefined {
  const e = asArray(container.env).filter(isDict).find((x) => x.name === name);
  return e && typeof e.value === 'string' ? e.value : undefined;
}

/** The parsed `mesh` key of ConfigMap `istio-system/istio`, or null without Istio. */
export function meshConfig(objects: readonly KubeObject[]): Dict | null {
  const cm = findObject(objects, 'ConfigMap', 'istio-system', 'istio');
  const text = cm && isDict(cm.data) ? cm.data.mesh : undefined;
  if (typeof text !== 'string') return null;
  const parsed: unknown = parse(text);
  return isDict(parsed) ? parsed : {};
}

/**
 * Percent of requests the mesh traces: a Telemetry resource in the root
 * namespace wins (modern), then Pilot's/istiod's `PILOT_TRACE_SAMPLING`, then
 * Pilot's default of 1. Null when there is no Istio control plane.
 */
export function traceSamplingPercent(objects: readonly KubeObject[]): number | null {
  for (const t of objects) {
    if (t.kind !== 'Telemetry' || t.metadata.namespace !== 'istio-system' || !isDict(t.spec)) continue;
    for (const entry of asArray(t.spec.tracing).filter(isDict)) {
      if (typeof entry.randomSamplingPercentage === 'number') return entry.randomSamplingPercentage;
    }
  }
  const pilot = findObject(objects, 'Deployment', 'istio-system', 'istio-pilot') ?? findObject(objects, 'Deployment', 'istio-system', 'istiod');
  if (!pilot) return null;
  const discovery = template(pilot).containers.find((c) => c.name === 'discovery');
  const raw = discovery ? envValue(discovery, 'PILOT_TRACE_SAMPLING') : undefined;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) ? n : 1;
}

/**
 * Where Jaeger's UI and API live under the query port: '' (API at `/api`) or
 * e.g. '/jaeger' (API at `/jaeger/api`). Read from the Jaeger pod template:
 * `QUERY_BASE_PATH` (all-in-one 1.x) or `jaeger_query.base_path` in the
 * mounted configuration (Jaeger v2). Null when no Jaeger is deployed.
 */
export function jaegerBasePath(objects: readonly KubeObject[]): string | null {
  const dep = objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === 'istio-system' && template(o).labels.app === 'jaeger');
  if (!dep) return null;
  const tpl = template(dep);
  const jaeger = tpl.containers.find((c) => c.name === 'jaeger') ?? tpl.containers[0];
  if (!jaeger) return null;
  const fromEnv = envValue(jaeger, 'QUERY_BASE_PATH');
  if (fromEnv !== undefined) return normalizeBasePath(fromEnv);
  for (const v of tpl.volumes) {
    const ref = isDict(v.configMap) ? v.configMap.name : undefined;
    if (typeof ref !== 'string') continue;
    const cm = findObject(objects, 'ConfigMap', 'istio-system', ref);
    const text = cm && isDict(cm.data) ? cm.data['config.yaml'] : undefined;
    if (typeof text !== 'string') continue;
    const cfg: unknown = parse(text);
    const ext = isDict(cfg) && isDict(cfg.extensions) ? cfg.extensions : {};
    const q = isDict(ext.jaeger_query) ? ext.jaeger_query : {};
    if (typeof q.base_path === 'string') return normalizeBasePath(q.base_path);
  }
  return '';
}

function normalizeBasePath(p: string): string {
  const t = p.trim().replace(/\/+$/, '');
  return t === '' ? '' : t.startsWith('/') ? t : `/${t}`;
}

/** Port numbers of every server of every Istio Gateway (any namespace). */
export function gatewayServerPorts(objects: readonly KubeObject[]): number[] {
  const ports: number[] = [];
  for (const g of objects) {
    if (g.kind !== 'Gateway' || !g.apiVersion.startsWith('networking.istio.io/') || !isDict(g.spec)) continue;
    for (const s of asArray(g.spec.servers).filter(isDict)) {
      const n = isDict(s.port) ? s.port.number : undefined;
      if (typeof n === 'number') ports.push(n);
    }
  }
  return ports;
}

/** Whether new pods in `namespace` get the istio-proxy sidecar. */
export function injectionEnabled(objects: readonly KubeObject[], namespace = 'default'): boolean {
  const ns = findObject(objects, 'Namespace', undefined, namespace);
  return ns?.metadata.labels?.['istio-injection'] === 'enabled';
}
