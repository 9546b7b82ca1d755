/**
 * A small traffic generator: N GETs to one URL (optionally several at a
 * time), with the status codes and latencies that came back. The sending is
 * `generateTraffic`; the rest (percentiles, the report's lines, the progress
 * bar, why a run failed) is pure.
 */
import { t } from '../i18n/index.js';

export interface RequestResult {
  /** 0-based, in the order the requests were started. */
  index: number;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** When it did not: `ECONNREFUSED`, `timeout`, `ENOTFOUND` … */
  error?: string;
  /** From sending the request to the end of the response body (or to the failure), in ms. */
  ms: number;
}

export interface TrafficOptions {
  url: string;
  count: number;
  /** Requests in flight at once. @default 1 */
  concurrency?: number;
  /** Deadline per request. @default 10000 */
  timeoutMs?: number;
  /** Extra request headers (e.g. `x-b3-sampled`). */
  headers?: Record<string, string>;
  /** Stops sending new requests; those in flight are cancelled. */
  signal?: AbortSignal;
  /** Called once per request as it completes; `done` counts completed requests. */
  onResult?: (result: RequestResult, done: number, total: number) => void;
}

export interface TrafficReport {
  url: string;
  /** Requests completed (answered or failed): `count` unless the run was stopped. */
  sent: number;
  /** Requests asked for. */
  requested: number;
  concurrency: number;
  /** Count per outcome: `"200"`, `"503"`, `"error: ECONNREFUSED"`. */
  byStatus: Record<string, number>;
  /** Requests answered with a 2xx status. */
  ok: number;
  /** Latency percentiles over the requests that got an answer (null when none did), in ms. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  min: number | null;
  max: number | null;
  /** Wall time of the whole run, in ms. */
  durationMs: number;
  /** True when the signal stopped the run early. */
  stopped: boolean;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const USER_AGENT = 'kubetutor-traffic';

/** The key `byStatus` counts a result under. */
export function outcomeKey(r: Pick<RequestResult, 'status' | 'error'>): string {
  return r.status !== undefined ? String(r.status) : `error: ${r.error ?? 'unknown'}`;
}

/** Sends the requests; never throws for a failed request (it is counted), only for bad options. */
export async function generateTraffic(opts: TrafficOptions): Promise<TrafficReport> {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new TypeError(t('proc.traffic.badUrl', { url: opts.url }));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(t('proc.traffic.notHttp', { url: opts.url }));
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new TypeError(t('proc.traffic.badCount', { value: String(opts.count) }));
  const concurrency = Math.min(opts.count, opts.concurrency ?? 1);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(t('proc.traffic.badConcurrency', { value: String(opts.concurrency) }));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers = { 'user-agent': USER_AGENT, ...opts.headers };

  const results: RequestResult[] = [];
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < opts.count && !opts.signal?.aborted) {
      const index = next++;
      const r = await one(url.href, index, headers, timeoutMs, opts.signal);
      if (r.error === 'cancelled') break;
      results.push(r);
      opts.onResult?.(r, results.length, opts.count);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarize(url.href, opts.count, concurrency, results, performance.now() - start, !!opts.signal?.aborted);
}

async function one(url: string, index: number, headers: Record<string, string>, timeoutMs: number, outer?: AbortSignal): Promise<RequestResult> {
  const t0 = performance.now();
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = outer ? AbortSignal.any([timeout, outer]) : timeout;
  try {
    const res = await fetch(url, { headers, signal, redirect: 'manual' });
    // Read the body: the latency is the whole answer's, and the connection is freed for the next request.
    await res.arrayBuffer();
    return { index, status: res.status, ms: performance.now() - t0 };
  } catch (e) {
    return { index, error: errorCode(e, timeout, outer), ms: performance.now() - t0 };
  }
}

/** `ECONNREFUSED`, `timeout`, `cancelled` …: the short name of why a request failed. */
function errorCode(e: unknown, timeout: AbortSignal, outer?: AbortSignal): string {
  if (outer?.aborted) return 'cancelled';
  const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string; errors?: Array<{ code?: string }>; message?: string } };
  if (timeout.aborted || err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
  const code = err.cause?.code ?? err.cause?.errors?.find((x) => x.code)?.code ?? err.code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'UND_ERR_SOCKET') return 'connection closed';
  if (code) return code;
  return (err.cause?.message ?? err.message ?? 'unknown').split('\n')[0];
}

/** The report for a set of results. Pure. */
export function summarize(url: string, requested: number, concurrency: number, results: RequestResult[], durationMs: number, stopped = false): TrafficReport {
  const byStatus: Record<string, number> = {};
  for (const r of results) byStatus[outcomeKey(r)] = (byStatus[outcomeKey(r)] ?? 0) + 1;
  const answered = results.filter((r) => r.status !== undefined).map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p: number) => (answered.length ? percentile(answered, p) : null);
  return {
    url,
    sent: results.length,
    requested,
    concurrency,
    byStatus,
    ok: results.filter((r) => r.status !== undefined && r.status >= 200 && r.status < 300).length,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
    min: answered.length ? answered[0] : null,
    max: answered.length ? answered[answered.length - 1] : null,
    durationMs,
    stopped,
  };
}

/**
 * The `p`th percentile (0-100) of ascending `sorted`, by nearest rank: the
 * smallest value with at least p% of the values at or below it. NaN when empty.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

/** `12.3 ms`, `180 ms`, `1.52 s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** Status keys in a stable order: codes ascending, then errors by name. */
export function statusOrder(keys: string[]): string[] {
  const num = (k: string) => (/^\d+$/.test(k) ? Number(k) : Infinity);
  return [...keys].sort((a, b) => num(a) - num(b) || a.localeCompare(b));
}

/** The report as lines of text (no trailing newlines). */
export function formatReport(r: TrafficReport): string[] {
  const seconds = (r.durationMs / 1000).toFixed(r.durationMs < 10_000 ? 2 : 1);
  const rate = r.durationMs > 0 ? t('proc.traffic.rate', { rate: (r.sent / (r.durationMs / 1000)).toFixed(1) }) : '';
  const lines = [
    t('proc.traffic.summary', { count: r.sent, url: r.url, seconds, rate, concurrency: r.concurrency, stopped: r.stopped ? t('proc.traffic.stoppedAfter', { sent: r.sent, requested: r.requested }) : '' }),
    t('proc.traffic.status'),
  ];
  for (const k of statusOrder(Object.keys(r.byStatus))) lines.push(`  ${k}: ${r.byStatus[k]}`);
  if (r.sent === 0) lines.push(`  ${t('proc.traffic.none')}`);
  if (r.p50 === null) lines.push(t('proc.traffic.noLatency'));
  else {
    const f = (v: number | null) => (v === null ? '-' : formatMs(v));
    lines.push(t('proc.traffic.latency', { min: f(r.min), p50: f(r.p50), p90: f(r.p90), p99: f(r.p99), max: f(r.max) }));
  }
  return lines;
}

/** `[██████░░░░░░] 12/20`: `width` cells of bar, then the counts. */
export function progressBar(done: number, total: number, width = 30): string {
  const w = Math.max(1, Math.floor(width));
  const frac = total > 0 ? Math.min(Math.max(done / total, 0), 1) : 1;
  const full = Math.floor(frac * w);
  return `[${'█'.repeat(full)}${'░'.repeat(w - full)}] ${String(done).padStart(String(total).length)}/${total}`;
}

/** Why a run had no 2xx answer, in one line; undefined when some request succeeded. */
export function failureReason(r: TrafficReport): string | undefined {
  if (r.ok > 0) return undefined;
  if (r.sent === 0) return t('proc.traffic.noneSent');
  const keys = statusOrder(Object.keys(r.byStatus));
  const top = [...keys].sort((a, b) => r.byStatus[b] - r.byStatus[a])[0];
  const what = keys.map((k) => `${r.byStatus[k]} × ${k}`).join(', ');
  const host = hostOf(r.url);
  const why: Record<string, string> = {
    'error: ECONNREFUSED': t('proc.traffic.refused', { host }),
    'error: timeout': t('proc.traffic.timeout', { host }),
    'error: ENOTFOUND': t('proc.traffic.notFound', { host }),
    'error: EHOSTUNREACH': t('proc.traffic.unreachable', { host }),
    '404': t('proc.traffic.s404', { file: 'bookinfo-gateway.yaml' }),
    '503': t('proc.traffic.s503'),
    '502': t('proc.traffic.s502'),
  };
  const hint = why[top] ?? (top.startsWith('3') ? t('proc.traffic.redirect') : undefined);
  return hint ? t('proc.traffic.no2xxWhy', { what, hint }) : t('proc.traffic.no2xx', { what });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
