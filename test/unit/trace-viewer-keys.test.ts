/** The trace viewer's key reducer (src/ui/trace-viewer/viewer-keys.ts), without Ink: state + key → state and effects. */
import { describe, expect, test } from 'vitest';
import { buildProductpageTrace } from '../../src/sandbox/workloads/istio-trace.js';
import { seededRng } from '../../src/kube/rng.js';
import { buildTraceModel, summarizeTrace } from '../../src/traces/trace-model.js';
import { sortSummaries } from '../../src/traces/trace-list-layout.js';
import type { TraceModel } from '../../src/traces/model-types.js';
import { initialViewerState, type ViewerContext, type ViewerState } from '../../src/ui/trace-viewer/viewer-state.js';
import { splitKeys, traceReady, viewerKey } from '../../src/ui/trace-viewer/viewer-keys.js';
import type { KeyLike } from '../../src/traces/waterfall-state.js';

const NOW = 1_700_000_000_000_000;
const traces = [1, 2, 3].map((seed) => buildProductpageTrace({ era: '1.1', reviewsVersion: 'v2', nowMicros: NOW + seed * 1_000_000, rng: seededRng(seed) }));
const rows = sortSummaries(traces.map(summarizeTrace), 'recent');
const models = new Map<string, TraceModel>();
const ctx = (): ViewerContext => ({ rows, size: { width: 120, height: 30 }, models, comparisons: new Map(), stats: new Map(), saved: new Map() });
/** Presses `keys` one after another from `s`, gathering the effects. */
function press(s: ViewerState, ...keys: Array<string | KeyLike>) {
  const effects: unknown[] = [];
  for (const k of keys) {
    const step = typeof k === 'string' ? viewerKey(s, k, {}, ctx()) : viewerKey(s, '', k, ctx());
    s = step.state;
    effects.push(...step.effects);
  }
  return { s, effects };
}

describe('the trace viewer key reducer', () => {
  test('j/k and G move the selection in the list; a key that changes nothing returns the same state', () => {
    const { s } = press(initialViewerState, 'j', 'j');
    expect(s.selectedID).toBe(rows[2].traceID);
    expect(press(s, 'j').s).toBe(s); // the last row: nowhere to go
    expect(press(s, 'g').s.selectedID).toBe(rows[0].traceID);
    expect(press(initialViewerState, 'G').s.selectedID).toBe(rows[2].traceID);
  });

  test('Enter opens the selected trace: loading, a load effect, then the waterfall once its model is in', () => {
    const { s, effects } = press(initialViewerState, 'j', { return: true });
    const id = rows[1].traceID;
    expect(s.screen).toBe('trace');
    expect(s.open).toEqual({ id, status: 'loading' });
    expect(effects).toEqual([{ kind: 'load', id }]);
    models.set(id, buildTraceModel(traces.find((t) => t.traceID === id)!));
    const ready = traceReady(s, id, models.get(id)!, ctx());
    expect(ready.open?.status).toBe('ready');
    expect(ready.wf?.selected).toBe(models.get(id)!.roots[0]);
    // b goes back, saving where the learner was; a second Enter opens it from the cache.
    const back = press(ready, 'b');
    expect(back.s.screen).toBe('list');
    expect(back.effects).toEqual([{ kind: 'cancelLoad' }, { kind: 'save', id, wf: ready.wf }]);
    const again = press(back.s, { return: true });
    expect(again.s.open).toEqual({ id, status: 'ready' });
    expect(again.effects).toEqual([{ kind: 'cancelLoad' }, { kind: 'opened', id }]);
  });

  test('m marks A, = compares with another trace, and the notice lasts one key', () => {
    const nothing = press(initialViewerState, '=');
    expect(nothing.s.notice).toMatch(/^mark a trace first/);
    expect(press(nothing.s, 'k').s.notice).toBeUndefined();
    const { s, effects } = press(initialViewerState, 'm', 'j', '=');
    expect(s.marked).toBe(rows[0].traceID);
    expect(s.screen).toBe('compare');
    expect(s.compare).toMatchObject({ a: rows[0].traceID, b: rows[1].traceID, status: 'loading', from: 'list' });
    expect(effects).toEqual([{ kind: 'compare', a: rows[0].traceID, b: rows[1].traceID }]);
    expect(press(s, 'b').s.screen).toBe('list');
  });

  test('q quits (unless typing a search), ? shows help and closes it', () => {
    expect(press(initialViewerState, 'q').effects).toEqual([{ kind: 'quit' }]);
    expect(press(initialViewerState, { ctrl: true }).effects).toEqual([]);
    const help = press(initialViewerState, '?').s;
    expect(help.help).toBe(true);
    expect(press(help, '?').s.help).toBe(false);
  });

  test('a burst of keys from one input event is taken key by key', () => {
    expect(splitKeys('jj\r', {})).toEqual([['j', {}], ['j', {}], ['', { return: true }]]);
    expect(splitKeys('j', {})).toEqual([['j', {}]]);
    expect(splitKeys('ab', { ctrl: true })).toEqual([['ab', { ctrl: true }]]);
  });
});
