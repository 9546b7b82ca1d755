/** The trace viewer's compare (m, =) and statistics (T) screens, driven by keys through ink-testing-library. */
import { afterEach, describe, expect, test, vi } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { buildProductpageTrace } from '../../src/sandbox/workloads/istio-trace.js';
import type { JaegerTrace } from '../../src/traces/jaeger-model.js';
import { seededRng } from '../../src/kube/rng.js';
import { generateTrace } from '../../src/traces/generate.js';
import { summarizeTrace } from '../../src/traces/trace-model.js';
import { TraceViewer } from '../../src/ui/TraceViewer.js';
import { frameMatching } from '../helpers/frames.js';

const NOW = 1_700_000_000_000_000;
const DOWN = '\u001B[B';
const ENTER = '\r';
const ESC = '\u001B';
const strip = (s: string) => s.replace(/\u001B\[[0-9;]*m/g, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Newest first in the list: v3 (reviews calls ratings), then v1 (it does not).
const v1 = buildProductpageTrace({ era: '1.1', reviewsVersion: 'v1', nowMicros: NOW, rng: seededRng(1) });
const v3 = buildProductpageTrace({ era: '1.1', reviewsVersion: 'v3', nowMicros: NOW + 2_000_000, rng: seededRng(2) });

describe('TraceViewer: compare and statistics', () => {
  let unmount: (() => void) | undefined;
  afterEach(() => {
    unmount?.();
    unmount = undefined;
  });

  async function open(traces: JaegerTrace[], props: Partial<React.ComponentProps<typeof TraceViewer>> = {}) {
    const byId = new Map(traces.map((t) => [t.traceID, t]));
    const loadTrace = vi.fn(async (id: string) => byId.get(id)!);
    const r = render(<TraceViewer traces={traces.map(summarizeTrace)} loadTrace={loadTrace} onQuit={vi.fn()} color={false} {...props} />);
    unmount = r.unmount;
    await sleep(30);
    const frame = (re: RegExp, ms = 5_000) => frameMatching(r.lastFrame, re, ms, strip);
    return { ...r, frame, loadTrace };
  }

  test('m marks A in the list, = compares it with the selected trace; f, ?, b', async () => {
    const { stdin, frame, lastFrame } = await open([v1, v3]);
    await frame(/Traces · 2 found/);
    // = before anything is marked says what to do.
    stdin.write('=');
    await frame(/mark a trace first: m marks the trace as A/);
    // Mark the older (v1) trace: its row shows A.
    stdin.write(DOWN);
    stdin.write('m');
    let f = await frame(/marked as A: open another trace and press = to compare/);
    expect(f.split('\n').find((l) => l.startsWith('›'))).toMatch(/^›A/);
    // = on the marked trace itself is refused.
    stdin.write('=');
    await frame(/this is the marked trace/);
    // Select the v3 trace and compare.
    stdin.write('k');
    stdin.write('=');
    f = await frame(/Compare · A [0-9a-f]{7} .* vs {2}B [0-9a-f]{7}/);
    expect(f).toMatch(/\+ 3 only in B · - 0 only in A/);
    const lines = f.split('\n');
    expect(lines.filter((l) => /^[› ]\+/.test(l)).map((l) => l.slice(2).trim().split(':')[0])).toEqual(['reviews.default', 'ratings.default', 'istio-policy']);
    expect(lines.find((l) => /^[› ]\+\s+reviews\.default: ratings/.test(l))).toMatch(/—\s+[\d.]+ms\s*$/);
    expect(lines[3]).toMatch(/^›~istio-ingressgateway/);
    // ↓ moves the selection; f keeps only the differences.
    stdin.write('j');
    f = await frame(/^ ~istio-ingressgateway/m);
    stdin.write('f');
    f = await frame(/^ differences only · B − A/m);
    expect(f.split('\n').filter((l) => /^[› ]=/.test(l))).toEqual([]);
    // ? explains the marks; Esc closes it.
    stdin.write('?');
    f = await frame(/Compare — keys and marks/);
    expect(f).toMatch(/\+\s+only in B/);
    stdin.write(ESC);
    await frame(/^ differences only · B − A/m);
    // b goes back to the list, the mark kept.
    stdin.write('b');
    f = await frame(/Traces · 2 found/);
    expect(f).toMatch(/^ A/m);
    expect(lastFrame()).toBeTruthy();
  });

  test('in the waterfall: m marks, = compares with the open trace, b returns to it', async () => {
    const { stdin, frame } = await open([v1, v3], { initialTraceId: v1.traceID });
    await frame(/\d+ spans/);
    stdin.write('m');
    await frame(/marked as A/);
    stdin.write('b');
    await frame(/Traces · 2 found/);
    stdin.write('k');
    stdin.write(ENTER); // v3, the newest
    await frame(/12 spans/);
    stdin.write('=');
    let f = await frame(/Compare · A /);
    expect(f).toContain(`A ${v1.traceID.slice(0, 7)}`);
    expect(f).toContain(`B ${v3.traceID.slice(0, 7)}`);
    stdin.write(ESC);
    f = await frame(/Service  Operation/);
    expect(f).toMatch(/12 spans/);
    expect(f).toMatch(/T stats/);
  });

  test('T opens the statistics table; s sorts, r reverses, t regroups; b returns to the waterfall', async () => {
    const { stdin, frame } = await open([v3], { initialTraceId: v3.traceID });
    await frame(/12 spans/);
    stdin.write('T');
    let f = await frame(/grouped by service · sorted by Total ▼/);
    expect(f).toMatch(/Statistics · trace [0-9a-f]{7}/);
    const groups = (fr: string) => fr.split('\n').filter((l) => /^[› ](\S+)\s+\d+\s/.test(l)).map((l) => l.slice(1).split(/\s+/)[0]);
    expect(groups(f)).toHaveLength(6);
    expect(groups(f)).toContain('ratings.default');
    // s / S: the next / previous column (Avg, Count); r: ascending.
    stdin.write('s');
    await frame(/sorted by Avg ▼/);
    stdin.write('S');
    stdin.write('S');
    f = await frame(/sorted by Count ▼/);
    expect(groups(f)[0]).toBe('istio-policy'); // 4 Mixer Checks
    stdin.write('r');
    f = await frame(/sorted by Count ▲/);
    expect(groups(f)[5]).toBe('istio-policy');
    // t: by service and operation, then by a tag.
    stdin.write('t');
    f = await frame(/grouped by service: operation/);
    stdin.write('t');
    f = await frame(/grouped by tag /);
    // ? lists the keys and what self time is.
    stdin.write('?');
    f = await frame(/Statistics — keys and columns/);
    expect(f).toMatch(/time not covered by the span's children/);
    stdin.write('?');
    stdin.write('b');
    await frame(/12 spans/);
  });

  test('50,000 spans: the table and the comparison come after a "computing" frame, and then scroll', async () => {
    const big = generateTrace(50_000, { seed: 3 });
    const big2 = generateTrace(50_000, { seed: 4 });
    const { stdin, frame, lastFrame } = await open([big, big2], { initialTraceId: big.traceID });
    await frame(/50000 spans/, 20_000);
    stdin.write('T');
    let f = await frame(/grouped by service · sorted by Total/, 20_000);
    expect(f).toMatch(/50000 spans/);
    stdin.write('G');
    f = await frame(/\d+–\d+\/\d+ *$/m);
    stdin.write('b');
    stdin.write('m');
    stdin.write('b');
    await frame(/Traces · 2 found/);
    stdin.write('=');
    await frame(/this is the marked trace/);
    stdin.write('k');
    await frame(/^› istio/m);
    stdin.write('=');
    f = await frame(/Compare · A .*\n.*B − A/, 40_000); // two 50k-span models built and aligned on a shared machine
    // Only the rows that fit are drawn; G goes to the last of the aligned nodes.
    expect(f.split('\n')).toHaveLength(23);
    stdin.write('G');
    f = await frame(/ (\d+)–(\d+)\/\2 *$/m);
    expect(Number(/ (\d+)–(\d+)\/\2 *$/m.exec(f)![2])).toBeGreaterThan(50_000);
    void lastFrame;
  }, 60_000);
});
