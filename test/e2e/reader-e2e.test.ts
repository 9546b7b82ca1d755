/**
 * The built CLI in a real terminal (tmux), read as text: screen-reader mode (switched on by
 * Ink's INK_SCREEN_READER, and by --screen-reader) writes each line once, word-wrapped, with no
 * box drawing and nothing erased or redrawn; the small Chinese lesson is aligned at 80x24 and
 * 160x45. The lesson's dashboard port is moved to a free one of the test's own.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tmux } from '../helpers/tmux.js';
import { movedDashboard, sleep } from '../helpers/sandbox.js';
import { cellWidth } from '../../src/text/cells.js';
import { BOX_DRAWING } from '../../src/ui/screen-reader.js';
import { cjkScreenProblems, latinWords, ruleColumns } from '../helpers/cjk-screen.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const ZH = join(ROOT, 'test', 'fixtures', 'lessons', 'zh-small');
const ZH_WORDS = new Set([...latinWords(readFileSync(join(ZH, 'lesson.md'), 'utf8')), ...latinWords('kubetutor lesson Commands run on sandbox Step steps This')]);

const count = (text: string, s: string) => text.split(s).length - 1;
const unwrapped = (text: string) => text.split('\n').map((l) => l.trim()).join(' ');

async function historyMatching(t: Tmux, re: RegExp, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  let h = '';
  while (Date.now() < end) {
    h = t.history();
    if (re.test(h)) return h;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${re}; the terminal's history:\n${h}`);
}

describe('the built CLI read as text', () => {
  let t: Tmux | undefined;
  afterEach(() => {
    t?.keys('q');
    t?.kill();
  });

  test('INK_SCREEN_READER=true: a transcript, each line once, nothing redrawn, no box drawing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubetutor-sr-'));
    const raw = join(dir, 'terminal.raw');
    const dash = await movedDashboard();
    // A moment before the program starts, so the raw copy of the terminal begins with it.
    t = new Tmux(`sh -c 'sleep 0.5; exec node ${CLI} start --sandbox=ready ${dash.flag.join(' ')}'`, { width: 80, height: 24, env: { XDG_STATE_HOME: dir, INK_SCREEN_READER: 'true', NO_COLOR: '1' } });
    t.pipeTo(raw);
    // The ready sandbox has step 1 done: the lesson goes on to step 2 by itself.
    await historyMatching(t, /Checks: 0 of 1 pass\./);
    t.keys('Down');
    await historyMatching(t, /Background command 2 of 8, named jaeger-forward-pod/);
    t.keys('?');
    await historyMatching(t, /Escape closes this list\./);
    t.keys('Escape');
    await historyMatching(t, /Closed\. Back to step 2\./);
    await sleep(1500); // check rounds go on: nothing of them may reach the terminal again
    const history = t.history(2000);
    const bytes = readFileSync(raw, 'utf8').replace(/\x1b\[\?2026[hl]/g, ''); // Ink's invisible synchronized-output marks
    expect(bytes).toContain('Closed. Back to step 2.'); // the raw copy has it all
    expect(bytes).not.toMatch(/\x1b\[(2K|\d*[ABCDHJ])/); // no line erased, no cursor moved back over text
    expect(bytes).not.toMatch(BOX_DRAWING);
    expect(history).not.toMatch(BOX_DRAWING);
    expect(count(history, 'Step 2 of 5: Open the Jaeger dashboard.')).toBe(1);
    expect(count(history, 'Checks: 0 of 1 pass.')).toBe(1);
    expect(count(history, 'Keys:')).toBe(1);
    for (const line of history.split('\n')) expect(cellWidth(line.trimEnd())).toBeLessThanOrEqual(80);
    const flat = unwrapped(history);
    expect(flat).toContain('Step 1 of 5: Check the prerequisites and deploy Bookinfo.');
    expect(flat).toContain('Command 1 of 4: kubectl label namespace default istio-injection=enabled --overwrite');
    expect(flat).toMatch(/Check 1 of 1 does not pass yet: GET http:\/\/localhost:\d+\/: connection to localhost:\d+ refused\./);
    // No first frame in this mode: nothing was drawn to be erased.
    expect(history).not.toMatch(/\? keys {2}q quit/);
  });

  test('--screen-reader on the Chinese lesson: whole words and lines within 80 cells', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubetutor-sr-zh-'));
    t = new Tmux(`node ${CLI} start ${ZH} --sandbox=no-sidecar --trust --screen-reader`, { width: 80, height: 24, env: { XDG_STATE_HOME: dir } });
    const h = await historyMatching(t, /Check 1 of 1 does not pass yet: namespace default lacks istio-injection=enabled/);
    const lines = h.split('\n').map((l) => l.trimEnd());
    expect(cjkScreenProblems(['', ...lines], 80, ZH_WORDS)).toEqual([]);
    expect(h).not.toMatch(BOX_DRAWING);
    expect(unwrapped(h)).toContain('Command 1 of 1: kubectl label namespace default istio-injection=enabled --overwrite');
    t.keys('Enter');
    // The command's end and the re-check's verdict come in either order (the watch may see the
    // label before the command's exit is read): wait for both.
    const done = /Command 1 finished with exit status 0\. Its last line of output:\n  namespace\/default labeled/;
    const passed = /Check 1 of 1 passes: namespace default exists with istio-injection=enabled\.\nStep 1 passed\./;
    await historyMatching(t, new RegExp(`^(?=[\\s\\S]*${done.source})(?=[\\s\\S]*${passed.source})`));
  });

  test('the Chinese lesson on the step screen: aligned at 80x24, and with the sidebar at 160x45', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubetutor-zh-'));
    t = new Tmux(`node ${CLI} start ${ZH} --sandbox=no-sidecar --trust`, { width: 80, height: 24, env: { XDG_STATE_HOME: dir, NO_COLOR: '1' } });
    let s = await t.waitFor(/lacks istio-injection=enabled/);
    expect(s).toMatch(/Step 1 of 3 · /);
    expect(cjkScreenProblems(s.split('\n'), 80, ZH_WORDS)).toEqual([]);
    t.keys('Enter');
    await t.waitFor(/step passed|passed — step 2/);
    t.keys('n');
    s = await t.waitFor(/Step 2 of 3 · 找到 Jaeger 的 Pod/);
    expect(cjkScreenProblems(s.split('\n'), 80, ZH_WORDS)).toEqual([]);
    t.resize(160, 45);
    s = await t.waitFor(/Steps +│/);
    const rows = s.split('\n');
    const rules = ruleColumns(rows.slice(1, -2));
    expect(rules.length).toBeGreaterThan(30);
    expect(new Set(rules).size).toBe(1); // the sidebar's rule in one column on every row
    expect(cjkScreenProblems(rows, 160, ZH_WORDS, rules[0])).toEqual([]);
    expect(s).toMatch(/[✓○] 3 看一眼 istio-system 里的/);
  });
});
