/**
 * The web page's addresses, as Jaeger UI spells them, and the search form
 * they carry. Pure, and shared by the server (which renders the page) and the
 * browser script (which re-renders it from the query API).
 *
 * Paths are relative to the base path (`/jaeger` in Istio 1.1 and later):
 *   ''  or  'search?service=…&operation=…&lookback=1h&limit=20&tags=…&minDuration=…&maxDuration=…'
 *   'trace/{traceID}'
 *   'trace?id={traceID}'           (the top bar's lookup box without JavaScript: a redirect)
 *   'static/kubetutor-jaeger.js', 'static/kubetutor-jaeger.css'
 * Every other path shows the search page, as Jaeger's own server answers
 * every path it has no route for with the UI.
 */

export interface SearchForm {
  service: string;
  /** '' means all operations. */
  operation: string;
  /** One of LOOKBACKS' values. */
  lookback: string;
  limit: number;
  /** logfmt, as Jaeger UI's Tags box: `error=true http.status_code=200`. */
  tags: string;
  /** Go durations (`1.2s`, `100ms`) or ''. */
  minDuration: string;
  maxDuration: string;
}

export type UiRoute =
  | { kind: 'search'; form: SearchForm; submitted: boolean }
  | { kind: 'trace'; traceID: string }
  | { kind: 'lookup'; traceID: string }
  | { kind: 'asset'; name: 'script' | 'styles' };

export const SCRIPT_PATH = 'static/kubetutor-jaeger.js';
export const STYLES_PATH = 'static/kubetutor-jaeger.css';

/** Jaeger UI's look-back choices (value, label). */
export const LOOKBACKS: ReadonlyArray<readonly [string, string]> = [
  ['1h', 'Last Hour'],
  ['2h', 'Last 2 Hours'],
  ['3h', 'Last 3 Hours'],
  ['6h', 'Last 6 Hours'],
  ['12h', 'Last 12 Hours'],
  ['24h', 'Last 24 Hours'],
  ['2d', 'Last 2 Days'],
];

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1500;

export function defaultSearchForm(service = ''): SearchForm {
  return { service, operation: '', lookback: '1h', limit: DEFAULT_LIMIT, tags: '', minDuration: '', maxDuration: '' };
}

/** The form as a page address carries it; anything missing or odd falls back to Jaeger UI's defaults. */
export function searchFormFrom(params: URLSearchParams): SearchForm {
  const form = defaultSearchForm(params.get('service') ?? '');
  const op = params.get('operation') ?? '';
  form.operation = op === 'all' ? '' : op;
  const lookback = params.get('lookback') ?? '';
  if (LOOKBACKS.some(([v]) => v === lookback)) form.lookback = lookback;
  const limit = Number(params.get('limit'));
  if (Number.isInteger(limit) && limit > 0) form.limit = Math.min(limit, MAX_LIMIT);
  form.tags = params.get('tags') ?? '';
  form.minDuration = params.get('minDuration') ?? '';
  form.maxDuration = params.get('maxDuration') ?? '';
  return form;
}

/** The page address of a search (`search?…`), short: empty fields are left out. */
export function searchHref(form: SearchForm): string {
  const p = new URLSearchParams();
  p.set('service', form.service);
  if (form.operation) p.set('operation', form.operation);
  p.set('lookback', form.lookback);
  p.set('limit', String(form.limit));
  if (form.tags.trim()) p.set('tags', form.tags.trim());
  if (form.minDuration.trim()) p.set('minDuration', form.minDuration.trim());
  if (form.maxDuration.trim()) p.set('maxDuration', form.maxDuration.trim());
  return `search?${p.toString()}`;
}

export function traceHref(traceID: string): string {
  return `trace/${encodeURIComponent(traceID)}`;
}

/** Which view a path (relative to the base path, no leading slash) and its query ask for. */
export function parseUiRoute(relPath: string, params: URLSearchParams): UiRoute {
  const path = relPath.replace(/^\/+/, '').replace(/\/+$/, '');
  if (path === SCRIPT_PATH) return { kind: 'asset', name: 'script' };
  if (path === STYLES_PATH) return { kind: 'asset', name: 'styles' };
  const trace = /^trace\/([^/]+)$/.exec(path);
  if (trace) return { kind: 'trace', traceID: safeDecode(trace[1]).trim() };
  if (path === 'trace' && (params.get('id') ?? '').trim()) return { kind: 'lookup', traceID: (params.get('id') ?? '').trim() };
  const form = searchFormFrom(params);
  return { kind: 'search', form, submitted: path === 'search' && form.service !== '' };
}

/** A request path made relative to the base path ('' and '/jaeger' alike). */
export function relativeToBase(pathname: string, base: string): string {
  if (base && (pathname === base || pathname.startsWith(`${base}/`))) return pathname.slice(base.length + 1);
  return pathname.replace(/^\/+/, '');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export class SearchFormError extends Error {}

/** Look-back in microseconds ('1h', '2d'). */
export function lookbackMicros(lookback: string): number {
  const m = /^(\d+)([hd])$/.exec(lookback);
  if (!m) return 3600 * 1_000_000;
  return Number(m[1]) * (m[2] === 'd' ? 24 : 1) * 3600 * 1_000_000;
}

/**
 * Jaeger UI's logfmt tags (`error=true http.status_code=500 msg="a b"`) as the
 * JSON object the query API's `tags` parameter takes.
 */
export function logfmtTags(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /\s*([^\s=]+)=("((?:[^"\\]|\\.)*)"|\S*)/y;
  let at = 0;
  const src = text.trim();
  while (at < src.length) {
    re.lastIndex = at;
    const m = re.exec(src);
    if (!m) throw new SearchFormError(`tags: expected key=value at "${src.slice(at, at + 20)}"`);
    out[m[1]] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2];
    at = re.lastIndex;
    while (src[at] === ' ') at++;
  }
  return out;
}

/**
 * The query API parameters of a search, as Jaeger UI sends them: the window
 * from the look-back (`start`/`end` in Unix microseconds; `lookback` itself
 * goes along and the server ignores it), keys in alphabetical order.
 */
export function apiSearchParams(form: SearchForm, nowMicros: number): URLSearchParams {
  const p = new URLSearchParams();
  const end = Math.floor(nowMicros);
  p.set('end', String(end));
  p.set('limit', String(form.limit));
  p.set('lookback', form.lookback);
  if (form.maxDuration.trim()) p.set('maxDuration', form.maxDuration.trim());
  if (form.minDuration.trim()) p.set('minDuration', form.minDuration.trim());
  if (form.operation) p.set('operation', form.operation);
  p.set('service', form.service);
  p.set('start', String(end - lookbackMicros(form.lookback)));
  if (form.tags.trim()) p.set('tags', JSON.stringify(logfmtTags(form.tags)));
  return p;
}
