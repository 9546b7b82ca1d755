/** Lint and the class grid in Chinese: the warnings an author reads most, and a grid that stays aligned in wide characters. */
import { afterEach, describe, expect, test } from 'vitest';
import { setLanguage } from '../../src/i18n/index.js';
import { lintLesson } from '../../src/authoring/lint.js';
import { classToText, summarizeClass } from '../../src/class/class-view.js';
import type { LearnerProgress } from '../../src/class/progress-record.js';
import { cellWidth } from '../../src/text/cells.js';
import { lineText, renderMarkdown } from '../../src/ui/markdown.js';

const T0 = Date.parse('2025-01-01T10:00:00Z');
const rec = (learner: string, current: string, idx: number, passed: string[], stuckSinceMs: number, lastFailure?: string): LearnerProgress => ({
  learner,
  lesson: 'demo',
  current,
  currentIndex: idx,
  steps: 2,
  passed: Object.fromEntries(passed.map((p, i) => [p, new Date(T0 + i * 1000).toISOString()])),
  ...(lastFailure ? { lastFailure } : {}),
  updatedAt: new Date(stuckSinceMs).toISOString(),
  stuckSince: new Date(stuckSinceMs).toISOString(),
});

describe('authoring and class messages in Chinese', () => {
  afterEach(() => setLanguage('en'));

  test('lint: a step without a check, a kill by name', () => {
    setLanguage('zh-CN');
    const f = lintLesson('---\nid: t\ntitle: T\n---\n\n## One {#one}\n\n```bash\n$ killall kubectl\n```\n', 'l.md');
    expect(f.map((x) => `${x.line}: ${x.message}`)).toEqual([
      '6: 步骤“one”有命令却没有检查：没有什么能告诉学员命令是否奏效',
      '9: 不安全：“killall kubectl”按名字结束进程，也会结束不是这个课程启动的进程；请改用后台命令（运行器会停止它），或按 PID 结束进程',
    ]);
  });

  test('class grid: Chinese labels, columns aligned in terminal cells, no line wider than the screen', () => {
    setLanguage('zh-CN');
    const records = [rec('王小明', 'b', 1, ['a'], T0 - 60_000, '没有 Pod'), rec('ann', 'done', 2, ['a', 'b'], T0 - 10_000)];
    const lines = classToText(summarizeClass(records, ['a', 'b'], T0), 60);
    expect(lines[0]).toBe('2 名学员，1 名已完成；卡得最久：王小明 在 b 已卡住 1m00s');
    expect(lines[1]).toMatch(/^步骤 +1 +2 +卡住 +最近一次失败$/);
    expect(lines.find((l) => l.startsWith('ann'))).toMatch(/✓\s+✓\s+已完成$/);
    expect(lines.find((l) => l.startsWith('已通过'))).toMatch(/2\s+1$/);
    // The step-1 column is at the same cell in the header and in every learner's row.
    const col = (l: string, mark: string) => cellWidth(l.slice(0, l.indexOf(mark)));
    const first = col(lines[1], '1');
    expect(col(lines.find((l) => l.startsWith('王小明'))!, '✓')).toBe(first);
    expect(col(lines.find((l) => l.startsWith('ann'))!, '✓')).toBe(first);
    for (const l of lines) expect(cellWidth(l)).toBeLessThanOrEqual(60);
  });

  test('an inline image in prose is captioned in Chinese, with or without alt text', () => {
    setLanguage('zh-CN');
    expect(renderMarkdown('![架构](a.png) ![](b.png)', 80).map(lineText)).toEqual(['图：架构 图：图片']);
  });
});
