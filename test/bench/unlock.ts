/**
 * Target 2: from the sandbox state change that satisfies a step to the frame
 * showing that step passed. The lesson runs as in `kubetutor start` (Session
 * + App, real client-node watches over HTTPS against the embedded sandbox,
 * which shares the process as it does in the CLI); Ink draws into an
 * in-memory terminal whose writes are timed. Each trial takes away the
 * Gateway of step 1 (its last check), starts a new session on the step (the
 * App starts it, as in the CLI),
 * waits until the step shows as not passing, then puts the Gateway back
 * (the state change, timed from the store write) and waits for the frame
 * with step 1 passed.
 */
import React from 'react';
import { performance } from 'node:perf_hooks';
import { render } from 'ink-testing-library';
import { openTarget } from '../../src/cluster/target.js';
import { bundledLessonsDir, loadLesson } from '../../src/lesson/load.js';
import { Session } from '../../src/engine/session.js';
import { KubeClient } from '../../src/cluster/kube-client.js';
import { App } from '../../src/ui/App.js';
import { leanHeap } from '../../src/lean-heap.js';
import { median, percentile, round, sleep, type Figure } from './stats.js';

export async function unlockLatency(trials: number): Promise<Figure[]> {
  leanHeap(); // as `kubetutor start` runs
  const target = await openTarget({ sandbox: 'ready' });
  const sb = target.sandbox!;
  await sb.settled();
  const lesson = await loadLesson(`${bundledLessonsDir()}/istio-jaeger`);
  const rt = sb.types.byKey('networking.istio.io/gateways')!;
  const gateway = sb.store.get(rt, 'default', 'bookinfo-gateway')!;
  const { resourceVersion: _rv, uid: _uid, ...meta } = gateway.metadata;
  const times: number[] = [];
  try {
    for (let i = 0; i < trials; i++) {
      sb.store.delete(rt, 'default', 'bookinfo-gateway');
      // Each session gets its own client, as each `kubetutor start` does (a client's watches end with its session).
      const client = KubeClient.fromKubeconfigText(sb.kubeconfig);
      const session = new Session(lesson, { ...target, client: async () => client });
      const app = render(React.createElement(App, { session, confirmTarget: false, color: true }));
      let passedAt = 0;
      let t0 = 0;
      // Every frame Ink writes, timed as it is written.
      const write = app.stdout.write.bind(app.stdout);
      app.stdout.write = (frame: string) => {
        if (process.env.KT_DEBUG && t0) console.log("frame", (performance.now() - t0).toFixed(1), frame.split("\n").find((l) => l.includes(" 1 Check")));
        if (!passedAt && /· 1 passed/.test(frame)) passedAt = performance.now();
        write(frame);
      };
      const until = Date.now() + 30_000;
      while (!/✗ .*bookinfo-gateway/.test(app.lastFrame() ?? '') && Date.now() < until) await sleep(20);
      if (Date.now() >= until) throw new Error(`step 1 never showed the missing Gateway:\n${app.lastFrame()}`);
      await sleep(300); // settle: the watches are open, no check in flight
      t0 = performance.now();
      sb.store.create(rt, { ...gateway, metadata: meta });
      while (!passedAt && Date.now() < until + 30_000) await sleep(1);
      if (!passedAt) throw new Error(`step 1 never passed:\n${app.lastFrame()}`);
      times.push(passedAt - t0);
      app.unmount();
      await session.close();
    }
  } finally {
    await target.close();
  }
  const p95 = percentile(times, 95);
  return [
    { name: 'unlock latency p95', value: round(p95), unit: 'ms', target: '<= 150', pass: p95 <= 150, detail: `${trials} trials; median ${round(median(times))} ms, max ${round(Math.max(...times))} ms` },
  ];
}
