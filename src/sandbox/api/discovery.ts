/**
 * API discovery in both shapes kubectl reads: aggregated (apidiscovery v2 or
 * v2beta1, whichever the Accept header asks for — kubectl 1.27–1.29 only know
 * v2beta1) and the legacy APIVersions / APIGroupList / APIResourceList.
 */
import { apiVersionOf, type ResourceType, type ResourceTypes } from './resource-types.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  scale: ['get', 'patch', 'update'],
  log: ['get'],
  portforward: ['create', 'get'],
  proxy: ['create', 'delete', 'get', 'patch', 'update'],
  exec: ['create', 'get'],
  attach: ['create', 'get'],
  eviction: ['create'],
  finalize: ['update'],
  token: ['create'],
};
const SUB_KIND: Record<string, (rt: ResourceType) => { group: string; version: string; kind: string }> = {
  scale: () => ({ group: 'autoscaling', version: 'v1', kind: 'Scale' }),
  eviction: () => ({ group: 'policy', version: 'v1', kind: 'Eviction' }),
  token: () => ({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }),
};

/** Picks the aggregated discovery version the client accepts, or null for legacy. */
export function aggregatedVersionAccepted(accept: string | undefined): 'v2' | 'v2beta1' | null {
  if (!accept) return null;
  for (const part of accept.split(',')) {
    if (!part.includes('g=apidiscovery.k8s.io') || !part.includes('as=APIGroupDiscoveryList')) continue;
    if (/v=v2(;|$)/.test(part)) return 'v2';
    if (/v=v2beta1(;|$)/.test(part)) return 'v2beta1';
  }
  return null;
}

/**
 * Short names and categories only where the kind lives (apps' Deployments), not on the older
 * group that also reaches it (extensions/v1beta1): with `deploy` on both, kubectl warns on every
 * `kubectl get deploy` that the short name could also match the other, and `kubectl get all`
 * lists each Deployment twice.
 */
function names(rt: ResourceType, group: string) {
  if (group !== rt.group) return {};
  return {
    ...(rt.shortNames?.length ? { shortNames: rt.shortNames } : {}),
    ...(rt.categories?.length ? { categories: rt.categories } : {}),
  };
}

function resourceEntry(rt: ResourceType, group: string, version: string) {
  return {
    resource: rt.plural,
    responseKind: { group, version, kind: rt.kind },
    scope: rt.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: rt.singular,
    verbs: rt.verbs ?? VERBS,
    ...names(rt, group),
    ...(rt.subresources?.length
      ? {
          subresources: rt.subresources.map((s) => ({
            subresource: s,
            responseKind: SUB_KIND[s]?.(rt) ?? { group, version, kind: rt.kind },
            verbs: SUB_VERBS[s] ?? ['get'],
          })),
        }
      : {}),
  };
}

/** The groups in the order the real server lists them: core first, then by group name. */
function groups(types: ResourceTypes, legacyCore: boolean) {
  const byGroup = new Map<string, Map<string, ResourceType[]>>();
  for (const gv of types.groupVersions()) {
    if ((gv.group === '') !== legacyCore) continue;
    if (!byGroup.has(gv.group)) byGroup.set(gv.group, new Map());
    byGroup.get(gv.group)!.set(gv.version, gv.types);
  }
  const order = (v: string) => {
    // Kubernetes version priority: GA > beta > alpha, higher numbers first.
    const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
    if (!m) return [0, 0, 0];
    return [Number(m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1), Number(m[1]), Number(m[3] ?? 0)];
  };
  return [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, versions]) => {
      const sorted = [...versions.entries()].sort(([a], [b]) => {
        const x = order(a), y = order(b);
        return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
      });
      return { group, versions: sorted };
    });
}

export function aggregatedDiscovery(types: ResourceTypes, which: '/api' | '/apis', version: 'v2' | 'v2beta1') {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups(types, which === '/api').map(({ group, versions }) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: versions.map(([v, rts]) => ({ version: v, resources: rts.map((rt) => resourceEntry(rt, group, v)), freshness: 'Current' })),
    })),
  };
}

export function legacyApiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function legacyGroupList(types: ResourceTypes) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups(types, false).map(({ group, versions }) => ({
      name: group,
      versions: versions.map(([v]) => ({ groupVersion: `${group}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${group}/${versions[0][0]}`, version: versions[0][0] },
    })),
  };
}

export function legacyGroup(types: ResourceTypes, group: string) {
  const g = groups(types, false).find((x) => x.group === group);
  if (!g) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: g.versions.map(([v]) => ({ groupVersion: `${group}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${group}/${g.versions[0][0]}`, version: g.versions[0][0] },
  };
}

export function legacyResourceList(types: ResourceTypes, group: string, version: string) {
  const gv = types.groupVersions().find((x) => x.group === group && x.version === version);
  if (!gv) return undefined;
  const resources: unknown[] = [];
  for (const rt of gv.types) {
    resources.push({
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: rt.verbs ?? VERBS,
      ...names(rt, group),
    });
    for (const s of rt.subresources ?? []) {
      const k = SUB_KIND[s]?.(rt);
      resources.push({ name: `${rt.plural}/${s}`, singularName: '', namespaced: rt.namespaced, kind: k?.kind ?? rt.kind, verbs: SUB_VERBS[s] ?? ['get'], ...(k ? { group: k.group, version: k.version } : {}) });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}
