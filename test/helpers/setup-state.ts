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

afterAll(() => {
  rmSync(state, { recursive: true, force: true });
});
