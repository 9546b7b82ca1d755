/**
 * The kinds the sandbox serves: built-in ones, and whatever a
 * CustomResourceDefinition adds once it is applied.
 */
import type { KubeObject } from '../../kube/types.js';

export interface GroupVersion { group: string; version: string }

export interface ResourceType {
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
  /** Older group/versions that reach the same objects (extensions/v1beta1 Deployments). */
  aliases?: GroupVersion[];
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
  /** Defined by a CustomResourceDefinition rather than built in. */
  custom?: boolean;
  /** Verbs discovery lists, when not the usual eight (reviews only take `create`). */
  verbs?: string[];
  /** A question asked by POSTing it (SelfSubjectAccessReview…): answered, never stored. */
  review?: boolean;
}

export const resourceKey = (rt: ResourceType): string => `${rt.group}/${rt.plural}`;
export const apiVersionOf = (gv: GroupVersion): string => (gv.group ? `${gv.group}/${gv.version}` : gv.version);

const ALL = ['all'];
const core = (kind: string, plural: string, namespaced: boolean, extra: Partial<ResourceType> = {}): ResourceType => ({
  group: '', versions: ['v1'], kind, plural, singular: kind.toLowerCase(), namespaced, ...extra,
});
const grouped = (group: string, versions: string[], kind: string, plural: string, namespaced: boolean, extra: Partial<ResourceType> = {}): ResourceType => ({
  group, versions, kind, plural, singular: kind.toLowerCase(), namespaced, ...extra,
});

export const BUILTIN_TYPES: ResourceType[] = [
  core('Namespace', 'namespaces', false, { shortNames: ['ns'], subresources: ['status', 'finalize'] }),
  core('Pod', 'pods', true, { shortNames: ['po'], categories: ALL, subresources: ['status', 'log', 'portforward', 'proxy', 'exec', 'attach', 'eviction'] }),
  core('Service', 'services', true, { shortNames: ['svc'], categories: ALL, subresources: ['status', 'proxy'] }),
  core('Endpoints', 'endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
  core('ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  core('Event', 'events', true, { shortNames: ['ev'] }),
  core('Secret', 'secrets', true),
  core('ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'], subresources: ['token'] }),
  core('Node', 'nodes', false, { shortNames: ['no'], subresources: ['status', 'proxy'] }),
  core('PersistentVolumeClaim', 'persistentvolumeclaims', true, { shortNames: ['pvc'], subresources: ['status'] }),
  core('PersistentVolume', 'persistentvolumes', false, { shortNames: ['pv'], subresources: ['status'] }),
  core('LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
  core('ResourceQuota', 'resourcequotas', true, { shortNames: ['quota'], subresources: ['status'] }),
  core('ReplicationController', 'replicationcontrollers', true, { shortNames: ['rc'], categories: ALL, subresources: ['status', 'scale'] }),
  grouped('apps', ['v1'], 'Deployment', 'deployments', true, {
    shortNames: ['deploy'], categories: ALL, subresources: ['status', 'scale'],
    aliases: [{ group: 'extensions', version: 'v1beta1' }, { group: 'apps', version: 'v1beta1' }, { group: 'apps', version: 'v1beta2' }],
  }),
  grouped('apps', ['v1'], 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'], categories: ALL, subresources: ['status', 'scale'],
    aliases: [{ group: 'extensions', version: 'v1beta1' }, { group: 'apps', version: 'v1beta2' }],
  }),
  grouped('apps', ['v1'], 'StatefulSet', 'statefulsets', true, { shortNames: ['sts'], categories: ALL, subresources: ['status', 'scale'], aliases: [{ group: 'apps', version: 'v1beta1' }, { group: 'apps', version: 'v1beta2' }] }),
  grouped('apps', ['v1'], 'DaemonSet', 'daemonsets', true, { shortNames: ['ds'], categories: ALL, subresources: ['status'], aliases: [{ group: 'extensions', version: 'v1beta1' }, { group: 'apps', version: 'v1beta2' }] }),
  grouped('apps', ['v1'], 'ControllerRevision', 'controllerrevisions', true),
  grouped('batch', ['v1'], 'Job', 'jobs', true, { categories: ALL, subresources: ['status'] }),
  grouped('batch', ['v1', 'v1beta1'], 'CronJob', 'cronjobs', true, { shortNames: ['cj'], categories: ALL, subresources: ['status'] }),
  grouped('autoscaling', ['v2', 'v1', 'v2beta2', 'v2beta1'], 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, { shortNames: ['hpa'], categories: ALL, subresources: ['status'] }),
  grouped('policy', ['v1', 'v1beta1'], 'PodDisruptionBudget', 'poddisruptionbudgets', true, { shortNames: ['pdb'], subresources: ['status'] }),
  grouped('rbac.authorization.k8s.io', ['v1', 'v1beta1'], 'Role', 'roles', true),
  grouped('rbac.authorization.k8s.io', ['v1', 'v1beta1'], 'RoleBinding', 'rolebindings', true),
  grouped('rbac.authorization.k8s.io', ['v1', 'v1beta1'], 'ClusterRole', 'clusterroles', false),
  grouped('rbac.authorization.k8s.io', ['v1', 'v1beta1'], 'ClusterRoleBinding', 'clusterrolebindings', false),
  grouped('apiextensions.k8s.io', ['v1', 'v1beta1'], 'CustomResourceDefinition', 'customresourcedefinitions', false, { shortNames: ['crd', 'crds'], subresources: ['status'] }),
  grouped('admissionregistration.k8s.io', ['v1', 'v1beta1'], 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false),
  grouped('admissionregistration.k8s.io', ['v1', 'v1beta1'], 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  grouped('networking.k8s.io', ['v1', 'v1beta1'], 'Ingress', 'ingresses', true, { shortNames: ['ing'], subresources: ['status'], aliases: [{ group: 'extensions', version: 'v1beta1' }] }),
  grouped('networking.k8s.io', ['v1'], 'NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'] }),
  grouped('storage.k8s.io', ['v1'], 'StorageClass', 'storageclasses', false, { shortNames: ['sc'] }),
  grouped('coordination.k8s.io', ['v1', 'v1beta1'], 'Lease', 'leases', true),
  grouped('scheduling.k8s.io', ['v1', 'v1beta1'], 'PriorityClass', 'priorityclasses', false, { shortNames: ['pc'] }),
  grouped('authorization.k8s.io', ['v1'], 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, { verbs: ['create'], review: true }),
  grouped('authorization.k8s.io', ['v1'], 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, { verbs: ['create'], review: true }),
  grouped('authentication.k8s.io', ['v1', 'v1beta1'], 'SelfSubjectReview', 'selfsubjectreviews', false, { verbs: ['create'], review: true }),
];

/**
 * The Kubernetes minor releases in which a group/version serves a built-in kind, as
 * [first, removed): `*` stands for every kind of that group/version. Anything not listed is
 * served in every release the sandbox plays. From the Kubernetes deprecation guide and release
 * notes (extensions/v1beta1 and apps/v1beta1/2 workloads went in 1.16, the other betas in 1.22
 * or 1.25/1.26; SelfSubjectReview arrived as alpha 1.26, beta 1.27, GA 1.28).
 */
const SERVED: Readonly<Record<string, readonly [number, number]>> = {
  'apps/v1 *': [9, Infinity],
  'apps/v1beta1 *': [0, 16],
  'apps/v1beta2 *': [8, 16],
  'extensions/v1beta1 *': [0, 16],
  'extensions/v1beta1 ingresses': [0, 22],
  'networking.k8s.io/v1 ingresses': [19, Infinity],
  'networking.k8s.io/v1beta1 ingresses': [14, 22],
  'batch/v1 cronjobs': [21, Infinity],
  'batch/v1beta1 cronjobs': [8, 25],
  'policy/v1 *': [21, Infinity],
  'policy/v1beta1 *': [5, 25],
  'autoscaling/v2 *': [23, Infinity],
  'autoscaling/v2beta2 *': [12, 26],
  'autoscaling/v2beta1 *': [8, 25],
  'rbac.authorization.k8s.io/v1beta1 *': [6, 22],
  'apiextensions.k8s.io/v1 *': [16, Infinity],
  'apiextensions.k8s.io/v1beta1 *': [7, 22],
  'admissionregistration.k8s.io/v1 *': [16, Infinity],
  'admissionregistration.k8s.io/v1beta1 *': [9, 22],
  'scheduling.k8s.io/v1 *': [14, Infinity],
  'scheduling.k8s.io/v1beta1 *': [11, 22],
  'coordination.k8s.io/v1 *': [14, Infinity],
  'coordination.k8s.io/v1beta1 *': [12, 22],
  'authentication.k8s.io/v1 selfsubjectreviews': [28, Infinity],
  'authentication.k8s.io/v1beta1 selfsubjectreviews': [27, Infinity],
};

/** Whether Kubernetes 1.`minor` serves `plural` in group/version `gv`. */
export function servedIn(minor: number, gv: GroupVersion, plural: string): boolean {
  const key = apiVersionOf(gv);
  const range = SERVED[`${key} ${plural}`] ?? SERVED[`${key} *`];
  return !range || (minor >= range[0] && minor < range[1]);
}

/** The built-in kinds as Kubernetes 1.`minor` serves them: removed versions gone, kinds not yet there left out. */
export function builtinTypesFor(minor: number): ResourceType[] {
  const out: ResourceType[] = [];
  for (const rt of BUILTIN_TYPES) {
    const versions = rt.versions.filter((version) => servedIn(minor, { group: rt.group, version }, rt.plural));
    const aliases = (rt.aliases ?? []).filter((gv) => servedIn(minor, gv, rt.plural));
    if (versions.length === 0 && aliases.length === 0) continue;
    out.push({ ...rt, versions, ...(rt.aliases ? { aliases } : {}) });
  }
  return out;
}

/** Lookup of types by group/version/plural, kind, and the CRDs applied so far. */
export class ResourceTypes {
  private builtin: ResourceType[];
  private custom = new Map<string, ResourceType>();

  /** @param minor the Kubernetes minor release whose API groups to serve (default: all the sandbox knows). */
  constructor(minor?: number) {
    this.builtin = minor === undefined ? BUILTIN_TYPES : builtinTypesFor(minor);
  }

  all(): ResourceType[] {
    return [...this.builtin, ...this.custom.values()];
  }

  /** Every group/version served, each with the types it serves. */
  groupVersions(): Array<GroupVersion & { types: ResourceType[]; preferred: boolean }> {
    const out = new Map<string, GroupVersion & { types: ResourceType[]; preferred: boolean }>();
    for (const rt of this.all()) {
      const gvs: GroupVersion[] = [...rt.versions.map((version) => ({ group: rt.group, version })), ...(rt.aliases ?? [])];
      for (const gv of gvs) {
        const k = apiVersionOf(gv);
        if (!out.has(k)) out.set(k, { ...gv, types: [], preferred: false });
        out.get(k)!.types.push(rt);
      }
    }
    return [...out.values()];
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find(
      (rt) => rt.plural === plural && ((rt.group === group && rt.versions.includes(version)) || (rt.aliases ?? []).some((a) => a.group === group && a.version === version)),
    );
  }

  servesGroupVersion(group: string, version: string): boolean {
    return this.groupVersions().some((gv) => gv.group === group && gv.version === version);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.all().find(
      (rt) => rt.kind === kind && ((rt.group === group && rt.versions.includes(version)) || (rt.aliases ?? []).some((a) => a.group === group && a.version === version)),
    );
  }

  /** A kind of the group whatever the version (seeding stores objects by group and kind). */
  byGroupKind(group: string, kind: string): ResourceType | undefined {
    return this.all().find((rt) => rt.kind === kind && (rt.group === group || (rt.aliases ?? []).some((a) => a.group === group)));
  }

  byKey(key: string): ResourceType | undefined {
    return this.all().find((rt) => resourceKey(rt) === key);
  }

  /** Registers or replaces the kind a CRD defines; returns its key. */
  defineFromCrd(crd: KubeObject): ResourceType | undefined {
    const spec = (crd.spec ?? {}) as {
      group?: string; scope?: string; version?: string;
      versions?: Array<{ name: string; served?: boolean; storage?: boolean; subresources?: Record<string, unknown> }>;
      names?: { kind?: string; plural?: string; singular?: string; shortNames?: string[]; categories?: string[] };
      subresources?: Record<string, unknown>;
    };
    if (!spec.group || !spec.names?.plural || !spec.names.kind) return undefined;
    let versions = (spec.versions ?? []).filter((v) => v.served !== false).map((v) => v.name);
    if (versions.length === 0 && spec.version) versions = [spec.version];
    if (versions.length === 0) return undefined;
    // Preferred version: the storage one first, as the real discovery orders it closely enough.
    const storage = (spec.versions ?? []).find((v) => v.storage)?.name;
    if (storage && versions.includes(storage)) versions = [storage, ...versions.filter((v) => v !== storage)];
    const sub = spec.subresources ?? spec.versions?.find((v) => v.subresources)?.subresources ?? {};
    const rt: ResourceType = {
      group: spec.group,
      versions,
      kind: spec.names.kind,
      plural: spec.names.plural,
      singular: spec.names.singular || spec.names.kind.toLowerCase(),
      namespaced: spec.scope !== 'Cluster',
      shortNames: spec.names.shortNames,
      categories: spec.names.categories,
      subresources: Object.keys(sub),
      custom: true,
    };
    this.custom.set(crd.metadata.name, rt);
    return rt;
  }

  forgetCrd(name: string): ResourceType | undefined {
    const rt = this.custom.get(name);
    this.custom.delete(name);
    return rt;
  }
}
