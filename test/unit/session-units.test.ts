/**
 * The session's small units on their own (src/engine/session/): the variables store reading what
 * a real bash exported, the progress store on a real file (saved, read back, an unreadable one put
 * aside), and the notice board with the words derived when drawn, in either language.
 */
import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VariablesStore } from '../../src/engine/session/variables.js';
import { ProgressStore } from '../../src/engine/session/progress-store.js';
import { NoticeBoard, noticeText } from '../../src/engine/session/notices.js';
import { engineReducer, initialState } from '../../src/engine/engine-state.js';
import { setLanguage } from '../../src/i18n/index.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-session-units-'));

describe('VariablesStore', () => {
  test('keeps what a command exported (from bash’s env -0 dump), not what it started with nor bash’s own', () => {
    const file = join(dir(), 'env');
    const before = { PATH: process.env.PATH ?? '/usr/bin', KEEP: 'same' };
    execFileSync('bash', ['-c', `export GATEWAY_URL=127.0.0.1:8080; export KEEP=same; export WITH_EQ='a=b'; env -0 > "$KT_ENV_FILE"`], { env: { ...before, KT_ENV_FILE: file }, stdio: ['ignore', 'pipe', 'pipe'] }); // stdin from /dev/null, as the supervisor starts shells
    const vars = new VariablesStore();
    expect(vars.captureFrom(file, before)).toBe(true);
    expect(vars.learners).toMatchObject({ GATEWAY_URL: '127.0.0.1:8080', WITH_EQ: 'a=b' });
    for (const k of ['KEEP', 'PATH', 'SHLVL', '_', 'PWD', 'KT_ENV_FILE']) expect(vars.learners, k).not.toHaveProperty(k);
    // Nothing new the second time round: the dump holds the same values.
    expect(vars.captureFrom(file, { ...before, ...vars.learners })).toBe(false);
    expect(vars.captureFrom(join(dir(), 'missing'), before)).toBe(false);
  });

  test('the learner’s exports win over what the runner found; a change is reported once', () => {
    const vars = new VariablesStore({ JAEGER_URL: 'http://mine' });
    expect(vars.setDiscovered({ JAEGER_URL: 'http://found', ISTIO_ERA: '1.28' })).toBe(true);
    expect(vars.setDiscovered({ JAEGER_URL: 'http://found', ISTIO_ERA: '1.28' })).toBe(false);
    expect(vars.all()).toEqual({ JAEGER_URL: 'http://mine', ISTIO_ERA: '1.28' });
    vars.mergeDiscovered({ GATEWAY_URL: 'x' });
    expect(vars.discovered).toEqual({ JAEGER_URL: 'http://found', ISTIO_ERA: '1.28', GATEWAY_URL: 'x' });
  });
});

describe('ProgressStore', () => {
  test('saves passed steps and variables, and a new store on the same file reads them back', () => {
    const file = join(dir(), 'progress', 'l@t.json');
    const first = new ProgressStore(file, 'l', 't');
    expect(first.unreadable).toBeUndefined();
    let state = initialState(['a', 'b']);
    state = engineReducer(state, { type: 'checks-finished', step: 'a', results: [{ ok: true, summary: 'ok' }], at: Date.UTC(2026, 11, 6) });
    first.save(state, { FOO: 'bar' });
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({ lesson: 'l', target: 't', passed: { a: '2026-12-06T00:00:00.000Z' }, vars: { FOO: 'bar' } });
    const again = new ProgressStore(file, 'l', 't');
    expect(again.savedVars).toEqual({ FOO: 'bar' });
    expect(again.startedAt).toBe(first.startedAt);
    expect(again.takeRecovery()).toBeUndefined();
  });

  test('an unreadable file is put aside (not deleted) and the recovery told once', () => {
    const d = dir();
    const file = join(d, 'l@t.json');
    writeFileSync(file, '{"startedAt": 1, "passed": {');
    const store = new ProgressStore(file, 'l', 't');
    expect(store.unreadable).toBeTruthy();
    const r = store.takeRecovery();
    expect(r?.keptAs).toBe(`${file}.broken`);
    expect(readFileSync(`${file}.broken`, 'utf8')).toBe('{"startedAt": 1, "passed": {');
    expect(existsSync(file)).toBe(false);
    expect(store.takeRecovery()).toBeUndefined();
    expect(store.savedVars).toEqual({});
  });
});

describe('NoticeBoard', () => {
  test('counts notices given, remembers the step viewed, and words them when drawn in the language of the run', () => {
    const board = new NoticeBoard();
    expect(board.notice).toBeNull();
    board.set({ kind: 'step-passed', step: 1, next: 2, following: false }, 1);
    board.set(null, 2);
    expect([board.seq, board.step, board.notice]).toEqual([1, 1, null]);
    const n = { kind: 'forward-moved', name: 'jaeger', port: 40123, lessonPort: 15032 } as const;
    board.set(n, 2);
    expect([board.seq, board.step]).toEqual([2, 2]);
    try {
      setLanguage('en');
      const en = noticeText(n);
      expect(en).toContain('40123');
      expect(en).toContain('15032');
      setLanguage('zh-CN');
      const zh = noticeText(n);
      expect(zh).toContain('40123');
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(zh).not.toBe(en);
    } finally {
      setLanguage('en');
    }
  });
});
