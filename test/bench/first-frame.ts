/**
 * Target 1: from process start to the lesson's first frame in a real
 * pseudo-terminal, against `node -e 0` run the same way in the same run.
 * Both are started through the same PTY wrapper (script + sh + stty); its
 * own cost, measured with `true`, is shown too.
 *
 * Time to interactive (issue 14): `?` is typed into the terminal the moment
 * `kubetutor start` is spawned (before Node has even set raw mode, as a
 * learner typing ahead does); the figure is the time until the help it asks
 * for is on screen, against the same `node -e 0`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnPty } from './pty.js';
import { median, round, sleep, type Figure } from './stats.js';

const FOOTER = 'q quit'; // the last keys the lesson screen's key line shows
const HELP = 'show or hide this help'; // the help's line for ? itself

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
  const helpShown: number[] = [];
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
    helpShown.push(await timeToHelp(cli));
    await sleep(200);
  }
  const ratio = median(frames) / median(nodeZero);
  const ttiRatio = median(helpShown) / median(nodeZero);
  return {
    tti,
    figures: [
      { name: 'node -e 0 (median)', value: round(median(nodeZero)), unit: 'ms', target: '', pass: null, detail: `${trials} runs in the same PTY wrapper` },
      { name: 'PTY wrapper alone (median)', value: round(median(wrapper)), unit: 'ms', target: '', pass: null, detail: 'script + sh + stty + true' },
      { name: 'first frame of the lesson (median)', value: round(median(frames)), unit: 'ms', target: '', pass: null, detail: `kubetutor start, sandbox, ${trials} runs` },
      { name: 'first frame / node -e 0', value: round(ratio, 2), unit: '×', target: '<= 3', pass: ratio <= 3 },
      { name: 'time to interactive: ? typed at spawn, help shown (median)', value: round(median(helpShown)), unit: 'ms', target: '', pass: null, detail: `${trials} runs; worst ${round(Math.max(...helpShown))} ms` },
      { name: 'time to interactive / node -e 0', value: round(ttiRatio, 2), unit: '×', target: '<= 4', pass: ttiRatio <= 4 },
      { name: 'first live frame, Ink (median)', value: round(median(tti)), unit: 'ms', target: '', pass: null, detail: 'Ink has taken over; keys the first frame kept are acted on here' },
    ],
  };
}

/** From spawn to the help on screen, `?` typed at once (a fresh state folder each time). */
async function timeToHelp(cli: string): Promise<number> {
  const state = mkdtempSync(join(tmpdir(), 'kubetutor-bench-'));
  try {
    const t0 = performance.now();
    const run = spawnPty([process.execPath, cli, 'start', 'istio-jaeger'], { env: { ...process.env, XDG_STATE_HOME: state, CI: '' } });
    run.write('?');
    const shown = (await run.waitFor(HELP)) - t0;
    // q now: the first frame cannot act on it, so it waits for the live screen, which quits.
    run.write('q');
    const quit = setTimeout(() => run.kill(), 30_000);
    await run.exited;
    clearTimeout(quit);
    return shown;
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}
