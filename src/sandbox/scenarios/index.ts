/**
 * Sandbox scenarios: the desired-state objects a simulated cluster starts
 * with. Controllers make Pods/ReplicaSets from the Deployments here; nothing
 * in this module creates runtime objects or status.
 *
 * | scenario     | era    | what is true                                                                  |
 * |--------------|--------|-------------------------------------------------------------------------------|
 * | ready        | 1.1    | the seed doc's world: 1.1 layout + pre-release tracing Gateway on 15032,      |
 * |              |        | Jaeger at the root path, 100% sampling, `default` injected, Bookinfo deployed |
 * | fresh        | 1.1    | as ready, without Bookinfo (the learner deploys it)                           |
 * | empty        | null   | no Istio: standard namespaces and CoreDNS only                                |
 * | no-tracing   | 1.1    | Istio without the tracing addon, `enableTracing: false`, Bookinfo deployed    |
 * | no-sidecar   | 1.1    | as ready, but `default` is not labelled for injection                         |
 * | not-ready    | 1.1    | as ready, reviews-v2 uses an image that cannot be pulled                      |
 * | low-sampling | 1.1    | as ready, at 1% sampling                                                      |
 * | istio-1.0    | 1.0    | released 1.0.9 demo: no 15032 on the gateway, Jaeger at /api                  |
 * | istio-1.1    | 1.1    | released 1.1.4 demo: 15032 on the Service, no Gateway on it, Jaeger /jaeger   |
 * | modern       | modern | 1.29.6: istiod, Jaeger v2 addon at /jaeger, Telemetry at 100%, gateway 80→8080 |
 * | reviews-v1   | 1.1    | as ready, reviews-v2 and reviews-v3 scaled to 0: no request reaches ratings   |
 * | restricted   | 1.1    | as ready, but the learner's user may not list or watch pods (RBAC refusals)   |
 * | istio-1.0-fresh, istio-1.1-fresh, modern-fresh | | as istio-1.0, istio-1.1, modern, without Bookinfo  |
 * | istio-1.1-ingress | 1.1 | as istio-1.1, plus the tracing Ingress (`tracing.ingress.enabled=true`) and   |
 * |              |        | an ingress-nginx controller on a node port                                    |
 *
 * Each scenario also says which Kubernetes it runs ({@link Scenario.kubernetes}: its era's, see
 * kubernetes-release.ts) and what the learner's user is refused ({@link Scenario.refused}).
 *
 * `ERA_FRESH_SCENARIOS` are the fresh worlds of every era, for `kubetutor test --eras`.
 *
 * The `ready` family is labelled era '1.1' (service names `productpage.default`
 * in traces, 1.1 object layout) but its Jaeger has no base path, because the
 * pre-release tracing chart only set one when asked to: the simulator should
 * take the base path from the objects ({@link jaegerBasePath}), not the era.
 */
import type { IstioEra, KubeObject } from '../../kube/types.js';
import type { AccessRule } from '../api/authorizer.js';
import { kubernetesForEra, type KubernetesRelease } from '../kubernetes-release.js';
import { bookinfoGatewayObjects, bookinfoObjects } from './bookinfo.js';
import { baseClusterObjects } from './cluster.js';
import { istioCrds } from './crds.js';
import type { IstioInstallOptions } from './install.js';
import { istio10Objects } from './istio-1.0.js';
import { istio11Objects } from './istio-1.1.js';
import { istioModernObjects } from './istio-modern.js';
import { ingressControllerObjects, tracingIngress } from './ingress.js';

export { bookinfoGatewayObjects, bookinfoObjects } from './bookinfo.js';
export { findObject, gatewayServerPorts, injectionEnabled, jaegerBasePath, meshConfig, traceSamplingPercent } from './inspect.js';
export type { IstioInstallOptions } from './install.js';

export interface Scenario {
  name: string;
  /** One line. */
  description: string;
  /** null = no Istio. */
  era: IstioEra | null;
  objects: KubeObject[];
  /** Images that cannot be pulled: pods using them stay in ImagePullBackOff. */
  brokenImages?: string[];
  /** The Kubernetes it runs: /version and the API groups served. */
  kubernetes: KubernetesRelease;
  /** Requests the learner's user may not make (403 Forbidden, `kubectl auth can-i` says no). */
  refused?: AccessRule[];
}

export const SCENARIO_NAMES = [
  'ready', 'fresh', 'empty', 'no-tracing', 'no-sidecar', 'not-ready', 'low-sampling', 'istio-1.0', 'istio-1.1', 'modern', 'reviews-v1',
  'restricted',
  'istio-1.0-fresh', 'istio-1.1-fresh', 'modern-fresh', 'istio-1.1-ingress',
] as const satisfies readonly string[];

/** A fresh world (Istio with tracing, no Bookinfo yet) of every era: the pre-release 1.1, 1.0, 1.1, current. */
export const ERA_FRESH_SCENARIOS = ['fresh', 'istio-1.0-fresh', 'istio-1.1-fresh', 'modern-fresh'] as const satisfies readonly ScenarioName[];

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The image the `not-ready` scenario gives reviews-v2: a tag that does not exist. */
export const NOT_READY_BROKEN_IMAGE = 'docker.io/istio/examples-bookinfo-reviews-v2:1.99.0-typo';

interface World {
  era: IstioEra | null;
  install?: IstioInstallOptions;
  injection: boolean;
  bookinfo: boolean;
  /** The tracing dashboard's Ingress and an ingress controller to serve it (1.0/1.1 Helm `tracing.ingress.enabled`). */
  tracingIngress?: boolean;
}

interface Definition {
  description: string;
  world: World;
  brokenImages?: string[];
  /** Another Kubernetes than the era's. */
  kubernetes?: KubernetesRelease;
  refused?: AccessRule[];
  /** Last-step edits on the freshly built objects. */
  adjust?: (objects: KubeObject[]) => void;
}

const RELEASED_INSTALL: IstioInstallOptions = { tracing: true, enableTracing: true, samplingPercent: 100 };
const ISTIO_10: World = { era: '1.0', install: RELEASED_INSTALL, injection: true, bookinfo: true };
const ISTIO_11: World = { era: '1.1', install: RELEASED_INSTALL, injection: true, bookinfo: true };
const MODERN: World = { era: 'modern', install: RELEASED_INSTALL, injection: true, bookinfo: true };

const SEED_INSTALL: IstioInstallOptions = { tracing: true, enableTracing: true, samplingPercent: 100, prereleaseTracingGateway: true };
const SEED_WORLD: World = { era: '1.1', install: SEED_INSTALL, injection: true, bookinfo: true };

const DEFINITIONS: Record<ScenarioName, Definition> = {
  ready: {
    description: "The seed doc's world: Istio with Jaeger behind the gateway's port 15032, Bookinfo injected and running",
    world: SEED_WORLD,
  },
  fresh: {
    description: 'Istio with tracing and sidecar injection on, Bookinfo not deployed yet',
    world: { ...SEED_WORLD, bookinfo: false },
  },
  empty: {
    description: 'A bare cluster: no Istio, no Bookinfo',
    world: { era: null, injection: false, bookinfo: false },
  },
  'no-tracing': {
    description: 'Istio installed without the tracing addon (no Jaeger), Bookinfo running',
    world: { ...SEED_WORLD, install: { ...SEED_INSTALL, tracing: false, enableTracing: false } },
  },
  'no-sidecar': {
    description: 'As ready, but the default namespace is not labelled for injection: Bookinfo runs without sidecars',
    world: { ...SEED_WORLD, injection: false },
  },
  'not-ready': {
    description: 'As ready, but reviews-v2 points at an image tag that does not exist (ImagePullBackOff)',
    world: SEED_WORLD,
    brokenImages: [NOT_READY_BROKEN_IMAGE],
    adjust: (objects) => setImage(objects, 'default', 'reviews-v2', 'reviews', NOT_READY_BROKEN_IMAGE),
  },
  'low-sampling': {
    description: 'As ready, but Pilot traces only 1% of requests',
    world: { ...SEED_WORLD, install: { ...SEED_INSTALL, samplingPercent: 1 } },
  },
  'istio-1.0': {
    description: 'Released Istio 1.0.9 demo install: no port 15032 on the gateway, Jaeger API at /api',
    world: ISTIO_10,
  },
  'istio-1.1': {
    description: 'Released Istio 1.1.4 demo install: 15032 on the gateway Service but no Gateway on it, Jaeger at /jaeger',
    world: ISTIO_11,
  },
  modern: {
    description: 'Istio 1.29 with istiod and the Jaeger addon at /jaeger, Telemetry sampling 100%, gateway 80→8080',
    world: MODERN,
  },
  'istio-1.0-fresh': {
    description: 'As istio-1.0, Bookinfo not deployed yet',
    world: { ...ISTIO_10, bookinfo: false },
  },
  'istio-1.1-fresh': {
    description: 'As istio-1.1, Bookinfo not deployed yet',
    world: { ...ISTIO_11, bookinfo: false },
  },
  'modern-fresh': {
    description: 'As modern, Bookinfo not deployed yet',
    world: { ...MODERN, bookinfo: false },
  },
  'istio-1.1-ingress': {
    description: 'As istio-1.1, with the tracing dashboard\'s Ingress (tracing.ingress.enabled=true) behind an ingress-nginx node port',
    world: { ...ISTIO_11, tracingIngress: true },
  },
  'reviews-v1': {
    description: 'As ready, but reviews-v2 and reviews-v3 are scaled to 0: reviews v1 answers every request and nothing calls ratings',
    world: SEED_WORLD,
    adjust: (objects) => {
      for (const name of ['reviews-v2', 'reviews-v3']) setReplicas(objects, 'default', name, 0);
    },
  },
  restricted: {
    description: "As ready, but the learner's user may not list or watch pods (RBAC): kubectl and the checks are refused",
    world: SEED_WORLD,
    refused: [{ verb: 'list', resource: 'pods', group: '' }, { verb: 'watch', resource: 'pods', group: '' }],
  },
};

function setReplicas(objects: KubeObject[], ns: string, deploymentName: string, replicas: number): void {
  const dep = objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === ns && o.metadata.name === deploymentName);
  if (!dep) throw new Error(`scenario: no Deployment ${ns}/${deploymentName}`);
  (dep.spec as { replicas?: number }).replicas = replicas;
}

function istioObjects(era: IstioEra, install: IstioInstallOptions): KubeObject[] {
  switch (era) {
    case '1.0': return istio10Objects(install);
    case '1.1': return istio11Objects(install);
    case 'modern': return istioModernObjects(install);
  }
}

function setImage(objects: KubeObject[], ns: string, deploymentName: string, containerName: string, image: string): void {
  const dep = objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === ns && o.metadata.name === deploymentName);
  const containers = (dep?.spec as { template?: { spec?: { containers?: Array<{ name: string; image: string }> } } } | undefined)?.template?.spec?.containers;
  const c = containers?.find((x) => x.name === containerName);
  if (!c) throw new Error(`scenario: no container ${containerName} in ${ns}/${deploymentName}`);
  c.image = image;
}

/**
 * Creation order: namespaces, then CRDs, then built-in namespaced kinds, then
 * custom resources, so a simulator can create them one by one in list order.
 */
const KIND_ORDER = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'ConfigMap', 'Service', 'Deployment', 'Ingress'];

function creationRank(o: KubeObject): number {
  const i = KIND_ORDER.indexOf(o.kind);
  return i === -1 ? KIND_ORDER.length : i;
}

function build(name: ScenarioName): Scenario {
  const def = DEFINITIONS[name];
  const { era, install, injection, bookinfo, tracingIngress: ingress } = def.world;
  const objects: KubeObject[] = [...baseClusterObjects(injection)];
  if (era !== null && install) {
    objects.push(...istioCrds(era), ...istioObjects(era, install));
    if (bookinfo) objects.push(...bookinfoObjects(era), ...bookinfoGatewayObjects(era));
    if (ingress) objects.push(...ingressControllerObjects(), tracingIngress());
  }
  def.adjust?.(objects);
  // Array.prototype.sort is stable: within a rank the authored order stays.
  objects.sort((a, b) => creationRank(a) - creationRank(b));
  const scenario: Scenario = { name, description: def.description, era, objects, kubernetes: def.kubernetes ?? kubernetesForEra(era) };
  if (def.brokenImages) scenario.brokenImages = [...def.brokenImages];
  if (def.refused) scenario.refused = def.refused.map((r) => ({ ...r }));
  return scenario;
}

function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

/** The named scenario with freshly built objects (safe to mutate), or undefined. */
export function getScenario(name: string): Scenario | undefined {
  return isScenarioName(name) ? build(name) : undefined;
}

/** Every scenario's name and one-line description, in {@link SCENARIO_NAMES} order. */
export function listScenarios(): Array<{ name: string; description: string }> {
  return SCENARIO_NAMES.map((name) => ({ name, description: DEFINITIONS[name].description }));
}
