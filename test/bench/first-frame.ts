/**
 * Target 1: from process start to the lesson's first frame in a real
 * pseudo-terminal, against `node -e 0` run the same way in the same run.
 * Both are started through the same PTY wrapper (script + sh + stty); its
 * own cost, measured with `true`, is shown too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnPty } from './pty.js';
import { median, round, sleep, type Figure } from './stats.js';

const FOOTER = 'q quit'; // the last keys the lesson screen's key line shows

async function timeToExit(argv: string[]): Promise<number> {
  const t0 = performance.now();
  const run = spawnPty(argv);
  await run.exited;
  return performance.now() - t0;
}

export async function firstFrame(cli: string, trials: number): Promise<{ figures: Figure[]; tti: number[] }> {
  const wrapper: number[] = [];
  const nodeZero: number[] = [];
  const frames: number[] = [];
  const tti: number[] = [];
  for (let i = 0; i < trials; i++) {
    wrapper.push(await timeToExit(['true']));
    nodeZero.push(await timeToExit([process.execPath, '-e', '0']));
    // A fresh state folder: no saved progress, the lesson as a newcomer sees it.
    const state = mkdtempSync(join(tmpdir(), 'kubetutor-bench-'));
    const t0 = performance.now();
    const run = spawnPty([process.execPath, cli, 'start', 'istio-jaeger'], { env: { ...process.env, XDG_STATE_HOME: state, CI: '' } });
    frames.push((await run.waitFor(FOOTER)) - t0);
    // Interactive: Ink has replaced the first frame (it erases it first) and the checks have run.
    const drawnAgain = run.mark();
    tti.push((await run.waitFor(FOOTER, 30_000, drawnAgain)) - t0);
    await sleep(500);
    run.write('q');
    await run.exited;
    rmSync(state, { recursive: true, force: true });
    await sleep(200);
  }
  const ratio = median(frames) / median(nodeZero);
  return {
    tti,
    figures: [
      { name: 'node -e 0 (median)', value: round(median(nodeZero)), unit: 'ms', target: '', pass: null, detail: `${trials} runs in the same PTY wrapper` },
      { name: 'PTY wrapper alone (median)', value: round(median(wrapper)), unit: 'ms', target: '', pass: null, detail: 'script + sh + stty + true' },
      { name: 'first frame of the lesson (median)', value: round(median(frames)), unit: 'ms', target: '', pass: null, detail: `kubetutor start, sandbox, ${trials} runs` },
      { name: 'first frame / node -e 0', value: round(ratio, 2), unit: '×', target: '<= 3', pass: ratio <= 3 },
      { name: 'first live frame, Ink (median)', value: round(median(tti)), unit: 'ms', target: '', pass: null, detail: 'keys handled from here (earlier ones wait)' },
    ],
  };
}
