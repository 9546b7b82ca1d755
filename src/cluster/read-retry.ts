/**
 * Reads that survive a bad moment: client-node's HTTP layer wrapped so that a
 * GET answered 5xx or 429, cut by a reset, refused or timed out is tried again
 * a few times with a growing pause (200 ms, 400 ms, 800 ms). Other answers,
 * 4xx above all, are final at once, and writes are never repeated.
 */
import { HttpMethod, IsomorphicFetchHttpLibrary, ResponseContext, wrapHttpLibrary, type HttpLibrary, type RequestContext } from '@kubernetes/client-node';
import { retryDelay, sleep } from '../retry.js';

export interface RetryOptions {
  /** Deadline of one attempt. */
  timeoutMs: number;
  /** Pauses before each retry; their count is the number of retries. @default [200, 400, 800] */
  delaysMs?: number[];
  /** Called once per HTTP attempt (to count requests). */
  onAttempt?: () => void;
}

export const RETRY_DELAYS_MS = [200, 400, 800];

/** Error codes of a connection that failed or broke: worth another try. TLS and DNS failures are not. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);

/** A connection-level failure (refused, reset, cut mid-answer, timed out), as opposed to an answer. */
export function isConnectionError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { name?: string; code?: unknown; errno?: unknown; type?: string; message?: string; cause?: unknown };
  if (err.name === 'TimeoutError' || err.type === 'request-timeout' || err.type === 'body-timeout') return true;
  const code = typeof err.code === 'string' ? err.code : typeof err.errno === 'string' ? err.errno : undefined;
  if (code && TRANSIENT_CODES.has(code)) return true;
  if (/socket hang up|Premature close/.test(err.message ?? '')) return true;
  return err.cause !== undefined && err.cause !== e && isConnectionError(err.cause);
}

/** Statuses a read is retried on: the server is busy or broken for a moment. */
export const retryableStatus = (status: number): boolean => status === 429 || (status >= 500 && status !== 501);

/** client-node's fetch library with a deadline per attempt, and retries for reads. */
export function retryingHttpLibrary(opts: RetryOptions): HttpLibrary {
  const inner = new IsomorphicFetchHttpLibrary();
  const delays = opts.delaysMs ?? RETRY_DELAYS_MS;
  return wrapHttpLibrary({
    async send(request: RequestContext): Promise<ResponseContext> {
      const read = request.getHttpMethod() === HttpMethod.GET;
      // Retries share a budget of two deadlines: a silent server costs a check 2x, not 4x, the deadline.
      const started = Date.now();
      const budget = 2 * opts.timeoutMs;
      for (let attempt = 0; ; attempt++) {
        opts.onAttempt?.();
        const deadline = AbortSignal.timeout(Math.max(1, Math.min(opts.timeoutMs, started + budget - Date.now())));
        request.setSignal(deadline);
        const lastNow = () => !read || attempt >= delays.length || Date.now() - started + delays[attempt] >= budget;
        try {
          const res = await inner.send(request).toPromise();
          // The whole body is read here, so an answer cut halfway is retried like a refused one.
          const body = await res.body.binary();
          if (retryableStatus(res.httpStatusCode) && !lastNow()) {
            await sleep(Math.max(retryDelay({ stepsMs: delays }, attempt), retryAfterMs(res.headers['retry-after'])));
            continue;
          }
          return new ResponseContext(res.httpStatusCode, res.headers, { text: async () => body.toString('utf8'), binary: async () => body });
        } catch (e) {
          // Our own deadline surfaces as node-fetch's AbortError: name it as the timeout it is.
          const err = deadline.aborted && (e as { name?: string }).name === 'AbortError' ? Object.assign(e as Error, { name: 'TimeoutError' }) : e;
          if (!isConnectionError(err) || lastNow()) throw err;
          await sleep(retryDelay({ stepsMs: delays }, attempt));
        }
      }
    },
  });
}

/** A Retry-After of a few seconds at most is honoured (a longer one would stall the check). */
function retryAfterMs(h: string | undefined): number {
  const s = Number(h);
  return Number.isFinite(s) && s > 0 ? Math.min(2, s) * 1000 : 0;
}
