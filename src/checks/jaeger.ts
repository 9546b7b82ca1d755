/**
 * jaeger-traces: Jaeger's query API at `url` holds at least `min` traces for
 * `service` (since the lesson started).
 *
 * Era-aware, as the Istio releases differ (see the tracing facts note):
 * - base path: Jaeger 1.5 (Istio 1.0) serves `/api`; Istio 1.1+ sets
 *   QUERY_BASE_PATH=/jaeger, so `/jaeger/api`. The UI answers every unknown
 *   path with its HTML page, so an HTML answer means "wrong base path".
 * - service names: `productpage` (1.0) or `productpage.default` (1.1+).
 * - newer Jaeger drops `/api/services` for `/api/v3/services` (OTLP JSON):
 *   tried when neither base path has the classic API.
 */
import { clip, failed, listing, passed, plural } from './common.js';
import { httpGet, looksLikeHtml, unanswered, type HttpOutcome } from './http.js';
import type { CheckKindModule, CheckOf } from './types.js';

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

function splitJsonDocuments(body: string): unknown[] {
  try {
    return [JSON.parse(body)];
  } catch {
    return body
      .split(/\n(?=\s*\{)/)
      .map((part) => {
        try {
          return JSON.parse(part) as unknown;
        } catch {
          return undefined;
        }
      })
      .filter((x) => x !== undefined);
  }
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

async function gatherJaeger(check: CheckOf<'jaeger-traces'>, signal: AbortSignal | undefined, lessonStartMicros: number): Promise<JaegerFacts> {
  const min = check.min ?? 1;
  const limit = Math.max(min, 20);
  // Without a known start (0), search Jaeger's default window rather than from 1970.
  const since = check.sinceLessonStart === false || lessonStartMicros <= 0 ? undefined : lessonStartMicros;
  const root = check.url.trim().replace(/\/+$/, '').replace(/\/api$/, '');
  const bases = [...new Set([root, root.endsWith('/jaeger') ? root.slice(0, -'/jaeger'.length) : `${root}/jaeger`])];
  const facts: JaegerFacts = { url: check.url, probes: [], matched: [], limit, ...(since !== undefined ? { since } : {}) };
  const get = (url: string) => httpGet(url, { signal, accept: 'application/json' });

  // Find the API: classic first, at each base path; then the v3 API.
  let unreachable = false;
  for (const base of bases) {
    const url = `${base}/api/services`;
    const o = await get(url);
    const json = parseJson(o) as { data?: unknown } | undefined;
    // Jaeger encodes an empty service list as `"data": null`.
    const isApi = o.kind === 'response' && o.status === 200 && !!json && typeof json === 'object' && 'data' in json && (Array.isArray(json.data) || json.data === null);
    facts.probes.push(probeOf(url, o, isApi));
    if (isApi) {
      facts.api = { root: `${base}/api`, flavour: 'v1' };
      facts.services = ((json!.data ?? []) as unknown[]).map(String);
      break;
    }
    if (o.kind === 'error' && CONNECT_FAILURES.has(o.code)) {
      unreachable = true;
      break;
    }
  }
  if (!facts.api && !unreachable) {
    for (const base of bases) {
      const url = `${base}/api/v3/services`;
      const o = await get(url);
      const json = parseJson(o) as { services?: unknown } | undefined;
      const isApi = o.kind === 'response' && o.status === 200 && Array.isArray(json?.services);
      facts.probes.push(probeOf(url, o, isApi));
      if (isApi) {
        facts.api = { root: `${base}/api/v3`, flavour: 'v3' };
        facts.services = (json!.services as unknown[]).map(String);
        break;
      }
    }
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
        if (o.status !== 200) return `GET ${url} answered ${o.status}: ${clip(o.body, 160)}`;
        otlpTraceIds(o.body).forEach((id) => ids.add(id));
        continue;
      }
      const json = parseJson(o) as { data?: Array<{ traceID?: string }>; errors?: Array<{ msg?: string }> | null } | undefined;
      if (o.status !== 200 || !json) return `GET ${url} answered ${o.status}: ${clip(o.body, 160)}`;
      if (json.errors?.length) return `Jaeger reported: ${json.errors.map((e) => e.msg).join('; ')}`;
      (json.data ?? []).forEach((t, i) => ids.add(t.traceID ?? `${service}#${i}`));
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

const SAMPLING_ADVICE =
  'sampling low: at 1% sampling only about one request in a hundred becomes a trace; send more requests, or raise the sampling rate (PILOT_TRACE_SAMPLING on istio-pilot, or a Telemetry resource on modern Istio)';

const FORWARD_ADVICE =
  'start the port-forward to Jaeger: its query port is 16686 on the app=jaeger pod (kubectl -n istio-system port-forward <jaeger pod> 15032:16686); only Istio 1.1 pre-release builds also served it on the ingress gateway\'s 15032';

function noSpansCauses(service: string): string[] {
  return [
    `no traffic yet: send requests through the gateway (e.g. curl http://$GATEWAY_URL/productpage), then check again`,
    `sidecars missing: pods without the istio-proxy container send no spans (kubectl get pods shows 2/2 containers when injected)`,
    `${SAMPLING_ADVICE}; ${service} appears in Jaeger once one of its requests is sampled`,
  ];
}

export const jaegerTracesCheck: CheckKindModule<CheckOf<'jaeger-traces'>, JaegerFacts> = {
  kind: 'jaeger-traces',
  gather: (check, env) => gatherJaeger(check, env.signal, env.lessonStartMicros),
  judge(check, facts) {
    const min = check.min ?? 1;
    const svc = check.service;
    const expected = `at least ${plural(min, 'trace')} for ${svc} in Jaeger at ${facts.url}${facts.since !== undefined ? ' since the lesson started' : ''}`;
    if (!facts.api) {
      const err = facts.probes.find((p) => p.result === 'error');
      if (err) {
        const { found, diagnosis } = unanswered(err.url, { kind: 'error', code: err.code ?? 'error', message: err.message ?? '' });
        if (err.code === 'ECONNREFUSED') diagnosis.push(FORWARD_ADVICE);
        return failed(check, `no Jaeger at ${facts.url}: ${found}`, { expected, found, diagnosis });
      }
      const html = facts.probes.filter((p) => p.result === 'html');
      const tried = facts.probes.map((p) => `GET ${p.url} → ${p.result === 'html' ? 'an HTML page' : `${p.status}${p.message ? ` ${p.message}` : ''}`}`);
      if (html.length > 0) {
        return failed(check, `${facts.url} serves a web page, not the Jaeger query API`, {
          expected,
          found: tried.join('; '),
          diagnosis: [
            'Jaeger UI answers unknown paths with its HTML page, so its API is under another base path (QUERY_BASE_PATH), or this is not Jaeger',
            'the base paths tried were / and /jaeger: give the check the URL the Jaeger UI runs at',
          ],
        });
      }
      return failed(check, `no Jaeger query API at ${facts.url}`, { expected, found: tried.join('; '), diagnosis: ['something answers there, but not Jaeger: is the port-forward pointing at the right pod and port (16686)?'] });
    }
    const services = facts.services ?? [];
    const at = facts.api.root;
    if (facts.matched.length === 0) {
      const reporting = services.filter((s) => !/^jaeger(-query|-all-in-one)?$/.test(s));
      const diagnosis: string[] = [];
      if (reporting.length === 0) diagnosis.push('Jaeger has received no spans from the mesh at all: is tracing enabled in the mesh, and has any request gone through it?');
      else if (reporting.some((s) => s.startsWith('istio-ingressgateway'))) diagnosis.push(`the ingress gateway reports spans but ${svc} does not: its pods likely lack the istio-proxy sidecar, or no request reached it`);
      diagnosis.push(...noSpansCauses(svc));
      return failed(check, `Jaeger knows no service ${svc}`, { expected, found: `services in Jaeger: ${listing(services)}`, diagnosis });
    }
    const names = facts.matched.join(', ');
    if (facts.queryError !== undefined) {
      return failed(check, `the trace search for ${names} failed`, { expected, found: facts.queryError, diagnosis: [`Jaeger's API at ${at} listed the service but its search failed: is the Jaeger pod healthy?`] });
    }
    const count = facts.traces ?? 0;
    const countText = `${count}${count >= facts.limit ? '+' : ''}`;
    const window = facts.since !== undefined ? ` since the lesson started (${clock(facts.since)})` : '';
    if (count >= min) return passed(`${countText} ${count === 1 ? 'trace' : 'traces'} for ${names} in Jaeger${window}`);
    const diagnosis: string[] = [];
    if (facts.olderTraces) diagnosis.push(`Jaeger has ${plural(facts.olderTraces, 'older trace')} for ${names}, from before the lesson started: send new requests`);
    diagnosis.push(`each request through the gateway to ${svc.split('.')[0]} makes one trace when it is sampled: send ${min - count > 1 ? 'some more' : 'another'} (e.g. curl http://$GATEWAY_URL/productpage)`);
    diagnosis.push(SAMPLING_ADVICE);
    return failed(check, `${count} of ${min} traces for ${names} in Jaeger${window}`, { expected, found: `${plural(count, 'trace')}${window} at ${at}`, diagnosis });
  },
};
