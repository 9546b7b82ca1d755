/**
 * Jaeger's query service (port 16686) over a TraceStore: the JSON API the
 * Jaeger UI itself calls, and the UI page as fallback for every other path.
 *
 * Routes, under `basePath` ('' in Istio 1.0, '/jaeger' from 1.1 on):
 *   GET {base}/api/services
 *   GET {base}/api/services/{service}/operations
 *   GET {base}/api/operations?service=&spanKind=
 *   GET {base}/api/traces?service=&operation=&tags=&tag=&minDuration=&maxDuration=&limit=&start=&end=&traceID=
 *   GET {base}/api/traces/{traceID}
 *   GET {base}/api/dependencies
 *   anything else: the UI, like the real server -- here kubetutor's own page
 *   (jaeger-web/), server-rendered for `/search?…` and `/trace/{id}`.
 * Envelope: {data, total, limit, offset, errors}. As in Jaeger, `total` is
 * filled for the service/operation lists and left 0 for trace answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JaegerApiError, JaegerEnvelope, JaegerTrace } from '../../traces/jaeger-model.js';
import { TraceStore, DEFAULT_SEARCH_LIMIT, type TraceQuery } from './trace-store.js';
import { GoDurationError, parseGoDuration } from '../../kube/go-duration.js';
import { type RequestHandler, requestUrl, sendBody, sendJson } from './http-util.js';
import { createJaegerUiHandler } from './jaeger-web/ui-handler.js';

export interface JaegerQueryOptions {
  store: TraceStore;
  /** '' (API at /api) or '/jaeger' (API at /jaeger/api). A trailing slash is ignored. */
  basePath?: string;
  /** Clock in Unix microseconds, for the default search window. */
  nowMicros?: () => number;
  /** Default search look-back when `start` is absent (Jaeger: 48h), in microseconds. */
  lookbackMicros?: number;
  /** Shown in the UI page only. */
  version?: string;
}

const TWO_DAYS_MICROS = 48 * 3600 * 1_000_000;

class BadRequest extends Error {}

export function normalizeBasePath(basePath: string | undefined): string {
  const trimmed = (basePath ?? '').trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function envelope<T>(data: T, total = 0, errors: JaegerApiError[] | null = null): JaegerEnvelope<T> {
  return { data, total, limit: 0, offset: 0, errors };
}

export function createJaegerQueryHandler(opts: JaegerQueryOptions): RequestHandler {
  const store = opts.store;
  const base = normalizeBasePath(opts.basePath);
  const now = opts.nowMicros ?? (() => Date.now() * 1000);
  const lookback = opts.lookbackMicros ?? TWO_DAYS_MICROS;
  const apiPrefix = `${base}/api/`;
  const ui = createJaegerUiHandler({
    basePath: base,
    version: opts.version,
    source: {
      services: () => store.services(),
      operations: (service) => store.operations(service),
      search: (params) => searchTraces(store, params, now(), lookback),
      trace: (id) => {
        try {
          return store.get(parseTraceId(id));
        } catch {
          return undefined;
        }
      },
      nowMicros: now,
    },
  });

  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = requestUrl(req);
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      sendBody(req, res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    const pretty = ['true', '1'].includes(url.searchParams.get('prettyPrint') ?? '');
    const json = (status: number, value: unknown) => sendJson(req, res, status, value, { pretty });
    const fail = (status: number, msg: string) =>
      json(status, envelope(null, 0, [{ code: status, msg }]));

    const path = url.pathname;
    if (!path.startsWith(apiPrefix)) {
      ui(req, res, url);
      return;
    }
    const parts = path.slice(apiPrefix.length).split('/').map(decodeSegment);
    try {
      if (parts.length === 1 && parts[0] === 'services') {
        const services = store.services();
        json(200, envelope(services, services.length));
      } else if (parts.length === 3 && parts[0] === 'services' && parts[2] === 'operations') {
        const ops = store.operations(parts[1]);
        json(200, envelope(ops, ops.length));
      } else if (parts.length === 1 && parts[0] === 'operations') {
        const service = url.searchParams.get('service') ?? '';
        if (!service) throw new BadRequest("parameter 'service' is required");
        const entries = store.operationEntries(service, url.searchParams.get('spanKind') ?? undefined);
        json(200, envelope(entries, entries.length));
      } else if (parts.length === 1 && parts[0] === 'traces') {
        json(200, envelope(searchTraces(store, url.searchParams, now(), lookback)));
      } else if (parts.length === 2 && parts[0] === 'traces' && parts[1] !== '') {
        const id = parseTraceId(parts[1]);
        const trace = store.get(id);
        if (!trace) fail(404, 'trace not found');
        else json(200, envelope([trace]));
      } else if (parts.length === 1 && parts[0] === 'dependencies') {
        json(200, envelope([]));
      } else {
        // No API route: the UI, as the real server does.
        ui(req, res, url);
      }
    } catch (err) {
      if (err instanceof BadRequest || err instanceof GoDurationError) fail(400, err.message);
      else fail(500, err instanceof Error ? err.message : String(err));
    }
  };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseTraceId(raw: string): string {
  if (raw.length > 32) throw new BadRequest(`TraceID cannot be longer than 32 hex characters: ${raw}`);
  if (!/^[0-9a-fA-F]+$/.test(raw)) throw new BadRequest(`strconv.ParseUint: parsing ${JSON.stringify(raw)}: invalid syntax`);
  return raw;
}

function parseInteger(value: string, param: string | null): number {
  if (!/^[+-]?\d+$/.test(value)) {
    const cause = `strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`;
    throw new BadRequest(param ? `unable to parse param '${param}': ${cause}` : cause);
  }
  return Number(value);
}

function parseDurationParam(params: URLSearchParams, name: string): number | undefined {
  const v = params.get(name);
  if (!v) return undefined;
  try {
    return parseGoDuration(v);
  } catch (err) {
    throw new BadRequest(`unable to parse param '${name}': ${(err as Error).message}`);
  }
}

function parseTags(params: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of params.getAll('tag')) {
    const at = t.indexOf(':');
    if (at === -1) throw new BadRequest(`malformed 'tag' parameter, expecting key:value, received: ${t}`);
    tags[t.slice(0, at)] = t.slice(at + 1);
  }
  for (const raw of params.getAll('tags')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      throw new BadRequest(`malformed 'tags' parameter, cannot unmarshal JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new BadRequest("malformed 'tags' parameter, cannot unmarshal JSON: expected an object of strings");
    }
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v !== 'string') {
        throw new BadRequest(`malformed 'tags' parameter, cannot unmarshal JSON: value of ${JSON.stringify(k)} is not a string`);
      }
      tags[k] = v;
    }
  }
  return tags;
}

/** The search endpoint's parameter handling, in Jaeger's order and wording. */
function searchTraces(store: TraceStore, params: URLSearchParams, nowMicros: number, lookback: number): JaegerTrace[] {
  const startRaw = params.get('start');
  const endRaw = params.get('end');
  const start = startRaw ? parseInteger(startRaw, 'start') : nowMicros - lookback;
  const end = endRaw ? parseInteger(endRaw, 'end') : nowMicros;
  const tags = parseTags(params);
  const limitRaw = params.get('limit');
  const limit = limitRaw ? parseInteger(limitRaw, null) : DEFAULT_SEARCH_LIMIT;
  const minDuration = parseDurationParam(params, 'minDuration');
  const maxDuration = parseDurationParam(params, 'maxDuration');
  const traceIds = params.getAll('traceID').map((id) => {
    try {
      return parseTraceId(id);
    } catch (err) {
      throw new BadRequest(`cannot parse traceID param: ${(err as Error).message}`);
    }
  });
  const service = params.get('service') ?? '';
  if (traceIds.length === 0 && !service) throw new BadRequest("parameter 'service' is required");
  if (minDuration && maxDuration && maxDuration < minDuration) {
    throw new BadRequest("'maxDuration' should be greater than 'minDuration'");
  }
  if (traceIds.length > 0) {
    return traceIds.map((id) => store.get(id)).filter((t): t is JaegerTrace => t !== undefined);
  }
  const query: TraceQuery = { service, limit, start, end, tags };
  const operation = params.get('operation');
  if (operation) query.operation = operation;
  if (minDuration) query.minDuration = minDuration;
  if (maxDuration) query.maxDuration = maxDuration;
  return store.search(query);
}
