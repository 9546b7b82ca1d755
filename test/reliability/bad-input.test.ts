/**
 * Bad input, part 1: 1,000 malformed lessons, generated from the bundled lesson with a seeded
 * RNG (test/reliability/lesson-mutations.ts), through the real loader. Each must load, or be
 * refused with `FILE:LINE: message` lines (a user error, the line inside the file and, where the
 * generator knows it, at the broken place) — never another exception, never a hang.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLesson } from '../../src/lesson/load.js';
import { parseLesson } from '../../src/lesson/parse.js';
import { LessonError } from '../../src/lesson/types.js';
import { generateLessons, lineCount, type LessonCase } from './lesson-mutations.js';

const BASE_FILE = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger', 'lesson.md');
const BASE = readFileSync(BASE_FILE, 'utf8');
const COUNT = 1000;

type Outcome =
  | { kind: 'loaded'; ms: number }
  | { kind: 'refused'; ms: number; lines: number[] }
  | { kind: 'crash'; ms: number; error: string };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the loader did with one case, and everything wrong about how it did it. */
async function tryCase(c: LessonCase, file: string): Promise<{ outcome: Outcome; defects: string[] }> {
  const defects: string[] = [];
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    const lesson = await loadLesson(file);
    outcome = { kind: 'loaded', ms: performance.now() - t0 };
    if (lesson.steps.length === 0) defects.push('loaded a lesson without steps');
  } catch (e) {
    const ms = performance.now() - t0;
    const err = e as Error & { userError?: boolean };
    const lineRe = new RegExp(`^${escapeRe(file)}:(\\d+): \\S`);
    const msgLines = typeof err?.message === 'string' ? err.message.split('\n') : [];
    const refusedWell = e instanceof LessonError && err.userError === true && msgLines.length > 0 && msgLines.every((l) => lineRe.test(l));
    if (!refusedWell) {
      outcome = { kind: 'crash', ms, error: `${err?.name}: ${String(err?.message).slice(0, 300)}` };
    } else {
      const n = lineCount(c.bytes);
      const lines = msgLines.map((l) => Number(lineRe.exec(l)![1]));
      outcome = { kind: 'refused', ms, lines };
      const outside = lines.filter((l) => l < 1 || l > n);
      if (outside.length) defects.push(`line ${outside[0]} is not in the file (1-${n})`);
      const long = msgLines.find((l) => l.length > file.length + 520);
      if (long) defects.push(`a message of ${long.length} characters`);
      if (c.lines && !lines.some((l) => l >= c.lines![0] && l <= c.lines![1])) {
        defects.push(`no problem at line ${c.lines[0]}${c.lines[1] !== c.lines[0] ? `-${c.lines[1]}` : ''}: ${msgLines.slice(0, 3).join(' | ').slice(0, 400)}`);
      }
    }
  }
  if (outcome.kind === 'crash') defects.push(`crashed: ${outcome.error}`);
  else if (c.expect === 'refuse' && outcome.kind !== 'refused') defects.push('loaded, but it must be refused');
  else if (c.expect === 'load' && outcome.kind !== 'loaded') defects.push('refused, but it is a valid lesson');
  return { outcome, defects };
}

describe('1,000 malformed lessons', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-bad-lessons-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('each one loads, or is refused with FILE:LINE: message at the broken line; none crashes or hangs', async () => {
    const t0 = performance.now();
    const cases = generateLessons(BASE, COUNT);
    expect(cases).toHaveLength(COUNT);
    const tally = { loaded: 0, refused: 0, crashes: 0 };
    const defects: string[] = [];
    let slowest = { ms: 0, kind: '' };
    for (const c of cases) {
      const file = join(dir, `lesson-${String(c.id).padStart(4, '0')}.md`);
      writeFileSync(file, c.bytes);
      const { outcome, defects: found } = await tryCase(c, file);
      if (outcome.kind === 'loaded') tally.loaded++;
      else if (outcome.kind === 'refused') tally.refused++;
      else tally.crashes++;
      if (outcome.ms > slowest.ms) slowest = { ms: outcome.ms, kind: `${c.kind} #${c.id}, ${c.bytes.length} bytes` };
      for (const d of found) defects.push(`#${c.id} ${c.kind}: ${d}`);
      rmSync(file);
    }
    const byExpect = { refuse: cases.filter((c) => c.expect === 'refuse').length, load: cases.filter((c) => c.expect === 'load').length, either: cases.filter((c) => c.expect === 'either').length };
    const located = cases.filter((c) => c.lines).length;
    console.log(
      `malformed lessons tried: ${COUNT} (must refuse ${byExpect.refuse}, ${located} of them at a known line; must load ${byExpect.load}; random damage ${byExpect.either})\n` +
        `  refused with file:line: ${tally.refused}\n  loaded: ${tally.loaded}\n  crashes: ${tally.crashes}\n` +
        `  slowest: ${slowest.ms.toFixed(0)} ms (${slowest.kind}); all: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    expect(defects).toEqual([]);
    expect(tally.crashes).toBe(0);
    // A blow-up guard, not a timing: a backtracking regex or a runaway YAML alias would take minutes.
    // (The slowest case, a 1.4 MB check block, takes 1.4 s alone and 10-15 s at the start of the
    // full suite, eight files sharing two cores: 15 s was once missed by 58 ms.)
    expect(slowest.ms).toBeLessThan(60_000);
  }, 120_000);

  test('CRLF line endings, a BOM, and a CR cut from the last CRLF read as the same lesson', () => {
    const plain = parseLesson(BASE, 'x.md');
    const strip = (l: ReturnType<typeof parseLesson>) => JSON.stringify(l.steps.map((s) => [s.id, s.title, s.blocks.map((b) => ({ ...b, source: undefined })), s.commands.map((c) => c.run), s.checks.map((c) => c.title), s.hints, s.solution.map((c) => c.run)]));
    const crlf = BASE.replace(/\n/g, '\r\n');
    expect(strip(parseLesson(crlf, 'x.md'))).toBe(strip(plain));
    expect(strip(parseLesson(Buffer.from(`\uFEFF${crlf}`, 'utf8'), 'x.md'))).toBe(strip(plain));
    expect(strip(parseLesson(crlf.replace(/\n$/, ''), 'x.md'))).toBe(strip(plain));
  });

  test('bytes that are not UTF-8 text are refused at their line and column', () => {
    const lines = BASE.split('\n');
    const bytes = Buffer.concat([Buffer.from(lines.slice(0, 9).join('\n') + '\nabc', 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from('\n' + lines.slice(10).join('\n'), 'utf8')]);
    expect(() => parseLesson(bytes, 'f.md')).toThrow(/^f\.md:10: not UTF-8 text: a broken character \(byte 0xC3\) at column 4; save the file as UTF-8$/);
    expect(() => parseLesson(Buffer.concat([Buffer.from(BASE), Buffer.from([0xe2, 0x87])]), 'f.md')).toThrow(new RegExp(`^f\\.md:${lines.length}: the file ends in the middle of a UTF-8 character`));
    const nul = `${lines.slice(0, 20).join('\n')}\nxy\u0000z\n${lines.slice(20).join('\n')}`;
    expect(() => parseLesson(nul, 'f.md')).toThrow(/^f\.md:21: NUL byte at column 3: a lesson is a UTF-8 text file; is this a binary file\?$/);
    const esc = `${lines.slice(0, 30).join('\n')}\n\u001b[2J\n${lines.slice(30).join('\n')}`;
    expect(() => parseLesson(esc, 'f.md')).toThrow(/^f\.md:31: control character U\+001B at column 1/);
  });

  test('a damaged file reports a bounded number of one-line problems', () => {
    // Every line a check item with an unknown kind, and a key with a terminal escape in it.
    const items = Array.from({ length: 500 }, (_, i) => `- kind: nope-${i}`).join('\n');
    const text = `---\nid: x\ntitle: X\n"we\\u001bird": 1\n---\n## S {#s}\n\`\`\`check\n${items}\n\`\`\`\n`;
    let err: LessonError | undefined;
    try {
      parseLesson(text, 'f.md');
    } catch (e) {
      err = e as LessonError;
    }
    expect(err).toBeInstanceOf(LessonError);
    expect(err!.problems.length).toBe(101);
    expect(err!.problems[100].message).toMatch(/^… and 401 more problems/);
    expect(err!.problems[0]).toMatchObject({ line: 4, message: expect.stringContaining('unknown key "we\\u001bird"') });
    expect(err!.message).not.toMatch(/\u001b/);
  });
});
