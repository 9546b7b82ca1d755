/**
 * Bad input through the built CLI: 20 of the generated malformed lessons (one of each kind of
 * damage that must be refused) given to `kubetutor lint FILE` and `kubetutor start FILE --plain`.
 * Each must exit non-zero with `FILE:LINE: message` on stderr and no stack trace.
 *
 * Uses dist/cli.js: `npm test` builds it first; run alone, this file builds it when it is
 * missing or older than src/.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLessons, type LessonCase } from './lesson-mutations.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const BASE = readFileSync(join(ROOT, 'lessons', 'istio-jaeger', 'lesson.md'), 'utf8');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function builtCliIsCurrent(): boolean {
  try {
    return statSync(CLI).mtimeMs >= newestMtime(join(ROOT, 'src'));
  } catch {
    return false;
  }
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

/** One refused case per kind of damage, up to 20, in generation order. */
function pickCases(): LessonCase[] {
  const seen = new Set<string>();
  const out: LessonCase[] = [];
  for (const c of generateLessons(BASE, 1000)) {
    const kind = c.kind.replace(/[(+].*/, '');
    if (c.expect !== 'refuse' || seen.has(kind)) continue;
    seen.add(kind);
    out.push(c);
    if (out.length === 20) break;
  }
  return out;
}

describe('malformed lessons through the built CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-bad-cli-'));
  const state = join(dir, 'state');
  beforeAll(() => {
    // Under `npm test` the build ran first; rebuilding here would swap dist/ under the other files' CLIs.
    if (process.env.npm_lifecycle_event !== 'test' && !builtCliIsCurrent()) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    mkdirSync(state);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('lint and start --plain exit non-zero with FILE:LINE: message on stderr, and no stack trace', async () => {
    const cases = pickCases();
    expect(cases.length).toBe(20);
    const env = { XDG_STATE_HOME: state, NO_COLOR: '1', KUBECONFIG: join(dir, 'none') };
    const defects: string[] = [];
    let runs = 0;
    // Two at a time: the machine has two cores.
    const queue = cases.flatMap((c) => [{ c, args: (f: string) => ['lint', f] }, { c, args: (f: string) => ['start', f, '--plain'] }]);
    const files = new Map<number, string>();
    for (const c of cases) {
      const file = join(dir, `lesson-${c.id}.md`);
      writeFileSync(file, c.bytes);
      files.set(c.id, file);
    }
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const file = files.get(job.c.id)!;
        const args = job.args(file);
        const r = await run(args, env);
        runs++;
        const what = `#${job.c.id} ${job.c.kind}, kubetutor ${args[0]}`;
        if (r.code === 0) defects.push(`${what}: exit code 0`);
        const located = [...r.stderr.matchAll(new RegExp(`^(?:kubetutor: )?${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+): \\S`, 'gm'))].map((m) => Number(m[1]));
        if (located.length === 0) defects.push(`${what}: no FILE:LINE: message on stderr: ${JSON.stringify(r.stderr.slice(0, 300))}`);
        const want = job.c.lines;
        if (want && located.length && !located.some((l) => l >= want[0] && l <= want[1])) defects.push(`${what}: no problem at line ${want[0]} (got ${located.join(', ')})`);
        if (/^\s+at /m.test(r.stderr) || /internal error/.test(r.stderr)) defects.push(`${what}: stack trace: ${r.stderr.slice(0, 300)}`);
      }
    };
    await Promise.all([worker(), worker()]);
    console.log(`CLI runs on malformed lessons: ${runs} (${cases.length} lessons × lint and start --plain), defects: ${defects.length}`);
    expect(defects).toEqual([]);
  }, 180_000);
});
