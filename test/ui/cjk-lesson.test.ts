/**
 * A small lesson in Chinese (test/fixtures/lessons/zh-small) laid out at 80x24, 100x30 and
 * 160x45: every step's screen fits the terminal in cells, keeps CJK line-break rules, never cuts
 * a Latin word, keeps the sidebar's rule in one column, and shows the prose whole and in order.
 * The screen-reader transcript of it is checked the same way.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLesson } from '../../src/lesson/load.js';
import { layoutScreen } from '../../src/ui/screen.js';
import { initialUi } from '../../src/ui/ui-state.js';
import { startingView } from '../../src/ui/first-frame.js';
import { announce } from '../../src/ui/screen-reader.js';
import { cellWidth, wrapText } from '../../src/text/cells.js';
import type { SessionView } from '../../src/engine/session.js';
import { setLanguage } from '../../src/i18n/index.js';
import { cjkScreenProblems, latinWords, ruleColumns, squeezed } from '../helpers/cjk-screen.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'lessons', 'zh-small');
const SOURCE = readFileSync(join(DIR, 'lesson.md'), 'utf8');
// The Latin words a line may start or end with: the lesson's, and those the runner itself says.
const WORDS = new Set([...latinWords(SOURCE), ...latinWords('kubetutor lesson Commands run on sandbox scenario ready Step steps This Tip 0 1 2 3 checks: checking the check all pass of passed')]);

/** The view of a session on step `vi`, the steps before it passed. */
function viewing(view: SessionView, vi: number): SessionView {
  const steps = view.engine.steps.map((s, i) => ({ ...s, status: i < vi ? ('passed' as const) : i === vi ? ('current' as const) : ('locked' as const) }));
  return { ...view, engine: { ...view.engine, steps, current: vi, viewing: vi } };
}

const text = (line: Array<{ text: string }>) => line.map((c) => c.text).join('');

describe('a lesson in Chinese on the step screen', async () => {
  const lesson = await loadLesson(DIR);
  const start = startingView(lesson, { label: 'sandbox (scenario ready)', kind: 'sandbox' });

  for (const [width, height] of [
    [80, 24],
    [100, 30],
    [160, 45],
  ]) {
    it(`fits ${width}x${height} in cells, breaks CJK lines where they may break, and shows the prose whole`, () => {
      for (let vi = 0; vi < lesson.steps.length; vi++) {
        const rows = layoutScreen(viewing(start, vi), initialUi, { width, height }).lines.map(text);
        expect(rows.length).toBeLessThanOrEqual(height);
        const rules = ruleColumns(rows.slice(1, -1));
        if (width >= 120) {
          // The sidebar: its rule in one column from the first row under the header to the last.
          expect(rules.length).toBeGreaterThan(height - 6);
          expect(new Set(rules).size).toBe(1);
        }
        expect(cjkScreenProblems(rows, width, WORDS, width >= 120 ? rules[0] : undefined)).toEqual([]);
        // The step's first paragraph is all there, in order (nothing cut off or drawn over).
        const first = lesson.steps[vi].blocks.find((b) => b.kind === 'prose');
        const para = first && first.kind === 'prose' ? first.markdown.split('\n\n')[0] : '';
        const shown = squeezed(rows.map((r) => (width >= 120 ? r.slice(r.indexOf('│') + 1) : r)).join(''));
        expect(shown).toContain(squeezed(para));
      }
    });
  }

  it('keeps full-width closing punctuation with the character before it, opening with the one after', () => {
    expect(wrapText('一二三四；五六', 8)).toEqual(['一二三', '四；五六']);
    expect(wrapText('一二三（四五', 8)).toEqual(['一二三', '（四五']);
    expect(wrapText('标签 kubectl。', 10)).toEqual(['标签', 'kubectl。']);
  });

  it('the CJK prose wraps inside the line, not at its spaces only: rows of step 1 at 80 columns are nearly full', () => {
    const rows = layoutScreen(viewing(start, 0), initialUi, { width: 80, height: 24 }).lines.map(text);
    const prose = rows.filter((r) => /\p{Script=Han}/u.test(r)).slice(1, 3); // under the header
    for (const r of prose) expect(cellWidth(r.trimEnd())).toBeGreaterThanOrEqual(70);
  });

  it('reads in screen-reader mode with every line within 80 cells and no word cut', () => {
    const { lines } = announce(undefined, start, initialUi, 80);
    expect(lines.join('\n')).toContain('Step 1 of 3: 给 default 命名空间打上标签.');
    expect(cjkScreenProblems(['', ...lines], 80, WORDS)).toEqual([]);
    expect(lines.join(' ')).toContain('Command 1 of 1: kubectl label namespace default istio-injection=enabled --overwrite');
  });

  it('reads in Chinese too (LANG=zh_CN): the transcript\'s own words from the catalog, aligned the same way', () => {
    setLanguage('zh-CN');
    try {
      const { lines } = announce(undefined, start, initialUi, 80);
      const all = lines.join('\n');
      expect(all).toContain('第 1 步，共 3 步：给 default 命名空间打上标签。');
      expect(lines.join('')).toContain('命令 1，共 1 条：kubectl label namespace default istio-injection=enabled');
      expect(all).not.toMatch(/\b(Step|Command|This step|End of step)\b/);
      expect(cjkScreenProblems(['', ...lines], 80, WORDS)).toEqual([]);
    } finally {
      setLanguage('en');
    }
  });
});
