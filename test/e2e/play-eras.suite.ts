/**
 * `kubetutor play LESSON --sandbox=S --pace 0` in a real terminal (tmux), on the world of each era:
 * the auto-play types and runs that era's own solution (the gateway forward on the 1.1 pre-release,
 * the Jaeger pod forward on released 1.0, 1.1 and current Istio) and reaches "lesson complete".
 * The lesson's dashboard port is moved to a free one (--port 15032=P). The eras are split over two
 * test files (play-eras*.test.ts) so that workers balance.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tmux } from '../helpers/tmux.js';
import { movedDashboard } from '../helpers/sandbox.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

/** The play test on each of `eras`: [scenario, the forward its solution starts, that forward's remote port]. */
export function playErasSuite(eras: Array<[string, string, string]>): void {
  describe.each(eras)('kubetutor play --pace 0 on %s (tmux)', (scenario, forward, remote) => {
    let term: Tmux | undefined;
    afterAll(() => term?.kill());

    test(`runs to "lesson complete", forwarding with ${forward}`, async () => {
      const dash = await movedDashboard();
      const state = mkdtempSync(join(tmpdir(), 'kubetutor-play-'));
      term = new Tmux(`node ${CLI} play istio-jaeger --sandbox=${scenario} --pace 0 ${dash.flag.join(' ')}`, { width: 120, height: 40, env: { XDG_STATE_HOME: state, TERM: 'xterm-256color' }, cwd: ROOT });
      term.pipeTo(join(state, 'terminal.out'));
      // Step 2 types and runs this era's forward: the banner shows its ports, the sidebar names it.
      await term.waitForShown(`${dash.port}${remote}`, 90_000);
      const name = (n: string) => new RegExp(`[●◌] ${n}(?![\\w-])`);
      const running = await term.waitFor(name(forward), 60_000);
      expect(running).not.toMatch(name(forward === 'jaeger-forward' ? 'jaeger-forward-pod' : 'jaeger-forward'));
      await term.waitFor(/lesson complete/, 150_000);
      expect(term.history()).not.toMatch(/auto-play stopped/);
    }, 240_000);
  });
}
