/**
 * jaeger-traces: Jaeger's query API at `url` holds at least `min` traces for
 * `service` (since the lesson started).
 *
 * Era-aware, as the Istio releases differ (see the tracing facts note):
 * - base path and API flavour (`/api`, `/jaeger/api`, or `/api/v3`): found by
 *   src/traces/jaeger-discovery.ts, the same search the trace client runs;
 *   this check sends the requests itself (httpGet: the step's signal, the
 *   port's holder named when nothing answers) and keeps every answer as a probe.
 * - service names: `productpage` (1.0) or `productpage.default` (1.1+).
 *
 * When the check fails, gathering also asks the cluster why (`env.istio` and
 * the service's pods), so the diagnosis can name the cause: tracing not
 * installed or switched off, sampling below 100% (and where it is set),
 * pods without the istio-proxy sidecar, Jaeger knowing the service under
 * another name, or Jaeger unreachable (and the forward that works here).
 */
import { localUrlPort } from '../../lesson/port-remap.js';
import { discoverJaegerApi } from '../../traces/jaeger-discovery.js';
import { splitJsonDocuments } from '../../traces/jaeger-answer.js';
import { DASHBOARD_PORT, dashboardCommandOn, samplingRaiseAdvice, samplingText, type IstioFacts } from '../../cluster/era.js';
import { clip, describeJson, failed, listing, objectProblem, passed, usableObjects } from '../common.js';
import { httpGet, looksLikeHtml, unanswered, type HttpOutcome } from './http.js';
import { namespaceFact, podFact, type NamespaceFact, type PodFact } from '../kube-facts.js';
import { injectionDiagnosis } from '../pod-diagnosis.js';
import type { CheckEnv, CheckKindModule, CheckOf } from '../types.js';
import { t } from '../../i18n/index.js';

export interface JaegerProbe {
  url: string;
  /** api: the services list answered as JSON; html: the UI's page (wrong base path); status: another HTTP answer; error: no answer. */
  result: 'api' | 'html' | 'status' | 'error';
  status?: number;
  /** For error: ECONNREFUSED, timeout … */
  code?: string;
  message?: string;
}

export interface JaegerFacts {
  url: string;
  probes: JaegerProbe[];
  /** The API that answered: its root (…/api or …/jaeger/api) and flavour. */
  api?: { root: string; flavour: 'v1' | 'v3' };
  services?: string[];
  /** The services taken to be the check's service (`S`, or `S.<namespace>`). */
  matched: string[];
  /** Lower bound of the search (Unix µs) when limited to the lesson. */
  since?: number;
  limit: number;
  /** Distinct traces the search returned. */
  traces?: number;
  /** When too few: traces in Jaeger's default window (older ones included). */
  olderTraces?: number;
  queryError?: string;
  /** Gathered only when the check fails: what the cluster says about why. */
  cluster?: ClusterContext;
}

/** The cluster around a failing jaeger-traces check. */
export interface ClusterContext {
  /** The installed Istio (from `env.istio`), when it could be told. */
  istio?: IstioFacts;
  /** The check's service's pods (label app=<service>) in its namespace, when they could be read. */
  workload?: { namespace: NamespaceFact; selector: string; pods: PodFact[] };
}

const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'timeout', 'invalid-url', 'cancelled', 'EHOSTUNREACH', 'ECONNRESET']);

/** Service names that stand for `service`: itself, `service.<namespace>`, or (given `app.ns`) plain `app`. */
export function matchServices(service: string, services: string[]): string[] {
  const exact = services.filter((s) => s === service);
  const namespaced = services.filter((s) => s.startsWith(`${service}.`) && !s.slice(service.length + 1).includes('.'));
  const bare = service.includes('.') ? services.filter((s) => s === service.split('.')[0]) : [];
  return [...new Set([...exact, ...namespaced, ...bare])];
}

/** Distinct trace ids in an OTLP JSON answer of /api/v3/traces (one object, or several streamed ones). */
export function otlpTraceIds(body: string): string[] {
  const ids = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'traceId' && typeof x === 'string') ids.add(x);
        else visit(x);
      }
    }
  };
  for (const doc of splitJsonDocuments(body)) visit(doc);
  return [...ids];
}

/** The service names in Jaeger's list (strings only: anything else in it is not a service). */
function serviceNames(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string' && s !== '') : [];
}

function parseJson(o: HttpOutcome): unknown {
  if (o.kind !== 'response') return undefined;
  try {
    return JSON.parse(o.body) as unknown;
  } catch {
    return undefined;
  }
}

function probeOf(url: string, o: HttpOutcome, isApi: boolean): JaegerProbe {
  if (o.kind === 'error') return { url, result: 'error', code: o.code, message: o.message };
  if (isApi) return { url, result: 'api', status: o.status };
  if (looksLikeHtml(o)) return { url, result: 'html', status: o.status };
  return { url, result: 'status', status: o.status, message: clip(o.body, 120) };
}

/** The app name and namespace a Jaeger service name stands for: `productpage.default` → productpage in default. */
function workloadOf(service: string): { app: string; namespace: string } {
  const [app, namespace] = service.split('.');
  return { app, namespace: namespace || 'default' };
}

function failing(facts: JaegerFacts, min: number): boolean {
  return !facts.api || facts.matched.length === 0 || (facts.queryError === undefined && (facts.traces ?? 0) < min);
}

async function gatherContext(check: CheckOf<'jaeger-traces'>, env: CheckEnv): Promise<ClusterContext | undefined> {
  const { app, namespace } = workloadOf(check.service);
  const selector = `app=${app}`;
  const readWorkload = async (): Promise<ClusterContext['workload']> => {
    if (!env.cluster) return undefined;
    try {
      const [pods, ns] = await Promise.all([
        env.cluster.list('v1', 'Pod', namespace, selector),
        env.cluster.get('v1', 'Namespace', undefined, namespace).catch(() => null),
      ]);
      // Only to enrich the diagnosis: an unreadable namespace counts as unknown, unreadable pods are left out.
      const nsFact = namespaceFact(namespace, ns === null || ns === undefined ? ns : objectProblem(ns) ? null : ns);
      return { namespace: nsFact, selector, pods: usableObjects(pods).map(podFact).filter((p) => !p.terminating) };
    } catch {
      return undefined; // RBAC or an unreachable cluster: the diagnosis goes without
    }
  };
  const [istio, workload] = await Promise.all([env.istio ? env.istio().catch(() => undefined) : Promise.resolve(undefined), readWorkload()]);
  if (!istio && !workload) return undefined;
  return { ...(istio ? { istio } : {}), ...(workload ? { workload } : {}) };
}

async function gatherJaeger(check: CheckOf<'jaeger-traces'>, env: CheckEnv): Promise<JaegerFacts> {
  const facts = await probeJaeger(check, env.signal, env.lessonStartMicros);
  if (failing(facts, check.min ?? 1) && !env.signal?.aborted) {
    const cluster = await gatherContext(check, env);
    if (cluster) facts.cluster = cluster;
  }
  return facts;
}

async function probeJaeger(check: CheckOf<'jaeger-traces'>, signal: AbortSignal | undefined, lessonStartMicros: number): Promise<JaegerFacts> {
  const min = check.min ?? 1;
  const limit = Math.max(min, 20);
  // Without a known start (0), search Jaeger's default window rather than from 1970.
  const since = check.sinceLessonStart === false || lessonStartMicros <= 0 ? undefined : lessonStartMicros;
  const root = check.url.trim().replace(/\/+$/, '').replace(/\/api$/, '');
  const facts: JaegerFacts = { url: check.url, probes: [], matched: [], limit, ...(since !== undefined ? { since } : {}) };
  const get = (url: string) => httpGet(url, { signal, accept: 'application/json' });

  // Find the API (traces/jaeger-discovery.ts, shared with the trace client): classic first, at
  // each base path; then the v3 API. A refused connection ends the search.
  const discovery = await discoverJaegerApi(
    root,
    async (url) => {
      const outcome = await get(url);
      return { url, outcome, ...(outcome.kind === 'response' ? { status: outcome.status, json: parseJson(outcome) } : {}) };
    },
    { giveUp: (r) => r.outcome.kind === 'error' && CONNECT_FAILURES.has(r.outcome.code) },
  );
  const { api, tried } = discovery;
  facts.probes = tried.map((r, i) => probeOf(r.url, r.outcome, !!api && i === tried.length - 1));
  if (api) {
    facts.api = { root: api.flavour === 'v1' ? `${api.base}/api` : `${api.base}/api/v3`, flavour: api.flavour };
    facts.services = serviceNames(api.services);
  }
  if (!facts.api || !facts.services) return facts;

  facts.matched = matchServices(check.service, facts.services);
  if (facts.matched.length === 0) return facts;

  const search = async (from: number | undefined): Promise<number | string> => {
    const ids = new Set<string>();
    for (const service of facts.matched) {
      const url =
        facts.api!.flavour === 'v1'
          ? `${facts.api!.root}/traces?service=${encodeURIComponent(service)}&limit=${limit}${from !== undefined ? `&start=${from}` : ''}`
          : `${facts.api!.root}/traces?query.service_name=${encodeURIComponent(service)}&query.num_traces=${limit}` +
            `&query.start_time_min=${encodeURIComponent(new Date((from ?? Date.now() * 1000 - 48 * 3600e6) / 1000).toISOString())}` +
            `&query.start_time_max=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
      const o = await get(url);
      if (o.kind === 'error') return `GET ${url}: ${o.code} ${o.message}`;
      if (facts.api!.flavour === 'v3') {
        if (o.status === 404) continue; // v3 answers 404 when nothing matches
        if (o.status !== 200) return t('jaeger.query.answered', { url, status: o.status, body: clip(o.body, 160) });
        otlpTraceIds(o.body).forEach((id) => ids.add(id));
        continue;
      }
      const json = parseJson(o);
      if (o.status !== 200 || json === undefined) return t('jaeger.query.answered', { url, status: o.status, body: clip(o.body, 160) || t('jaeger.query.emptyBody') });
      // Jaeger's envelope: {"data": [traces], "errors": [{"code", "msg"}] | null}; anything else is not its answer.
      const envelope = json && typeof json === 'object' && !Array.isArray(json) ? (json as { data?: unknown; errors?: unknown }) : undefined;
      if (!envelope) return t('jaeger.query.notEnvelope', { url, what: describeJson(json) });
      const errors = envelope.errors;
      if (Array.isArray(errors) && errors.length) {
        return t('jaeger.query.reported', { errors: clip(errors.map((e) => (e && typeof e === 'object' ? String((e as { msg?: unknown }).msg ?? JSON.stringify(e)) : String(e))).join('; '), 200) });
      }
      if (errors !== undefined && errors !== null && !Array.isArray(errors)) return t('jaeger.query.badErrors', { url, what: describeJson(errors), body: clip(o.body, 120) });
      if (envelope.data === undefined || envelope.data === null) continue; // no traces
      if (!Array.isArray(envelope.data)) return t('jaeger.query.badData', { url, what: describeJson(envelope.data) });
      envelope.data.forEach((t, i) => {
        const id = t && typeof t === 'object' ? (t as { traceID?: unknown }).traceID : undefined;
        ids.add(typeof id === 'string' && id ? id : `${service}#${i}`);
      });
    }
    return ids.size;
  };

  const found = await search(since);
  if (typeof found === 'string') {
    facts.queryError = found;
    return facts;
  }
  facts.traces = found;
  if (found < min && since !== undefined) {
    const older = await search(undefined);
    if (typeof older === 'number') facts.olderTraces = older;
  }
  return facts;
}

function clock(micros: number): string {
  return new Date(micros / 1000).toISOString().slice(11, 19) + ' UTC';
}

const GATEWAY_CURL = 'curl http://$GATEWAY_URL/productpage';
const GET_PODS = 'kubectl get pods';

/** Low sampling, said without the cluster's facts (1% is the older releases' default). */
const samplingAdvice = (): string => t('jaeger.samplingLow');

/** The forward to Jaeger's query port, said without the cluster's facts. */
const forwardAdviceBlind = (): string => t('jaeger.forward', { command: 'kubectl -n istio-system port-forward <jaeger pod> 15032:16686' });

function noSpansCauses(service: string): string[] {
  return [
    t('jaeger.noTraffic', { command: GATEWAY_CURL }),
    t('jaeger.noSidecars', { command: GET_PODS }),
    t('jaeger.samplingLowFor', { advice: samplingAdvice(), service }),
  ];
}

/** Jaeger does not answer at `url`: the forward that reaches it on this cluster, and why that one. */
function forwardAdvice(url: string, istio: IstioFacts): string {
  const d = istio.dashboard;
  const port = localUrlPort(url) ?? DASHBOARD_PORT;
  const alt = d.alternative ? t('jaeger.forwardAlt', { command: dashboardCommandOn(d.alternative, port) }) : '';
  return t('jaeger.forwardHere', { command: dashboardCommandOn(d.command, port), alt, why: d.why });
}

function notInstalled(istio: IstioFacts): string {
  const install =
    istio.era === 'modern'
      ? t('jaeger.installAddon', { command: 'kubectl apply -f samples/addons/jaeger.yaml' })
      : t('jaeger.reinstall', { profile: 'demo', flag: '--set tracing.enabled=true' });
  return t('jaeger.notInstalled', { install });
}

function samplingShare(p: number): string {
  if (p <= 0) return t('jaeger.shareNone');
  if (p === 1) return t('jaeger.shareOne');
  return t('jaeger.shareSome', { percent: p });
}

/**
 * What the cluster says about missing spans: causes found (tracing not
 * installed or off, sidecars missing, sampling below 100%, another service
 * name) and the suspects it cleared.
 */
function clusterCauses(check: CheckOf<'jaeger-traces'>, facts: JaegerFacts, ctx: ClusterContext): { causes: string[]; fine: string[] } {
  const causes: string[] = [];
  const fine: string[] = [];
  const { istio, workload } = ctx;
  const { app, namespace } = workloadOf(check.service);
  if (istio && !istio.tracingInstalled) causes.push(notInstalled(istio));
  if (istio?.meshTracingEnabled === false) {
    causes.push(t('jaeger.meshOff'));
  }
  if (workload) {
    const missing = workload.pods.filter((p) => !p.containers.includes('istio-proxy'));
    if (workload.pods.length === 0) {
      causes.push(t('jaeger.noPods', { app, selector: workload.selector, namespace }));
    } else if (missing.length > 0) {
      const names = listing(missing.map((p) => p.name), 3);
      causes.push(
        t('jaeger.podsWithout', { count: missing.length, names, app, command: GET_PODS }),
        ...injectionDiagnosis(workload.namespace, missing, workload.selector),
      );
    } else {
      fine.push(t('jaeger.podsWith', { app }));
    }
  }
  if (istio?.tracingInstalled && istio.samplingPercent !== undefined) {
    const text = samplingText(istio)!;
    if (istio.samplingPercent < 100) {
      causes.push(t('jaeger.samplingBelow', { rate: text, share: samplingShare(istio.samplingPercent), raise: samplingRaiseAdvice(istio) }));
    } else {
      fine.push(t('jaeger.samplingFull', { rate: text }));
    }
  }
  if (facts.services && facts.matched.length === 0) {
    const similar = facts.services.filter((s) => s.toLowerCase().includes(app.toLowerCase()));
    if (similar.length > 0) {
      const expect = istio && app === 'productpage' && istio.era ? t('jaeger.wrongNameHere', { service: istio.productpageService }) : '';
      causes.push(t('jaeger.wrongName', { similar: listing(similar), service: check.service, expect }));
    }
  }
  return { causes, fine };
}

function clearedLine(fine: string[]): string[] {
  return fine.length ? [t('jaeger.fine', { fine: fine.join(t('check.common.sep')) })] : [];
}

export const jaegerTracesCheck: CheckKindModule<CheckOf<'jaeger-traces'>, JaegerFacts> = {
  kind: 'jaeger-traces',
  gather: (check, env) => gatherJaeger(check, env),
  judge(check, facts) {
    const min = check.min ?? 1;
    const svc = check.service;
    const ctx = facts.cluster;
    const istio = ctx?.istio;
    const expected = t('jaeger.expected', { count: min, service: svc, url: facts.url, since: facts.since !== undefined ? t('jaeger.sinceStart') : '' });
    if (!facts.api) {
      const err = facts.probes.find((p) => p.result === 'error');
      if (err) {
        const { found, diagnosis } = unanswered(err.url, { kind: 'error', code: err.code ?? 'error', message: err.message ?? '' });
        const noAnswer = ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].includes(err.code ?? '');
        if (istio && !istio.tracingInstalled) diagnosis.unshift(notInstalled(istio));
        else if (istio && noAnswer) diagnosis.push(forwardAdvice(facts.url, istio));
        else if (err.code === 'ECONNREFUSED') diagnosis.push(forwardAdviceBlind());
        return failed(check, t('jaeger.noJaeger', { url: facts.url, found }), { expected, found, diagnosis });
      }
      const html = facts.probes.filter((p) => p.result === 'html');
      const tried = facts.probes.map((p) => `GET ${p.url} → ${p.result === 'html' ? t('jaeger.htmlPage') : `${p.status}${p.message ? ` ${p.message}` : ''}`}`);
      if (html.length > 0) {
        return failed(check, t('jaeger.webPage', { url: facts.url }), {
          expected,
          found: tried.join(t('check.common.sep')),
          diagnosis: [
            t('jaeger.webPageWhy'),
            t('jaeger.basePathsTried'),
            ...(istio?.tracingInstalled ? [t('jaeger.basePathHere', { path: `${istio.jaegerBasePath}/api` })] : []),
          ],
        });
      }
      return failed(check, t('jaeger.noApi', { url: facts.url }), { expected, found: tried.join(t('check.common.sep')), diagnosis: [t('jaeger.noApiWhy')] });
    }
    const services = facts.services ?? [];
    const at = facts.api.root;
    if (facts.matched.length === 0) {
      const reporting = services.filter((s) => !/^jaeger(-query|-all-in-one)?$/.test(s));
      const diagnosis: string[] = [];
      const found = t('jaeger.services', { services: listing(services) });
      if (ctx) {
        const { causes, fine } = clusterCauses(check, facts, ctx);
        if (causes.length > 0) diagnosis.push(...causes);
        else {
          if (reporting.some((s) => s.startsWith('istio-ingressgateway'))) diagnosis.push(t('jaeger.gatewayOnly', { service: svc }));
          diagnosis.push(t('jaeger.noTraffic', { command: GATEWAY_CURL }));
        }
        diagnosis.push(...clearedLine(fine));
        return failed(check, t('jaeger.unknownService', { service: svc }), { expected, found, diagnosis });
      }
      if (reporting.length === 0) diagnosis.push(t('jaeger.noSpansAtAll'));
      else if (reporting.some((s) => s.startsWith('istio-ingressgateway'))) diagnosis.push(t('jaeger.gatewayOnlyWhy', { service: svc }));
      diagnosis.push(...noSpansCauses(svc));
      return failed(check, t('jaeger.unknownService', { service: svc }), { expected, found, diagnosis });
    }
    const names = facts.matched.join(', ');
    if (facts.queryError !== undefined) {
      return failed(check, t('jaeger.searchFailed', { names }), { expected, found: facts.queryError, diagnosis: [t('jaeger.searchFailedWhy', { at })] });
    }
    const count = facts.traces ?? 0;
    const countText = `${count}${count >= facts.limit ? '+' : ''}`;
    const window = facts.since !== undefined ? t('jaeger.window', { time: clock(facts.since) }) : '';
    if (count >= min) return passed(t('jaeger.passed', { count, shown: countText, names, window }));
    const diagnosis: string[] = [];
    if (facts.olderTraces) diagnosis.push(t('jaeger.older', { count: facts.olderTraces, names }));
    const sendMore = t(min - count > 1 ? 'jaeger.sendMore' : 'jaeger.sendAnother', { app: svc.split('.')[0], command: GATEWAY_CURL });
    if (ctx) {
      const { causes, fine } = clusterCauses(check, facts, ctx);
      diagnosis.push(...(causes.length > 0 ? causes : [sendMore]), ...clearedLine(fine));
    } else {
      diagnosis.push(sendMore, samplingAdvice());
    }
    return failed(check, t('jaeger.tooFew', { found: count, min, names, window }), { expected, found: t('jaeger.found', { count, window, at }), diagnosis });
  },
};
