/**
 * Server-side printing: the meta.k8s.io/v1 Table that `kubectl get` asks for,
 * with the columns a real API server shows for each kind.
 */
import type { KubeObject } from '../../kube/types.js';
import type { ResourceType } from './resource-types.js';

interface Column { name: string; type: string; format?: string; description: string; priority: number }
type Cells = (o: KubeObject, now: number) => unknown[];

const col = (name: string, priority = 0, type = 'string', format = ''): Column => ({ name, type, format, description: name, priority });

/** Kubernetes' short age format: 45s, 3m12s, 5h, 2d. */
export function age(ts: string | undefined, now: number): string {
  if (!ts) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(ts)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 && h < 8 ? `${h}h${m % 60}m` : `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const any = (o: KubeObject) => o as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function podStatusText(o: KubeObject): string {
  const p = any(o);
  if (p.metadata.deletionTimestamp) return 'Terminating';
  const waiting = (p.status?.containerStatuses ?? []).find((c: any) => c.state?.waiting?.reason);
  const initWaiting = (p.status?.initContainerStatuses ?? []).find((c: any) => c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing');
  if (initWaiting) return `Init:${initWaiting.state.waiting.reason}`;
  if (waiting) return waiting.state.waiting.reason;
  return p.status?.reason ?? p.status?.phase ?? 'Pending';
}

function servicePorts(o: KubeObject): string {
  const ports = any(o).spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p: any) => `${p.port}${p.nodePort ? ':' + p.nodePort : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function externalIp(o: KubeObject): string {
  const s = any(o);
  if (s.spec?.type === 'LoadBalancer') {
    const ing = s.status?.loadBalancer?.ingress ?? [];
    return ing.length ? ing.map((i: any) => i.ip ?? i.hostname).join(',') : '<pending>';
  }
  return (s.spec?.externalIPs ?? []).join(',') || '<none>';
}

const selectorText = (sel: Record<string, string> | undefined) =>
  sel && Object.keys(sel).length ? Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') : '<none>';

const TABLES: Record<string, { columns: Column[]; cells: Cells }> = {
  Pod: {
    columns: [col('Name'), col('Ready'), col('Status'), col('Restarts', 0, 'string'), col('Age'), col('IP', 1), col('Node', 1), col('Nominated Node', 1), col('Readiness Gates', 1)],
    cells: (o, now) => {
      const p = any(o);
      const cs = p.status?.containerStatuses ?? [];
      const total = (p.spec?.containers ?? []).length;
      const ready = cs.filter((c: any) => c.ready).length;
      const restarts = cs.reduce((n: number, c: any) => n + (c.restartCount ?? 0), 0);
      return [o.metadata.name, `${ready}/${total}`, podStatusText(o), String(restarts), age(o.metadata.creationTimestamp, now), p.status?.podIP ?? '<none>', p.spec?.nodeName ?? '<none>', '<none>', '<none>'];
    },
  },
  Service: {
    columns: [col('Name'), col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Age'), col('Selector', 1)],
    cells: (o, now) => [o.metadata.name, any(o).spec?.type ?? 'ClusterIP', any(o).spec?.clusterIP ?? '<none>', externalIp(o), servicePorts(o), age(o.metadata.creationTimestamp, now), selectorText(any(o).spec?.selector)],
  },
  Deployment: {
    columns: [col('Name'), col('Ready'), col('Up-to-date', 0, 'integer'), col('Available', 0, 'integer'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
    cells: (o, now) => {
      const d = any(o);
      const cs = d.spec?.template?.spec?.containers ?? [];
      return [o.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, age(o.metadata.creationTimestamp, now), cs.map((c: any) => c.name).join(','), cs.map((c: any) => c.image).join(','), selectorText(d.spec?.selector?.matchLabels)];
    },
  },
  ReplicaSet: {
    columns: [col('Name'), col('Desired', 0, 'integer'), col('Current', 0, 'integer'), col('Ready', 0, 'integer'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
    cells: (o, now) => {
      const r = any(o);
      const cs = r.spec?.template?.spec?.containers ?? [];
      return [o.metadata.name, r.spec?.replicas ?? 0, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0, age(o.metadata.creationTimestamp, now), cs.map((c: any) => c.name).join(','), cs.map((c: any) => c.image).join(','), selectorText(r.spec?.selector?.matchLabels)];
    },
  },
  Namespace: {
    columns: [col('Name'), col('Status'), col('Age')],
    cells: (o, now) => [o.metadata.name, any(o).status?.phase ?? 'Active', age(o.metadata.creationTimestamp, now)],
  },
  ConfigMap: {
    columns: [col('Name'), col('Data', 0, 'integer'), col('Age')],
    cells: (o, now) => [o.metadata.name, Object.keys(any(o).data ?? {}).length + Object.keys(any(o).binaryData ?? {}).length, age(o.metadata.creationTimestamp, now)],
  },
  Secret: {
    columns: [col('Name'), col('Type'), col('Data', 0, 'integer'), col('Age')],
    cells: (o, now) => [o.metadata.name, any(o).type ?? 'Opaque', Object.keys(any(o).data ?? {}).length, age(o.metadata.creationTimestamp, now)],
  },
  Endpoints: {
    columns: [col('Name'), col('Endpoints'), col('Age')],
    cells: (o, now) => {
      const eps: string[] = [];
      for (const s of any(o).subsets ?? []) for (const a of s.addresses ?? []) for (const p of s.ports ?? []) eps.push(`${a.ip}:${p.port}`);
      return [o.metadata.name, eps.length ? eps.slice(0, 3).join(',') + (eps.length > 3 ? ` + ${eps.length - 3} more...` : '') : '<none>', age(o.metadata.creationTimestamp, now)];
    },
  },
  Event: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message')],
    cells: (o, now) => {
      const e = any(o);
      return [age(e.lastTimestamp ?? e.eventTime ?? o.metadata.creationTimestamp, now), e.type, e.reason, `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name}`, e.message];
    },
  },
  Node: {
    columns: [col('Name'), col('Status'), col('Roles'), col('Age'), col('Version'), col('Internal-IP', 1)],
    cells: (o, now) => [o.metadata.name, 'Ready', 'control-plane', age(o.metadata.creationTimestamp, now), any(o).status?.nodeInfo?.kubeletVersion ?? '', '127.0.0.1'],
  },
  CustomResourceDefinition: {
    columns: [col('Name'), col('Created At', 0, 'date')],
    cells: (o) => [o.metadata.name, o.metadata.creationTimestamp],
  },
  Gateway: {
    columns: [col('Name'), col('Age')],
    cells: (o, now) => [o.metadata.name, age(o.metadata.creationTimestamp, now)],
  },
  VirtualService: {
    columns: [col('Name'), col('Gateways'), col('Hosts'), col('Age')],
    cells: (o, now) => [o.metadata.name, JSON.stringify(any(o).spec?.gateways ?? []), JSON.stringify(any(o).spec?.hosts ?? []), age(o.metadata.creationTimestamp, now)],
  },
  ServiceAccount: {
    columns: [col('Name'), col('Secrets', 0, 'integer'), col('Age')],
    cells: (o, now) => [o.metadata.name, (any(o).secrets ?? []).length, age(o.metadata.creationTimestamp, now)],
  },
  Job: {
    columns: [col('Name'), col('Status'), col('Completions'), col('Duration'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
    cells: (o, now) => {
      const j = any(o);
      const cond = (t: string) => (j.status?.conditions ?? []).some((c: any) => c.type === t && c.status === 'True');
      const status = cond('Complete') ? 'Complete' : cond('Failed') ? 'Failed' : cond('Suspended') ? 'Suspended' : o.metadata.deletionTimestamp ? 'Terminating' : 'Running';
      const cs = j.spec?.template?.spec?.containers ?? [];
      const start = j.status?.startTime ? Date.parse(j.status.startTime) : undefined;
      const end = j.status?.completionTime ? Date.parse(j.status.completionTime) : now;
      return [o.metadata.name, status, `${j.status?.succeeded ?? 0}/${j.spec?.completions ?? 1}`, start === undefined ? '' : age(new Date(start).toISOString(), end), age(o.metadata.creationTimestamp, now),
        cs.map((c: any) => c.name).join(','), cs.map((c: any) => c.image).join(','), selectorText(j.spec?.selector?.matchLabels)];
    },
  },
  CronJob: {
    columns: [col('Name'), col('Schedule'), col('Timezone'), col('Suspend', 0, 'boolean'), col('Active', 0, 'integer'), col('Last Schedule'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
    cells: (o, now) => {
      const c = any(o);
      const cs = c.spec?.jobTemplate?.spec?.template?.spec?.containers ?? [];
      return [o.metadata.name, c.spec?.schedule ?? '', c.spec?.timeZone ?? '<none>', c.spec?.suspend ? 'True' : 'False', (c.status?.active ?? []).length,
        c.status?.lastScheduleTime ? age(c.status.lastScheduleTime, now) : '<none>', age(o.metadata.creationTimestamp, now),
        cs.map((x: any) => x.name).join(','), cs.map((x: any) => x.image).join(','), selectorText(c.spec?.jobTemplate?.spec?.selector?.matchLabels)];
    },
  },
  Ingress: {
    columns: [col('Name'), col('Class'), col('Hosts'), col('Address'), col('Ports'), col('Age')],
    cells: (o, now) => {
      const i = any(o);
      const hosts = (i.spec?.rules ?? []).map((r: any) => r.host).filter(Boolean);
      const address = (i.status?.loadBalancer?.ingress ?? []).map((x: any) => x.ip ?? x.hostname).join(',');
      return [o.metadata.name, i.spec?.ingressClassName ?? '<none>', hosts.length ? hosts.join(',') : '*', address, i.spec?.tls?.length ? '80, 443' : '80', age(o.metadata.creationTimestamp, now)];
    },
  },
  Role: { columns: [col('Name'), col('Created At', 0, 'date')], cells: (o) => [o.metadata.name, o.metadata.creationTimestamp] },
  ClusterRole: { columns: [col('Name'), col('Created At', 0, 'date')], cells: (o) => [o.metadata.name, o.metadata.creationTimestamp] },
  RoleBinding: { columns: bindingColumns(), cells: bindingCells },
  ClusterRoleBinding: { columns: bindingColumns(), cells: bindingCells },
  ResourceQuota: {
    columns: [col('Name'), col('Age'), col('Request'), col('Limit')],
    cells: (o, now) => {
      const q = any(o);
      const hard: Record<string, string> = q.status?.hard ?? q.spec?.hard ?? {};
      const used: Record<string, string> = q.status?.used ?? {};
      const part = (limits: boolean) => Object.keys(hard).sort().filter((k) => k.startsWith('limits.') === limits).map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`).join(', ');
      return [o.metadata.name, age(o.metadata.creationTimestamp, now), part(false), part(true)];
    },
  },
  PriorityClass: {
    columns: [col('Name'), col('Value', 0, 'integer'), col('Global-Default', 0, 'boolean'), col('Age'), col('PreemptionPolicy')],
    cells: (o, now) => [o.metadata.name, any(o).value ?? 0, String(any(o).globalDefault ?? false), age(o.metadata.creationTimestamp, now), any(o).preemptionPolicy ?? 'PreemptLowerPriority'],
  },
  PodDisruptionBudget: {
    columns: [col('Name'), col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 0, 'integer'), col('Age')],
    cells: (o, now) => {
      const d = any(o);
      return [o.metadata.name, d.spec?.minAvailable !== undefined ? String(d.spec.minAvailable) : 'N/A', d.spec?.maxUnavailable !== undefined ? String(d.spec.maxUnavailable) : 'N/A', d.status?.disruptionsAllowed ?? 0, age(o.metadata.creationTimestamp, now)];
    },
  },
};

function bindingColumns(): Column[] {
  return [col('Name'), col('Role'), col('Age'), col('Users', 1), col('Groups', 1), col('ServiceAccounts', 1)];
}

function bindingCells(o: KubeObject, now: number): unknown[] {
  const b = any(o);
  const subjects: any[] = b.subjects ?? [];
  const of = (kind: string) => subjects.filter((x) => x.kind === kind).map((x) => (kind === 'ServiceAccount' ? `${x.namespace ?? ''}/${x.name}` : x.name)).join(', ');
  return [o.metadata.name, `${b.roleRef?.kind}/${b.roleRef?.name}`, age(o.metadata.creationTimestamp, now), of('User'), of('Group'), of('ServiceAccount')];
}

const GENERIC = { columns: [col('Name'), col('Age')], cells: ((o, now) => [o.metadata.name, age(o.metadata.creationTimestamp, now)]) as Cells };

export function toTable(rt: ResourceType, objects: KubeObject[], listRv: string, now = Date.now()): Record<string, unknown> {
  const t = (!rt.custom || rt.group === 'networking.istio.io' ? TABLES[rt.kind] : undefined) ?? GENERIC;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: listRv },
    columnDefinitions: t.columns,
    rows: objects.map((o) => ({
      cells: t.cells(o, now),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
