import { describe, expect, test } from 'vitest';
import { buildProductpageTrace } from '../../src/sandbox/workloads/istio-trace.js';
import { seededRng } from '../../src/kube/rng.js';
import { generateTrace } from '../../src/traces/generate.js';
import type { TraceModel } from '../../src/traces/model-types.js';
import { buildTraceModel, searchSpans } from '../../src/traces/trace-model.js';
import { rowsOf, waterfallListRows } from '../../src/traces/waterfall-layout.js';
import {
  initialWaterfallState,
  waterfallKeyAction,
  waterfallReducer,
  type WaterfallAction,
  type WaterfallState,
} from '../../src/traces/waterfall-state.js';

const NOW = 1_700_000_000_000_000;
const model = buildTraceModel(buildProductpageTrace({ era: '1.0', reviewsVersion: 'v2', nowMicros: NOW, rng: seededRng(42) }));
const size = { width: 100, height: 23 };

function run(m: TraceModel, s: WaterfallState, ...actions: WaterfallAction[]): WaterfallState {
  return actions.reduce((st, a) => waterfallReducer(st, a, { model: m, size }), s);
}
const start = (m = model) => initialWaterfallState(m);
const idOf = (m: TraceModel, service: string, op: string, kind?: string) =>
  [...m.spans.values()].find((s) => s.service === service && s.operation.startsWith(op) && (!kind || s.kind === kind))!.spanID;
const visible = (m: TraceModel, s: WaterfallState) => rowsOf(m, s.collapsed);
const inView = (m: TraceModel, s: WaterfallState) => {
  const i = visible(m, s).indexOf(s.selected);
  return i >= s.scroll && i < s.scroll + waterfallListRows(s, size);
};

describe('waterfallReducer', () => {
  test('starts on the root, everything expanded', () => {
    const s = start();
    expect(s.selected).toBe(model.roots[0]);
    expect(s.collapsed.size).toBe(0);
    expect(s).toMatchObject({ scroll: 0, showCritical: false, detailsOpen: false });
  });

  test('moves down and up, and stays put (same object) at either end', () => {
    const s0 = start();
    expect(run(model, s0, { type: 'move', by: -1 })).toBe(s0);
    const s1 = run(model, s0, { type: 'move', by: 1 });
    expect(s1.selected).toBe(model.order[1]);
    expect(run(model, s1, { type: 'move', by: -1 }).selected).toBe(model.order[0]);
    const end = run(model, s0, { type: 'bottom' });
    expect(end.selected).toBe(model.order[model.order.length - 1]);
    expect(run(model, end, { type: 'move', by: 1 })).toBe(end);
    expect(run(model, end, { type: 'bottom' })).toBe(end);
    expect(run(model, end, { type: 'top' }).selected).toBe(model.order[0]);
  });

  test('paging and jumping keep the selection in view on a long trace', () => {
    const big = buildTraceModel(generateTrace(2_000, { seed: 5 }));
    let s = start(big);
    const rows = waterfallListRows(s, size);
    s = run(big, s, { type: 'page', by: 1 });
    expect(visible(big, s).indexOf(s.selected)).toBe(rows - 1);
    expect(inView(big, s)).toBe(true);
    s = run(big, s, { type: 'page', by: 1 }, { type: 'page', by: 1 });
    expect(inView(big, s)).toBe(true);
    expect(s.scroll).toBeGreaterThan(0);
    s = run(big, s, { type: 'bottom' });
    expect(s.scroll).toBe(big.order.length - rows);
    expect(inView(big, s)).toBe(true);
    s = run(big, s, { type: 'top' });
    expect(s.scroll).toBe(0);
    for (let i = 0; i < 40; i++) s = run(big, s, { type: 'move', by: 1 });
    expect(inView(big, s)).toBe(true);
  });

  test('collapsing hides a subtree; a leaf does not collapse', () => {
    const reviews = idOf(model, 'productpage', 'reviews', 'client');
    let s = run(model, start(), { type: 'select', spanID: reviews });
    const before = visible(model, s).length;
    s = run(model, s, { type: 'toggle-collapse' });
    expect(s.collapsed.has(reviews)).toBe(true);
    expect(visible(model, s).length).toBe(before - model.spans.get(reviews)!.descendants!);
    s = run(model, s, { type: 'toggle-collapse' });
    expect(s.collapsed.has(reviews)).toBe(false);
    const policy = idOf(model, 'istio-policy', '/istio');
    const leaf = run(model, s, { type: 'select', spanID: policy });
    expect(run(model, leaf, { type: 'toggle-collapse' })).toBe(leaf);
  });

  test('← collapses, then goes to the parent; → expands, then goes to the first child', () => {
    const reviews = idOf(model, 'productpage', 'reviews', 'client');
    const server = idOf(model, 'reviews', 'reviews', 'server');
    let s = run(model, start(), { type: 'select', spanID: server });
    s = run(model, s, { type: 'collapse-or-parent' });
    expect(s.collapsed.has(server)).toBe(true);
    expect(s.selected).toBe(server);
    s = run(model, s, { type: 'collapse-or-parent' });
    expect(s.selected).toBe(reviews);
    s = run(model, s, { type: 'select', spanID: server }, { type: 'expand-or-child' });
    expect(s.collapsed.has(server)).toBe(false);
    s = run(model, s, { type: 'expand-or-child' });
    expect(s.selected).toBe(model.spans.get(server)!.children[0]);
    // On a root there is no parent to go to once it is collapsed.
    const root = run(model, start(), { type: 'collapse-or-parent' });
    expect(root.collapsed.has(model.roots[0])).toBe(true);
    expect(run(model, root, { type: 'collapse-or-parent' })).toBe(root);
  });

  test('[ collapses everything (the selection moves to what still shows), ] expands everything', () => {
    const deep = idOf(model, 'ratings', 'ratings', 'server');
    let s = run(model, start(), { type: 'select', spanID: deep }, { type: 'collapse-all' });
    expect(visible(model, s)).toEqual(model.roots);
    expect(s.selected).toBe(model.roots[0]);
    expect(run(model, s, { type: 'collapse-all' })).toBe(s);
    s = run(model, s, { type: 'expand-all' });
    expect(s.collapsed.size).toBe(0);
    expect(run(model, s, { type: 'expand-all' })).toBe(s);
  });

  test('c toggles the critical path; d toggles the details and keeps the selection visible', () => {
    const s = run(model, start(), { type: 'toggle-critical' });
    expect(s.showCritical).toBe(true);
    expect(run(model, s, { type: 'toggle-critical' }).showCritical).toBe(false);
    const big = buildTraceModel(generateTrace(500, { seed: 2 }));
    let b = start(big);
    const rows = waterfallListRows(b, size);
    for (let i = 0; i < rows - 1; i++) b = run(big, b, { type: 'move', by: 1 });
    expect(b.scroll).toBe(0);
    b = run(big, b, { type: 'toggle-details' });
    expect(b.detailsOpen).toBe(true);
    expect(waterfallListRows(b, size)).toBeLessThan(rows);
    expect(inView(big, b)).toBe(true);
    expect(b.scroll).toBeGreaterThan(0);
  });

  test('/ search: typing finds matches, Enter goes to the first, n/N cycle through them', () => {
    let s = run(model, start(), { type: 'search-start' });
    expect(s.search).toEqual({ query: '', matches: [], index: 0, editing: true });
    for (const ch of 'ratings') s = run(model, s, { type: 'search-type', text: ch });
    const matches = searchSpans(model, 'ratings');
    expect(matches.length).toBeGreaterThan(1);
    expect(s.search).toMatchObject({ query: 'ratings', matches, editing: true });
    expect(s.selected).toBe(model.roots[0]); // not moved while typing
    s = run(model, s, { type: 'search-submit' });
    expect(s.search?.editing).toBe(false);
    expect(s.selected).toBe(matches[0]);
    s = run(model, s, { type: 'search-next' });
    expect(s.selected).toBe(matches[1]);
    s = run(model, s, { type: 'search-previous' }, { type: 'search-previous' });
    expect(s.selected).toBe(matches[matches.length - 1]); // wraps around
    s = run(model, s, { type: 'search-cancel' });
    expect(s.search).toBeUndefined();
    expect(run(model, s, { type: 'search-next' })).toBe(s);
  });

  test('backspace edits the query; an empty query on Enter ends the search', () => {
    let s = run(model, start(), { type: 'search-start' }, { type: 'search-type', text: 'rx' }, { type: 'search-backspace' });
    expect(s.search?.query).toBe('r');
    s = run(model, s, { type: 'search-backspace' });
    expect(s.search?.query).toBe('');
    expect(run(model, s, { type: 'search-backspace' })).toBe(s);
    expect(run(model, s, { type: 'search-submit' }).search).toBeUndefined();
  });

  test('n opens the collapsed ancestors of the match', () => {
    const ratingsServer = idOf(model, 'ratings', 'ratings', 'server');
    let s = run(model, start(), { type: 'collapse-all' });
    expect(visible(model, s)).not.toContain(ratingsServer);
    s = run(model, s, { type: 'search-start' }, { type: 'search-type', text: 'ratings' }, { type: 'search-submit' });
    expect(visible(model, s)).toContain(s.selected);
    const target = s.search!.matches.find((id) => id === ratingsServer)!;
    while (s.selected !== target) s = run(model, s, { type: 'search-next' });
    expect(visible(model, s)).toContain(ratingsServer);
    expect(inView(model, s)).toBe(true);
    // Only the path to the match opened: the details call stays collapsed.
    const detailsServer = idOf(model, 'details', 'details', 'server');
    expect(visible(model, s)).not.toContain(detailsServer);
  });

  test('a search on a big trace lands on a match far below and scrolls to it', () => {
    const big = buildTraceModel(generateTrace(5_000, { seed: 9 }));
    const lastDb = [...big.order].reverse().find((id) => big.spans.get(id)!.operation.endsWith('query'))!;
    let s = run(big, start(big), { type: 'bottom' }, { type: 'collapse-all' }, { type: 'search-start' }, { type: 'search-type', text: lastDb }, { type: 'search-submit' });
    expect(s.selected).toBe(lastDb);
    expect(inView(big, s)).toBe(true);
  });

  test('the name column can be resized within bounds', () => {
    const s = run(model, start(), { type: 'name-width', by: 4 });
    expect(s.nameWidth).toBe(44);
    let narrow = s;
    for (let i = 0; i < 20; i++) narrow = run(model, narrow, { type: 'name-width', by: -4 });
    expect(narrow.nameWidth).toBe(12);
    expect(run(model, narrow, { type: 'name-width', by: -4 })).toBe(narrow);
  });
});

describe('waterfallKeyAction', () => {
  const s = start();
  const key = (over: Record<string, boolean> = {}) => over;
  test('maps keys to intents', () => {
    expect(waterfallKeyAction('j', key(), s)).toEqual({ type: 'move', by: 1 });
    expect(waterfallKeyAction('', key({ upArrow: true }), s)).toEqual({ type: 'move', by: -1 });
    expect(waterfallKeyAction('', key({ pageDown: true }), s)).toEqual({ type: 'page', by: 1 });
    expect(waterfallKeyAction('G', key(), s)).toEqual({ type: 'bottom' });
    expect(waterfallKeyAction('', key({ return: true }), s)).toEqual({ type: 'toggle-collapse' });
    expect(waterfallKeyAction(' ', key(), s)).toEqual({ type: 'toggle-collapse' });
    expect(waterfallKeyAction('', key({ leftArrow: true }), s)).toEqual({ type: 'collapse-or-parent' });
    expect(waterfallKeyAction('[', key(), s)).toEqual({ type: 'collapse-all' });
    expect(waterfallKeyAction(']', key(), s)).toEqual({ type: 'expand-all' });
    expect(waterfallKeyAction('c', key(), s)).toEqual({ type: 'toggle-critical' });
    expect(waterfallKeyAction('', key({ tab: true }), s)).toEqual({ type: 'toggle-details' });
    expect(waterfallKeyAction('d', key(), s)).toEqual({ type: 'toggle-details' });
    expect(waterfallKeyAction('/', key(), s)).toEqual({ type: 'search-start' });
    expect(waterfallKeyAction('N', key(), s)).toEqual({ type: 'search-previous' });
    // Keys of the screen around the waterfall are not the waterfall's.
    expect(waterfallKeyAction('q', key(), s)).toBeUndefined();
    expect(waterfallKeyAction('', key({ escape: true }), s)).toBeUndefined();
  });

  test('while a query is typed, letters type (q included), Enter submits, Esc cancels', () => {
    const typing: WaterfallState = { ...s, search: { query: 'x', matches: [], index: 0, editing: true } };
    expect(waterfallKeyAction('q', key(), typing)).toEqual({ type: 'search-type', text: 'q' });
    expect(waterfallKeyAction('j', key(), typing)).toEqual({ type: 'search-type', text: 'j' });
    expect(waterfallKeyAction('', key({ return: true }), typing)).toEqual({ type: 'search-submit' });
    expect(waterfallKeyAction('', key({ escape: true }), typing)).toEqual({ type: 'search-cancel' });
    expect(waterfallKeyAction('', key({ backspace: true }), typing)).toEqual({ type: 'search-backspace' });
    const done: WaterfallState = { ...s, search: { query: 'x', matches: [], index: 0 } };
    expect(waterfallKeyAction('', key({ escape: true }), done)).toEqual({ type: 'search-cancel' });
  });
});
