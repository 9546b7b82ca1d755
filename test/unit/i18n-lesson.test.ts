/** The lesson parser's problems in Chinese: `file:line:` stays, what is wrong is in the learner's language. */
import { afterEach, describe, expect, test } from 'vitest';
import { setLanguage } from '../../src/i18n/index.js';
import { parseLesson } from '../../src/lesson/parse.js';
import { LessonError } from '../../src/lesson/types.js';

function problemsOf(text: string): string[] {
  try {
    parseLesson(text, 'lesson.md');
  } catch (e) {
    if (e instanceof LessonError) return e.message.split('\n');
    throw e;
  }
  throw new Error('expected a LessonError');
}

const BROKEN = '---\nid: t\ntitle: T\ntitl: x\n---\n\n## S\n\n```check\n- kind: port-opn\n- kind: pods-ready\n  namespace: default\n  selector: app=x\n  min: -1\n```\n';

describe('lesson problems in the run\'s language', () => {
  afterEach(() => setLanguage('en'));

  test('zh-CN: front matter, unknown kind (with its suggestion) and a bad value, at their lines', () => {
    setLanguage('zh-CN');
    expect(problemsOf(BROKEN)).toEqual([
      'lesson.md:4: 前置元数据：未知的键“titl”（是不是想写“title”？）（已知的键：id, title, summary, requires, eras, lang）',
      expect.stringMatching(/^lesson\.md:10: 未知的检查类型 "port-opn"（是不是想写“port-open”？）；已知的类型：namespace, /),
      'lesson.md:14: pods-ready 检查：“min”必须是整数（0 或更大），而不是-1',
    ]);
  });

  test('en: the same lesson reads as it always did', () => {
    setLanguage('en');
    expect(problemsOf(BROKEN)).toEqual([
      'lesson.md:4: front matter: unknown key "titl" (did you mean "title"?) (known keys: id, title, summary, requires, eras, lang)',
      expect.stringMatching(/^lesson\.md:10: unknown check kind "port-opn" \(did you mean "port-open"\?\); known kinds: namespace, /),
      'lesson.md:14: pods-ready check: "min" must be a whole number (0 or more), not -1',
    ]);
  });
});
