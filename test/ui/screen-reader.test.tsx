/**
 * Screen-reader mode, read as text: the lesson screen on the real sandbox, driven with keys
 * through ink-testing-library (what is said), and through Ink's own screen-reader renderer into
 * a terminal-like stream (what reaches the terminal: no box drawing, nothing erased and said
 * again).
 */
import { afterEach, describe, expect, test } from 'vitest';
import React from 'react';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { cellWidth } from '../../src/text/cells.js';
import { BOX_DRAWING } from '../../src/ui/screen-reader.js';
import { FAST, movedDashboard, sleep } from '../helpers/sandbox.js';
import { frameMatching } from '../helpers/frames.js';

const LESSON_DIR = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger');
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Lines as one text with the word-wraps undone (a wrap only ever falls at a space). */
const unwrapped = (text: string) => text.split('\n').map((l) => l.trim()).join(' ');
const count = (text: string, s: string) => text.split(s).length - 1;

/** A terminal for Ink: every byte written is kept. */
class Terminal extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  written = '';
  write = (s: string) => {
    this.written += s;
    return true;
  };
}
class Keys extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  press(s: string) {
    this.data = s;
    this.emit('readable');
  }
}

describe('screen-reader mode', () => {
  let target: Target | undefined;
  let session: Session | undefined;
  let unmount: (() => void) | undefined;
  afterEach(async () => {
    unmount?.();
    await session?.close();
    await target?.close();
  });

  async function open(scenario: string) {
    target = await openTarget({ sandbox: scenario, sandboxTiming: FAST });
    // The dashboard's port moved to a free one: whatever holds 15032 here cannot pass step 2.
    const { ports } = await movedDashboard();
    session = new Session(await loadLesson(LESSON_DIR), target, { intervalMs: 150, ports });
    return session;
  }

  test('reads the step linearly, label first: title, prose, each command where the prose puts it, checks as sentences', async () => {
    const s = await open('fresh');
    const r = render(<App session={s} copy={() => undefined} screenReader />);
    unmount = r.unmount;
    await frameMatching(r.lastFrame, /Checks: \d+ of 11 pass\./);
    await sleep(1000); // several check rounds: nothing already said is said again
    const text = r.lastFrame()!;
    const flat = unwrapped(text);
    expect(flat).toContain('Step 1 of 5: Check the prerequisites and deploy Bookinfo. This step is in progress; 0 of 5 steps passed.');
    // The command comes right after the sentence that introduces it, whole.
    expect(flat).toMatch(/So label the namespace first and deploy afterwards: Command 1 of 4: kubectl label namespace default istio-injection=enabled --overwrite /);
    expect(flat).toMatch(/Command 2 of 4: kubectl apply -f bookinfo\.yaml/);
    expect(flat).toMatch(/Check \d+ of 11 does not pass yet: /);
    expect(count(text, 'Step 1 of 5:')).toBe(1);
    expect(count(text, 'Checks: ')).toBe(1);
    expect(text).not.toMatch(BOX_DRAWING);
    expect(text).not.toMatch(/[✓✗●○◌›▶]/); // marks are said in words
    for (const line of text.split('\n')) expect(cellWidth(line)).toBeLessThanOrEqual(100);

    // A key is answered with one line naming what it selected; Enter runs it and says how it went.
    r.stdin.write('\x1b[B');
    await frameMatching(r.lastFrame, /Command 2 of 4: kubectl apply -f bookinfo\.yaml[^]*Command 2 of 4: kubectl apply/);
    r.stdin.write('\r');
    const ran = unwrapped(await frameMatching(r.lastFrame, /Command 2 finished with exit status 0/));
    expect(ran).toMatch(/Command 2 is running\. .*Command 2 finished with exit status 0\. Its last \d+ lines? of output: .*deployment\.apps\/productpage-v1 created/);
    await sleep(600);
    const after = r.lastFrame()!;
    expect(count(after, 'Command 2 finished')).toBe(1);
    expect(count(after, 'Step 1 of 5:')).toBe(1);
    r.stdin.write('?');
    const help = unwrapped(await frameMatching(r.lastFrame, /Escape closes this list/));
    expect(help).toMatch(/Keys: Up Down, Tab, Shift-Tab: move to the next/);
    expect(help).toMatch(/n or Right: go to the next step/);
  });

  test('what reaches the terminal: each line once, nothing erased or redrawn, no box drawing', async () => {
    const s = await open('ready');
    const term = new Terminal();
    const keys = new Keys();
    const app = inkRender(<App session={s} copy={() => undefined} screenReader />, {
      stdout: term as unknown as NodeJS.WriteStream,
      stdin: keys as unknown as NodeJS.ReadStream,
      isScreenReaderEnabled: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    unmount = () => app.unmount();
    const until = async (re: RegExp) => {
      for (let i = 0; i < 300 && !re.test(term.written); i++) await sleep(20);
      expect(term.written).toMatch(re);
    };
    // The ready sandbox has step 1 done already: the lesson moves on to step 2 by itself.
    await until(/Step 2 of 5: Open the Jaeger dashboard\./);
    await until(/Checks: 0 of 1 pass\./);
    keys.press('\x1b[B');
    await until(/Checks: 0 of 1 pass\.[^]*Background command 2 of 8, named jaeger-forward-pod/);
    keys.press('l');
    await until(/Steps:/);
    keys.press('\x1b');
    await until(/Closed\. Back to step 2\./);
    await sleep(800); // check rounds and renders go on: none of them may reach the terminal again
    // Ink brackets each render in synchronized-output marks (invisible, never read out); the rest is what counts.
    const raw = term.written.replace(/\x1b\[\?2026[hl]/g, '');
    // No redraws: Ink's live area is empty, so nothing is erased, moved over or cleared.
    expect(raw).not.toMatch(/\x1b\[(2K|1A|\d*J|\d*[ABCDH])/);
    expect(raw).not.toMatch(BOX_DRAWING);
    const text = raw.replace(ANSI, '');
    expect(count(text, 'Step 2 of 5: Open the Jaeger dashboard.')).toBe(1);
    expect(count(text, 'Checks: 0 of 1 pass.')).toBe(1);
    expect(count(text, 'kubetutor lesson: Distributed tracing with Jaeger.')).toBe(1);
    expect(count(text, 'Steps:')).toBe(1);
    for (const line of text.split('\n')) expect(cellWidth(line)).toBeLessThanOrEqual(80);
    // Every line is whole words: a line never ends inside a word that the next one finishes.
    const flat = unwrapped(text);
    expect(flat).toContain(`Background command 2 of 8, named jaeger-forward-pod: kubectl port-forward --namespace istio-system "$(kubectl get pod --namespace istio-system --selector app=jaeger --output jsonpath='{.items[0].metadata.name}')"`);
    expect(flat).toContain('Command 5 of 8, for Istio 1.1 and Istio 1.1 pre-release, this cluster: kubectl get ingress --namespace istio-system');
  });
});
