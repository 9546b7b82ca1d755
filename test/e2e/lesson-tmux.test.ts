/**
 * End-to-end: the built CLI walks the whole Jaeger lesson in a real terminal (tmux). The
 * dashboard port (15032) is moved to a free port of the test's own (`--port 15032=P`): nothing
 * here needs 15032 free.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { Tmux } from '../helpers/tmux.js';
import { movedDashboard } from '../helpers/sandbox.js';
import { ROOT } from '../helpers/lesson-cli.js';

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** The built CLI in a real terminal, walking the whole Jaeger lesson on a fresh sandbox. */
describe('the Jaeger lesson in a real terminal (tmux)', () => {
  let term: Tmux;
  let dash: Awaited<ReturnType<typeof movedDashboard>>;
  beforeAll(async () => {
    // The lesson's dashboard port (15032, as in the source document) moved to a free one.
    dash = await movedDashboard();
    const state = mkdtempSync(join(tmpdir(), 'kubetutor-e2e-'));
    term = new Tmux(`node ${join(ROOT, 'dist', 'cli.js')} start istio-jaeger --sandbox=fresh ${dash.flag.join(' ')}`, { width: 110, height: 40, env: { XDG_STATE_HOME: state, TERM: 'xterm-256color' }, cwd: ROOT });
  });
  afterAll(() => term?.kill());

  /**
   * Moves the focus (↓ from the top of the step) until the focused line matches `label`. Each key
   * waits until the focus has moved (the screen also changes for other reasons, as checks come
   * in: a key sent before the last one was taken would move the focus past the block).
   */
  async function focus(label: RegExp) {
    const focusedLine = () => term.screen().split('\n').find((l) => /┏━ › |^ +› \(/.test(l)) ?? '';
    const moved = async (before: string, ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end && focusedLine() === before; ) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100));
    };
    let before = focusedLine();
    term.keys('g'); // the top of the step
    await moved(before, 1500);
    for (let i = 0; i < 40; i++) {
      if (label.test(focusedLine())) return;
      before = focusedLine();
      term.keys('Down');
      await moved(before, 5000);
    }
    throw new Error(`never focused ${label}:\n${term.screen()}`);
  }
  /** Focuses a block, presses Enter and waits for what it does. */
  async function run(label: RegExp, done: RegExp) {
    await focus(label);
    term.keys('Enter');
    await term.waitFor(done, 30_000);
  }

  test('all five steps, from a fresh cluster to a clean one', async () => {
    await term.waitFor(/Step 1 of 5/);
    // Waited for, not read at once: the screen is blank for a moment while Ink replaces the first frame.
    expect(await term.waitFor(/sandbox \(scenario fresh\)/)).toMatch(/Step 1 of 5/);
    // The first frame (drawn before Ink loads) is replaced in place: once the live screen has
    // judged step 1, the lesson's header is on the terminal once, with nothing left above it.
    await term.waitFor(/checks: \d+ of 11 pass/);
    expect(term.history().match(/Step 1 of 5 · Check the prerequisites/g)).toHaveLength(1);

    // 1. prerequisites: label, apply, apply, wait — each command run from its frame, in the text.
    // (Only the focused frame is drawn heavy: ┗━ ✓ exit 0 is the command just run.)
    await run(/command 1 of 4/, /┗━ ✓ exit 0/);
    await run(/command 2 of 4/, /┗━ ✓ exit 0/);
    await run(/command 3 of 4/, /┗━ ✓ exit 0/);
    await run(/command 4 of 4/, /checks: all 11 pass — step passed/);
    // Step 2 is open: the header counts step 1 passed and n (next) is among the keys. (The notice
    // saying so goes on the next key, and the step may pass while the keys above still move the
    // focus: the notice itself is tested in test/ui/step-screen.test.tsx.)
    await term.waitFor(/· 1 passed[\s\S]*\bn next\b/);

    // 2. port-forward: the source document's command, started from the step as a supervised child.
    // On this era (1.1 pre-release) it applies: listed after the Gateway list and the Jaeger pod forward.
    term.keys('n');
    await term.waitFor(/Step 2 of 5/);
    await run(/background command \d+ of \d+: jaeger-forward(?![-\w])/, /┗━ ● serving on :\d+/);
    await term.waitFor(/· 2 passed/);
    expect(await portFree(dash.port)).toBe(false);

    // 3. traffic: the exported GATEWAY_URL carries over to the next command and to the checks.
    term.keys('n');
    await term.waitFor(/Step 3 of 5/);
    // (Its fifth command, kubetutor's own traffic generator, does what the fourth does.)
    await run(/command 1 of 5/, /┗━ ✓ exit 0/);
    await run(/command 2 of 5/, /┗━ ✓ exit 0/);
    await run(/command 3 of 5/, /┗━ ✓ exit 0/);
    await run(/command 4 of 5/, /request 10: 200/);
    await term.waitFor(/· 3 passed/);

    // 4. traces: the quizzes, asked in the text after the two commands.
    term.keys('n');
    await term.waitFor(/Step 4 of 5/);
    await run(/› \( \) The server span/, /\(•\) The server span/);
    await run(/› \( \) Mixer's Check call/, /\(•\) Mixer's Check call/);
    // Open the newest trace in the built-in viewer, look at it, come back.
    term.keys('t');
    // It opens on the most recent trace, at productpage's client span for reviews, details open.
    const wf = await term.waitFor(/client span of productpage\.default → reviews\.default/);
    expect(wf).toMatch(/between the sidecars/);
    term.keys('b');
    await term.waitFor(/Traces · \d+ found · sorted by most recent/);
    term.keys('q');
    await term.waitFor(/Step 4 of 5/);
    await term.waitFor(/· 4 passed/);

    // 5. cleanup: stop the forward this runner started (x), then delete Bookinfo.
    term.keys('n');
    await term.waitFor(/Step 5 of 5/);
    term.keys('x');
    for (let i = 0; i < 50 && !(await portFree(dash.port)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await portFree(dash.port)).toBe(true);
    await run(/command 1 of/, /all steps passed/);

    term.keys('q');
    await term.waitFor(/all steps passed\./);
  }, 240_000);
});
