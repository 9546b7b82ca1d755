/**
 * The one home of "wait, then try again": pause schedules (doubling up to a ceiling, or a list
 * of steps), a counter that walks a schedule and starts over after a success, and a pause that
 * a signal can cut short. The watch loop (cluster caches and the classroom view), the forward
 * supervisor and the cluster client's read retries take their pauses from here.
 */

/** Doubling pauses: `initialMs`, twice that, … never above `maxMs`. */
export interface DoublingPolicy {
  initialMs: number;
  maxMs: number;
  /** @default 2 */
  factor?: number;
}

/** A schedule: an explicit list of pauses (the last repeats), or doubling ones. */
export type RetryPolicy = { stepsMs: readonly number[] } | DoublingPolicy;

/** The pause before retry number `attempt` (0 for the first retry). */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  if ('stepsMs' in policy) return policy.stepsMs[Math.min(Math.max(0, attempt), policy.stepsMs.length - 1)];
  const factor = policy.factor ?? 2;
  // The exponent is capped so that a long outage cannot grow the pause to Infinity.
  return Math.min(policy.maxMs, policy.initialMs * factor ** Math.min(Math.max(0, attempt), 40));
}

/** Walks a schedule: `next()` is the pause before the next try, `reset()` after one that worked. */
export class Backoff {
  private n = 0;
  constructor(private readonly policy: RetryPolicy) {}

  /** Failed tries since the last reset. */
  get attempts(): number {
    return this.n;
  }

  next(): number {
    return retryDelay(this.policy, this.n++);
  }

  reset(): void {
    this.n = 0;
  }
}

/** Resolves after `ms` (at once when `signal` aborts). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
