/**
 * `npm run bench`: prints figures, never fails on them. Trace viewer: time to
 * open (parse + model) and lay out 10,000- and 50,000-span traces, time from
 * a key press to the next frame, and peak memory.
 */
import React from 'react';
import { performance } from 'node:perf_hooks';
import { generateTrace } from '../traces/generate.js';
import { parseJaegerFile } from '../traces/jaeger-client.js';
import { buildTraceModel, summarizeTrace } from '../traces/trace-model.js';
import { layoutWaterfall } from '../traces/waterfall-layout.js';
import { initialWaterfallState } from '../traces/waterfall-state.js';
import { TraceViewer } from '../ui/TraceViewer.js';

let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const sampler = setInterval(sample, 5);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function keyToFrame(spans: number): Promise<number[]> {
  // ink-testing-library renders to an in-memory stdout: the time measured is React + layout + Ink's output.
  const { render } = await import('ink-testing-library');
  const trace = generateTrace(spans, { seed: 11 });
  const r = render(React.createElement(TraceViewer, { traces: [summarizeTrace(trace)], loadTrace: async () => trace, initialTraceId: trace.traceID, onQuit: () => undefined }));
  const wait = async (pred: () => boolean) => {
    const end = Date.now() + 20_000;
    while (!pred() && Date.now() < end) await new Promise((res) => setImmediate(res));
  };
  await wait(() => (r.lastFrame() ?? '').includes('│'));
  await new Promise((res) => setTimeout(res, 50));
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const before = r.lastFrame();
    const t0 = performance.now();
    r.stdin.write(i % 2 ? 'k' : 'j');
    await wait(() => r.lastFrame() !== before);
    times.push(performance.now() - t0);
  }
  r.unmount();
  return times;
}

async function main() {
  console.log('kubetutor bench — trace viewer (Node %s, %s)', process.versions.node, new Date().toISOString());
  for (const n of [10_000, 50_000]) {
    const json = JSON.stringify(generateTrace(n, { seed: 7 }));
    const opens: number[] = [];
    const layouts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const [trace] = parseJaegerFile(json);
      const model = buildTraceModel(trace);
      const t1 = performance.now();
      layoutWaterfall(model, initialWaterfallState(model), { width: 160, height: 48, color: true });
      const t2 = performance.now();
      opens.push(t1 - t0);
      layouts.push(t2 - t1);
      sample();
    }
    console.log(`${n.toLocaleString('en')} spans (${(json.length / 1e6).toFixed(1)} MB JSON): open (parse + model) median ${ms(median(opens))}; first screen layout median ${ms(median(layouts))}`);
  }
  for (const n of [10_000, 50_000]) {
    const t = await keyToFrame(n);
    console.log(`${n.toLocaleString('en')} spans: key press to next frame median ${ms(median(t))}, p95 ${ms(p95(t))} (30 presses)`);
  }
  sample();
  console.log(`peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
  clearInterval(sampler);
  await idleMinute();
}

/** Cluster load: API requests an idle learner on a step costs the sandbox in one minute (watches held open). */
async function idleMinute() {
  if (process.argv.includes('--quick')) return;
  const { openTarget } = await import('../cluster/target.js');
  const { loadLesson } = await import('../lesson/load.js');
  const { bundledLessonsDir } = await import('../lesson/load.js');
  const { Session } = await import('../engine/session.js');
  const target = await openTarget({ sandbox: 'ready' });
  const session = new Session(await loadLesson(`${bundledLessonsDir()}/istio-jaeger`), target);
  session.start();
  const until = Date.now() + 30_000;
  while (session.view.engine.current < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 10_000)); // the first 10 s: initial lists and watches
  const stats = target.sandbox!.api.stats;
  const runner = () => stats.total - stats.fromKubectl;
  const before = runner();
  await new Promise((r) => setTimeout(r, 60_000));
  console.log(`idle learner on step ${session.view.engine.current + 1} (port-forward): ${runner() - before} API requests in 60 s after the first 10 s; ${stats.watchesOpen} watches open; ${session.clusterRequests?.informers ?? 0} informers`);
  await session.close();
  await target.close();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
