import { afterEach, describe, expect, test } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { join } from 'node:path';
import { App } from '../../src/ui/App.js';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { FAST, kubectl, sleep } from '../helpers/sandbox.js';
import { frameMatching, pressUntil } from '../helpers/frames.js';

const LESSON_DIR = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger');

describe('the lesson screen', () => {
  let target: Target | undefined;
  let session: Session | undefined;
  let unmount: (() => void) | undefined;
  afterEach(async () => {
    unmount?.();
    await session?.close();
    await target?.close();
  });

  async function open(scenario: string, props: Partial<React.ComponentProps<typeof App>> = {}) {
    target = await openTarget({ sandbox: scenario, sandboxTiming: FAST });
    const lesson = await loadLesson(LESSON_DIR);
    session = new Session(lesson, target, { intervalMs: 200 });
    const r = render(<App session={session} copy={() => undefined} {...props} />);
    unmount = r.unmount;
    await sleep(50); // useInput subscribes in an effect
    return r;
  }

  test('shows the target, the steps and their states; a locked step cannot be entered', async () => {
    const { lastFrame, stdin } = await open('fresh');
    const f = await frameMatching(lastFrame, /Step 1 of 5/);
    expect(f).toMatch(/sandbox \(scenario fresh\)/);
    stdin.write('l'); // the step list (no sidebar below 120 columns)
    await frameMatching(lastFrame, /○ 2\. Open the Jaeger dashboard/); // locked
    stdin.write('\x1b');
    stdin.write('n');
    await sleep(100);
    expect(lastFrame()).toMatch(/Step 1 of 5/);
    expect(lastFrame()).not.toMatch(/Step 2 of 5/);
  });

  test('the next step unlocks when the cluster changes underneath', async () => {
    const { lastFrame, stdin } = await open('fresh');
    await frameMatching(lastFrame, /Step 1 of 5 [^]*checks: \d+ of 11 pass/);
    // Another terminal applies Bookinfo while the screen is open.
    const sb = target!.sandbox!;
    for (const f of ['bookinfo.yaml', 'bookinfo-gateway.yaml']) {
      const r = await kubectl(sb, ['apply', '-f', join(LESSON_DIR, f)]);
      expect(r.code).toBe(0);
    }
    await frameMatching(lastFrame, /· 1 passed/);
    await frameMatching(lastFrame, /step 2 is unlocked/);
    stdin.write('n');
    await frameMatching(lastFrame, /Step 2 of 5/);
  });

  test('a failing check shows its reason once the learner asks', async () => {
    const { lastFrame, stdin } = await open('no-sidecar');
    // At 24 rows the checks fold into one line, naming the first that fails.
    await frameMatching(lastFrame, /checks: 9 of 11 pass — ✗ namespace default lacks istio-injection=enabled/);
    expect(lastFrame()).not.toMatch(/expected:/); // not before the learner has tried
    stdin.write('r');
    const f = await frameMatching(lastFrame, /expected: /);
    expect(f).toMatch(/✗ 0 of 6 pods have container istio-proxy/);
    expect(f).toMatch(/lacks istio-injection=enabled/);
  });

  test('Enter runs the selected command and shows its output', async () => {
    const { lastFrame, stdin } = await open('fresh');
    await frameMatching(lastFrame, /Step 1 of 5/);
    await pressUntil(stdin, '\r', lastFrame, /namespace\/default (labeled|not labeled)/);
    // The output and the exit status are in the command's own frame.
    const f = await frameMatching(lastFrame, /✓ exit 0/);
    const rows = f.split('\n');
    const cmd = rows.findIndex((l) => l.includes('$ kubectl label namespace default'));
    const out = rows.findIndex((l) => /namespace\/default (labeled|not labeled)/.test(l));
    const exit = rows.findIndex((l) => l.includes('✓ exit 0'));
    expect(cmd).toBeGreaterThan(0);
    expect(out).toBeGreaterThan(cmd);
    expect(exit).toBeGreaterThan(out);
  });

  test('c copies the selected command; ? shows the keys', async () => {
    const copied: string[] = [];
    const { lastFrame, stdin } = await open('fresh', { copy: (t) => copied.push(t) });
    await frameMatching(lastFrame, /Step 1 of 5/);
    stdin.write('j');
    await sleep(50);
    stdin.write('c');
    await eventuallyTrue(() => copied.length === 1);
    expect(copied[0]).toBe('kubectl apply -f bookinfo.yaml');
    stdin.write('?');
    await frameMatching(lastFrame, /copy that command to the clipboard/);
  });

  test('on a real cluster the context is shown and must be confirmed before anything runs', async () => {
    const sb = await openTarget({ sandbox: 'empty', sandboxTiming: FAST });
    try {
      // The sandbox's kubeconfig, used as any kubeconfig would be: a "real" cluster to this target.
      target = await openTarget({ kubeconfig: sb.kubeconfigPath });
      session = new Session(await loadLesson(LESSON_DIR), target, { intervalMs: 200 });
      const r = render(<App session={session} copy={() => undefined} confirmTarget />);
      unmount = r.unmount;
      await sleep(50);
      const f = await frameMatching(r.lastFrame, /Continue with this context\? \(y\/N\)/);
      expect(f).toMatch(/context kubetutor-sandbox \(https:\/\/127\.0\.0\.1:\d+\)/);
      expect(session.view.engine.steps[0].results).toEqual([]); // nothing evaluated yet
      r.stdin.write('y');
      await frameMatching(r.lastFrame, /Step 1 of 5/);
      await frameMatching(r.lastFrame, /Istio|istio/);
    } finally {
      unmount?.();
      unmount = undefined;
      await session?.close();
      session = undefined;
      await target?.close();
      target = undefined;
      await sb.close();
    }
  });
});

async function eventuallyTrue(f: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await sleep(20);
  expect(f()).toBe(true);
}
