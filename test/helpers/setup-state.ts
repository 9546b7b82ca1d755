/**
 * Runs before every test file (vitest.config.ts `setupFiles`): the file gets a state folder of its
 * own (XDG_STATE_HOME: progress, trusted lessons, process records, the error log), inherited by
 * every CLI it spawns. Test files run in parallel, so none may see another's records or progress,
 * nor the state of the person running the tests. A test that sets XDG_STATE_HOME itself still wins.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const state = mkdtempSync(join(tmpdir(), 'kubetutor-test-state-'));
process.env.XDG_STATE_HOME = state;

// The suite runs the real kubectl about a thousand times, each a short-lived Go program that
// collects its start-up garbage a few times: with GOGC=400 (collect when the heap has grown by
// 400 %, not 100 %) those runs take ~15 % less CPU, measured. It changes when kubectl collects,
// nothing it does.
process.env.GOGC ??= '400';

afterAll(() => {
  rmSync(state, { recursive: true, force: true });
});
