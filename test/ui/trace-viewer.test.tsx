import { afterEach, describe, expect, test, vi } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { buildProductpageTrace } from '../../src/sandbox/workloads/istio-trace.js';
import type { JaegerTrace } from '../../src/traces/jaeger-model.js';
import { seededRng } from '../../src/kube/rng.js';
import { generateTrace } from '../../src/traces/generate.js';
import { buildTraceModel, formatDuration, summarizeTrace } from '../../src/traces/trace-model.js';
import { TraceViewer } from '../../src/ui/TraceViewer.js';
import { frameMatching } from '../helpers/frames.js';


const NOW = 1_700_000_000_000_000;
const DOWN = '\u001B[B';
const ENTER = '\r';
const ESC = '\u001B';

// Three requests through Bookinfo in the Istio 1.0 era: productpage→reviews pairs, istio-policy Checks.
const traces: JaegerTrace[] = [
  buildProductpageTrace({ era: '1.0', reviewsVersion: 'v2', nowMicros: NOW, rng: seededRng(1) }),
  buildProductpageTrace({ era: '1.0', reviewsVersion: 'v3', nowMicros: NOW + 3_000_000, rng: seededRng(2), failing: { service: 'ratings', status: 503 } }),
  buildProductpageTrace({ era: '1.0', reviewsVersion: 'v1', nowMicros: NOW + 1_000_000, rng: seededRng(3) }),
];
const byId = new Map(traces.map((t) => [t.traceID, t]));
const summaries = traces.map(summarizeTrace);

const strip = (s: string) => s.replace(/\u001B\[[0-9;]*m/g, '');
const frameMatchingStripped = (lastFrame: () => string | undefined, pattern: RegExp, ms = 5_000) => frameMatching(lastFrame, pattern, ms, strip);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The frame's line holding the selection marker. */
const selectedLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('TraceViewer', () => {
  let unmount: (() => void) | undefined;
  afterEach(() => {
    unmount?.();
    unmount = undefined;
  });

  async function open(props: Partial<React.ComponentProps<typeof TraceViewer>> = {}) {
    const onQuit = vi.fn();
    const onOpened = vi.fn();
    const loadTrace = vi.fn(async (id: string) => {
      await sleep(5);
      const t = byId.get(id);
      if (!t) throw new Error(`trace ${id} not found`);
      return t;
    });
    const r = render(<TraceViewer traces={summaries} loadTrace={loadTrace} onQuit={onQuit} onOpened={onOpened} {...props} />);
    unmount = r.unmount;
    await sleep(30); // useInput subscribes in an effect
    return { ...r, onQuit, onOpened, loadTrace };
  }

  test('list → open → navigate → collapse → details → search → help → back → quit', async () => {
    const { lastFrame, stdin, onQuit, onOpened, loadTrace } = await open();
    const [first, third, second] = [traces[1], traces[2], traces[0]]; // most recent first

    // The list: most recent first, the first one selected; 100 columns, 23 lines.
    let f = await frameMatchingStripped(lastFrame, /Traces · 3 found · sorted by most recent/);
    expect(f.split('\n')).toHaveLength(23);
    for (const line of f.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
    let lines = f.split('\n');
    const sel = lines.findIndex((l) => l.startsWith('›'));
    expect(lines[sel]).toMatch(/istio-ingressgateway: productpage/);
    expect(lines[sel]).toMatch(/!\d+/); // the failing one, with its errors
    expect(lines[sel + 1]).toContain(first.traceID.slice(0, 7));

    // s cycles the sort; the selected trace stays selected.
    stdin.write('s');
    f = await frameMatchingStripped(lastFrame, /sorted by longest first/);
    lines = f.split('\n');
    expect(lines[lines.findIndex((l) => l.startsWith('›')) + 1]).toContain(first.traceID.slice(0, 7));
    stdin.write('s');
    stdin.write('s');
    stdin.write('s');
    await frameMatchingStripped(lastFrame, /sorted by most recent/);

    // ↓ selects the next trace; Enter opens it.
    stdin.write(DOWN);
    f = await frameMatchingStripped(lastFrame, new RegExp(`›[^\\n]*\\n[^\\n]*${third.traceID.slice(0, 7)}`));
    stdin.write(ENTER);
    const model = buildTraceModel(third);
    f = await frameMatchingStripped(lastFrame, new RegExp(`${model.spans.size} spans[^\\n]* · ${third.traceID}`));
    expect(loadTrace).toHaveBeenCalledWith(third.traceID);
    expect(onOpened).toHaveBeenCalledWith(third.traceID);
    expect(f).toContain('■ istio-policy');
    expect(f).toMatch(/╷0µs/);
    expect(selectedLine(f)).toMatch(/^›▼ ⇄ istio-ingressgateway/);
    expect(f).toMatch(/└─▼ ↔ productpage/); // the partner of the selected gateway client span

    // Navigate down to productpage's call to reviews (the 7th row in v1: no ratings call).
    for (let i = 0; i < 6; i++) stdin.write('j');
    f = await frameMatchingStripped(lastFrame, /\n› *└─▼ ⇄ productpage reviews/);

    // Enter collapses it and shows what it hides.
    const reviewsCall = [...model.spans.values()].find((s) => s.service === 'productpage' && s.operation.startsWith('reviews'))!;
    stdin.write(ENTER);
    f = await frameMatchingStripped(lastFrame, /\n› *└─▶ ⇄ productpage reviews/);
    expect(selectedLine(f)).toContain(`(+${reviewsCall.descendants})`);
    expect(f).not.toMatch(/reviews reviews\.default/);

    // d opens the details of the selected span: the pair and the time between the sidecars.
    stdin.write('d');
    f = await frameMatchingStripped(lastFrame, /─ span details/);
    expect(f).toMatch(/client span of productpage → reviews; server span took/);
    expect(f).toContain(`duration ${formatDuration(reviewsCall.duration)}`);
    expect(f.split('\n')).toHaveLength(23);
    stdin.write('d');
    f = await frameMatchingStripped(lastFrame, /^(?![\s\S]*span details)/);

    // Space expands it again.
    stdin.write(' ');
    f = await frameMatchingStripped(lastFrame, /\n› *└─▼ ⇄ productpage reviews/);
    expect(f).toMatch(/└─[▼─] ↔ reviews reviews\.default/);

    // / searches; Enter lands on the first match at or after the selection; n goes to the next.
    stdin.write('/');
    await frameMatchingStripped(lastFrame, /\/▏/);
    for (const ch of 'istio-policy') stdin.write(ch);
    f = await frameMatchingStripped(lastFrame, /\/istio-policy▏ {2}3 matches/);
    stdin.write(ENTER);
    f = await frameMatchingStripped(lastFrame, /search "istio-policy": 3\/3/);
    expect(selectedLine(f)).toMatch(/istio-policy \/istio\.mixer/);
    stdin.write('n');
    f = await frameMatchingStripped(lastFrame, /search "istio-policy": 1\/3/);
    expect(selectedLine(f)).toMatch(/^› *├── istio-policy/);
    // Esc ends the search (and only the search).
    stdin.write(ESC);
    f = await frameMatchingStripped(lastFrame, /↑↓ move ⏎ collapse/);
    expect(f).toContain(`${model.spans.size} spans`);

    // ? shows the keys, ? hides them.
    stdin.write('?');
    f = await frameMatchingStripped(lastFrame, /Trace waterfall — keys/);
    expect(f).toMatch(/\[ {2}\]\s+collapse all \/ expand all/);
    stdin.write('?');
    await frameMatchingStripped(lastFrame, /↑↓ move ⏎ collapse/);

    // b goes back to the list, where the opened trace is still selected; o opens the most recent.
    stdin.write('b');
    f = await frameMatchingStripped(lastFrame, /Traces · 3 found/);
    lines = f.split('\n');
    expect(lines[lines.findIndex((l) => l.startsWith('›')) + 1]).toContain(third.traceID.slice(0, 7));
    stdin.write('o');
    f = await frameMatchingStripped(lastFrame, new RegExp(`spans[^\\n]* · ${first.traceID}`));
    expect(f).toMatch(/\d+ errors?/);
    expect(onOpened).toHaveBeenLastCalledWith(first.traceID);

    // Opening a trace again uses the model already built (no second fetch) and restores where we were.
    stdin.write('b');
    await frameMatchingStripped(lastFrame, /Traces · 3 found/);
    stdin.write(DOWN);
    stdin.write(ENTER);
    f = await frameMatchingStripped(lastFrame, new RegExp(`spans[^\\n]* · ${third.traceID}`));
    expect(loadTrace.mock.calls.filter(([id]) => id === third.traceID)).toHaveLength(1);
    expect(selectedLine(f)).toMatch(/istio-policy/);

    expect(second).toBeDefined();
    stdin.write('q');
    await sleep(20);
    expect(onQuit).toHaveBeenCalledTimes(1);
  });

  test('a burst of keys in one write (a paste, tmux send-keys) is taken key by key', async () => {
    const { lastFrame, stdin } = await open();
    await frameMatchingStripped(lastFrame, /Traces · 3 found/);
    // Sort by longest, go to the last trace and open it: one chunk.
    stdin.write('sG\r');
    const shortest = [...summaries].sort((a, b) => b.duration - a.duration)[2];
    await frameMatchingStripped(lastFrame, new RegExp(`spans[^\\n]* · ${shortest.traceID}`));
    // Down twice: another.
    stdin.write('jj');
    await frameMatchingStripped(lastFrame, /\n› *├── istio-policy/);
    // To the last row, then a whole search typed, submitted and advanced in one chunk.
    stdin.write('G/istio-policy\rn');
    await frameMatchingStripped(lastFrame, /search "istio-policy": 1\/3/);
  });

  test('a trace that fails to load shows why; r retries, b goes back', async () => {
    let fail = true;
    const loadTrace = vi.fn(async (id: string) => {
      if (fail) throw new Error('jaeger-query answered 503');
      return byId.get(id)!;
    });
    const { lastFrame, stdin } = await open({ loadTrace, initialTraceId: traces[0].traceID });
    let f = await frameMatchingStripped(lastFrame, /Could not load the trace: jaeger-query answered 503/);
    expect(f).toContain(`Trace ${traces[0].traceID}`);
    fail = false;
    stdin.write('r');
    f = await frameMatchingStripped(lastFrame, new RegExp(`spans[^\\n]* · ${traces[0].traceID}`));
    stdin.write('b');
    await frameMatchingStripped(lastFrame, /Traces · 3 found/);
  });

  test('while the traces are fetched, the list says so; quitting works from there', async () => {
    const { lastFrame, stdin, onQuit, rerender } = await open({ traces: null });
    await frameMatchingStripped(lastFrame, /Loading traces…/);
    stdin.write(ENTER); // nothing to open
    rerender(<TraceViewer traces={summaries} loadTrace={async () => traces[0]} onQuit={onQuit} />);
    await frameMatchingStripped(lastFrame, /Traces · 3 found/);
    stdin.write('q');
    await sleep(20);
    expect(onQuit).toHaveBeenCalled();
  });

  test('c marks the critical path, [ collapses everything (counting the hidden errors), ] expands it again', async () => {
    const { lastFrame, stdin } = await open({ initialTraceId: traces[1].traceID });
    let f = await frameMatchingStripped(lastFrame, new RegExp(`spans[^\\n]* · ${traces[1].traceID}`));
    stdin.write('c');
    f = await frameMatchingStripped(lastFrame, /\[critical path\]/);
    expect(selectedLine(f)).toMatch(/\* istio-ingressgateway/);
    stdin.write('[');
    f = await frameMatchingStripped(lastFrame, /▶ /);
    const model = buildTraceModel(traces[1]);
    expect(selectedLine(f)).toContain(`(+${model.spans.size - 1}, ${model.errorCount} error`);
    stdin.write(']');
    await frameMatchingStripped(lastFrame, new RegExp(`1–${model.spans.size}/${model.spans.size}`));
  });

  test('a 20,000-span trace opens and G jumps to its last span', async () => {
    const big = generateTrace(20_000, { seed: 4 });
    const { lastFrame, stdin } = await open({ traces: [summarizeTrace(big)], loadTrace: async () => big, initialTraceId: big.traceID });
    const f = await frameMatchingStripped(lastFrame, /1–\d+\/20000/, 15_000);
    expect(f.split('\n')).toHaveLength(23);
    const t = performance.now();
    stdin.write('G');
    await frameMatchingStripped(lastFrame, /–20000\/20000/);
    // A blow-up guard, not a timing (the key-to-frame figures are `npm run bench`'s): G jumps, it
    // does not walk 20,000 rows. 1 s was once missed (1.16 s) with eight test files on two cores.
    expect(performance.now() - t).toBeLessThan(5_000);
    stdin.write('k');
    stdin.write('k');
    // The selection two rows above the last one, the window unmoved.
    await frameMatchingStripped(lastFrame, /\n›[^\n]*\n[^\n]*\n[^\n]*\n[^\n]*–20000\/20000[^\n]*$/);
  });
});
