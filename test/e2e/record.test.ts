/**
 * `start --record FILE`: the file is asciicast v2, and replaying its output into another real
 * terminal (tmux, the same size) ends on the very screen the lesson left.
 */
import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tmux } from '../helpers/tmux.js';
import { eventually } from '../helpers/sandbox.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const terms: Tmux[] = [];
afterAll(() => terms.forEach((t) => t.kill()));

const trimmed = (screen: string) => screen.split('\n').map((l) => l.trimEnd()).join('\n').trimEnd();

test('the recording parses as asciicast v2 and replays to the same final screen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubetutor-cast-'));
  const cast = join(dir, 'demo.cast');
  const env = { XDG_STATE_HOME: dir, TERM: 'xterm-256color' };
  const term = new Tmux(`node ${CLI} start istio-jaeger --sandbox=ready --port 15032=auto --record ${cast}`, { width: 80, height: 24, env, cwd: ROOT });
  terms.push(term);
  await term.waitFor(/Step 1 of 5/, 30_000);
  await term.waitFor(/✓ /, 30_000); // the live screen has judged the checks
  term.keys('q');
  const end = trimmed(await term.waitFor(/Progress saved|all steps passed/, 20_000));

  const [head, ...lines] = readFileSync(cast, 'utf8').trimEnd().split('\n');
  const header = JSON.parse(head) as { version: number; width: number; height: number; timestamp: number; env: Record<string, string> };
  expect(header).toMatchObject({ version: 2, width: 80, height: 24, env: { TERM: 'xterm-256color' } });
  expect(Math.abs(header.timestamp - Date.now() / 1000)).toBeLessThan(600);
  const events = lines.map((l) => JSON.parse(l) as [number, string, string]);
  expect(events.length).toBeGreaterThan(3);
  for (const [i, [t, kind, data]] of events.entries()) {
    expect(kind).toBe('o');
    expect(typeof data).toBe('string');
    expect(t).toBeGreaterThanOrEqual(i ? events[i - 1][0] : 0);
  }

  // Replayed into a fresh terminal of the same size: the same last frame.
  const data = join(dir, 'output.bin');
  writeFileSync(data, events.map((e) => e[2]).join(''));
  const replay = new Tmux(`cat ${data}`, { width: 80, height: 24, env, cwd: ROOT });
  terms.push(replay);
  const replayed = await eventually(() => {
    const s = trimmed(replay.screen());
    return s === end ? s : undefined;
  }, 10_000, `the replay to show the final screen:\n${end}\n--- replay now:\n${trimmed(replay.screen())}`);
  expect(replayed).toMatch(/Progress saved/);
}, 90_000);
