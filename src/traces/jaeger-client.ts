/**
 * The one client of Jaeger's query API: the trace viewer, the session and the trace checks use it.
 *
 * - Finds the API with jaeger-discovery.ts (base path and era: `/api`, `/jaeger/api`, or the
 *   OTLP-JSON `/api/v3/...` of newer Jaeger, whose answers it converts into Jaeger's JSON model).
 *   `/api/traces/{id}` is tried first for a single trace in either case.
 * - Validates every answer (jaeger-answer.ts); every failure is a `JaegerError` with a one-line
 *   message a learner can act on.
 *
 * Traces from files (`parseJaegerFile`) are read by jaeger-file.ts.
 */
import type { JaegerKeyValue, JaegerSpan, JaegerTrace } from './jaeger-model.js';
import { otlpToJaeger } from './otlp.js';
import {
  JaegerError,
  describeFetchError,
  describeValue,
  envelopeErrorCodes,
  envelopeErrors,
  isObj,
  looksLikeHtml,
  pathOf,
  splitJsonDocuments,
  type FetchLike,
  type JaegerAnswer as Answer,
} from './jaeger-answer.js';
import { discoverJaegerApi, isV3ServicesAnswer, jaegerBases, normalizeJaegerUrl, type JaegerApiFlavour } from './jaeger-discovery.js';
import { normalizeTrace } from './jaeger-file.js';
import { t } from '../i18n/index.js';
import { truncateCells } from '../text/cells.js';

export { JaegerError, type FetchLike, type JaegerErrorKind } from './jaeger-answer.js';
export { normalizeJaegerUrl, type JaegerApiFlavour } from './jaeger-discovery.js';
export { parseJaegerFile, normalizeTrace } from './jaeger-file.js';
export { otlpToJaeger } from './otlp.js';

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

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_LIMIT = 20;
const LOOKBACK_MICROS = 48 * 3600 * 1_000_000;

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

  /** Find Jaeger's query API at `url` (see jaeger-discovery.ts). */
  static async connect(url: string, opts: JaegerClientOptions = {}): Promise<JaegerClient> {
    const root = normalizeJaegerUrl(url);
    const probe = new JaegerClient(root, root, 'v1', opts);
    const found = await discoverJaegerApi(root, (u) => probe.get(u), {
      inspectV1(a) {
        const errs = envelopeErrors(a.json);
        if (errs && isObj(a.json) && 'data' in a.json) throw new JaegerError(t('traces.jaeger.says', { errors: errs }), 'api', a.url, a.status);
      },
    });
    if (found.api) return new JaegerClient(root, found.api.base, found.api.flavour, opts);
    const seen = found.tried;
    const bases = jaegerBases(root);
    const tried = bases.map((b) => pathOf(`${b}/api`)).join(t('traces.jaeger.and'));
    if (seen.some((a) => a.html)) {
      throw new JaegerError(t('traces.jaeger.htmlTried', { url: root, tried }), 'html', root);
    }
    const summary = seen
      .slice(0, bases.length)
      .map((a) => t('traces.jaeger.answered', { path: pathOf(a.url), status: a.status }))
      .join(', ');
    throw new JaegerError(t('traces.jaeger.noApi', { url: root, summary }), 'no-api', root);
  }

  /** Service names, sorted. */
  async services(): Promise<string[]> {
    if (this.flavour === 'v3') {
      const a = await this.get(`${this.apiRoot}/services`);
      const json = this.checkJson(a);
      if (!isObj(json) || !(Array.isArray(json.services) || json.services === undefined)) throw this.unexpected(a, isObj(json) ? t('traces.jaeger.servicesNotList', { what: describeValue(json.services) }) : undefined);
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
    if (!/^[0-9a-f]{1,32}$/i.test(clean)) throw new JaegerError(t('traces.jaeger.notTraceId', { id: truncateCells(clean.replace(/\s+/g, ' '), 40) }), 'invalid-url', this.url); // a junk id is not echoed whole
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
    if (errs) throw new JaegerError(t('traces.jaeger.says', { errors: errs }), 'api', a.url, a.status);
    if (a.status !== 200) throw this.httpError(a);
    const data = a.json.data;
    if (!(Array.isArray(data) || isObj(data) || data === null || data === undefined)) throw this.unexpected(a, t('traces.jaeger.dataNotTrace', { what: describeValue(data) }));
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
    if (isV3ServicesAnswer(a.status, a.json)) {
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
        throw new JaegerError(t('traces.jaeger.timeout', { url: this.url, time: formatSeconds(this.timeoutMs) }), 'timeout', this.url);
      }
      const hint = d.code === 'ENOTFOUND' || d.code === 'EAI_AGAIN' ? t('traces.jaeger.hintHost') : t('traces.jaeger.hintForward');
      throw new JaegerError(t('traces.jaeger.unreachable', { url: this.url, detail: d.detail, hint }), 'unreachable', this.url);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      const d = describeFetchError(err);
      throw new JaegerError(t('traces.jaeger.stopped', { url: this.url, detail: d.detail }), d.kind, url, res.status);
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
    if (errs) throw new JaegerError(t('traces.jaeger.says', { errors: errs }), 'api', a.url, a.status);
    if (a.status !== 200) throw this.httpError(a);
    if (!allowStream && isObj(a.json) && '$stream' in a.json) return (a.json.$stream as unknown[])[0];
    return a.json;
  }

  /** `data` of a classic envelope, after error checks: a list (`null`, Jaeger's empty list, as []). */
  private envelopeData(a: Answer): unknown[] {
    const json = this.checkJson(a);
    if (!isObj(json)) throw this.unexpected(a);
    if (json.data === null || json.data === undefined) return [];
    if (!Array.isArray(json.data)) throw this.unexpected(a, t('traces.jaeger.dataNotList', { what: describeValue(json.data) }));
    return json.data;
  }

  /** A 2xx answer that is not what Jaeger sends: not JSON, JSON cut short, or JSON of another shape. */
  private unexpected(a: Answer, why?: string): JaegerError {
    const text = a.text.trim();
    const reason =
      why ??
      (a.json !== undefined
        ? t('traces.jaeger.notEnvelope', { what: describeValue(a.json) })
        : text === ''
          ? t('traces.jaeger.emptyBody')
          : /^[[{]/.test(text)
            ? t('traces.jaeger.cutShort')
            : t('traces.jaeger.notJson'));
    return new JaegerError(t('traces.jaeger.unexpected', { url: this.url, path: pathOf(a.url), reason }), 'bad-json', a.url, a.status);
  }

  private htmlError(a: Answer): JaegerError {
    return new JaegerError(t('traces.jaeger.html', { url: this.url, path: pathOf(a.url) }), 'html', a.url, a.status);
  }

  private httpError(a: Answer): JaegerError {
    const body = a.text.replace(/\s+/g, ' ').trim().slice(0, 120);
    return new JaegerError(
      `${t('traces.jaeger.http', { url: this.url, status: `${a.status}${a.statusText ? ` ${a.statusText}` : ''}`, path: pathOf(a.url) })}${body ? `: ${body}` : ''}`,
      'http',
      a.url,
      a.status,
    );
  }

  private notFound(id: string): JaegerError {
    return new JaegerError(t('traces.jaeger.noTrace', { id }), 'not-found', this.url, 404);
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
