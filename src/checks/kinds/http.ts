/** http: a GET answers the expected status (and its body contains a text). */
import { t } from '../../i18n/index.js';
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
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return { kind: 'error', code: 'timeout', message: t('check.http.noAnswerWithin', { seconds: timeoutMs / 1000 }) };
  const code = err.cause?.code ?? 'error';
  const message = err.cause?.message ?? err.message ?? String(e);
  return { kind: 'error', code: code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : code, message };
}

/** The page's <title>, or its first line. */
export function bodyGist(body: string): string {
  const title = body.match(/<title[^>]*>([^<]*)<\/title>/i)?.[1]?.trim();
  if (title !== undefined) return t('check.http.pageTitled', { title });
  const first = body.trim().split('\n')[0] ?? '';
  return first ? `"${clip(first, 100)}"` : t('check.http.emptyBody');
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
      return { found: t('check.http.refused', { host }), diagnosis: [t('check.http.refusedWhy', { host })] };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { found: t('check.http.noResolve', { host }), diagnosis: [t('check.http.noResolveWhy', { url })] };
    case 'timeout':
      return { found: t('check.http.timeout', { host, seconds: HTTP_TIMEOUT_MS / 1000 }), diagnosis: [t('check.http.timeoutWhy', { host })] };
    case 'invalid-url':
      return { found: o.message, diagnosis: [t('check.http.invalidUrl')] };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return {
        found: t('check.http.reset', { host }),
        diagnosis: [t('check.http.resetWhy', { host })],
      };
    case 'cancelled':
      return { found: t('check.http.cancelled'), diagnosis: [] };
    default:
      if (/^HPE_/.test(o.code)) {
        // Node's HTTP parser refused the answer: something answers there, but not a web server.
        return { found: t('check.http.notHttp', { host, message: clip(o.message, 100) }), diagnosis: [t('check.http.notHttpWhy', { host })] };
      }
      return { found: `${o.code}: ${clip(o.message, 160)}`, diagnosis: [t('check.http.failed', { host, code: o.code })] };
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
    const expected = check.contains !== undefined ? t('check.http.expectContaining', { url, status, text: check.contains }) : t('check.http.expect', { url, status });
    if (outcome.kind === 'error') {
      const { found, diagnosis } = unanswered(url, outcome);
      if (istio) diagnosis.push(...dashboardDiagnosis(istio));
      return failed(check, `GET ${url}: ${found}`, { expected, found, diagnosis });
    }
    const got = `${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ''}`;
    if (outcome.status !== status) {
      const diagnosis: string[] = [];
      const envoy = /envoy/i.test(outcome.server ?? '');
      if (/no healthy upstream/i.test(outcome.body)) diagnosis.push(t('check.http.noUpstream'));
      else if (outcome.status === 404 && envoy) diagnosis.push(t('check.http.noRoute'));
      else if (outcome.status === 503 && envoy) diagnosis.push(t('check.http.meshUnreachable'));
      diagnosis.push(t('check.http.bodyWas', { gist: bodyGist(outcome.body) }));
      return failed(check, t('check.http.wrongStatus', { url, got, status }), { expected, found: got, diagnosis });
    }
    if (check.contains !== undefined && !outcome.body.includes(check.contains)) {
      const size = `${outcome.body.length}${outcome.truncated ? '+' : ''}`;
      const gist = bodyGist(outcome.body);
      const diagnosis = [outcome.contentType ? t('check.http.bodySizeTyped', { size, type: outcome.contentType, gist }) : t('check.http.bodySize', { size, gist })];
      return failed(check, t('check.http.without', { url, got, text: check.contains }), { expected, found: `${got}${t('list.sep')}${gist}`, diagnosis });
    }
    return passed(check.contains !== undefined ? t('check.http.answeredContaining', { url, got, text: check.contains }) : t('check.http.answered', { url, got }));
  },
};
