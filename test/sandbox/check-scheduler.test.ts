/**
 * The check scheduler (src/engine/session/check-scheduler.ts) on the sandbox, without the rest of
 * the session: a change in the cluster re-checks at once (the watch, not a timer: the interval
 * here is an hour), one round runs at a time and kicks during it fold into one more, and a round
 * whose step was left is dropped and the new step checked.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { CheckScheduler, type SchedulerHost } from '../../src/engine/session/check-scheduler.js';
import type { CheckResult, Step } from '../../src/lesson/types.js';
import { FAST, kubectl } from '../helpers/sandbox.js';

const HOUR = 3_600_000;
const steps = [{ id: 'one' }, { id: 'two' }] as unknown as Step[];

let target: Target;
beforeAll(async () => {
  target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
});
afterAll(async () => {
  await target?.close();
});

/** A host that records what the scheduler told it; `evaluate` is the test's. */
function host(evaluate: SchedulerHost['evaluate']) {
  const finished: { step: string; results: CheckResult[] }[] = [];
  const started: string[] = [];
  let index = 0;
  let controller = new AbortController();
  const h: SchedulerHost = {
    current: () => (index < steps.length ? { step: steps[index], index } : undefined),
    started: (s) => void started.push(s.id),
    signal: () => controller.signal,
    evaluate,
    abandoned: () => undefined,
    finished: (s, _i, results) => {
      finished.push({ step: s.id, results });
      return false;
    },
    stayed: () => undefined,
    troubleChanged: () => undefined,
  };
  const moveTo = (i: number) => {
    controller.abort();
    controller = new AbortController();
    index = i;
  };
  return { h, finished, started, moveTo };
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const gate = () => {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
};

describe('the check scheduler', () => {
  test('a change in the cluster re-checks at once, through the watch (no timer would fire for an hour)', async () => {
    const { h, finished } = host(async (_s, _i, cluster) => {
      const names = (await cluster!.list('v1', 'Namespace')).map((n) => n.metadata.name);
      return [{ ok: names.includes('kt-scheduler'), summary: names.includes('kt-scheduler') ? 'there' : 'not yet' }];
    });
    const scheduler = new CheckScheduler(target, h, HOUR);
    try {
      scheduler.kick();
      await until(() => finished.length >= 1, 'the first round');
      expect(finished[0].results[0].ok).toBe(false);
      const made = await kubectl(target.sandbox!, ['create', 'namespace', 'kt-scheduler']);
      expect(made.code, made.stderr).toBe(0);
      await until(() => finished.some((f) => f.results[0].ok), 'a round after the namespace appeared');
      expect(scheduler.stats?.watches).toBeGreaterThan(0);
    } finally {
      scheduler.close();
    }
  });

  test('one round at a time: kicks during a round fold into exactly one more', async () => {
    let g = gate();
    let running = 0;
    let most = 0;
    const { h, finished } = host(async () => {
      running++;
      most = Math.max(most, running);
      await g.p;
      running--;
      return [{ ok: false, summary: 'no' }];
    });
    const scheduler = new CheckScheduler(target, h, HOUR);
    try {
      scheduler.kick();
      await until(() => running === 1, 'the round to start');
      scheduler.kick();
      scheduler.kick();
      scheduler.kick();
      const first = g;
      g = gate();
      first.open();
      await until(() => finished.length === 1 && running === 1, 'the one round after');
      g.open();
      await until(() => finished.length === 2, 'the second round to end');
      await new Promise((r) => setTimeout(r, 300));
      expect(finished.length).toBe(2);
      expect(most).toBe(1);
    } finally {
      scheduler.close();
    }
  });

  test('a round whose step was left is dropped, and the new step is checked under its own signal', async () => {
    const g = gate();
    const signals: AbortSignal[] = [];
    const { h, finished, started, moveTo } = host(async (s, _i, _c, signal) => {
      signals.push(signal);
      if (s.id === 'one') await g.p;
      return [{ ok: true, summary: `${s.id} checked` }];
    });
    const scheduler = new CheckScheduler(target, h, HOUR);
    try {
      scheduler.kick();
      await until(() => signals.length === 1, 'step one’s round');
      moveTo(1);
      expect(signals[0].aborted).toBe(true);
      g.open();
      await until(() => finished.length === 1, 'step two’s round');
      expect(finished.map((f) => f.step)).toEqual(['two']);
      expect(started).toEqual(['one', 'two']);
      expect(signals[1].aborted).toBe(false);
    } finally {
      scheduler.close();
    }
  });

  test('once closed, a kick runs nothing', async () => {
    const { h, finished } = host(async () => [{ ok: false, summary: 'no' }]);
    const scheduler = new CheckScheduler(target, h, HOUR);
    scheduler.close();
    scheduler.kick();
    await new Promise((r) => setTimeout(r, 200));
    expect(finished).toEqual([]);
  });
});
