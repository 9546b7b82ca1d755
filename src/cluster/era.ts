/**
 * Which Istio is installed, read off the cluster API: the layout era (1.0,
 * 1.1 or modern istiod), where Jaeger serves its API, what it calls the
 * productpage service, how much of the traffic is sampled, and how the
 * Jaeger dashboard can be reached from this machine.
 *
 * The lesson's source document forwards the ingress gateway pod's 15032,
 * which only reached Jaeger on Istio 1.1 pre-release builds (a tracing
 * Gateway listened there). Everything here is derived from objects, not
 * from version numbers alone, so a cluster that a learner has edited (a
 * Gateway added, sampling raised) is described as it is.
 *
 * Reads the cluster only; never throws for a missing kind (no Istio) or an
 * RBAC refusal: those give partial facts, with the refused reads listed in
 * `unread`. An unreachable cluster does throw (its ClusterError), since no
 * fact could be told from a guess; `istioFactsOnce` turns that into undefined.
 */
import YAML from 'yaml';
import { ClusterError, type KubeClient } from './kube-client.js';
import type { KubeObject } from '../kube/types.js';
import { t as msg } from '../i18n/index.js';

import type { IstioEraName } from '../kube/istio-era.js';
export type { IstioEraName };

/** How to reach the Jaeger dashboard on local port 15032 here, and why that way. */
export interface DashboardAccess {
  /**
   * gateway-15032: forward the ingress gateway pod's 15032 (a Gateway listens there);
   * jaeger-pod: forward the app=jaeger pod's 16686 to local 15032;
   * istioctl: `istioctl dashboard jaeger` (modern Istio; `alternative` is the kubectl forward).
   */
  how: 'gateway-15032' | 'jaeger-pod' | 'istioctl';
  /** The command that works on this cluster (local port 15032). */
  command: string;
  /** Another command that works, for when the first needs a tool that may be missing (istioctl). */
  alternative?: string;
  /** One line: why this way, and why the source document's gateway forward does or does not work. */
  why: string;
}

export type SamplingSource =
  /** A Telemetry resource's `tracing[].randomSamplingPercentage` (modern). */
  | 'telemetry'
  /** The mesh config's `defaultConfig.tracing.sampling` (modern). */
  | 'mesh-config'
  /** `PILOT_TRACE_SAMPLING` on istio-pilot (1.0/1.1) or istiod. */
  | 'pilot-env'
  /** Nothing sets it: Istio's default of 1% (modern). */
  | 'default';

export interface IstioFacts {
  /** null: no Istio control plane found (or none could be read: see `unread`). */
  era: IstioEraName | null;
  /** From the istio-pilot/istiod image tag, e.g. `1.1.4`, `1.29.6`. */
  version?: string;
  /** The control plane Deployment: istio-pilot or istiod. */
  controlPlane?: 'istio-pilot' | 'istiod';
  /** A pod app=jaeger in istio-system, or a Deployment istio-tracing/jaeger. */
  tracingInstalled: boolean;
  /** The tracing Deployment's name, when known (istio-tracing, jaeger). */
  jaegerDeployment?: string;
  /** The mesh config's `enableTracing` (ConfigMap istio-system/istio), when set. */
  meshTracingEnabled?: boolean;
  /**
   * Jaeger's query base path: '' (API at /api) or '/jaeger' (API at /jaeger/api) in
   * Istio's installs; another value only when someone configured one.
   * From QUERY_BASE_PATH, `--query.base-path`, Jaeger v2's `jaeger_query.base_path`, or the era.
   */
  jaegerBasePath: '' | '/jaeger' | (string & {});
  /** What Jaeger calls Bookinfo's productpage: `productpage` (1.0) or `productpage.default` (1.1+). */
  productpageService: 'productpage' | 'productpage.default';
  /** Percent of requests traced, when it can be told. */
  samplingPercent?: number;
  samplingSource?: SamplingSource;
  /** Where the sampling comes from, in words: `PILOT_TRACE_SAMPLING on Deployment istio-pilot`. */
  samplingFrom?: string;
  /** A networking.istio.io Gateway selects the ingress gateway pods and has a server on port 15032. */
  gatewayListens15032: boolean;
  /** That Gateway, as namespace/name. */
  tracingGateway?: string;
  /** The istio-ingressgateway Service lists port 15032 (undefined: not read). */
  gatewayService15032?: boolean;
  dashboard: DashboardAccess;
  /** Reads RBAC refused: the facts that depend on them are the era's defaults. */
  unread: string[];
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NS = 'istio-system';
/** The local port the lesson serves the dashboard on. */
export const DASHBOARD_PORT = 15032;

const GATEWAY_FORWARD = `kubectl -n ${NS} port-forward "$(kubectl -n ${NS} get pod -l app=istio-ingressgateway -o jsonpath='{.items[0].metadata.name}')" ${DASHBOARD_PORT}:15032`;
const JAEGER_POD_FORWARD = `kubectl -n ${NS} port-forward "$(kubectl -n ${NS} get pod -l app=jaeger -o jsonpath='{.items[0].metadata.name}')" ${DASHBOARD_PORT}:16686`;
const ISTIOCTL_DASHBOARD = `istioctl dashboard jaeger --port ${DASHBOARD_PORT} --browser=false`;

// ---------------------------------------------------------------------------
// Reading

/** A read that yields undefined when the kind is missing, and notes (then yields undefined on) an RBAC refusal. */
async function attempt<T>(unread: string[], read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'not-found-kind') return undefined;
    if (e instanceof ClusterError && e.kind === 'forbidden') {
      unread.push(e.message);
      return undefined;
    }
    throw e;
  }
}

interface Workload {
  name: string;
  labels: Record<string, string>;
  containers: Any[];
  volumes: Any[];
}

function podTemplate(d: KubeObject): Workload {
  const tpl = ((d.spec as Any | undefined)?.template ?? {}) as Any;
  return { name: d.metadata.name, labels: { ...(tpl.metadata?.labels ?? {}) }, containers: tpl.spec?.containers ?? [], volumes: tpl.spec?.volumes ?? [] };
}

function podWorkload(p: KubeObject): Workload {
  const spec = (p.spec ?? {}) as Any;
  return { name: p.metadata.name, labels: { ...(p.metadata.labels ?? {}) }, containers: spec.containers ?? [], volumes: spec.volumes ?? [] };
}

function envOf(c: Any, name: string): string | undefined {
  const e = ((c.env ?? []) as Any[]).find((x) => x?.name === name);
  return e && typeof e.value === 'string' ? e.value : undefined;
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** `docker.io/istio/pilot:1.1.4` → `1.1.4`; `…:1.29.6-distroless` → `1.29.6`; digests and `latest` → undefined. */
export function imageVersion(image: string): string | undefined {
  const tag = image.replace(/@.*$/, '').match(/:([^/:]+)$/)?.[1];
  return tag?.match(/^v?(\d+\.\d+(?:\.\d+)?(?:-(?:alpha|beta|rc|snapshot)[\w.]*)?)/)?.[1];
}

/** The era of an istio-pilot (1.0 or 1.1 layout) or istiod (modern) control plane at `version`. */
export function eraOf(controlPlane: 'istio-pilot' | 'istiod', version: string | undefined): IstioEraName {
  if (controlPlane === 'istiod') return 'modern';
  const m = version?.match(/^(\d+)\.(\d+)/);
  if (m && Number(m[1]) === 1 && Number(m[2]) === 0) return '1.0';
  if (m && (Number(m[1]) > 1 || Number(m[2]) >= 5)) return 'modern';
  return '1.1';
}

function normalizeBasePath(p: string): string {
  const t = p.trim().replace(/\/+$/, '');
  return t === '' ? '' : t.startsWith('/') ? t : `/${t}`;
}

/** The base path the Jaeger container sets itself (env or flag), or undefined when it sets none there. */
function basePathFromContainer(c: Any): string | undefined {
  const env = envOf(c, 'QUERY_BASE_PATH');
  if (env !== undefined) return normalizeBasePath(env);
  const words = [...((c.command ?? []) as unknown[]), ...((c.args ?? []) as unknown[])].map(String);
  for (let i = 0; i < words.length; i++) {
    const m = words[i].match(/^--query\.base-path(?:=(.*))?$/);
    if (m) return normalizeBasePath(m[1] ?? words[i + 1] ?? '');
  }
  return undefined;
}

/** Jaeger v2's `extensions.jaeger_query.base_path` in a configuration file's text, if set. */
function basePathFromConfig(text: string): string | undefined {
  try {
    const cfg = YAML.parse(text) as Any | null;
    const q = cfg?.extensions?.jaeger_query;
    if (q && typeof q.base_path === 'string') return normalizeBasePath(q.base_path);
  } catch {
    /* not YAML: not a Jaeger configuration */
  }
  return undefined;
}

/** `x` read as a percentage, when it is one. */
function percent(x: unknown): number | undefined {
  const n = typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined;
}

/** The first `tracing[].randomSamplingPercentage` of a Telemetry object. */
function telemetrySampling(t: KubeObject): number | undefined {
  for (const tr of (((t.spec as Any | undefined)?.tracing ?? []) as Any[])) {
    const p = percent(tr?.randomSamplingPercentage);
    if (p !== undefined) return p;
  }
  return undefined;
}

async function listTelemetries(client: KubeClient, unread: string[]): Promise<KubeObject[]> {
  for (const version of ['telemetry.istio.io/v1', 'telemetry.istio.io/v1alpha1']) {
    try {
      return await client.list(version, 'Telemetry');
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'not-found-kind') continue;
      if (e instanceof ClusterError && e.kind === 'forbidden') {
        // Cluster-wide listing refused: the namespaces that matter here, one by one.
        const out: KubeObject[] = [];
        for (const ns of [NS, 'default']) out.push(...((await attempt(unread, () => client.list(version, 'Telemetry', ns))) ?? []));
        return out;
      }
      throw e;
    }
  }
  return [];
}

async function listGateways(client: KubeClient, unread: string[]): Promise<KubeObject[] | undefined> {
  const api = 'networking.istio.io/v1alpha3';
  try {
    return await client.list(api, 'Gateway');
  } catch (e) {
    if (e instanceof ClusterError && e.kind === 'not-found-kind') return undefined;
    if (e instanceof ClusterError && e.kind === 'forbidden') {
      const out: KubeObject[] = [];
      for (const ns of [NS, 'default']) out.push(...((await attempt(unread, () => client.list(api, 'Gateway', ns))) ?? []));
      return out;
    }
    throw e;
  }
}

/**
 * What Istio the cluster runs, for adapting the lesson and diagnosing missing traces.
 * See the module comment for what it throws.
 */
export async function detectIstio(client: KubeClient): Promise<IstioFacts> {
  const unread: string[] = [];
  const [deployments, pods, gateways, gatewayService, meshMap, telemetries] = await Promise.all([
    attempt(unread, () => client.list('apps/v1', 'Deployment', NS)),
    attempt(unread, () => client.list('v1', 'Pod', NS)),
    listGateways(client, unread),
    attempt(unread, () => client.get('v1', 'Service', NS, 'istio-ingressgateway')),
    attempt(unread, () => client.get('v1', 'ConfigMap', NS, 'istio')),
    listTelemetries(client, unread),
  ]);
  const livePods = (pods ?? []).filter((p) => !p.metadata.deletionTimestamp);

  // Control plane: the Deployment, or else its pods (labels istio=pilot; app=istiod or app=pilot).
  let control: { name: 'istio-pilot' | 'istiod'; workload: Workload } | undefined;
  const dep = (name: string) => deployments?.find((d) => d.metadata.name === name);
  const istiod = dep('istiod');
  const pilot = dep('istio-pilot');
  if (istiod) control = { name: 'istiod', workload: podTemplate(istiod) };
  else if (pilot) control = { name: 'istio-pilot', workload: podTemplate(pilot) };
  else {
    const pod = livePods.find((p) => p.metadata.labels?.istio === 'pilot' || p.metadata.labels?.app === 'istiod');
    if (pod) control = { name: pod.metadata.labels?.app === 'istiod' ? 'istiod' : 'istio-pilot', workload: podWorkload(pod) };
  }
  const discovery = control?.workload.containers.find((c) => c.name === 'discovery') ?? control?.workload.containers.find((c) => /pilot/.test(String(c.image ?? '')));
  const version = discovery ? imageVersion(String(discovery.image ?? '')) : undefined;
  const era = control ? eraOf(control.name, version) : null;

  // Mesh config.
  let mesh: Any = {};
  const meshText = (meshMap?.data as Any | undefined)?.mesh;
  if (typeof meshText === 'string') {
    try {
      mesh = (YAML.parse(meshText) as Any | null) ?? {};
    } catch {
      mesh = {};
    }
  }
  const meshTracingEnabled = typeof mesh.enableTracing === 'boolean' ? mesh.enableTracing : undefined;

  // Tracing: the Jaeger pods and Deployment.
  const jaegerPods = livePods.filter((p) => p.metadata.labels?.app === 'jaeger');
  const jaegerDep =
    deployments?.find((d) => d.metadata.name === 'istio-tracing' || d.metadata.name === 'jaeger') ??
    deployments?.find((d) => podTemplate(d).labels.app === 'jaeger');
  const tracingInstalled = jaegerPods.length > 0 || !!jaegerDep;
  const jaeger = jaegerDep ? podTemplate(jaegerDep) : jaegerPods[0] ? podWorkload(jaegerPods[0]) : undefined;

  let jaegerBasePath: string | undefined;
  if (jaeger) {
    const container = jaeger.containers.find((c) => c.name === 'jaeger') ?? jaeger.containers[0];
    jaegerBasePath = container ? basePathFromContainer(container) : undefined;
    if (jaegerBasePath === undefined) {
      // Jaeger v2 keeps it in a mounted configuration file.
      let unreadConfig = false;
      for (const v of jaeger.volumes) {
        const name = v?.configMap?.name;
        if (typeof name !== 'string') continue;
        const before = unread.length;
        const cm = await attempt(unread, () => client.get('v1', 'ConfigMap', NS, name));
        if (unread.length > before) unreadConfig = true;
        for (const text of Object.values(((cm?.data ?? {}) as Record<string, unknown>))) {
          if (typeof text === 'string') jaegerBasePath ??= basePathFromConfig(text);
        }
      }
      // Read the whole workload and found no base path: the UI is at the root.
      if (jaegerBasePath === undefined && !unreadConfig) jaegerBasePath = '';
    }
  }
  jaegerBasePath ??= era === '1.1' || era === 'modern' ? '/jaeger' : '';

  // Sampling: Telemetry (the workload's namespace, then the root namespace), mesh config, Pilot's env, the default.
  let samplingPercent: number | undefined;
  let samplingSource: SamplingSource | undefined;
  let samplingFrom: string | undefined;
  const rootNs = typeof mesh.rootNamespace === 'string' ? mesh.rootNamespace : NS;
  const applies = (t: KubeObject) => {
    const sel = (t.spec as Any | undefined)?.selector?.matchLabels as Record<string, string> | undefined;
    return !sel || Object.keys(sel).length === 0 || labelsMatch(sel, { app: 'productpage' });
  };
  const telemetry = [
    ...telemetries.filter((t) => t.metadata.namespace === 'default' && applies(t)),
    ...telemetries.filter((t) => t.metadata.namespace === rootNs && applies(t)),
  ].find((t) => telemetrySampling(t) !== undefined);
  const pilotEnv = discovery ? percent(envOf(discovery, 'PILOT_TRACE_SAMPLING')) : undefined;
  const meshSampling = percent(mesh.defaultConfig?.tracing?.sampling);
  if (telemetry) {
    samplingPercent = telemetrySampling(telemetry);
    samplingSource = 'telemetry';
    samplingFrom = msg('kube.era.fromTelemetry', { name: `${telemetry.metadata.namespace}/${telemetry.metadata.name}` });
  } else if (era === 'modern' && meshSampling !== undefined) {
    samplingPercent = meshSampling;
    samplingSource = 'mesh-config';
    samplingFrom = msg('kube.era.fromMeshConfig', { field: 'defaultConfig.tracing.sampling' });
  } else if (pilotEnv !== undefined && control) {
    samplingPercent = pilotEnv;
    samplingSource = 'pilot-env';
    samplingFrom = msg('kube.era.fromPilotEnv', { name: control.name });
  } else if (era === 'modern') {
    samplingPercent = 1;
    samplingSource = 'default';
    samplingFrom = msg('kube.era.fromDefault');
  }

  // The ingress gateway: the labels of its pods, and whether a Gateway listens on 15032 for them.
  const gwPods = livePods.filter((p) => p.metadata.labels?.istio === 'ingressgateway' || p.metadata.labels?.app === 'istio-ingressgateway');
  const gwDep = dep('istio-ingressgateway');
  const gwLabels: Array<Record<string, string>> = gwPods.length
    ? gwPods.map((p) => ({ ...(p.metadata.labels ?? {}) }))
    : gwDep
      ? [podTemplate(gwDep).labels]
      : [{ app: 'istio-ingressgateway', istio: 'ingressgateway' }];
  const listening = (gateways ?? []).find((g) => {
    const spec = (g.spec ?? {}) as Any;
    const selector = (spec.selector ?? {}) as Record<string, string>;
    return gwLabels.some((l) => labelsMatch(selector, l)) && ((spec.servers ?? []) as Any[]).some((s) => Number(s?.port?.number) === 15032);
  });
  const gatewayListens15032 = !!listening;
  const gatewayService15032 = gatewayService ? (((gatewayService.spec as Any | undefined)?.ports ?? []) as Any[]).some((p) => Number(p.port) === 15032) : undefined;

  const facts: IstioFacts = {
    era,
    ...(version ? { version } : {}),
    ...(control ? { controlPlane: control.name } : {}),
    tracingInstalled,
    ...(jaegerDep ? { jaegerDeployment: jaegerDep.metadata.name } : {}),
    ...(meshTracingEnabled !== undefined ? { meshTracingEnabled } : {}),
    jaegerBasePath,
    productpageService: era === '1.0' || era === null ? 'productpage' : 'productpage.default',
    ...(samplingPercent !== undefined ? { samplingPercent } : {}),
    ...(samplingSource ? { samplingSource } : {}),
    ...(samplingFrom ? { samplingFrom } : {}),
    gatewayListens15032,
    ...(listening ? { tracingGateway: `${listening.metadata.namespace ?? ''}/${listening.metadata.name}` } : {}),
    ...(gatewayService15032 !== undefined ? { gatewayService15032 } : {}),
    dashboard: { how: 'jaeger-pod', command: JAEGER_POD_FORWARD, why: '' },
    unread,
  };
  facts.dashboard = dashboardAccess(facts);
  return facts;
}

// ---------------------------------------------------------------------------
// Pure derivations

function istioName(f: Pick<IstioFacts, 'era' | 'version'>): string {
  if (f.version) return `Istio ${f.version}`;
  return f.era === 'modern' ? 'Istio (istiod)' : `Istio ${f.era}`;
}

/** `local 15032`, as the dashboard's reasons name the local port (so a moved port can be put in). */
const localPort = (port: number): string => msg('kube.era.local', { port });

/** How the dashboard is reached on this cluster, and why (pure: from the other facts). */
export function dashboardAccess(f: Omit<IstioFacts, 'dashboard'>): DashboardAccess {
  const local = localPort(DASHBOARD_PORT);
  if (f.era === null) {
    const why = f.unread.length ? msg('kube.era.unreadable', { local }) : msg('kube.era.noControlPlane');
    return { how: 'jaeger-pod', command: JAEGER_POD_FORWARD, why };
  }
  const name = istioName(f);
  if (f.gatewayListens15032) {
    return {
      how: 'gateway-15032',
      command: GATEWAY_FORWARD,
      why: msg('kube.era.gatewayListens', { istio: name, gateway: f.tracingGateway ? msg('kube.era.theGateway', { name: f.tracingGateway }) : msg('kube.era.aGateway') }),
    };
  }
  if (!f.tracingInstalled) {
    return {
      how: f.era === 'modern' ? 'istioctl' : 'jaeger-pod',
      command: f.era === 'modern' ? ISTIOCTL_DASHBOARD : JAEGER_POD_FORWARD,
      ...(f.era === 'modern' ? { alternative: JAEGER_POD_FORWARD } : {}),
      why: msg('kube.era.noTracing', { istio: name }),
    };
  }
  if (f.era === 'modern') {
    return {
      how: 'istioctl',
      command: ISTIOCTL_DASHBOARD,
      alternative: JAEGER_POD_FORWARD,
      why: msg('kube.era.modern', { istio: name, command: 'istioctl dashboard jaeger' }),
    };
  }
  const istio = f.version && !/-/.test(f.version) ? msg('kube.era.released', { istio: name }) : name;
  const what =
    f.gatewayService15032 === true
      ? msg('kube.era.serviceOnly')
      : f.gatewayService15032 === false
        ? msg('kube.era.noPort')
        : msg('kube.era.noListener');
  return {
    how: 'jaeger-pod',
    command: JAEGER_POD_FORWARD,
    why: msg('kube.era.forwardPod', { istio, what, local }),
  };
}

/** A dashboard command retargeted from local port 15032 to `port` (the lesson's port moved by --port or m). Pure. */
export function dashboardCommandOn(command: string, port: number): string {
  if (port === DASHBOARD_PORT) return command;
  return command.replace(`${DASHBOARD_PORT}:`, `${port}:`).replace(`--port ${DASHBOARD_PORT}`, `--port ${port}`);
}

/** How the dashboard is reached, for a lesson serving it on local `port` instead of 15032. Pure. */
export function dashboardAccessOn(access: DashboardAccess, port: number): DashboardAccess {
  if (port === DASHBOARD_PORT) return access;
  return {
    ...access,
    command: dashboardCommandOn(access.command, port),
    ...(access.alternative ? { alternative: dashboardCommandOn(access.alternative, port) } : {}),
    why: access.why.replace(localPort(DASHBOARD_PORT), localPort(port)),
  };
}

/** JAEGER_URL for lesson commands and checks: the dashboard on this machine, on `port` (a moved forward's). */
export function dashboardUrlVars(port: number = DASHBOARD_PORT): Record<string, string> {
  return { JAEGER_URL: `http://localhost:${port}` };
}

/**
 * Variables for lesson commands and checks: ISTIO_ERA (`1.0`, `1.1`, `modern`,
 * or `none`), JAEGER_BASE (`''` or `/jaeger`), PRODUCTPAGE_SERVICE.
 */
export function istioVars(facts: IstioFacts): Record<string, string> {
  return { ISTIO_ERA: facts.era ?? 'none', JAEGER_BASE: facts.jaegerBasePath, PRODUCTPAGE_SERVICE: facts.productpageService };
}

/** The sampling rate in words: `1% (PILOT_TRACE_SAMPLING on Deployment istio-pilot)`. */
export function samplingText(f: Pick<IstioFacts, 'samplingPercent' | 'samplingFrom'>): string | undefined {
  if (f.samplingPercent === undefined) return undefined;
  return f.samplingFrom ? msg('kube.era.rateFrom', { percent: f.samplingPercent, from: f.samplingFrom }) : `${f.samplingPercent}%`;
}

/** How to raise the sampling rate to 100% on this Istio. */
export function samplingRaiseAdvice(f: Pick<IstioFacts, 'era' | 'samplingSource' | 'samplingFrom' | 'controlPlane'>): string {
  if (f.samplingSource === 'telemetry') {
    // The resource's namespace/name: the one word of samplingFrom with a slash, in any language.
    const name = f.samplingFrom?.match(/[a-z0-9][\w.-]*\/[\w.-]*[\w]/i)?.[0] ?? 'istio-system/mesh-default';
    const [ns, n] = name.split('/');
    return msg('kube.era.raiseTelemetry', { name, command: `kubectl -n ${ns} edit telemetry ${n}` });
  }
  if (f.era === 'modern') return msg('kube.era.raiseModern', { field: 'tracing' });
  const deployment = f.controlPlane ?? 'istio-pilot';
  return msg('kube.era.raisePilot', { deployment, command: `kubectl -n istio-system set env deployment/${deployment} PILOT_TRACE_SAMPLING=100` });
}

/**
 * A once-per-round reader for `CheckEnv.istio`: the first call detects, later
 * calls share the answer; undefined when there is no cluster or it cannot be read.
 */
export function istioFactsOnce(client: KubeClient | null): () => Promise<IstioFacts | undefined> {
  let pending: Promise<IstioFacts | undefined> | undefined;
  return () => (pending ??= client ? detectIstio(client).catch(() => undefined) : Promise.resolve(undefined));
}
