/**
 * The hostile corpus on the Ink screens (ink-testing-library): the lesson screen (diagnoses,
 * output pane, header), the real-cluster confirmation, the trust screen, the earlier-processes
 * prompt and the trace viewer (list, waterfall, span details, search). Each frame is checked
 * without colour (chalk level 0: no escape sequence at all) and with it (only the screen's own
 * SGR), every line within the terminal's 100 columns, the markers findable.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import chalk from 'chalk';
import stringWidth from 'string-width';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../src/ui/App.js';
import { EarlierPrompt } from '../../src/ui/EarlierPrompt.js';
import { TraceViewer } from '../../src/ui/TraceViewer.js';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { parseJaegerFile } from '../../src/traces/jaeger-client.js';
import { summarizeTrace } from '../../src/traces/trace-model.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { startFastSandbox, sleep } from '../helpers/sandbox.js';
import { frameMatching, pressUntil } from '../helpers/frames.js';
import { HOSTILE, STEERING, firstForeign, foreign } from './corpus.js';
import { hostileKubeconfig, hostileLesson, hostileTraceFile, plantHostileWorld } from './hostile-world.js';
import { tally } from './tally.js';

const ENTER = '\r';
const DOWN = '\u001B[B';
const PGDN = '\u001B[6~';
const plainText = (f: string) => f.replace(/\u001B\[[0-9;]*m/g, '');

let sb: Sandbox;
let dir: string;
let kube: { file: string; context: string };
let lesson: { dir: string; file: string };
const savedLevel = chalk.level;

beforeAll(async () => {
  sb = await startFastSandbox({ scenario: 'fresh' });
  dir = mkdtempSync(join(tmpdir(), 'kt-hostile-ui-'));
  await plantHostileWorld(sb);
  kube = hostileKubeconfig(sb, dir);
  lesson = hostileLesson();
});
afterAll(async () => {
  chalk.level = savedLevel;
  await sb?.stop();
});

/** The frame holds nothing that steers the terminal but the screen's own SGR (none at level 0), fits 100 columns, shows the markers. */
function inertFrame(surface: string, frame: string, markers: string[], planted = HOSTILE.length) {
  if (chalk.level === 0) expect(STEERING.test(frame), `${surface}: an escape at colour level 0`).toBe(false);
  expect(firstForeign(frame), `${surface}: a steering character in the frame`).toBe('');
  for (const line of plainText(foreign(frame)).split('\n')) expect(stringWidth(line), `${surface}: a line wider than the terminal: ${line}`).toBeLessThanOrEqual(100);
  for (const m of markers) expect(frame.includes(m), `${surface}: ${m} not findable:\n${frame}`).toBe(true);
  tally(`${surface} (colour level ${chalk.level})`, planted, markers.length);
}

describe.each([0, 1])('chalk level %i', (level) => {
  let target: Target | undefined;
  let session: Session | undefined;
  let unmount: (() => void) | undefined;
  beforeAll(() => {
    chalk.level = level as 0 | 1;
  });
  afterEach(async () => {
    unmount?.();
    unmount = undefined;
    await session?.close();
    session = undefined;
    await target?.close();
    target = undefined;
  });

  async function openLesson(props: Partial<React.ComponentProps<typeof App>> = {}, trusted = true) {
    target = await openTarget({ kubeconfig: kube.file });
    const l = await loadLesson(lesson.dir);
    session = new Session(l, target, { intervalMs: 200, trusted });
    const r = render(<App session={session} copy={() => undefined} {...props} />);
    unmount = r.unmount;
    await sleep(50);
    return r;
  }

  it('the lesson screen: the context name, the diagnoses quoting events and conditions, the output pane', async () => {
    const { lastFrame, stdin } = await openLesson();
    let f = await frameMatching(lastFrame, /Step 1 of 1/);
    inertFrame('lesson screen: header with the context name', f, ['HXctx'], 12);
    await frameMatching(lastFrame, /checks: \d+ of 6 pass/, 15_000); // (at 24 rows, folded into one line)
    // r opens every check with its reason (at 24 rows they are folded into one line).
    await pressUntil(stdin, 'r', () => plainText(lastFrame() ?? ''), /hx-0: /);
    f = lastFrame()!;
    // The diagnosis quotes the planted condition of hx-0.
    expect(plainText(f)).toMatch(/hx-0: not scheduled: Unschedulable — HX2 x␛\[5A/);
    inertFrame('lesson screen: diagnoses (events, conditions)', f, ['HX2']);
  }, 150_000);

  it('the lesson screen: the output in the command\'s frame', async () => {
    const { lastFrame, stdin } = await openLesson();
    let f = await frameMatching(lastFrame, /Step 1 of 1/);
    // Enter runs `cat hostile.txt`: the frame shows its last lines; o opens all of them, read page
    // by page (the corpus ends with a 10 kB run, so the last markers are pages above its end).
    stdin.write(ENTER);
    f = await frameMatching(lastFrame, /┗━ ✓ exit 0/, 15_000, plainText);
    stdin.write('o');
    f = await frameMatching(lastFrame, /earlier lines not kept|┃ \$ cat hostile\.txt/, 15_000, plainText);
    const wanted = HOSTILE.slice(-3).map((h) => h.marker);
    const found = new Map<string, string>();
    for (let page = 0; page < 200 && found.size < wanted.length; page++) {
      f = lastFrame()!;
      for (const m of wanted) if (!found.has(m) && f.includes(m)) found.set(m, f);
      if (/o again folds it/.test(plainText(f))) break;
      stdin.write(PGDN);
      // The next key only once this page is drawn, so no page goes by unread.
      for (let waited = 0; lastFrame() === f && waited < 5_000; waited += 10) await sleep(10);
    }
    for (const m of wanted) inertFrame(`lesson screen: command output (${m})`, found.get(m) ?? f, [m], 1);
    expect(plainText(found.get('HX10') ?? '')).toContain('HX10 abc<U+202E>evil<U+202C>');
    stdin.write('o');
    await frameMatching(lastFrame, /\(o shows all\)/, 15_000, plainText);
    stdin.write('g'); // back to the top: the first command has the focus again
    await frameMatching(lastFrame, /┏━ › command 1 of/, 15_000, plainText);
    // The pod annotations, read by kubectl and shown in the output pane.
    stdin.write(DOWN);
    await sleep(50);
    stdin.write(ENTER);
    f = await frameMatching(lastFrame, /┃ \$ kubectl get pod -n hx hx-0[^]*┗━ ✓ exit 0/, 15_000, plainText);
    f = lastFrame()!;
    inertFrame('lesson screen: pod annotations (kubectl output)', f, ['HX0']);
  }, 150_000);

  it('the real-cluster confirmation shows the hostile context name inertly', async () => {
    const { lastFrame } = await openLesson({ confirmTarget: true });
    const f = await frameMatching(lastFrame, /Continue with this context/);
    inertFrame('confirm context', f, ['HXctx', 'HX0'], 12);
  });

  it('the trust screen shows a lesson source with C1 and bidi characters inertly', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kt-hostile-trust-'));
    const src = readFileSync(lesson.file, 'utf8').replace('Every check here fails', 'HX8 \u009b2J\u009b31mc1 HX10 abc\u202eevil\u202c. Every check here fails');
    writeFileSync(join(d, 'lesson.md'), src);
    writeFileSync(join(d, 'hostile.txt'), 'x\n');
    target = await openTarget({ kubeconfig: kube.file });
    const l = await loadLesson(d);
    session = new Session(l, target, { intervalMs: 200, trusted: false });
    const r = render(<App session={session} copy={() => undefined} />);
    unmount = r.unmount;
    await frameMatching(r.lastFrame, /Step 1 of 1/);
    inertFrame('lesson screen: lesson text (not trusted yet)', r.lastFrame()!, ['HX8', 'HX10'], 2);
    await sleep(50);
    r.stdin.write(ENTER);
    const f = await frameMatching(r.lastFrame, /Read this lesson before it runs anything/);
    inertFrame('trust screen: lesson source', f, ['HX8', 'HX10'], 2);
    expect(plainText(f)).toContain('HX8 <U+009B>2J<U+009B>31mc1');
  });

  it('the earlier-processes prompt shows recorded commands inertly', async () => {
    const lines = HOSTILE.slice(0, 6).map((h) => `pid 1 ${h.text}`);
    const r = render(<EarlierPrompt earlier={{ headline: 'left running', lines, stop: async () => 'stopped' }} onDone={() => undefined} onQuit={() => undefined} />);
    unmount = r.unmount;
    const f = await frameMatching(r.lastFrame, /Stop them\?/);
    inertFrame('earlier-processes prompt', f, HOSTILE.slice(0, 6).map((h) => h.marker), 6);
  });

  it('the trace viewer: list, waterfall, span details (tags, logs, process tags) and / search', async () => {
    const [trace] = parseJaegerFile(readFileSync(hostileTraceFile(dir), 'utf8'));
    const r = render(<TraceViewer traces={[summarizeTrace(trace)]} loadTrace={async () => trace} onQuit={() => undefined} color={level > 0} />);
    unmount = r.unmount;
    let f = await frameMatching(r.lastFrame, /Traces · 1 found/, 5000, plainText);
    inertFrame('trace list: service and operation names', r.lastFrame()!, ['svc0 HX0', 'op0 HX0']);
    await sleep(30);
    r.stdin.write(ENTER);
    f = await frameMatching(r.lastFrame, /13 spans/, 5000, plainText);
    inertFrame('waterfall: span and service names', r.lastFrame()!, HOSTILE.slice(0, 8).map((h, i) => `op${i} ${h.marker}`));
    // The waterfall's keys attach after the frame that shows it: press until the details open.
    f = await pressUntil(r.stdin, 'd', () => plainText(r.lastFrame() ?? ''), /─ span details/);
    inertFrame('span details: tags, logs, process tags', r.lastFrame()!, ['tag0 HX0', 'HX1']);
    r.stdin.write('d');
    // The search finds the span by the text it shows.
    r.stdin.write('/');
    await frameMatching(r.lastFrame, /\/▏/, 5000, plainText);
    for (const ch of 'op9 HX9') r.stdin.write(ch);
    await frameMatching(r.lastFrame, /\/op9 HX9▏ {2}1 match/, 5000, plainText);
    r.stdin.write(ENTER);
    f = await frameMatching(r.lastFrame, /search "op9 HX9": 1\/1/, 5000, plainText);
    expect(plainText(f).split('\n').find((l) => l.startsWith('›'))).toContain('op9 HX9 ␛P1$');
    inertFrame('trace search: the span found by its shown name', r.lastFrame()!, ['op9 HX9']);
  });
});
