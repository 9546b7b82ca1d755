import { describe, expect, test } from 'vitest';
import { engineReducer, initialState, isFinished, isUnlocked } from '../../src/engine/engine-state.js';

const ok = { ok: true, summary: 'fine' };
const bad = { ok: false, summary: 'not yet' };
const at = 1000;

describe('engineReducer', () => {
  test('only the first step is unlocked at the start', () => {
    const s = initialState(['a', 'b', 'c']);
    expect(s.steps.map((x) => x.status)).toEqual(['checking', 'locked', 'locked']);
    expect(isUnlocked(s, 0)).toBe(true);
    expect(isUnlocked(s, 1)).toBe(false);
  });

  test('a locked step cannot be viewed, and viewing it returns the same state', () => {
    const s = initialState(['a', 'b']);
    expect(engineReducer(s, { type: 'view', step: 1 })).toBe(s);
    expect(engineReducer(s, { type: 'view-next' })).toBe(s);
  });

  test('unmet checks are "current" until the learner tries, then "failed"', () => {
    let s = initialState(['a', 'b']);
    s = engineReducer(s, { type: 'checks-finished', step: 'a', results: [bad], at });
    expect(s.steps[0].status).toBe('current');
    s = engineReducer(s, { type: 'attempted', step: 'a' });
    expect(s.steps[0].status).toBe('failed');
    s = engineReducer(s, { type: 'checks-finished', step: 'a', results: [bad], at });
    expect(s.steps[0].status).toBe('failed');
  });

  test('the next step unlocks only when every check of the current one passes', () => {
    let s = initialState(['a', 'b']);
    s = engineReducer(s, { type: 'checks-finished', step: 'a', results: [ok, bad], at });
    expect(s.current).toBe(0);
    s = engineReducer(s, { type: 'checks-finished', step: 'a', results: [ok, ok], at });
    expect(s.current).toBe(1);
    expect(s.steps.map((x) => x.status)).toEqual(['passed', 'checking']);
    expect(s.steps[0].passedAt).toBe(at);
    expect(s.viewing).toBe(0); // the learner stays where they are
    s = engineReducer(s, { type: 'view-next' });
    expect(s.viewing).toBe(1);
  });

  test('results for a locked step are ignored', () => {
    const s = initialState(['a', 'b']);
    expect(engineReducer(s, { type: 'checks-finished', step: 'b', results: [ok], at })).toBe(s);
  });

  test('the lesson is finished when the last step passes', () => {
    let s = initialState(['a']);
    s = engineReducer(s, { type: 'checks-finished', step: 'a', results: [ok], at });
    expect(isFinished(s)).toBe(true);
  });

  test('quiz answers are kept by check key', () => {
    let s = initialState(['a']);
    s = engineReducer(s, { type: 'answer', key: 'a#0', choice: 2 });
    expect(s.answers).toEqual({ 'a#0': 2 });
    expect(engineReducer(s, { type: 'answer', key: 'a#0', choice: 2 })).toBe(s);
  });
});
