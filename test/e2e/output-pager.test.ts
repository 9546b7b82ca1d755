/**
 * A command's output read whole, in a real terminal: the built CLI in tmux at 80x24 runs a command
 * that prints 300 lines. Its frame shows the last lines; o opens every line the supervisor keeps
 * (the last 200) inside the step's text, read with PgUp/PgDn/Home/End like a pager, and says how
 * many came before them; o again folds it.
 */
import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tmux } from '../helpers/tmux.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const terms: Tmux[] = [];
afterAll(() => terms.forEach((t) => t.kill()));

function writeLesson(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-pager-'));
  const fence = '```';
  const quiz = [`${fence}check`, '- kind: quiz', '  question: Which line came first?', '  options: ["1", "101"]', '  answer: 0', fence];
  writeFileSync(join(dir, 'lesson.md'), ['---', 'id: long-output', 'title: Long output', '---', '', '## Print a lot {#lot}', '', 'A command that prints 300 numbered lines.', '', `${fence}bash`, 'seq -f "line %g" 1 300', fence, '', 'Text after the command.', '', ...quiz, ''].join('\n'));
  return dir;
}

/** The output lines on screen (`│ line N` / `┃ line N`), as numbers. */
const numbers = (screen: string) => [...screen.matchAll(/^ [┃│] line (\d+)\s*$/gm)].map((m) => Number(m[1]));

test('o opens the kept output in the text, PgUp/PgDn read it, it says what was not kept; o folds it', async () => {
  const term = new Tmux(`node ${CLI} start ${writeLesson()} --trust --sandbox`, {
    width: 80,
    height: 24,
    env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'kt-pager-state-')), NO_COLOR: '1' },
    cwd: ROOT,
  });
  terms.push(term);
  await term.waitFor(/Step 1 of 1 · Print a lot/, 30_000);
  term.keys('Enter');
  let s = await term.waitFor(/✓ exit 0/, 30_000);
  // Folded: the last lines, and how many are above them.
  expect(s).toMatch(/⋯ 298 earlier lines \(o shows all\)/);
  expect(numbers(s)).toEqual([299, 300]);

  term.keys('o');
  s = await term.waitFor(/line 1\d\d\s*$/m);
  // Opened: the text scrolls to the frame's top, where the lines kept begin.
  expect(s).toMatch(/⋯ 100 earlier lines not kept \(the last 200 are\)/);
  expect(numbers(s)[0]).toBe(101);
  const seen = new Set(numbers(s));
  for (let page = 0; page < 20 && !seen.has(300); page++) {
    // One page at a time: the next key only once this one is drawn, so no page goes by unread.
    const top = numbers(term.screen())[0];
    term.keys('PgDn');
    for (const n of numbers(await term.waitFor((x) => numbers(x).length > 0 && numbers(x)[0] !== top))) seen.add(n);
  }
  // Every kept line was on screen on the way down, in order, none skipped.
  expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => 101 + i));
  s = term.screen();
  expect(s).toMatch(/⋯ o again folds it; PgUp and PgDn scroll/);
  term.keys('Home');
  s = await term.waitFor(/Step 1 of 1 · Print a lot[\s\S]*A command that prints 300/);

  term.keys('o');
  s = await term.waitFor(/⋯ 298 earlier lines \(o shows all\)/);
  expect(numbers(s)).toEqual([299, 300]);
  term.keys('q');
}, 90_000);
