/**
 * End-to-end: the instructor auto-play (Player) drives the Jaeger lesson in the App. The
 * dashboard port (15032) is moved to a free port of the test's own (the Session's `ports`):
 * nothing here needs 15032 free.
 */
import { describe, expect, test } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import { Player } from '../../src/engine/player.js';
import { Session } from '../../src/engine/session.js';
import { openTarget } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { FAST, eventually, movedDashboard } from '../helpers/sandbox.js';
import { LESSON } from '../helpers/lesson-cli.js';

describe('kubetutor play (instructor auto-play)', () => {
  async function playOn(scenario: string, opts: { pace?: number; stepTimeoutMs?: number }) {
    const target = await openTarget({ sandbox: scenario, sandboxTiming: FAST });
    const session = new Session(await loadLesson(LESSON), target, { intervalMs: 200, ports: (await movedDashboard()).ports });
    const player = new Player(session, { ...opts, msPerChar: 0 });
    const r = render(React.createElement(App, { session, player, copy: () => undefined }));
    const close = async () => {
      player.stop();
      r.unmount();
      await session.close();
      await target.close();
    };
    return { r, player, session, close };
  }
  const frame = async (r: { lastFrame: () => string | undefined }, re: RegExp, ms = 60_000) => eventually(() => (re.test(r.lastFrame() ?? '') ? r.lastFrame() : undefined), ms, String(re));

  test('plays the whole lesson: commands typed and run, checks awaited, paused between steps', async () => {
    const { r, session, close } = await playOn('fresh', { pace: 50 });
    try {
      await frame(r, /▶ auto-play \$ kubectl label/);
      await frame(r, /✓ auto-play done: every step passed/, 120_000);
      expect(session.view.finished).toBe(true);
    } finally {
      await close();
    }
  }, 150_000);

  test('a step that cannot pass stops the play, with the failing check on screen', async () => {
    // Without Istio's tracing add-on, no command of the lesson can make the prerequisites pass.
    const { r, player, close } = await playOn('no-tracing', { stepTimeoutMs: 3000 });
    try {
      await frame(r, /✗ step 1 did not pass: auto-play stopped/, 60_000);
      expect(player.state.phase).toBe('failed');
      await frame(r, /✗ .*app=jaeger/);
    } finally {
      await close();
    }
  }, 90_000);
});
