/**
 * The step reads like the doc (issue 14's "Done when"), through ink-testing-library's way of
 * driving Ink, in terminals of 80x24, 100x30 and 160x45: step 2 of the Jaeger lesson on the ready
 * sandbox (step 1 passes by itself there). Judged as text (test/helpers/step-screen.ts), against
 * the lesson's own Markdown: the prose on the first screen, each command right after the
 * paragraph that introduces it and shown whole, no word cut across lines, no line wider than the
 * terminal, the counter, notices, the focused block kept whole, and the checks' lines.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import React from 'react';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { render as inkRender, type Instance } from 'ink';
import { App, NOTICE_MS } from '../../src/ui/App.js';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import type { Lesson } from '../../src/lesson/types.js';
import { FAST, sleep } from '../helpers/sandbox.js';
import { frameMatching } from '../helpers/frames.js';
import { brokenProse, documentRows, frames, norm, paneLines, proseLineCount, proseWords, screenLines, sourceLines, stripAnsi, tooWide } from '../helpers/step-screen.js';

const LESSON_DIR = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger');
const SIZES: Array<[number, number]> = [[80, 24], [100, 30], [160, 45]];
const DOWN = '\u001B[B';
const PGDN = '\u001B[6~';

/** A terminal of a given size for Ink (ink-testing-library's is 100 columns and has no rows). */
class SizedStdout extends EventEmitter {
  last = '';
  constructor(readonly columns: number, readonly rows: number) {
    super();
  }
  write = (frame: string) => {
    this.last = frame;
    return true;
  };
}
class KeysIn extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (d: string) => {
    this.data = d;
    this.emit('readable');
    this.emit('data', d);
  };
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

let target: Target;
let lesson: Lesson;
beforeAll(async () => {
  target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
  lesson = await loadLesson(LESSON_DIR);
});
afterAll(async () => {
  await target?.close();
});

let open: { ink: Instance; session: Session } | undefined;
afterEach(async () => {
  open?.ink.unmount();
  await open?.session.close();
  open = undefined;
});

async function openAt(width: number, height: number) {
  const session = new Session(lesson, target, { intervalMs: 200 });
  const stdout = new SizedStdout(width, height);
  const stdin = new KeysIn();
  const ink = inkRender(<App session={session} copy={() => undefined} color={false} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new SizedStdout(width, height) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  open = { ink, session };
  const lastFrame = () => stripAnsi(stdout.last);
  await frameMatching(lastFrame, /Step 2 of 5 · /, 20_000);
  await frameMatching(lastFrame, /checks: 0 of 1 pass/, 20_000);
  /** Presses a key and waits for the frame it makes (or a moment, when it changes nothing). */
  const press = async (key: string) => {
    const before = stdout.last;
    stdin.write(key);
    for (let i = 0; i < 50 && stdout.last === before; i++) await sleep(10);
    await sleep(30);
    return lastFrame();
  };
  return { lastFrame, press, session, stdin };
}

/** What every screen must be: no line wider than the terminal, no more lines than it has, no word cut. */
function readable(screen: string, width: number, height: number, prose: string, where: string) {
  expect(tooWide(screen, width), `${where}: lines wider than ${width} cells`).toEqual([]);
  expect(screenLines(screen).length, `${where}: more lines than the terminal has`).toBeLessThanOrEqual(height);
  expect(brokenProse(screen, prose), `${where}: prose not as written (a word cut across lines?)\n${screen}`).toEqual([]);
}

const step2 = () => lesson.steps[1];

describe.each(SIZES)('the step screen at %ix%i', (width, height) => {
  test('step 2 reads like the doc: its prose first, each command whole right after the paragraph that introduces it, the focused one whole on screen', async () => {
    const { lastFrame, press } = await openAt(width, height);
    const prose = proseWords(step2());
    let screen = lastFrame();
    readable(screen, width, height, prose, 'first screen');
    const first = proseLineCount(screen, prose);
    if (width === 80) expect(first, `prose lines on the first screen:\n${screen}`).toBeGreaterThanOrEqual(14);
    // The counter names the step on screen, and the passed steps apart.
    expect(screenLines(screen)[0]).toMatch(/Step 2 of 5 · Open the Jaeger.* · 1 passed/);

    // ↓ from block to block, in document order: each one focused, whole, after its introduction.
    const blocks = step2().blocks;
    const commandBlocks = blocks.map((b, i) => [b, i] as const).filter(([b]) => b.kind === 'command');
    expect(commandBlocks.length).toBeGreaterThanOrEqual(4);
    for (const [k, [b, bi]] of commandBlocks.entries()) {
      if (b.kind !== 'command') continue;
      const cmd = step2().commands[b.index];
      const where = `block ${k + 1} (command ${b.index + 1})`;
      const label = new RegExp(`command ${b.index + 1} of ${step2().commands.length}\\b`);
      // ↓ focuses the next block (a block more than a screen away: the text scrolls towards it first).
      const focusedNow = (s: string) => frames(s).filter((f) => f.focused);
      for (let presses = 0; presses < 6 && !(focusedNow(screen).length === 1 && label.test(focusedNow(screen)[0].label)); presses++) {
        screen = await press(DOWN);
        readable(screen, width, height, prose, `${where}, on the way`);
      }
      readable(screen, width, height, prose, where);
      const focused = focusedNow(screen);
      expect(focused, `${where}: one focused frame\n${screen}`).toHaveLength(1);
      const f = focused[0];
      expect(f.label, `${where}\n${screen}`).toMatch(label);
      expect(f.top, `${where}: its top edge on screen\n${screen}`).toBeGreaterThan(0);
      expect(f.bottom, `${where}: its bottom edge on screen\n${screen}`).toBeGreaterThan(f.top);
      // Shown whole and as written: continuation rows joined at a space give the source lines back.
      expect(f.command, `${where}: the command as written\n${screen}`).toEqual(sourceLines(cmd.run));
      // Right after what introduces it: one blank line, then the end of the paragraph before it
      // (or the bottom edge of the command before it).
      const rows = paneLines(screen);
      expect(rows[f.top - 1].trim(), `${where}: a blank line above the frame\n${screen}`).toBe('');
      const above = rows[f.top - 2] ?? '';
      const prev = blocks[bi - 1];
      if (prev?.kind === 'prose') {
        const para = norm(prev.markdown.split(/\n\s*\n/).pop()!);
        const lastWords = norm(above).split(' ').slice(-3).join(' ');
        expect(para.endsWith(lastWords), `${where}: "${above.trim()}" ends the paragraph "${para.slice(-80)}"\n${screen}`).toBe(true);
      } else if (prev?.kind === 'command') {
        expect(above, `${where}: the command before it ends just above\n${screen}`).toMatch(/^\s*[└┗]/);
      }
    }

    // Paging through the whole step: every screen readable, the focus (if on screen) whole.
    screen = await press('g');
    for (let i = 0; i < 40 && !/end · PgUp/.test(screen); i++) {
      screen = await press(PGDN);
      readable(screen, width, height, prose, `page ${i + 2}`);
      const cut = frames(screen).filter((f) => f.focused && (f.top < 0 || f.bottom < 0));
      const whole = frames(screen).filter((f) => f.top >= 0 && f.bottom >= 0);
      if (whole.length) expect(cut, `page ${i + 2}: the focused block cut by the screen's edge\n${screen}`).toEqual([]);
    }
    expect(screen).toMatch(/end · PgUp/);
  }, 60_000);

  test('the counter reads "Step N of 5" for the step on screen, passed steps counted apart; a notice from an earlier step goes on the next key', async () => {
    const { lastFrame, press } = await openAt(width, height);
    // Step 1 passed by itself on this cluster; the notice says so, on step 2.
    let screen = await frameMatching(lastFrame, /step 1 is already done on this cluster/);
    expect(screenLines(screen)[0]).toMatch(/Step 2 of 5 · .* · 1 passed/);
    const t0 = Date.now();
    screen = await press(DOWN);
    expect(Date.now() - t0).toBeLessThan(NOTICE_MS); // it went on the key, before it could time out by itself
    expect(screen).not.toMatch(/already done on this cluster/);
    screen = await press('p');
    expect(screenLines(screen)[0]).toMatch(/Step 1 of 5 · Check the prerequisites.* · 1 passed/);
    expect(documentRows(screen).join(' ')).toMatch(/Two things must be in place/);
    screen = await press('n');
    expect(screenLines(screen)[0]).toMatch(/Step 2 of 5 · Open the Jaeger.* · 1 passed/);
  }, 60_000);

  test(height < 31 ? 'the checks fold into one summary line that r expands' : 'passing checks take one line each', async () => {
    const { lastFrame, press } = await openAt(width, height);
    if (height < 31) {
      const screen = lastFrame();
      const checkRows = paneLines(screen).filter((l) => /^ checks: |^ {3}[✓✗◌] /.test(l));
      expect(checkRows, screen).toHaveLength(1);
      expect(checkRows[0]).toMatch(/^ checks: 0 of 1 pass — ✗ \S/);
      expect(screen).not.toMatch(/expected: /);
      const open = await press('r');
      const after = await frameMatching(lastFrame, /expected: /);
      void open;
      expect(paneLines(after).filter((l) => /^ {3}✗ /.test(l)), after).toHaveLength(1);
      expect(paneLines(after).some((l) => /^ checks: 0 of 1 pass\s*$/.test(l)), after).toBe(true);
      readable(after, width, height, proseWords(step2()), 'checks open');
    } else {
      // Step 1, all eleven checks passed: one line each, nothing between them.
      const screen = await press('p');
      const rows = paneLines(screen);
      const head = rows.findIndex((l) => /^ checks: all 11 pass — step passed/.test(l));
      expect(head, screen).toBeGreaterThan(0);
      const below = rows.slice(head + 1, head + 12);
      expect(below.every((l) => /^ {3}✓ \S/.test(l)), below.join('\n')).toBe(true);
      expect(rows[head + 12], screen).not.toMatch(/^ {4,}\S/);
      expect(tooWide(screen, width)).toEqual([]);
    }
  }, 60_000);
});
