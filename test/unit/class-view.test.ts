import { describe, expect, test } from 'vitest';
import { configMapName, fromConfigMap, slug, toConfigMap, type LearnerProgress } from '../../src/class/progress-record.js';
import { classToText, stepIdsOf, summarizeClass } from '../../src/class/class-view.js';
import { progressFromView } from '../../src/class/class-reporter.js';

const T0 = Date.parse('2025-01-01T10:00:00Z');
const rec = (learner: string, current: string, idx: number, passed: string[], stuckSinceMs: number, lastFailure?: string): LearnerProgress => ({
  learner,
  lesson: 'demo',
  current,
  currentIndex: idx,
  steps: 3,
  passed: Object.fromEntries(passed.map((p, i) => [p, new Date(T0 + i * 1000).toISOString()])),
  ...(lastFailure ? { lastFailure } : {}),
  updatedAt: new Date(stuckSinceMs).toISOString(),
  stuckSince: new Date(stuckSinceMs).toISOString(),
});

describe('progress record', () => {
  test('round-trips through a labelled ConfigMap', () => {
    const p = rec('Ann Lee', 'b', 1, ['a'], T0, 'pod not ready');
    const cm = toConfigMap('class-a', p);
    expect(cm.metadata.name).toBe(configMapName('Ann Lee'));
    expect(cm.metadata.name).toMatch(/^kubetutor-progress-ann-lee-[a-z0-9]+$/);
    expect(cm.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'kubetutor', 'kubetutor.dev/lesson': 'demo', 'kubetutor.dev/learner': slug('Ann Lee') });
    expect(fromConfigMap(JSON.parse(JSON.stringify(cm)))).toEqual(p);
    expect(slug('ann')).toBe('ann');
    expect(slug('Ann')).not.toBe(slug('ann'));
    expect(fromConfigMap({ data: { 'progress.json': '{nope' } })).toBeUndefined();
    expect(fromConfigMap({})).toBeUndefined();
  });

  test('progressFromView reads the engine state', () => {
    const p = progressFromView('demo', 'bob', ['a', 'b', 'c'], {
      current: 1,
      steps: [
        { status: 'passed', passedAt: T0, results: [{ ok: true, summary: 'ok' }] },
        { status: 'failed', results: [{ ok: true, summary: 'x' }, { ok: false, summary: 'no pods' }] },
        { status: 'locked', results: [] },
      ],
    }, T0);
    expect(p).toMatchObject({ current: 'b', currentIndex: 1, steps: 3, passed: { a: new Date(T0).toISOString() }, lastFailure: 'no pods', stuckSince: new Date(T0).toISOString() });
    const done = progressFromView('demo', 'bob', ['a'], { current: 1, steps: [{ status: 'passed', passedAt: T0, results: [] }] }, T0);
    expect(done.current).toBe('done');
  });
});

describe('class view', () => {
  const records = [rec('ann', 'b', 1, ['a'], T0 - 60_000, 'no pods'), rec('bob', 'a', 0, [], T0 - 300_000), rec('cy', 'done', 3, ['a', 'b', 'c'], T0 - 10_000)];
  test('summarizes who is where, stuck longest first, with totals per step', () => {
    const s = summarizeClass(records, ['a', 'b', 'c'], T0);
    expect(s.rows.map((r) => r.learner)).toEqual(['bob', 'ann', 'cy']);
    expect(s.rows[0].stuckForMs).toBe(300_000);
    expect(s.perStep).toEqual({ a: { at: 1, passed: 2 }, b: { at: 1, passed: 1 }, c: { at: 0, passed: 1 } });
    expect(s.stuckLongest).toEqual({ learner: 'bob', step: 'a', stuckForMs: 300_000 });
    expect(s.done).toBe(1);
    expect(stepIdsOf(records)).toEqual(['a', 'b', 'c']);
  });
  test('renders a grid with a totals row', () => {
    const lines = classToText(summarizeClass(records, ['a', 'b', 'c'], T0), 80);
    const text = lines.join('\n');
    expect(text).toContain('stuck longest: bob on a for 5m00s');
    expect(lines.find((l) => l.startsWith('ann'))).toMatch(/✓\s+●\s+·\s+1m00s\s+no pods/);
    expect(lines.find((l) => l.startsWith('cy'))).toMatch(/✓\s+✓\s+✓\s+done/);
    expect(lines.find((l) => l.startsWith('passed'))).toMatch(/2\s+1\s+1/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  });
});
