/**
 * Target 5: peak memory of a whole lesson run. `kubetutor play` drives the
 * whole lesson through the real screen in a PTY, on a sandbox where Bookinfo
 * is not deployed yet (scenario fresh): every step's solution is run, its
 * checks awaited, traffic sent, traces read, forwards stopped. The figure is
 * the runner's own peak RSS (it holds the embedded sandbox too); the kubectl
 * and curl processes it starts are separate programs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnPty } from './pty.js';
import { round, type Figure } from './stats.js';

export async function wholeLesson(cli: string): Promise<Figure[]> {
  const state = mkdtempSync(join(tmpdir(), 'kubetutor-bench-'));
  try {
    const t0 = performance.now();
    const run = spawnPty([process.execPath, cli, 'play', 'istio-jaeger', '--sandbox=fresh', '--pace', '0'], { env: { ...process.env, XDG_STATE_HOME: state, CI: '' } });
    await run.waitFor(/auto-play done|auto-play stopped/, 300_000);
    const ok = /auto-play done/.test(run.output);
    const seconds = (performance.now() - t0) / 1000;
    run.write('q');
    await run.exited;
    const peak = run.peakRssMb();
    return [
      { name: 'whole lesson run: peak RSS', value: round(peak, 0), unit: 'MB', target: '<= 150', pass: ok && peak <= 150, detail: `${ok ? 'every step passed' : 'THE RUN FAILED'}; kubetutor play on scenario fresh, ${round(seconds, 0)} s` },
    ];
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}
