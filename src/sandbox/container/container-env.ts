/**
 * The environment a container's processes get, as the kubelet builds it:
 * PATH and HOSTNAME, the container's own `env` (plain values, the downward
 * API's `fieldRef`, `$(VAR)` references to earlier entries), then the
 * service links — for every Service of the pod's namespace with a cluster
 * IP, `NAME_SERVICE_HOST`, `NAME_SERVICE_PORT[_PORTNAME]` and the Docker
 * style `NAME_PORT…` variables — plus the API server's `KUBERNETES_…`.
 */
import type { KubeObject } from '../../kube/types.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The `kubernetes` Service's address in every cluster the sandbox imitates. */
const DEFAULT_KUBERNETES_IP = '10.96.0.1';

function envName(service: string): string {
  return service.toUpperCase().replace(/-/g, '_');
}

/** The service-link variables of one Service. */
export function serviceLinkVariables(svc: KubeObject): Array<[string, string]> {
  const spec = (svc.spec ?? {}) as Any;
  const ip = spec.clusterIP;
  if (!ip || ip === 'None' || spec.type === 'ExternalName') return [];
  const ports = (spec.ports ?? []) as Any[];
  if (ports.length === 0) return [];
  const name = envName(svc.metadata.name);
  const out: Array<[string, string]> = [[`${name}_SERVICE_HOST`, ip], [`${name}_SERVICE_PORT`, String(ports[0].port)]];
  for (const p of ports) if (p.name) out.push([`${name}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  const first = ports[0];
  const proto = String(first.protocol ?? 'TCP').toLowerCase();
  out.push([`${name}_PORT`, `${proto}://${ip}:${first.port}`]);
  for (const p of ports) {
    const pr = String(p.protocol ?? 'TCP').toLowerCase();
    const prefix = `${name}_PORT_${p.port}_${pr.toUpperCase()}`;
    out.push([prefix, `${pr}://${ip}:${p.port}`], [`${prefix}_PROTO`, pr], [`${prefix}_PORT`, String(p.port)], [`${prefix}_ADDR`, ip]);
  }
  return out;
}

function fieldRef(pod: KubeObject, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (pod.metadata as Any)[m[1]!]?.[m[2]!];
  switch (path) {
    case 'metadata.name': return pod.metadata.name;
    case 'metadata.namespace': return pod.metadata.namespace;
    case 'metadata.uid': return pod.metadata.uid;
    case 'spec.nodeName': return (pod.spec as Any)?.nodeName;
    case 'spec.serviceAccountName': return (pod.spec as Any)?.serviceAccountName;
    case 'status.podIP': return (pod.status as Any)?.podIP;
    case 'status.hostIP': return (pod.status as Any)?.hostIP;
    default: return undefined;
  }
}

/**
 * The environment of `container` in `pod`. `services` are the Services of
 * the pod's namespace; `kubernetes` is the API server's Service, if any.
 */
export function containerEnvironment(pod: KubeObject, container: string, services: KubeObject[], kubernetes: KubeObject | undefined, tty: boolean): Map<string, string> {
  const env = new Map<string, string>([['PATH', PATH], ['HOSTNAME', pod.metadata.name]]);
  if (tty) env.set('TERM', 'xterm');
  const spec = ((pod.spec as Any)?.containers ?? []).find((c: Any) => c.name === container) ?? {};
  for (const e of (spec.env ?? []) as Any[]) {
    if (typeof e?.name !== 'string') continue;
    let value: string | undefined;
    if (typeof e.value === 'string') value = e.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m: string, n: string) => env.get(n) ?? m).replace(/\$\$/g, '$');
    else if (e.valueFrom?.fieldRef?.fieldPath) value = fieldRef(pod, e.valueFrom.fieldRef.fieldPath);
    else if (e.value === undefined && !e.valueFrom) value = '';
    if (value !== undefined) env.set(e.name, value);
  }
  const links = (pod.spec as Any)?.enableServiceLinks !== false;
  const linked = links ? services.filter((s) => s.metadata.name !== 'kubernetes' || s.metadata.namespace !== 'default') : [];
  const k8s = kubernetes ?? { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: DEFAULT_KUBERNETES_IP, ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } };
  for (const svc of [...linked, k8s]) {
    for (const [k, v] of serviceLinkVariables(svc)) if (!env.has(k)) env.set(k, v);
  }
  env.set('HOME', '/root');
  return env;
}
