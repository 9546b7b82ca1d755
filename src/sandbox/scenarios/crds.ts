/**
 * CustomResourceDefinitions for the Istio kinds the lesson touches.
 *
 * Written as `apiextensions.k8s.io/v1` with a permissive schema: the sandbox
 * stores what it is given and only needs names, scope and versions to route
 * requests and answer discovery. Facts per era, from the release manifests:
 * - 1.0: `v1alpha3` only; no shortNames (the 1.0 CRDs had none, so
 *   `kubectl get vs` did not work there); no Sidecar kind yet.
 * - 1.1: `v1alpha3`; shortNames gw, vs, dr, se; Sidecar added.
 * - modern: `v1`, `v1beta1`, `v1alpha3` served, `v1alpha3` still the storage
 *   version; Telemetry in `telemetry.istio.io` (`v1alpha1` storage, `v1`).
 */
import type { IstioEra, KubeObject } from '../../kube/types.js';
import type { Labels } from './build.js';

interface KindDef {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  category: string;
  /** Columns `kubectl get` prints (modern CRDs only). */
  columns?: Array<{ name: string; jsonPath: string; description: string }>;
}

const NETWORKING = 'networking.istio.io';
const TELEMETRY = 'telemetry.istio.io';

const AGE_COLUMN = {
  name: 'Age',
  jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp of the object',
};

const KINDS: Record<string, KindDef> = {
  gateways: { group: NETWORKING, kind: 'Gateway', plural: 'gateways', singular: 'gateway', shortNames: ['gw'], category: 'networking-istio-io' },
  virtualservices: {
    group: NETWORKING, kind: 'VirtualService', plural: 'virtualservices', singular: 'virtualservice', shortNames: ['vs'], category: 'networking-istio-io',
    columns: [
      { name: 'Gateways', jsonPath: '.spec.gateways', description: 'The names of gateways and sidecars that should apply these routes' },
      { name: 'Hosts', jsonPath: '.spec.hosts', description: 'The destination hosts to which traffic is being sent' },
    ],
  },
  destinationrules: {
    group: NETWORKING, kind: 'DestinationRule', plural: 'destinationrules', singular: 'destinationrule', shortNames: ['dr'], category: 'networking-istio-io',
    columns: [{ name: 'Host', jsonPath: '.spec.host', description: 'The name of a service from the service registry' }],
  },
  serviceentries: { group: NETWORKING, kind: 'ServiceEntry', plural: 'serviceentries', singular: 'serviceentry', shortNames: ['se'], category: 'networking-istio-io' },
  envoyfilters: { group: NETWORKING, kind: 'EnvoyFilter', plural: 'envoyfilters', singular: 'envoyfilter', shortNames: [], category: 'networking-istio-io' },
  sidecars: { group: NETWORKING, kind: 'Sidecar', plural: 'sidecars', singular: 'sidecar', shortNames: [], category: 'networking-istio-io' },
  telemetries: { group: TELEMETRY, kind: 'Telemetry', plural: 'telemetries', singular: 'telemetry', shortNames: ['telemetry'], category: 'telemetry-istio-io' },
};

interface EraCrds {
  kinds: string[];
  /** served versions, storage version first */
  versions: Record<string, string[]>;
  shortNames: boolean;
  columns: boolean;
  labels: Labels;
}

const ERA_CRDS: Record<IstioEra, EraCrds> = {
  '1.0': {
    kinds: ['gateways', 'virtualservices', 'destinationrules', 'serviceentries', 'envoyfilters'],
    versions: { [NETWORKING]: ['v1alpha3'] },
    shortNames: false,
    columns: false,
    labels: { app: 'istio-pilot' },
  },
  '1.1': {
    kinds: ['gateways', 'virtualservices', 'destinationrules', 'serviceentries', 'envoyfilters', 'sidecars'],
    versions: { [NETWORKING]: ['v1alpha3'] },
    shortNames: true,
    columns: false,
    labels: { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' },
  },
  modern: {
    kinds: ['gateways', 'virtualservices', 'destinationrules', 'serviceentries', 'envoyfilters', 'sidecars', 'telemetries'],
    versions: { [NETWORKING]: ['v1alpha3', 'v1beta1', 'v1'], [TELEMETRY]: ['v1alpha1', 'v1'] },
    shortNames: true,
    columns: true,
    labels: { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' },
  },
};

function crd(def: KindDef, era: EraCrds): KubeObject {
  const served = era.versions[def.group] ?? [];
  const names: Record<string, unknown> = {
    categories: ['istio-io', def.category],
    kind: def.kind,
    listKind: `${def.kind}List`,
    plural: def.plural,
    singular: def.singular,
  };
  if (era.shortNames && def.shortNames.length > 0) names.shortNames = [...def.shortNames];
  const labels: Labels = { ...era.labels };
  if (def.group === TELEMETRY) labels.istio = 'telemetry';
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${def.plural}.${def.group}`,
      labels,
      ...(era.columns ? { annotations: { 'helm.sh/resource-policy': 'keep' } } : {}),
    },
    spec: {
      group: def.group,
      names,
      scope: 'Namespaced',
      versions: served.map((name, i) => {
        const v: Record<string, unknown> = {
          name,
          served: true,
          storage: i === 0,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          subresources: { status: {} },
        };
        if (era.columns) v.additionalPrinterColumns = [...(def.columns ?? []), AGE_COLUMN].map((c) => ({ ...c, type: c.name === 'Age' ? 'date' : 'string' }));
        return v;
      }),
    },
  };
}

/** The Istio CRDs a given era installs (only the kinds the lesson can meet). */
export function istioCrds(era: IstioEra): KubeObject[] {
  const e = ERA_CRDS[era];
  return e.kinds.map((k) => crd(KINDS[k], e));
}
