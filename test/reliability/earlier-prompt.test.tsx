/**
 * The prompt for processes an earlier run left running comes before the lesson starts:
 * nothing of the lesson is checked or run until it is answered. (The real stopping, by
 * pid and start time, is tested with the built CLI in processes.test.ts.)
 */
import { afterEach, describe, expect, test } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { join } from 'node:path';
import { App } from '../../src/ui/App.js';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { FAST, sleep } from '../helpers/sandbox.js';
import { frameMatching } from '../helpers/frames.js';

const LESSON_DIR = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger');

describe('processes left by an earlier run', () => {
  let target: Target | undefined;
  let session: Session | undefined;
  let unmount: (() => void) | undefined;
  afterEach(async () => {
    unmount?.();
    await session?.close();
    await target?.close();
  });

  async function open(stop: () => Promise<string>) {
    target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
    session = new Session(await loadLesson(LESSON_DIR), target, { intervalMs: 200 });
    const earlier = { headline: '2 processes from an earlier kubetutor run are still running', lines: ['pid 4242 kubectl port-forward svc/tracing 15032:80', 'pid 4343 sleep 300'], stop };
    const r = render(<App session={session} copy={() => undefined} earlier={earlier} />);
    unmount = r.unmount;
    await sleep(50);
    return r;
  }

  test('are listed before the lesson starts; n leaves them and says how to stop them later', async () => {
    let stops = 0;
    const { lastFrame, stdin } = await open(async () => {
      stops++;
      return 'stopped';
    });
    const f = await frameMatching(lastFrame, /Stop them\? y\/n/);
    expect(f).toMatch(/2 processes from an earlier kubetutor run are still running:/);
    expect(f).toMatch(/pid 4242 kubectl port-forward svc\/tracing 15032:80/);
    await sleep(400);
    // The lesson has not started: no step has been checked.
    expect(session!.view.engine.steps.every((s) => s.results.length === 0)).toBe(true);
    stdin.write('x'); // other keys do nothing here
    stdin.write('n');
    const lesson = await frameMatching(lastFrame, /Step \d of 5/);
    expect(lesson).toMatch(/left them running; kubetutor cleanup --yes stops them later/);
    expect(stops).toBe(0);
    await frameMatching(lastFrame, /· 1 passed/); // the lesson started
  });

  test('y stops them, then the lesson starts with what happened', async () => {
    let release: (s: string) => void = () => undefined;
    const { lastFrame, stdin } = await open(() => new Promise<string>((r) => (release = r)));
    await frameMatching(lastFrame, /Stop them\? y\/n/);
    stdin.write('y');
    await frameMatching(lastFrame, /Stopping them…/);
    expect(session!.view.engine.steps.every((s) => s.results.length === 0)).toBe(true);
    release('stopped 2 processes from an earlier run');
    const lesson = await frameMatching(lastFrame, /Step \d of 5/);
    expect(lesson).toMatch(/stopped 2 processes from an earlier run/);
  });
});
