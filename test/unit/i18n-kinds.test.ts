/** The check kinds a learner meets in every lesson (command, quiz, process, trace-opened) in Chinese, and in English word for word as before. */
import { afterEach, describe, expect, test } from 'vitest';
import { setLanguage } from '../../src/i18n/index.js';
import { commandCheck, runShell } from '../../src/checks/command.js';
import { quizCheck } from '../../src/checks/kinds/quiz.js';
import { processCheck } from '../../src/checks/kinds/process.js';
import { traceOpenedCheck } from '../../src/checks/kinds/trace-opened.js';
import type { CheckOf } from '../../src/checks/types.js';

const cmd = { kind: 'command', run: 'echo >&2 nope; exit 3', title: 'c' } as unknown as CheckOf<'command'>;
const quiz = { kind: 'quiz', question: '哪一个是子 span？', options: ['客户端', '服务端'], answer: 1, title: 'q' } as unknown as CheckOf<'quiz'>;
const forward = { kind: 'process', name: 'jaeger-forward', state: 'running', title: 'p' } as unknown as CheckOf<'process'>;
const opened = { kind: 'trace-opened', service: 'productpage', title: 'o' } as unknown as CheckOf<'trace-opened'>;

describe('check kinds in Chinese', () => {
  afterEach(() => setLanguage('en'));

  test('a failing command check: its exit code, and its output (data, untouched)', async () => {
    const facts = await runShell(cmd.run, { cwd: process.cwd(), env: process.env, timeoutMs: 10_000 });
    expect(facts.exitCode).toBe(3);
    setLanguage('zh-CN');
    const zh = commandCheck.judge(cmd, facts);
    expect(zh).toMatchObject({ ok: false, summary: '✗ `echo >&2 nope; exit 3` 退出码 3', expected: '退出码 0', found: 'nope' });
    expect(commandCheck.judge(cmd, { ...facts, output: '' }).found).toBe('（没有输出）');
    setLanguage('en');
    expect(commandCheck.judge(cmd, facts)).toMatchObject({ summary: '✗ `echo >&2 nope; exit 3` exited 3', expected: 'exit code 0', found: 'nope' });
  });

  test('a quiz not answered, answered wrong, and right', () => {
    setLanguage('zh-CN');
    expect(quizCheck.judge(quiz, {})).toMatchObject({ summary: '✗ 尚未回答：哪一个是子 span？', expected: '一个回答', found: '没有回答' });
    expect(quizCheck.judge(quiz, { choice: 0 }).summary).toBe('✗ “客户端”不是这个问题的答案：哪一个是子 span？');
    expect(quizCheck.judge(quiz, { choice: 1 }).summary).toBe('✓ 答对了：服务端');
    setLanguage('en');
    expect(quizCheck.judge(quiz, {})).toMatchObject({ summary: '✗ not answered yet: 哪一个是子 span？', expected: 'an answer', found: 'no answer' });
  });

  test('a background process not started, and a trace not opened', () => {
    setLanguage('zh-CN');
    const p = processCheck.judge(forward, { state: 'unknown' });
    expect(p).toMatchObject({ summary: '✗ jaeger-forward 尚未启动', expected: 'jaeger-forward 正在运行', found: '未启动' });
    const o = traceOpenedCheck.judge(opened, { opened: [] });
    expect(o).toMatchObject({ summary: '✗ 还没有打开 productpage 的链路', found: '本次会话中没有打开任何链路' });
    expect(traceOpenedCheck.judge(opened, { opened: [{ traceID: 'abcdef0123456789', services: ['productpage.default'] }] }).summary).toBe('✓ 你打开了 productpage 的链路 abcdef012345');
    setLanguage('en');
    expect(processCheck.judge(forward, { state: 'unknown' }).summary).toBe('✗ jaeger-forward has not been started');
    expect(traceOpenedCheck.judge(opened, { opened: [] }).summary).toBe('✗ no trace of productpage opened yet');
  });
});
