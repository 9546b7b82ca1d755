/**
 * The kinds the sandbox serves: built-in ones, and whatever a
 * CustomResourceDefinition adds once it is applied.
 */
import type { KubeObject } from '../types.js';

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
  grouped('coordination.k8s.io', ['v1'], 'Lease', 'leases', true),
  grouped('scheduling.k8s.io', ['v1'], 'PriorityClass', 'priorityclasses', false, { shortNames: ['pc'] }),
];

/** Lookup of types by group/version/plural, kind, and the CRDs applied so far. */
export class ResourceTypes {
  private builtin = BUILTIN_TYPES;
  private custom = new Map<string, ResourceType>();

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
