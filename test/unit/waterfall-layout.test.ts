import { describe, expect, test } from 'vitest';
import { buildProductpageTrace } from '../../src/sandbox/workloads/istio-trace.js';
import type { JaegerSpan, JaegerTrace } from '../../src/traces/jaeger-model.js';
import { seededRng } from '../../src/kube/rng.js';
import { generateTrace } from '../../src/traces/generate.js';
import type { TraceModel } from '../../src/traces/model-types.js';
import { buildTraceModel, formatDuration, summarizeTrace } from '../../src/traces/trace-model.js';
import { layoutTraceList, sortSummaries, traceListCapacity } from '../../src/traces/trace-list-layout.js';
import { EIGHTHS, layoutWaterfall, serviceColor, waterfallListRows } from '../../src/traces/waterfall-layout.js';
import { initialWaterfallState, type WaterfallState } from '../../src/traces/waterfall-state.js';
import type { ScreenLine } from '../../src/ui/screen.js';

const NOW = 1_700_000_000_000_000;
const text = (l: ScreenLine) => l.map((c) => c.text).join('');
const cols = (l: ScreenLine) => [...text(l)].length;
const screen = (ls: ScreenLine[]) => ls.map(text).join('\n');

function productpage(seed = 42, over: Partial<Parameters<typeof buildProductpageTrace>[0]> = {}): JaegerTrace {
  return buildProductpageTrace({ era: '1.0', reviewsVersion: 'v2', nowMicros: NOW, rng: seededRng(seed), ...over });
}

/** The span of `service` whose operation starts with `op` (and of `kind`, if given). */
function spanOf(model: TraceModel, service: string, op: string, kind?: string) {
  const n = [...model.spans.values()].find((s) => s.service === service && s.operation.startsWith(op) && (!kind || s.kind === kind));
  if (!n) throw new Error(`no span ${service} ${op}`);
  return n;
}

/** The laid-out row of a span (found by its service and operation text). */
function rowOf(lines: ScreenLine[], needle: RegExp): string {
  const row = lines.map(text).find((t) => needle.test(t));
  if (!row) throw new Error(`no row matches ${needle}:\n${screen(lines)}`);
  return row;
}

const state = (model: TraceModel, over: Partial<WaterfallState> = {}): WaterfallState => ({ ...initialWaterfallState(model), ...over });

describe('layoutWaterfall', () => {
  const model = buildTraceModel(productpage());

  test('every line is exactly the width, and there are exactly height lines, whatever the state', () => {
    const big = buildTraceModel(generateTrace(2_000, { seed: 7 }));
    for (const m of [model, big]) {
      const deep = m.order[m.order.length - 1];
      const states: WaterfallState[] = [
        state(m),
        state(m, { detailsOpen: true }),
        state(m, { selected: deep, scroll: 10_000, showCritical: true }),
        state(m, { collapsed: new Set(m.order.filter((id) => m.spans.get(id)!.children.length)), detailsOpen: true }),
        state(m, { search: { query: 'reviews', matches: m.order.slice(0, 3), index: 1 } }),
        state(m, { search: { query: 'rev', matches: [], index: 0, editing: true }, nameWidth: 70 }),
      ];
      for (const s of states) {
        for (const [width, height] of [[100, 24], [80, 12], [40, 8], [160, 40], [200, 50], [10, 3]]) {
          const lines = layoutWaterfall(m, s, { width, height, color: true });
          expect(lines).toHaveLength(Math.max(8, height));
          for (const l of lines) expect(cols(l)).toBe(Math.max(30, width));
        }
      }
    }
  });

  test('draws the tree with guides and collapse markers', () => {
    const lines = layoutWaterfall(model, state(model), { width: 120, height: 30, color: true });
    const rows = lines.map(text);
    // The header names the root and the legend lists each service with its span count.
    expect(rows[0]).toMatch(/^ istio-ingressgateway: productpage\.default\.svc\.cluster\.local:9080\/productpage /);
    expect(rows[0]).toContain(`${formatDuration(model.duration)} · 12 spans`);
    expect(rows[1]).toContain('■ istio-policy (4)');
    expect(rows[2]).toMatch(/╷0µs/);
    expect(rows[2]).toContain(`${formatDuration(model.duration)}╷`);
    // Root selected; its child is the last (only) child; the reviews call is productpage's last child.
    expect(rows[3]).toMatch(/^›▼ ⇄ istio-ingressgateway /);
    expect(rows[4]).toMatch(/^ └─▼ ↔ productpage productpage/); // the partner of the selected root
    expect(rows[5]).toMatch(/^ {3}├── istio-policy \/istio\.mixer/);
    expect(rows[6]).toMatch(/^ {3}├─▼ ⇄ productpage details/);
    expect(rows[7]).toMatch(/^ {3}│ └─▼ ⇄ details details/);
    expect(rows[8]).toMatch(/^ {3}│ {3}└── istio-policy/);
    expect(rows[9]).toMatch(/^ {3}└─▼ ⇄ productpage reviews/);
    expect(rows[10]).toMatch(/^ {5}└─▼ ⇄ reviews reviews/);
    // The selected row is inverse, others are not.
    const nameCells = (l: ScreenLine) => l.slice(0, l.findIndex((c) => c.text === '│'));
    expect(nameCells(lines[3]).every((c) => c.inverse)).toBe(true);
    expect(nameCells(lines[4]).some((c) => c.inverse)).toBe(false);
  });

  test('bars have eighth-block precision, at least one cell, and │ for zero-length spans', () => {
    const t0 = NOW;
    const span = (id: string, parent: string | null, start: number, duration: number, service = 'svc'): JaegerSpan => ({
      traceID: 'abc',
      spanID: id,
      operationName: `op-${id}`,
      references: parent ? [{ refType: 'CHILD_OF', traceID: 'abc', spanID: parent }] : [],
      startTime: t0 + start,
      duration,
      tags: [],
      logs: [],
      processID: service,
      warnings: null,
    });
    const trace: JaegerTrace = {
      traceID: 'abc',
      spans: [span('a', null, 0, 800), span('b', 'a', 100, 430), span('c', 'a', 125, 275), span('d', 'a', 400, 0), span('e', 'a', 790, 2)],
      processes: { svc: { serviceName: 'svc', tags: [] } },
      warnings: null,
    };
    const m = buildTraceModel(trace);
    // 16 bar cells for 800µs: 50µs a cell, 6.25µs an eighth.
    const nameWidth = 20;
    const opts = { width: nameWidth + 1 + 16, height: 12, color: true };
    const lines = layoutWaterfall(m, state(m, { nameWidth }), opts);
    const rows = lines.slice(3, -1);
    const bar = (id: string) => {
      const line = rows.find((l) => text(l).includes(`op-${id}`))!;
      return [...text(line)].slice(nameWidth + 1).join('');
    };
    expect(bar('a')).toBe('█'.repeat(16));
    // 100µs → cell 2 exactly; 530µs → 84.8 eighths → cell 10 holds 5 eighths; no room for the label.
    expect(bar('b')).toBe(`  ${'█'.repeat(8)}${EIGHTHS[5]}     `);
    // 125µs → 20 eighths: cell 2 covered from its middle (a reversed ▌); ends at 400µs = cell 8's edge.
    expect(bar('c')).toBe(`  ▌${'█'.repeat(5)} ${formatDuration(275)}  `);
    const cRow = rows.find((l) => text(l).includes('op-c'))!;
    const leftEdge = cRow.find((c) => c.text === '▌')!;
    expect(leftEdge.inverse).toBe(true);
    // Zero length: a thin mark, right where it happened.
    expect(bar('d')).toBe(`${' '.repeat(8)}│ 0µs   `);
    // Sub-cell span: still visible (one cell), labelled before it when there is no room after.
    expect(bar('e')).toMatch(/ 2µs ▕$/); // 126–127 of 128 eighths: in the last cell's right part

    // Without styles the reversed block cannot show: the right half block stands in.
    const plain = layoutWaterfall(m, state(m, { nameWidth }), { ...opts, color: false });
    const cPlain = [...text(plain.find((l) => text(l).includes('op-c'))!)].slice(nameWidth + 1).join('');
    expect(cPlain.startsWith('  ▐█████')).toBe(true);
    expect(plain.flat().every((c) => c.color === undefined)).toBe(true);
  });

  test('a collapsed span hides its subtree and counts what it hides, errors included', () => {
    const failing = buildTraceModel(productpage(5, { failing: { service: 'ratings', status: 503 } }));
    expect(failing.errorCount).toBeGreaterThan(0);
    const reviewsCall = spanOf(failing, 'productpage', 'reviews', 'client');
    const hidden = reviewsCall.descendants!;
    const hiddenErrors = reviewsCall.descendantErrors!;
    expect(hiddenErrors).toBeGreaterThan(0);

    const open = layoutWaterfall(failing, state(failing), { width: 120, height: 30, color: true });
    const collapsed = layoutWaterfall(failing, state(failing, { collapsed: new Set([reviewsCall.spanID]) }), { width: 120, height: 30, color: true });
    // Span rows: between the axis and the footer, with something in the name column.
    const count = (ls: ScreenLine[]) => ls.slice(3, -1).filter((l) => /\S/.test(text(l).split('│')[0])).length;
    expect(count(open) - count(collapsed)).toBe(hidden);
    const row = rowOf(collapsed, /▶ .*productpage reviews/);
    expect(row).toContain(`(+${hidden}, ${hiddenErrors} error${hiddenErrors === 1 ? '' : 's'})`);
    // The errors stay red; the hidden spans are gone from the screen.
    const line = collapsed.find((l) => text(l) === row)!;
    expect(line.some((c) => c.color === 'red' && /error/.test(c.text))).toBe(true);
    expect(screen(collapsed)).not.toMatch(/ratings ratings/);
    // The failing spans themselves carry the ! mark when visible.
    expect(rowOf(open, /reviews ratings/)).toMatch(/!⇄ reviews ratings/);
  });

  test('client/server pairs: ⇄ on both halves, the partner of the selection highlighted, the gap in the details', () => {
    const client = spanOf(model, 'productpage', 'reviews', 'client');
    const server = spanOf(model, 'reviews', 'reviews', 'server');
    const pair = model.pairs.find((p) => p.clientID === client.spanID)!;
    const lines = layoutWaterfall(model, state(model, { selected: client.spanID, detailsOpen: true }), { width: 120, height: 80, color: true });
    expect(rowOf(lines, /^› .*productpage reviews/)).toContain('⇄ productpage');
    const partner = rowOf(lines, /reviews reviews/);
    expect(partner).toContain('↔ reviews');
    const partnerLine = lines.find((l) => text(l) === partner)!;
    expect(partnerLine.some((c) => c.underline)).toBe(true);
    const details = screen(lines);
    expect(details).toContain('─ span details');
    expect(details).toContain(
      `client span of productpage → reviews; server span took ${formatDuration(server.duration)}; ${formatDuration(pair.gap)} between the sidecars`,
    );
    expect(details).toMatch(/client · start \+[\d.]+ms · duration [\d.]+ms/);
    expect(details).toContain(`span ${client.spanID}  parent ${client.parentID}  trace ${model.traceID}`);
    expect(details).toMatch(/Tags \(\d+\)/);
    expect(details).toMatch(/http\.status_code\s+200/);
    expect(details).toContain('Process: productpage');
    expect(details).toMatch(/CHILD_OF [0-9a-f]{16} productpage productpage/);
  });

  test('wide terminals put the details to the right', () => {
    const lines = layoutWaterfall(model, state(model, { detailsOpen: true }), { width: 180, height: 30, color: true });
    expect(lines).toHaveLength(30);
    expect(screen(lines)).not.toContain('─ span details');
    expect(text(lines[2])).toMatch(/│ istio-ingressgateway {2}productpage/);
    expect(text(lines[3])).toMatch(/^›▼ .*│ client · start \+0µs/);
    // As many span rows as without the pane: nothing went below.
    expect(waterfallListRows({ detailsOpen: true }, { width: 180, height: 30 })).toBe(waterfallListRows({ detailsOpen: false }, { width: 180, height: 30 }));
  });

  test('the critical path is marked, everything else dimmed', () => {
    const lines = layoutWaterfall(model, state(model, { showCritical: true }), { width: 120, height: 30, color: true });
    for (const id of model.order) {
      const n = model.spans.get(id)!;
      const line = lines.find((l) => text(l).includes(` ${n.service} ${n.operation.slice(0, 8)}`) && (text(l).includes('*') === n.critical))!;
      expect(line, `${n.service} ${n.operation}`).toBeDefined();
    }
    expect(text(lines[lines.length - 1])).toContain('[critical path]');
    const dimmed = lines.filter((l) => l.some((c) => c.dim && /█/.test(c.text)));
    expect(dimmed.length).toBe(model.order.length - model.criticalPath.length);
  });

  test('search matches are underlined and the footer shows where we are', () => {
    const matches = model.order.filter((id) => model.spans.get(id)!.service === 'reviews');
    const lines = layoutWaterfall(model, state(model, { search: { query: 'reviews', matches, index: 1 } }), { width: 120, height: 30, color: true });
    expect(text(lines[lines.length - 1])).toContain(`search "reviews": 2/${matches.length}`);
    const editing = layoutWaterfall(model, state(model, { search: { query: 'rev', matches, index: 0, editing: true } }), { width: 120, height: 30, color: true });
    expect(text(editing[editing.length - 1])).toMatch(/^ \/rev▏ {2}2 matches/);
  });

  test('orphans are marked', () => {
    const m = buildTraceModel(generateTrace(200, { seed: 3, orphans: 1 }));
    const orphan = m.order.find((id) => m.spans.get(id)!.orphan)!;
    expect(orphan).toBeDefined();
    const lines = layoutWaterfall(m, state(m, { selected: orphan, detailsOpen: true }), { width: 120, height: 30, color: true });
    expect(rowOf(lines, /^›/)).toMatch(/\?/);
    expect(screen(lines)).toContain(`? orphan: its parent ${m.spans.get(orphan)!.missingParentID} is not in this trace`);
  });

  test('deep rows keep their innermost guides within the name column', () => {
    const m = buildTraceModel(generateTrace(3_000, { seed: 11, maxDepth: 40 }));
    const deepest = m.order.reduce((a, b) => (m.spans.get(b)!.depth > m.spans.get(a)!.depth ? b : a));
    expect(m.spans.get(deepest)!.depth).toBeGreaterThan(20);
    const lines = layoutWaterfall(m, state(m, { selected: deepest }), { width: 100, height: 24, color: true });
    const row = rowOf(lines, /^›/);
    expect(row).toMatch(/^›… /);
    expect(row).toMatch(/[├└]─[▼▶─] /);
  });

  test('stable colours per service from a fixed palette', () => {
    expect(serviceColor('reviews')).toBe(serviceColor('reviews'));
    const lines = layoutWaterfall(model, state(model), { width: 120, height: 30, color: true });
    const legend = lines[1];
    for (const s of model.services) {
      const i = legend.findIndex((c) => c.text.startsWith(`${s.name} (`));
      expect(legend[i - 1].color).toBe(serviceColor(s.name));
    }
  });
});

describe('windowing: the cost of a frame does not grow with the trace', () => {
  const timings: string[] = [];
  for (const n of [10_000, 50_000]) {
    test(`laying out a screen of a ${n.toLocaleString('en')}-span trace lays out only the rows that fit`, () => {
      const m = buildTraceModel(generateTrace(n, { seed: 1 }));
      expect(m.spans.size).toBe(n);
      const size = { width: 160, height: 48, color: true };
      let t = performance.now();
      const first = layoutWaterfall(m, state(m), size);
      const firstMs = performance.now() - t;
      expect(first).toHaveLength(48);
      // The last screen, with details and the critical path: still only what fits.
      const last = m.order[m.order.length - 1];
      t = performance.now();
      const end = layoutWaterfall(m, state(m, { selected: last, scroll: n, detailsOpen: true, showCritical: true }), size);
      const lastMs = performance.now() - t;
      expect(text(end[end.length - 1])).toContain(`/${n}`);
      // And a warm frame (visible rows memoized), as each key press costs.
      t = performance.now();
      for (let i = 0; i < 10; i++) layoutWaterfall(m, state(m, { selected: m.order[i * 100], scroll: i * 100 }), size);
      const warmMs = (performance.now() - t) / 10;
      timings.push(`${n} spans: first screen ${firstMs.toFixed(2)} ms, last screen ${lastMs.toFixed(2)} ms, warm frame ${warmMs.toFixed(2)} ms`);
      console.log(timings[timings.length - 1]);
      // Figures come from `npm run bench`; these bounds catch drawing every row (seconds at 50,000), not a busy CI machine.
      expect(firstMs).toBeLessThan(1000);
      expect(lastMs).toBeLessThan(1000);
      expect(warmMs).toBeLessThan(1000);
    });
  }
});

describe('layoutTraceList', () => {
  const traces = [productpage(1), productpage(2, { nowMicros: NOW + 2_000_000, failing: { service: 'ratings', status: 503 } }), productpage(3, { nowMicros: NOW + 1_000_000, reviewsVersion: 'v1' })];
  const summaries = traces.map(summarizeTrace);

  test('sorts by most recent, longest, most spans, most errors', () => {
    const ids = (by: Parameters<typeof sortSummaries>[1]) => sortSummaries(summaries, by).map((s) => s.traceID);
    expect(ids('recent')).toEqual([summaries[1], summaries[2], summaries[0]].map((s) => s.traceID));
    expect(ids('longest')).toEqual([...summaries].sort((a, b) => b.duration - a.duration).map((s) => s.traceID));
    expect(ids('most-spans')[2]).toBe(summaries[2].traceID); // reviews v1 calls no ratings
    expect(ids('most-errors')[0]).toBe(summaries[1].traceID);
    expect(sortSummaries(summaries, 'recent')).not.toBe(summaries);
  });

  test('rows like Find Traces: root, services, spans, errors, duration bar, start; the selection marked', () => {
    const rows = sortSummaries(summaries, 'recent');
    const lines = layoutTraceList(rows, { selected: 1, sort: 'recent', width: 100, height: 23, scroll: 0 });
    expect(lines).toHaveLength(23);
    for (const l of lines) expect(cols(l)).toBe(100);
    const all = lines.map(text);
    expect(all[0]).toMatch(/^ Traces · 3 found · sorted by most recent/);
    expect(all[2]).toMatch(/^ {2}istio-ingressgateway: productpage\.default\.svc\.cl/);
    expect(all[2]).toMatch(/ 12 +!\d+ /);
    expect(all[3]).toContain('■ details (1)');
    expect(all[4]).toMatch(/^› istio-ingressgateway/);
    expect(lines[4].filter((c) => !/█/.test(c.text)).every((c) => c.inverse)).toBe(true);
    // The longest trace has the full bar; the start time is local HH:MM:SS.mmm.
    const longest = rows.reduce((a, b) => (b.duration > a.duration ? b : a));
    const row = all[2 + rows.indexOf(longest) * 2];
    expect(row).toContain('█'.repeat(12));
    expect(row).toMatch(/\d\d:\d\d:\d\d\.\d\d\d$/);
    expect(row).toContain(formatDuration(longest.duration));
  });

  test('only the traces that fit are laid out, scrolled to the selection', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ ...summaries[0], traceID: `t${i}`, start: NOW - i }));
    const lines = layoutTraceList(many, { selected: 300, sort: 'recent', width: 80, height: 20, scroll: 0 });
    expect(lines).toHaveLength(20);
    const shown = lines.map(text).filter((t) => /istio-ingressgateway:/.test(t));
    expect(shown).toHaveLength(traceListCapacity(20));
    expect(lines.map(text).find((t) => t.startsWith('›'))).toBeDefined();
    expect(layoutTraceList(null, { selected: 0, sort: 'recent', width: 80, height: 20, scroll: 0 }).map(text).join('\n')).toContain('Loading traces…');
    expect(layoutTraceList([], { selected: 0, sort: 'recent', width: 80, height: 20, scroll: 0 }).map(text).join('\n')).toContain('No traces found.');
  });
});
