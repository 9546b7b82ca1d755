/**
 * Bad input, part 3: a damaged progress file. A real Session on a real sandbox (`ready`: step 1
 * is already true there) must not crash, must say on screen that the saved progress could not be
 * read and was rebuilt from the cluster, must land on step 2 by re-checking the live cluster, and
 * must keep the broken file aside (….broken) while writing a good one. The dashboard port is moved
 * to a free one: something else on 127.0.0.1:15032 would pass step 2 and land the session on 3.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/engine/session.js';
import { keepBroken, readProgress } from '../../src/engine/progress.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { renderScreen } from '../../src/ui/screen.js';
import { initialUi } from '../../src/ui/ui-state.js';
import { FAST, eventually, movedDashboard } from '../helpers/sandbox.js';
import { rng } from './lesson-mutations.js';

const LESSON_DIR = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger');

/** A progress record as the runner writes it (step 1 passed, a variable kept). */
const GOOD = JSON.stringify(
  { lesson: 'istio-jaeger', target: 'sandbox:ready', startedAt: 1_700_000_000_000, passed: { prerequisites: '2024-05-01T10:00:00.000Z' }, vars: { GATEWAY_URL: '127.0.0.1:31380' }, updatedAt: '2024-05-01T10:00:00.000Z' },
  null,
  2,
);

const DAMAGE: Array<[string, string | Buffer, RegExp]> = [
  ['truncated', GOOD.slice(0, 97), /cut short/],
  ['binary junk', rng(3).bytes(700), /not JSON/],
  ['empty', '', /empty/],
  ['wrong types', JSON.stringify({ lesson: 'istio-jaeger', startedAt: 'yesterday', passed: ['prerequisites'], vars: { GATEWAY_URL: 31380 } }), /"startedAt" is a string, not a time/],
  ['vars of the wrong type', JSON.stringify({ ...JSON.parse(GOOD), vars: { GATEWAY_URL: { host: 'x' } } }), /"vars" is a mapping with values that are not strings/],
  ['a list', '[1, 2, 3]', /a list, not a progress record/],
];

describe('a damaged progress file', () => {
  let target: Target | undefined;
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    await target?.close();
    session = undefined;
    target = undefined;
  });

  async function resume(content: string | Buffer | null): Promise<{ dir: string; file: string; session: Session }> {
    target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
    const dir = mkdtempSync(join(tmpdir(), 'kt-progress-'));
    const file = join(dir, 'istio-jaeger@sandbox.json');
    if (content !== null) writeFileSync(file, content);
    session = new Session(await loadLesson(LESSON_DIR), target, { intervalMs: 100, progressFile: file, ports: (await movedDashboard()).ports });
    session.start();
    return { dir, file, session };
  }

  for (const [name, content, reason] of DAMAGE) {
    test(`${name}: rebuilt from the live cluster, resumed at step 2, said on screen, the broken file kept aside`, async () => {
      const { dir, file, session: s } = await resume(content);
      // At once, before the cluster has been asked: the learner is told what is going on.
      expect(s.view.notice).toMatch(/^saved progress unreadable: re-checking every step on the cluster… \(.+\)$/);
      await eventually(() => s.view.engine.current === 1 && s.view.engine.viewing === 1 && /rebuilt from the cluster/.test(s.view.notice ?? ''), 20_000, 'resume at step 2');
      expect(s.view.notice).toMatch(new RegExp(`^saved progress unreadable, rebuilt from the cluster: resuming at step 2 \\(${reason.source}; old file kept as istio-jaeger@sandbox\\.json\\.broken\\)$`));
      // The screen shows it.
      const screen = renderScreen(s.view, initialUi, { width: 100, height: 30 }).map((l) => l.map((c) => c.text).join('')).join('\n');
      // (100 columns: the line is cut, but not before what matters.)
      expect(screen).toContain('saved progress unreadable, rebuilt from the cluster: resuming at step 2');
      // Kept aside byte for byte, and a good file written in its place.
      expect(readFileSync(`${file}.broken`)).toEqual(Buffer.isBuffer(content) ? content : Buffer.from(content));
      const now = readProgress(file);
      expect(now.state).toBe('ok');
      expect(now.state === 'ok' && Object.keys(now.progress.passed)).toEqual(['prerequisites']);
      expect(readdirSync(dir).sort()).toEqual(['istio-jaeger@sandbox.json', 'istio-jaeger@sandbox.json.broken']);
    }, 60_000);
  }

  test('a second broken file does not replace the first one kept aside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-progress-'));
    const file = join(dir, 'istio-jaeger@sandbox.json');
    writeFileSync(`${file}.broken`, 'the first one');
    writeFileSync(file, '{"trunc');
    const aside = keepBroken(file)!;
    expect(aside).toMatch(/\.broken-\d+$/);
    expect(readFileSync(`${file}.broken`, 'utf8')).toBe('the first one');
    expect(readFileSync(aside, 'utf8')).toBe('{"trunc');
    expect(existsSync(file)).toBe(false);
  });

  test('a directory where the file should be is moved aside too', async () => {
    const { file, session: s } = await (async () => {
      target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
      const dir = mkdtempSync(join(tmpdir(), 'kt-progress-'));
      const f = join(dir, 'p.json');
      mkdirSync(f);
      session = new Session(await loadLesson(LESSON_DIR), target, { intervalMs: 100, progressFile: f, ports: (await movedDashboard()).ports });
      session.start();
      return { file: f, session };
    })();
    await eventually(() => s.view.engine.current === 1 && /rebuilt from the cluster/.test(s.view.notice ?? ''), 20_000, 'resume at step 2');
    expect(s.view.notice).toMatch(/^saved progress unreadable, rebuilt from the cluster: resuming at step 2 \(cannot be read: EISDIR; old file kept as p\.json\.broken\)$/);
    expect(readProgress(file).state).toBe('ok');
  }, 60_000);

  test('a good file: no notice about it, nothing kept aside, its variables and start time kept', async () => {
    const { dir, file, session: s } = await resume(GOOD);
    expect(s.view.vars.GATEWAY_URL).toBeDefined();
    await eventually(() => s.view.engine.current === 1 && s.view.engine.viewing === 1, 20_000, 'resume at step 2');
    expect(s.view.notice ?? '').not.toMatch(/saved progress/);
    expect(readdirSync(dir)).toEqual(['istio-jaeger@sandbox.json']);
    const now = readProgress(file);
    expect(now.state === 'ok' && now.progress.startedAt).toBe(1_700_000_000_000);
    expect(now.state === 'ok' && now.progress.vars.GATEWAY_URL).toBe('127.0.0.1:31380');
  }, 60_000);
});
