/** http: a GET answers the expected status (and its body contains a text). */
import { clip, deadline, failed, passed } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';
import { DASHBOARD_PORT, dashboardAccessOn, type IstioFacts } from '../../cluster/era.js';
import { dashboardDiagnosis } from './ports.js';

export type HttpOutcome =
  | {
      kind: 'response';
      status: number;
      statusText: string;
      contentType: string;
      /** The `server` header (envoy, istio-envoy …), when sent. */
      server?: string;
      /** The body as text, cut at `maxBytes`. */
      body: string;
      truncated: boolean;
    }
  | {
      kind: 'error';
      /** ECONNREFUSED, ENOTFOUND, timeout, cancelled, invalid-url, or another socket error code. */
      code: string;
      message: string;
    };

export interface HttpFacts {
  url: string;
  outcome: HttpOutcome;
  /** Nothing listens on the dashboard's local port: the installed Istio, when the env could tell (which forward works). */
  istio?: Pick<IstioFacts, 'era' | 'gatewayListens15032' | 'dashboard'>;
}

/** A URL on this machine's dashboard port (localhost:15032, or where --port moved it). */
function onDashboardPort(url: string, port: number): boolean {
  try {
    const u = new URL(url);
    return ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname) && Number(u.port) === port;
  } catch {
    return false;
  }
}

export const HTTP_TIMEOUT_MS = 3000;
const MAX_BODY_BYTES = 512 * 1024;

/** One GET, with a deadline; never throws. */
export async function httpGet(url: string, opts: { signal?: AbortSignal; timeoutMs?: number; maxBytes?: number; accept?: string } = {}): Promise<HttpOutcome> {
  const timeoutMs = opts.timeoutMs ?? HTTP_TIMEOUT_MS;
  try {
    new URL(url);
  } catch {
    return { kind: 'error', code: 'invalid-url', message: `"${url}" is not a valid URL` };
  }
  try {
    const res = await fetch(url, { signal: deadline(timeoutMs, opts.signal), headers: { accept: opts.accept ?? '*/*' }, redirect: 'follow' });
    const { text, truncated } = await readLimited(res, opts.maxBytes ?? MAX_BODY_BYTES);
    const server = res.headers.get('server');
    return { kind: 'response', status: res.status, statusText: res.statusText, contentType: res.headers.get('content-type') ?? '', ...(server ? { server } : {}), body: text, truncated };
  } catch (e) {
    return fetchError(e, timeoutMs, opts.signal);
  }
}

async function readLimited(res: Response, max: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= max) {
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return { text: Buffer.concat(chunks).subarray(0, max).toString('utf8'), truncated };
}

function fetchError(e: unknown, timeoutMs: number, outer?: AbortSignal): HttpOutcome {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (outer?.aborted) return { kind: 'error', code: 'cancelled', message: 'cancelled' };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return { kind: 'error', code: 'timeout', message: `no answer within ${timeoutMs / 1000} s` };
  const code = err.cause?.code ?? 'error';
  const message = err.cause?.message ?? err.message ?? String(e);
  return { kind: 'error', code: code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : code, message };
}

/** The page's <title>, or its first line. */
export function bodyGist(body: string): string {
  const title = body.match(/<title[^>]*>([^<]*)<\/title>/i)?.[1]?.trim();
  if (title !== undefined) return `a page titled "${title}"`;
  const first = body.trim().split('\n')[0] ?? '';
  return first ? `"${clip(first, 100)}"` : 'an empty body';
}

export function looksLikeHtml(o: { contentType: string; body: string }): boolean {
  return /html/i.test(o.contentType) || /^\s*<(!doctype|html)/i.test(o.body);
}

/** Words for a request that got no answer: what happened, and the likely cause. */
export function unanswered(url: string, o: Extract<HttpOutcome, { kind: 'error' }>): { found: string; diagnosis: string[] } {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    /* keep the raw text */
  }
  switch (o.code) {
    case 'ECONNREFUSED':
      return { found: `connection to ${host} refused`, diagnosis: [`nothing listens at ${host}: is the port-forward (or the gateway) running? The runner lists its background processes`] };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { found: `host ${host} does not resolve`, diagnosis: [`the name in ${url} does not resolve: check the variable that built the URL (echo it in your shell)`] };
    case 'timeout':
      return { found: `no answer from ${host} within ${HTTP_TIMEOUT_MS / 1000} s`, diagnosis: [`${host} accepted nothing or answered nothing in time: is it the right address, and is the process behind it healthy?`] };
    case 'invalid-url':
      return { found: o.message, diagnosis: ['the URL is not valid: is a variable in it empty?'] };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return {
        found: `${host} closed the connection without an answer`,
        diagnosis: [`something accepts connections at ${host} but hangs up: is the pod (or gateway) behind it Ready, and does it serve this port and path?`],
      };
    case 'cancelled':
      return { found: 'cancelled', diagnosis: [] };
    default:
      if (/^HPE_/.test(o.code)) {
        // Node's HTTP parser refused the answer: something answers there, but not a web server.
        return { found: `${host} answered with something that is not valid HTTP (${clip(o.message, 100)})`, diagnosis: [`is ${host} the right address and port? What listens there does not speak HTTP`] };
      }
      return { found: `${o.code}: ${clip(o.message, 160)}`, diagnosis: [`the request to ${host} failed (${o.code})`] };
  }
}

export const httpCheck: CheckKindModule<CheckOf<'http'>, HttpFacts> = {
  kind: 'http',
  async gather(check, env) {
    const facts: HttpFacts = { url: check.url, outcome: await httpGet(check.url, { signal: env.signal }) };
    const port = env.dashboardPort ?? DASHBOARD_PORT;
    if (facts.outcome.kind === 'error' && facts.outcome.code === 'ECONNREFUSED' && onDashboardPort(check.url, port) && env.istio) {
      const istio = await env.istio().catch(() => undefined);
      if (istio) facts.istio = { era: istio.era, gatewayListens15032: istio.gatewayListens15032, dashboard: dashboardAccessOn(istio.dashboard, port) };
    }
    return facts;
  },
  judge(check, { url, outcome, istio }) {
    const status = check.status ?? 200;
    const expected = `GET ${url} answers ${status}${check.contains !== undefined ? ` with a body containing "${check.contains}"` : ''}`;
    if (outcome.kind === 'error') {
      const { found, diagnosis } = unanswered(url, outcome);
      if (istio) diagnosis.push(...dashboardDiagnosis(istio));
      return failed(check, `GET ${url}: ${found}`, { expected, found, diagnosis });
    }
    const got = `${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ''}`;
    if (outcome.status !== status) {
      const diagnosis: string[] = [];
      const envoy = /envoy/i.test(outcome.server ?? '');
      if (/no healthy upstream/i.test(outcome.body)) diagnosis.push('the gateway has no healthy backend for this route: are the pods behind it Ready?');
      else if (outcome.status === 404 && envoy) diagnosis.push('the gateway has no route for this path: is the VirtualService applied and bound to the Gateway?');
      else if (outcome.status === 503 && envoy) diagnosis.push('the mesh could not reach the service: are its pods Ready?');
      diagnosis.push(`the body was ${bodyGist(outcome.body)}`);
      return failed(check, `GET ${url} answered ${got}, not ${status}`, { expected, found: got, diagnosis });
    }
    if (check.contains !== undefined && !outcome.body.includes(check.contains)) {
      const diagnosis = [`the body (${outcome.body.length}${outcome.truncated ? '+' : ''} characters${outcome.contentType ? `, ${outcome.contentType}` : ''}) was ${bodyGist(outcome.body)}`];
      return failed(check, `GET ${url} answered ${got} without "${check.contains}"`, { expected, found: `${got}, ${bodyGist(outcome.body)}`, diagnosis });
    }
    return passed(`GET ${url} answered ${got}${check.contains !== undefined ? ` containing "${check.contains}"` : ''}`);
  },
};
