/**
 * Where Jaeger's query API lives, found one way for every reader of it (the trace client and
 * the jaeger-traces check), as the Istio eras differ:
 * - base path: Jaeger 1.5 (Istio 1.0) serves `/api` at the URL as given; Istio 1.1+ sets
 *   QUERY_BASE_PATH=/jaeger, so `/jaeger/api`; given a URL ending in /jaeger, its parent is the
 *   other candidate. The UI answers every unknown path with its HTML page, so an HTML answer
 *   means "wrong base path", not "down".
 * - flavour: newer Jaeger drops `/api/services` for the OTLP-JSON `/api/v3/services`, tried at
 *   each base once neither has the classic API.
 * How the requests are sent (and how a failure is worded) is the caller's: `discoverJaegerApi`
 * takes a `get` and hands back every answer it saw.
 */
import { JaegerError, isObj } from './jaeger-answer.js';
import { t } from '../i18n/index.js';

export type JaegerApiFlavour = 'v1' | 'v3';

/** `localhost:16686/jaeger/search` → `http://localhost:16686/jaeger`. */
export function normalizeJaegerUrl(url: string): string {
  let u = url.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) u = `http://${u}`;
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    throw new JaegerError(t('traces.jaeger.notUrl', { url }), 'invalid-url', url);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new JaegerError(t('traces.jaeger.notHttp', { url }), 'invalid-url', url);
  }
  let path = parsed.pathname.replace(/\/+$/, '');
  // Pasted UI or API addresses: keep the base only. (Only Jaeger's own API paths: a
  // Kubernetes service-proxy URL, /api/v1/namespaces/…/proxy, must stay whole.)
  path = path.replace(/\/(search|trace\/[^/]*|api(\/(services|operations|traces|dependencies|v3)(\/.*)?)?)$/, '');
  return `${parsed.origin}${path}`;
}

/** The base paths to try, in order: the root itself, then with or without `/jaeger`. */
export function jaegerBases(root: string): string[] {
  return [...new Set([root, root.endsWith('/jaeger') ? root.slice(0, -'/jaeger'.length) : `${root}/jaeger`])];
}

/** `GET …/api/services` answered by the classic API: `{"data": [names]}` (`"data": null` when empty). */
export function isV1ServicesAnswer(status: number | undefined, json: unknown): json is { data: unknown[] | null } {
  return status === 200 && isObj(json) && 'data' in json && (Array.isArray(json.data) || json.data === null);
}

/** `GET …/api/v3/services` answered by the v3 API: `{"services": [names]}` (`{}` when empty). */
export function isV3ServicesAnswer(status: number | undefined, json: unknown): json is { services?: unknown[] } {
  return status === 200 && isObj(json) && (Array.isArray(json.services) || Object.keys(json).length === 0);
}

/** One request of the search: its URL, and (when something answered) the status and parsed JSON body. */
export interface DiscoveryReply {
  url: string;
  status?: number;
  json?: unknown;
}

export interface Discovery<R extends DiscoveryReply> {
  /** Every answer seen, in order. */
  tried: R[];
  /** The API found: its base (`…` for `…/api`), flavour, and the raw service list it answered. */
  api?: { base: string; flavour: JaegerApiFlavour; services: unknown[] };
  /** The search stopped early: `giveUp` said so of the last reply (nothing answers there). */
  gaveUp?: boolean;
}

export interface DiscoveryOptions<R extends DiscoveryReply> {
  /** Stop at this reply (a refused connection: nothing to find at the other paths either). */
  giveUp?: (reply: R) => boolean;
  /** Sees each classic-API answer before it is judged (the client throws on Jaeger's error envelope). */
  inspectV1?: (reply: R) => void;
}

/** Finds the API under `root` (already normalized by the caller): classic at each base, then v3. */
export async function discoverJaegerApi<R extends DiscoveryReply>(root: string, get: (url: string) => Promise<R>, opts: DiscoveryOptions<R> = {}): Promise<Discovery<R>> {
  const bases = jaegerBases(root);
  const tried: R[] = [];
  for (const base of bases) {
    const r = await get(`${base}/api/services`);
    tried.push(r);
    if (isV1ServicesAnswer(r.status, r.json)) return { tried, api: { base, flavour: 'v1', services: r.json.data ?? [] } };
    opts.inspectV1?.(r);
    if (opts.giveUp?.(r)) return { tried, gaveUp: true };
  }
  for (const base of bases) {
    const r = await get(`${base}/api/v3/services`);
    tried.push(r);
    if (isV3ServicesAnswer(r.status, r.json)) return { tried, api: { base, flavour: 'v3', services: r.json.services ?? [] } };
  }
  return { tried };
}
