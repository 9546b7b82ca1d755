/**
 * Keys typed before the first Ink frame: the first frame (drawn before Ink loads) answers those
 * that only change what is shown, keeps the others in order, and the live screen acts on them
 * once it is up. Deterministic: every key here is typed before Ink renders anything; the session
 * runs on the real sandbox, the command with the real kubectl.
 */
import { afterEach, describe, expect, test } from 'vitest';
import React from 'react';
import { PassThrough, Writable } from 'node:stream';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { drawFirstFrame, startingView } from '../../src/ui/first-frame.js';
import { FAST, movedDashboard, sleep } from '../helpers/sandbox.js';
import { frameMatching } from '../helpers/frames.js';

const LESSON_DIR = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger');

/** The terminal the first frame is drawn on: the size ink-testing-library gives Ink (100x24). */
class Terminal extends Writable {
  text = '';
  columns = 100;
  rows = 24;
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

describe('keys typed while the lesson starts', () => {
  let target: Target | undefined;
  let session: Session | undefined;
  let unmount: (() => void) | undefined;
  afterEach(async () => {
    unmount?.();
    await session?.close();
    await target?.close();
  });

  test('are kept and acted on: the help opens and closes at once, the selection moves, Enter runs the command once Ink is up', async () => {
    // What `kubetutor start` does: the frame first, the sandbox and Ink behind it.
    const lesson = await loadLesson(LESSON_DIR);
    const out = new Terminal();
    const keys = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.ReadStream;
    const frame = drawFirstFrame(out as unknown as NodeJS.WriteStream, startingView(lesson, { label: 'sandbox (scenario fresh)', kind: 'sandbox' }), false, keys);
    const typed = (s: string) => {
      keys.write(s);
      return sleep(30);
    };
    await typed('?');
    expect(out.text).toContain('show or hide this help'); // answered by the frame itself
    await typed('\x1b'); // Esc: closed again
    await typed('j'); // the next block: command 2, kubectl apply -f bookinfo.yaml
    await typed('\r'); // Enter: only the live screen can run it
    await typed('l'); // after Enter, even a key the frame could answer waits (the order is kept)
    target = await openTarget({ sandbox: 'fresh', sandboxTiming: FAST });
    const { ports } = await movedDashboard();
    session = new Session(lesson, target, { intervalMs: 200, ports });
    const early = frame.handOver();
    frame.erase();
    expect(early.ui.showHelp).toBe(false);
    expect(early.ui.focus).toBe(1);
    expect(early.pending).toBe('\rl');

    const r = render(<App session={session} copy={() => undefined} initialUiState={early.ui} pendingKeys={early.pending} />);
    unmount = r.unmount;
    // Enter ran the selected command (the second), then l opened the step list over it.
    const f = await frameMatching(r.lastFrame, /Steps[^]*Check the prerequisites/);
    expect(f).not.toMatch(/show or hide this help/);
    r.stdin.write('\x1b');
    const ran = await frameMatching(r.lastFrame, /deployment\.apps\/productpage-v1 created/);
    expect(ran).toMatch(/kubectl apply -f bookinfo\.yaml/);
    expect(ran).not.toMatch(/namespace\/default labeled/); // not command 1: the selection carried over
  });
});
