/**
 * Target 4: big traces. Parse + model + first-screen layout of a 10,000-span
 * trace in this process; then, through the built CLI in a real PTY
 * (`kubetutor traces --file`), the time from a key press in the waterfall to
 * the terminal receiving the next frame, and the peak RSS of opening and
 * scrolling a 50,000-span trace (its own process, so nothing else counts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateTrace } from '../../src/traces/generate.js';
import { parseJaegerFile } from '../../src/traces/jaeger-client.js';
import { buildTraceModel } from '../../src/traces/trace-model.js';
import { layoutWaterfall } from '../../src/traces/waterfall-layout.js';
import { initialWaterfallState } from '../../src/traces/waterfall-state.js';
import { compareTraces, compareTracesInSlices } from '../../src/traces/trace-compare.js';
import { traceStats, traceStatsInSlices } from '../../src/traces/trace-stats.js';
import { layoutComparison, layoutStats } from '../../src/traces/analysis-layout.js';
import type { JaegerTrace } from '../../src/traces/jaeger-model.js';
import { spawnPty } from './pty.js';
import { median, percentile, round, sleep, type Figure } from './stats.js';

export function openAndLayout(spans: number, runs = 7): { total: number[]; open: number[]; layout: number[]; mb: number } {
  const json = JSON.stringify({ data: [generateTrace(spans, { seed: 7 })] });
  const total: number[] = [];
  const open: number[] = [];
  const layout: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const [trace] = parseJaegerFile(json);
    const model = buildTraceModel(trace);
    const t1 = performance.now();
    layoutWaterfall(model, initialWaterfallState(model), { width: 160, height: 48, color: true });
    const t2 = performance.now();
    open.push(t1 - t0);
    layout.push(t2 - t1);
    total.push(t2 - t0);
  }
  return { total, open, layout, mb: json.length / 1e6 };
}

const WATERFALL = /\d+ spans/; // the waterfall's header names the span count

/** Runs `kubetutor traces --file` on a generated trace in a PTY; presses keys; returns key→frame times and peak RSS. */
async function viewInPty(cli: string, spans: number, presses: number): Promise<{ keyToFrame: number[]; openMs: number; peakMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kubetutor-bench-'));
  const file = join(dir, `trace-${spans}.json`);
  const trace = generateTrace(spans, { seed: 7 });
  writeFileSync(file, JSON.stringify({ data: [trace] }));
  try {
    const t0 = performance.now();
    const run = spawnPty([process.execPath, cli, 'traces', '--file', file, '--trace', trace.traceID], { rows: 40, cols: 140, env: { ...process.env, XDG_STATE_HOME: dir, CI: '' } });
    const openMs = (await run.waitFor(WATERFALL, 60_000)) - t0;
    await sleep(500);
    const keyToFrame: number[] = [];
    // Scroll: down and up a line (alternating, so every press changes the frame), then pages and the ends.
    const keys = [...Array.from({ length: presses }, (_, i) => (i % 2 ? 'k' : 'j')), '\x1b[6~', '\x1b[6~', '\x1b[6~', 'G', '\x1b[5~', 'g'];
    for (const k of keys) {
      const from = run.mark();
      const t = performance.now();
      run.write(k);
      const at = await run.waitFor(/[^]/, 10_000, from);
      if (k === 'j' || k === 'k') keyToFrame.push(at - t);
      await sleep(120); // a learner's pace, past Ink's frame throttle (30 fps)
    }
    run.write('q');
    await run.exited;
    return { keyToFrame, openMs, peakMb: run.peakRssMb() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** B: A with every span 10% slower and one span in 50 left out (so the alignment has work of every kind). */
function edited(a: JaegerTrace): JaegerTrace {
  const b = structuredClone(a);
  b.spans = b.spans.filter((_, i) => i === 0 || i % 50 !== 0).map((s) => ({ ...s, duration: Math.round(s.duration * 1.1) }));
  return b;
}

/**
 * Issue 17: compare and statistics on big traces, computed once per trace (fresh models each run, so
 * nothing is memoised), and the frame a key then costs (layout of the window only).
 */
/**
 * The longest single slice when a job runs in the viewer's timer slices: wall time, and the CPU
 * time this process spent in it (on a loaded machine the wall time also counts the time the OS
 * gave other processes).
 */
function longestSlice<T>(step: () => T | undefined): { wall: number; cpu: number } {
  let wall = 0;
  let cpu = 0;
  for (;;) {
    const c = process.cpuUsage();
    const t = performance.now();
    const v = step();
    wall = Math.max(wall, performance.now() - t);
    const d = process.cpuUsage(c);
    cpu = Math.max(cpu, (d.user + d.system) / 1000);
    if (v !== undefined) return { wall, cpu };
  }
}

export function analysis(spans: number, runs = 5): { compare: number[]; stats: number[]; statsTag: number[]; frame: number[]; slice: number[]; sliceCpu: number[]; rows: number } {
  const a = generateTrace(spans, { seed: 7 });
  const b = edited(a);
  const compare: number[] = [];
  const stats: number[] = [];
  const statsTag: number[] = [];
  const frame: number[] = [];
  const slice: number[] = [];
  const sliceCpu: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    // As the viewer runs them: in ~15 ms slices off fresh models; the longest slice is the longest a key can wait.
    const sa = buildTraceModel(a);
    const sb = buildTraceModel(b);
    const lc = longestSlice(compareTracesInSlices(sa, sb).step);
    const ls = longestSlice(traceStatsInSlices(sb, { by: 'operation' }).step);
    slice.push(Math.max(lc.wall, ls.wall));
    sliceCpu.push(Math.max(lc.cpu, ls.cpu));
    const ma = buildTraceModel(a);
    const mb = buildTraceModel(b);
    const t0 = performance.now();
    const c = compareTraces(ma, mb);
    const t1 = performance.now();
    const st = traceStats(mb, { by: 'operation' });
    const t2 = performance.now();
    traceStats(mb, { by: 'tag', key: 'http.status_code' });
    const t3 = performance.now();
    compare.push(t1 - t0);
    stats.push(t2 - t1);
    statsTag.push(t3 - t2);
    rows = c.rows.length;
    // A key's frame once computed: the window of the comparison and of the table, scrolled deep.
    const f0 = performance.now();
    layoutComparison(c, { selected: Math.floor(rows / 2), scroll: Math.floor(rows / 2), differencesOnly: false }, { width: 160, height: 45 });
    layoutStats(st, { selected: 0, scroll: 0, sort: 'self', descending: true }, 'bench', { width: 160, height: 45 });
    frame.push(performance.now() - f0);
  }
  return { compare, stats, statsTag, frame, slice, sliceCpu, rows };
}

function analysisFigures(): Figure[] {
  const out: Figure[] = [];
  for (const n of [10_000, 50_000]) {
    const r = analysis(n);
    const k = `${n / 1000}k spans`;
    const fr = median(r.frame);
    const sl = median(r.slice);
    const slCpu = median(r.sliceCpu);
    out.push(
      { name: `${k}: compare two traces (once per pair)`, value: round(median(r.compare)), unit: 'ms', target: '', pass: null, detail: `median of 5; ${r.rows} aligned nodes; B = A 10% slower, 1 span in 50 removed` },
      { name: `${k}: statistics by service: operation (once per grouping)`, value: round(median(r.stats)), unit: 'ms', target: '', pass: null, detail: `by tag http.status_code ${round(median(r.statsTag))} ms; self and critical-path times included` },
      { name: `${k}: longest pause while computing (viewer's slices)`, value: round(sl, 1), unit: 'ms', target: '<= 50', pass: sl <= 50, detail: `median over 5 runs of the longest slice (wall); its CPU time ${round(slCpu, 1)} ms; compare and statistics run in ~15 ms timer slices, keys are read between them` },
      { name: `${k}: compare + statistics frame after a key`, value: round(fr, 2), unit: 'ms', target: '<= 50', pass: fr <= 50, detail: 'layout of the visible rows of both screens, 160x45, sorted by self time' },
    );
  }
  return out;
}

export async function bigTraces(cli: string): Promise<Figure[]> {
  const ten = openAndLayout(10_000);
  const tenMedian = median(ten.total);
  const view10 = await viewInPty(cli, 10_000, 40);
  const view50 = await viewInPty(cli, 50_000, 20);
  const p95k = percentile(view10.keyToFrame, 95);
  return [
    ...analysisFigures(),
    { name: '10k spans: parse + model + layout (median)', value: round(tenMedian), unit: 'ms', target: '<= 200', pass: tenMedian <= 200, detail: `${ten.mb.toFixed(1)} MB JSON; parse + model ${round(median(ten.open))} ms, layout ${round(median(ten.layout))} ms; 7 runs` },
    { name: '10k spans: key press to next frame p95', value: round(p95k), unit: 'ms', target: '<= 50', pass: p95k <= 50, detail: `real PTY, ${view10.keyToFrame.length} presses of j/k; median ${round(median(view10.keyToFrame))} ms` },
    { name: '50k spans: key press to next frame p95', value: round(percentile(view50.keyToFrame, 95)), unit: 'ms', target: '', pass: null, detail: `median ${round(median(view50.keyToFrame))} ms` },
    { name: '50k spans: CLI start to waterfall', value: round(view50.openMs), unit: 'ms', target: '', pass: null, detail: 'kubetutor traces --file, 40 MB JSON' },
    { name: '50k spans: peak RSS, open + scroll', value: round(view50.peakMb, 0), unit: 'MB', target: '<= 300', pass: view50.peakMb <= 300, detail: 'the CLI process alone (VmHWM)' },
  ];
}
