/**
 * A small client for Jaeger's query API, as the trace viewer needs it.
 *
 * - Finds the API: at the URL as given (`/api`, Istio 1.0's Jaeger) or under
 *   `/jaeger` (Istio 1.1+ sets QUERY_BASE_PATH=/jaeger), or, given a URL
 *   ending in /jaeger, at its parent. Jaeger's UI answers every unknown path
 *   with its HTML page, so an HTML answer means "wrong base path", not "down".
 * - Newer Jaeger drops `/api/services` and the `/api/traces` search for the
 *   OTLP-JSON `/api/v3/...` API; the client falls back to it and converts its
 *   answers into Jaeger's JSON model. `/api/traces/{id}` is tried first for a
 *   single trace in either case.
 * - Every failure is a `JaegerError` with a one-line message a learner can act on.
 *
 * Also here: `parseJaegerFile` (a trace saved from Jaeger UI or the API, or an
 * OTLP JSON export, read by otlp.ts).
 */
import type {
  JaegerKeyValue,
  JaegerLog,
  JaegerProcess,
  JaegerReference,
  JaegerSpan,
  JaegerTrace,
} from './jaeger-model.js';
import { otlpToJaeger } from './otlp.js';

export type JaegerErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'html'
  | 'no-api'
  | 'api'
  | 'not-found'
  | 'http'
  | 'bad-json'
  | 'invalid-url'
  | 'bad-file';

export class JaegerError extends Error {
  override readonly name = 'JaegerError';
  constructor(
    message: string,
    readonly kind: JaegerErrorKind,
    readonly url?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type FetchLike = (input: string, init?: { signal?: AbortSignal; headers?: Record<string, string> }) => Promise<Response>;

export interface JaegerClientOptions {
  /** Injected fetch (tests); default: the global fetch. */
  fetch?: FetchLike;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

export interface TraceSearch {
  service: string;
  operation?: string;
  /** Every entry must match a tag of one span (string comparison, like Jaeger). */
  tags?: Record<string, string>;
  /** Go durations, e.g. `10ms`, `1.5s`. */
  minDuration?: string;
  maxDuration?: string;
  /** Most traces (default 20, Jaeger UI's default). */
  limit?: number;
  /** Span start window, Unix microseconds (default: the last 48 hours, Jaeger's own default). */
  start?: number;
  end?: number;
}

export type JaegerApiFlavour = 'v1' | 'v3';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_LIMIT = 20;
const LOOKBACK_MICROS = 48 * 3600 * 1_000_000;

interface Answer {
  url: string;
  status: number;
  statusText: string;
  contentType: string;
  text: string;
  /** Parsed body, when it is JSON. */
  json?: unknown;
  html: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** A JSON value in a few words, for messages about answers of the wrong shape. */
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return 'a string';
  return `the ${typeof v} ${String(v).slice(0, 20)}`;
}

/** `localhost:16686/jaeger/search` → `http://localhost:16686/jaeger`. */
export function normalizeJaegerUrl(url: string): string {
  let u = url.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) u = `http://${u}`;
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    throw new JaegerError(`not a URL: ${url}`, 'invalid-url', url);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new JaegerError(`not an http(s) URL: ${url}`, 'invalid-url', url);
  }
  let path = parsed.pathname.replace(/\/+$/, '');
  // Pasted UI or API addresses: keep the base only. (Only Jaeger's own API paths: a
  // Kubernetes service-proxy URL, /api/v1/namespaces/…/proxy, must stay whole.)
  path = path.replace(/\/(search|trace\/[^/]*|api(\/(services|operations|traces|dependencies|v3)(\/.*)?)?)$/, '');
  return `${parsed.origin}${path}`;
}

/** Socket error codes, in words. */
const CODE_WORDS: Record<string, string> = {
  UND_ERR_SOCKET: 'the connection was closed without a (whole) answer',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
  UND_ERR_CONNECT_TIMEOUT: 'no connection in time',
};

function describeFetchError(err: unknown): { kind: 'unreachable' | 'timeout'; detail: string; code: string } {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string; errors?: Array<{ code?: string; message?: string }> } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { kind: 'timeout', detail: 'no answer in time', code: 'timeout' };
  const cause = e?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code ?? '';
  if (code === 'ECONNREFUSED') return { kind: 'unreachable', detail: 'connect ECONNREFUSED', code };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'unreachable', detail: (cause?.message ?? `getaddrinfo ${code}`).split('\n')[0], code };
  }
  if (code) return { kind: 'unreachable', detail: CODE_WORDS[code] ?? (/^HPE_/.test(code) ? `the answer is not valid HTTP (${code})` : code), code };
  const msg = cause?.message ?? e?.message ?? String(err);
  return { kind: 'unreachable', detail: msg.split('\n')[0], code: '' };
}

function looksLikeHtml(contentType: string, text: string): boolean {
  if (/text\/html/i.test(contentType)) return true;
  return /^\s*<(!doctype html|html|head|body)/i.test(text);
}

/** Jaeger's `errors` array, as one string, if the body has one. */
function envelopeErrors(json: unknown): string | undefined {
  if (!isObj(json)) return undefined;
  const errors = json.errors;
  if (Array.isArray(errors) && errors.length) {
    return errors.map((e) => (isObj(e) ? String(e.msg ?? e.message ?? JSON.stringify(e)) : String(e))).join('; ');
  }
  // The v3 API's gateway error: {"error": {"httpCode": 400, "message": "..."}}
  if (isObj(json.error)) return String(json.error.message ?? JSON.stringify(json.error));
  return undefined;
}

function envelopeErrorCodes(json: unknown): number[] {
  if (!isObj(json)) return [];
  if (Array.isArray(json.errors)) return json.errors.map((e) => (isObj(e) ? Number(e.code) : NaN));
  if (isObj(json.error)) return [Number(json.error.httpCode ?? json.error.code)];
  return [];
}

/** The path part of a URL (for messages): `http://h:1/jaeger/api` → `/jaeger/api`. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, '') || '/';
  } catch {
    return url;
  }
}

export class JaegerClient {
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;

  private constructor(
    /** The URL as given (normalized): what messages name. */
    readonly url: string,
    /** Where the API lives: `…` for `…/api`, or `…/jaeger` for `…/jaeger/api`. */
    readonly base: string,
    /** Which API answers: the classic JSON one or the OTLP v3 one. */
    public flavour: JaegerApiFlavour,
    opts: JaegerClientOptions,
  ) {
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The API root in use, e.g. `http://localhost:16686/jaeger/api` (or `…/api/v3`). */
  get apiRoot(): string {
    return this.flavour === 'v1' ? `${this.base}/api` : `${this.base}/api/v3`;
  }

  /** Find Jaeger's query API at `url` (see the module comment). */
  static async connect(url: string, opts: JaegerClientOptions = {}): Promise<JaegerClient> {
    const root = normalizeJaegerUrl(url);
    const bases = root.endsWith('/jaeger') ? [root, root.slice(0, -'/jaeger'.length)] : [root, `${root}/jaeger`];
    const probe = new JaegerClient(root, root, 'v1', opts);
    const seen: Answer[] = [];

    for (const base of bases) {
      const a = await probe.get(`${base}/api/services`);
      seen.push(a);
      if (a.status === 200 && isObj(a.json) && 'data' in a.json && (Array.isArray(a.json.data) || a.json.data === null)) {
        return new JaegerClient(root, base, 'v1', opts);
      }
      const errs = envelopeErrors(a.json);
      if (errs && isObj(a.json) && 'data' in a.json) throw new JaegerError(`Jaeger says: ${errs}`, 'api', a.url, a.status);
    }
    for (const base of bases) {
      const a = await probe.get(`${base}/api/v3/services`);
      seen.push(a);
      if (a.status === 200 && isObj(a.json) && (Array.isArray(a.json.services) || Object.keys(a.json).length === 0)) {
        return new JaegerClient(root, base, 'v3', opts);
      }
    }
    const tried = bases.map((b) => pathOf(`${b}/api`)).join(' and ');
    if (seen.some((a) => a.html)) {
      throw new JaegerError(`${root} answered HTML, not JSON: is the base path right? (tried ${tried})`, 'html', root);
    }
    const summary = seen
      .slice(0, bases.length)
      .map((a) => `GET ${pathOf(a.url)} answered ${a.status}`)
      .join(', ');
    throw new JaegerError(`no Jaeger query API at ${root}: ${summary} — is this Jaeger's query port (16686)?`, 'no-api', root);
  }

  /** Service names, sorted. */
  async services(): Promise<string[]> {
    if (this.flavour === 'v3') {
      const a = await this.get(`${this.apiRoot}/services`);
      const json = this.checkJson(a);
      if (!isObj(json) || !(Array.isArray(json.services) || json.services === undefined)) throw this.unexpected(a, isObj(json) ? `a "services" field that is ${describeValue(json.services)}, not a list` : undefined);
      return names(json.services ?? []);
    }
    const a = await this.get(`${this.apiRoot}/services`);
    if (a.status === 404 && !isObj(a.json) && (await this.switchToV3())) return this.services();
    return names(this.envelopeData(a));
  }

  /** Operation names of a service, sorted. */
  async operations(service: string): Promise<string[]> {
    if (this.flavour === 'v3') {
      const json = await this.getJson(`${this.apiRoot}/operations?service=${encodeURIComponent(service)}`);
      const list = isObj(json) && Array.isArray(json.operations) ? json.operations : [];
      return [...new Set(list.map((o) => (isObj(o) ? String(o.name) : String(o))))].sort();
    }
    return names(this.envelopeData(await this.get(`${this.apiRoot}/services/${encodeURIComponent(service)}/operations`)));
  }

  /** Traces matching a search, as Jaeger's "Find Traces" runs it. */
  async search(q: TraceSearch): Promise<JaegerTrace[]> {
    if (this.flavour === 'v3') return this.searchV3(q);
    const p = new URLSearchParams();
    p.set('service', q.service);
    if (q.operation) p.set('operation', q.operation);
    const tags = Object.entries(q.tags ?? {});
    // `tag=key:value` works on every Jaeger release; a key with a colon (Envoy's `guid:x-request-id`)
    // needs the JSON form, which newer releases also accept.
    if (tags.some(([k]) => k.includes(':'))) p.set('tags', JSON.stringify(q.tags));
    else for (const [k, v] of tags) p.append('tag', `${k}:${v}`);
    if (q.minDuration) p.set('minDuration', q.minDuration);
    if (q.maxDuration) p.set('maxDuration', q.maxDuration);
    p.set('limit', String(q.limit ?? DEFAULT_LIMIT));
    if (q.start !== undefined) p.set('start', String(Math.floor(q.start)));
    if (q.end !== undefined) p.set('end', String(Math.floor(q.end)));
    const a = await this.get(`${this.apiRoot}/traces?${p}`);
    if (a.status === 404 && !isObj(a.json) && (await this.switchToV3())) return this.searchV3(q);
    // Entries that are not trace objects are no traces (rather than empty rows in the list).
    return this.envelopeData(a).filter(isObj).map(normalizeTrace);
  }

  /** One trace by id. */
  async trace(id: string): Promise<JaegerTrace> {
    const clean = id.trim();
    if (!/^[0-9a-f]{1,32}$/i.test(clean)) throw new JaegerError(`not a trace id: ${id} (expected up to 32 hex digits)`, 'invalid-url', this.url);
    const a = await this.get(`${this.base}/api/traces/${clean}`);
    if (a.html) throw this.htmlError(a);
    const codes = envelopeErrorCodes(a.json);
    if (a.status === 404 && isObj(a.json)) throw this.notFound(clean);
    if (codes.includes(404)) throw this.notFound(clean);
    if (!isObj(a.json)) {
      // No classic endpoint: ask the v3 API.
      if (a.status === 404) return this.traceV3(clean);
      throw a.status >= 200 && a.status < 300 ? this.unexpected(a) : this.httpError(a);
    }
    const errs = envelopeErrors(a.json);
    if (errs) throw new JaegerError(`Jaeger says: ${errs}`, 'api', a.url, a.status);
    if (a.status !== 200) throw this.httpError(a);
    const data = a.json.data;
    if (!(Array.isArray(data) || isObj(data) || data === null || data === undefined)) throw this.unexpected(a, `a "data" field that is ${describeValue(data)}, not a trace`);
    const traces = (Array.isArray(data) ? data : isObj(data) ? [data] : []).filter(isObj);
    if (!traces.length) throw this.notFound(clean);
    return normalizeTrace(traces[0]);
  }

  // -------------------------------------------------------------------------

  private async traceV3(id: string): Promise<JaegerTrace> {
    const a = await this.get(`${this.base}/api/v3/traces/${id}`);
    if (a.status === 404) throw this.notFound(id);
    const json = this.checkJson(a);
    const traces = otlpToJaeger(json);
    if (!traces.length) throw this.notFound(id);
    return traces[0];
  }

  private async searchV3(q: TraceSearch): Promise<JaegerTrace[]> {
    const nowMicros = Date.now() * 1000;
    const end = q.end ?? nowMicros;
    const start = q.start ?? end - LOOKBACK_MICROS;
    const limit = q.limit ?? DEFAULT_LIMIT;
    const p = new URLSearchParams();
    p.set('query.service_name', q.service);
    if (q.operation) p.set('query.operation_name', q.operation);
    p.set('query.start_time_min', rfc3339(start));
    p.set('query.start_time_max', rfc3339(end));
    if (q.minDuration) p.set('query.duration_min', q.minDuration);
    if (q.maxDuration) p.set('query.duration_max', q.maxDuration);
    p.set('query.num_traces', String(limit));
    const a = await this.get(`${this.apiRoot}/traces?${p}`);
    // The v3 API answers 404 when nothing matches.
    if (a.status === 404 && !a.html) return [];
    let traces = otlpToJaeger(this.checkJson(a, true));
    // The v3 API has no tag filter: apply Jaeger's rule (one span has them all) here.
    const wanted = Object.entries(q.tags ?? {});
    if (wanted.length) traces = traces.filter((t) => t.spans.some((s) => spanHasTags(t, s, q, wanted)));
    traces.sort((x, y) => traceStart(y) - traceStart(x));
    return traces.slice(0, limit > 0 ? limit : undefined);
  }

  /** The v1 API is gone but v3 answers: switch (once). */
  private async switchToV3(): Promise<boolean> {
    const a = await this.get(`${this.base}/api/v3/services`);
    if (a.status === 200 && isObj(a.json) && (Array.isArray(a.json.services) || Object.keys(a.json).length === 0)) {
      this.flavour = 'v3';
      return true;
    }
    return false;
  }

  private async get(url: string): Promise<Answer> {
    let res: Response;
    try {
      res = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } });
    } catch (err) {
      const d = describeFetchError(err);
      if (d.kind === 'timeout') {
        throw new JaegerError(`cannot reach Jaeger at ${this.url}: no answer within ${formatSeconds(this.timeoutMs)} — is the port-forward running?`, 'timeout', this.url);
      }
      const hint = d.code === 'ENOTFOUND' || d.code === 'EAI_AGAIN' ? 'is the host name right?' : 'is the port-forward running?';
      throw new JaegerError(`cannot reach Jaeger at ${this.url}: ${d.detail} — ${hint}`, 'unreachable', this.url);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      const d = describeFetchError(err);
      throw new JaegerError(`Jaeger at ${this.url} stopped answering: ${d.detail}`, d.kind, url, res.status);
    }
    const contentType = res.headers.get('content-type') ?? '';
    const answer: Answer = { url, status: res.status, statusText: res.statusText, contentType, text, html: looksLikeHtml(contentType, text) };
    if (!answer.html) {
      try {
        answer.json = JSON.parse(text) as unknown;
      } catch {
        const docs = splitJsonDocuments(text);
        if (docs.length > 1) answer.json = { $stream: docs };
      }
    }
    return answer;
  }

  private async getJson(url: string): Promise<unknown> {
    return this.checkJson(await this.get(url));
  }

  private checkJson(a: Answer, allowStream = false): unknown {
    if (a.html) throw this.htmlError(a);
    if (a.json === undefined) {
      if (a.status !== 200) throw this.httpError(a);
      throw this.unexpected(a);
    }
    const errs = envelopeErrors(a.json);
    if (errs) throw new JaegerError(`Jaeger says: ${errs}`, 'api', a.url, a.status);
    if (a.status !== 200) throw this.httpError(a);
    if (!allowStream && isObj(a.json) && '$stream' in a.json) return (a.json.$stream as unknown[])[0];
    return a.json;
  }

  /** `data` of a classic envelope, after error checks: a list (`null`, Jaeger's empty list, as []). */
  private envelopeData(a: Answer): unknown[] {
    const json = this.checkJson(a);
    if (!isObj(json)) throw this.unexpected(a);
    if (json.data === null || json.data === undefined) return [];
    if (!Array.isArray(json.data)) throw this.unexpected(a, `a "data" field that is ${describeValue(json.data)}, not a list`);
    return json.data;
  }

  /** A 2xx answer that is not what Jaeger sends: not JSON, JSON cut short, or JSON of another shape. */
  private unexpected(a: Answer, why?: string): JaegerError {
    const text = a.text.trim();
    const reason =
      why ??
      (a.json !== undefined
        ? `${describeValue(a.json)} where Jaeger's {"data": …} answer should be`
        : text === ''
          ? 'an empty body'
          : /^[[{]/.test(text)
            ? 'JSON that is cut short'
            : 'something that is not JSON');
    return new JaegerError(`Jaeger at ${this.url} answered GET ${pathOf(a.url)} with ${reason}: is this Jaeger's query API?`, 'bad-json', a.url, a.status);
  }

  private htmlError(a: Answer): JaegerError {
    return new JaegerError(`${this.url} answered HTML, not JSON: is the base path right? (GET ${pathOf(a.url)})`, 'html', a.url, a.status);
  }

  private httpError(a: Answer): JaegerError {
    const body = a.text.replace(/\s+/g, ' ').trim().slice(0, 120);
    return new JaegerError(
      `Jaeger at ${this.url} answered ${a.status}${a.statusText ? ` ${a.statusText}` : ''} for GET ${pathOf(a.url)}${body ? `: ${body}` : ''}`,
      'http',
      a.url,
      a.status,
    );
  }

  private notFound(id: string): JaegerError {
    return new JaegerError(`no trace ${id} in Jaeger`, 'not-found', this.url, 404);
  }
}

/** Service or operation names: the strings (and operation objects' names) in Jaeger's list, sorted. */
function names(list: unknown[]): string[] {
  const out: string[] = [];
  for (const x of list) {
    const n = typeof x === 'string' ? x : isObj(x) && typeof x.name === 'string' ? x.name : undefined;
    if (n) out.push(n);
  }
  return [...new Set(out)].sort();
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** Unix microseconds as RFC 3339 (UTC, microsecond precision). */
export function rfc3339(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString(); // 2024-01-01T00:00:00.123Z
  const extra = String(Math.floor(micros) - ms * 1000).padStart(3, '0');
  return `${iso.slice(0, -1)}${extra}Z`;
}

function traceStart(t: JaegerTrace): number {
  let min = Number.POSITIVE_INFINITY;
  for (const s of t.spans) if (s.startTime < min) min = s.startTime;
  return Number.isFinite(min) ? min : 0;
}

function tagString(t: JaegerKeyValue): string {
  if (t.type === 'bool') return t.value === true || t.value === 'true' ? 'true' : 'false';
  return String(t.value);
}

/** Jaeger's search rule: one span of the service (and operation) carries every wanted tag. */
function spanHasTags(trace: JaegerTrace, span: JaegerSpan, q: TraceSearch, wanted: Array<[string, string]>): boolean {
  const proc = span.process ?? (span.processID !== undefined ? trace.processes[span.processID] : undefined);
  if (proc?.serviceName !== q.service) return false;
  if (q.operation && span.operationName !== q.operation) return false;
  const pool = [...span.tags, ...(proc?.tags ?? []), ...span.logs.flatMap((l) => l.fields)];
  return wanted.every(([k, v]) => pool.some((t) => t.key === k && tagString(t) === v));
}

// ---------------------------------------------------------------------------
// Files and OTLP

/** Several JSON documents in one text (NDJSON, or a streamed v3 answer). */
function splitJsonDocuments(text: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let startAt = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) startAt = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0 && startAt >= 0) {
        try {
          docs.push(JSON.parse(text.slice(startAt, i + 1)));
        } catch {
          return [];
        }
        startAt = -1;
      }
      if (depth < 0) return [];
    }
  }
  return depth === 0 ? docs : [];
}

/**
 * The traces in a file: a Jaeger API answer (`{data: [...]}`), one trace
 * object, an array of traces, an array of spans (grouped by trace id), or an
 * OTLP JSON export (`{resourceSpans}`, also several such documents in a row).
 */
export function parseJaegerFile(text: string): JaegerTrace[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const docs = splitJsonDocuments(text);
    if (docs.length === 0) throw new JaegerError(`not a JSON file: ${(err as Error).message}`, 'bad-file');
    doc = docs;
  }
  const traces = tracesIn(doc, 0);
  if (!traces) throw new JaegerError('no Jaeger trace in this file: expected {"data": [traces]}, a trace {"traceID", "spans"}, an array of traces, or OTLP {"resourceSpans"}', 'bad-file');
  return traces;
}

function looksLikeSpan(v: unknown): boolean {
  return isObj(v) && typeof v.spanID === 'string' && ('startTime' in v || 'operationName' in v);
}

function tracesIn(doc: unknown, depth: number): JaegerTrace[] | undefined {
  if (depth > 3) return undefined;
  if (Array.isArray(doc)) {
    if (doc.length === 0) return [];
    if (doc.every(looksLikeSpan)) return groupSpans(doc as JaegerSpan[]);
    const out: JaegerTrace[] = [];
    for (const item of doc) {
      const t = tracesIn(item, depth + 1);
      if (!t) return undefined;
      out.push(...t);
    }
    return out;
  }
  if (!isObj(doc)) return undefined;
  if (Array.isArray(doc.spans)) return [normalizeTrace(doc)];
  if (Array.isArray(doc.resourceSpans) || Array.isArray(doc.batches) || (isObj(doc.result) && Array.isArray(doc.result.resourceSpans))) {
    return otlpToJaeger(doc);
  }
  if ('data' in doc) {
    if (doc.data === null || doc.data === undefined) {
      const errs = envelopeErrors(doc);
      if (errs) throw new JaegerError(`Jaeger says: ${errs}`, 'api');
      return [];
    }
    return tracesIn(doc.data, depth + 1);
  }
  return undefined;
}

/** Spans of possibly several traces, each with an inline `process`, into traces. */
function groupSpans(spans: JaegerSpan[]): JaegerTrace[] {
  const byTrace = new Map<string, JaegerSpan[]>();
  for (const s of spans) {
    const id = String(s.traceID ?? '');
    let list = byTrace.get(id);
    if (!list) byTrace.set(id, (list = []));
    list.push(s);
  }
  return [...byTrace].map(([traceID, list]) => normalizeTrace({ traceID, spans: list, processes: {}, warnings: null }));
}

const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
};

function normalizeKv(v: unknown): JaegerKeyValue | undefined {
  if (!isObj(v) || typeof v.key !== 'string') return undefined;
  const value = v.value;
  const type = typeof v.type === 'string' ? (v.type.toLowerCase() as JaegerKeyValue['type']) : typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? (Number.isInteger(value) ? 'int64' : 'float64') : 'string';
  return { key: v.key, type, value: typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value ?? null) };
}

function normalizeKvs(v: unknown): JaegerKeyValue[] {
  if (!Array.isArray(v)) return [];
  const out: JaegerKeyValue[] = [];
  for (const x of v) {
    const kv = normalizeKv(x);
    if (kv) out.push(kv);
  }
  return out;
}

function normalizeProcess(v: unknown): JaegerProcess | undefined {
  if (!isObj(v)) return undefined;
  return { serviceName: String(v.serviceName ?? ''), tags: normalizeKvs(v.tags) };
}

/** A trace with every field Jaeger's model has, whatever the source left out. */
export function normalizeTrace(raw: unknown): JaegerTrace {
  const t = isObj(raw) ? raw : {};
  const spansIn = Array.isArray(t.spans) ? t.spans : [];
  const processes: Record<string, JaegerProcess> = {};
  if (isObj(t.processes)) {
    for (const [k, v] of Object.entries(t.processes)) {
      const p = normalizeProcess(v);
      if (p) processes[k] = p;
    }
  }
  const spans: JaegerSpan[] = [];
  for (const s of spansIn) {
    if (!isObj(s)) continue;
    const refs: JaegerReference[] = [];
    if (Array.isArray(s.references)) {
      for (const r of s.references) {
        if (isObj(r) && (r.refType === 'CHILD_OF' || r.refType === 'FOLLOWS_FROM')) {
          refs.push({ refType: r.refType, traceID: String(r.traceID ?? ''), spanID: String(r.spanID ?? '') });
        }
      }
    }
    const span: JaegerSpan & { parentSpanID?: string } = {
      traceID: String(s.traceID ?? t.traceID ?? ''),
      spanID: String(s.spanID ?? ''),
      operationName: String(s.operationName ?? ''),
      references: refs,
      startTime: num(s.startTime),
      duration: num(s.duration),
      tags: normalizeKvs(s.tags),
      logs: Array.isArray(s.logs)
        ? s.logs.filter(isObj).map((l): JaegerLog => ({ timestamp: num(l.timestamp), fields: normalizeKvs(l.fields) }))
        : [],
      warnings: Array.isArray(s.warnings) ? s.warnings.map(String) : null,
    };
    if (typeof s.flags === 'number') span.flags = s.flags;
    if (typeof s.processID === 'string') span.processID = s.processID;
    const inline = normalizeProcess(s.process);
    if (inline) span.process = inline;
    if (typeof s.parentSpanID === 'string') span.parentSpanID = s.parentSpanID;
    spans.push(span);
  }
  return {
    traceID: String(t.traceID ?? spans[0]?.traceID ?? ''),
    spans,
    processes,
    warnings: Array.isArray(t.warnings) ? t.warnings.map(String) : null,
  };
}

export { otlpToJaeger } from './otlp.js';
