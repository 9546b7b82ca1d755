/**
 * A port the lesson forwards, held by another program: `test`, `check` and `play` say at once
 * which process holds it and what to do; the runner's own pieces (self-test, auto-play) stop
 * with that message instead of waiting for checks that cannot pass. The held port is a free one
 * of this test's own, which the lesson's 15032 is moved to with --port: 15032 itself is never
 * needed (nor touched).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { Tmux } from '../helpers/tmux.js';
import { App } from '../../src/ui/App.js';
import { Player } from '../../src/engine/player.js';
import { Session } from '../../src/engine/session.js';
import { openTarget } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { selfTest } from '../../src/authoring/self-test.js';
import { FAST, eventually, movedDashboard, stopChild } from '../helpers/sandbox.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const LESSON = join(ROOT, 'lessons', 'istio-jaeger');

interface Run { code: number; stdout: string; stderr: string }
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Another program (a tiny web server, not kubetutor's) listening on 127.0.0.1:port. */
async function holdPort(port: number): Promise<ChildProcess> {
  const script = join(mkdtempSync(join(tmpdir(), 'kubetutor-holder-')), 'other-program.mjs');
  writeFileSync(script, `import http from 'node:http';\nhttp.createServer((q, s) => s.end('not jaeger')).listen(Number(process.argv[2]), '127.0.0.1', () => console.log('up'));\n`);
  const child = spawn(process.execPath, [script, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d) => /up/.test(String(d)) && resolve()));
  return child;
}

let dash: Awaited<ReturnType<typeof movedDashboard>>;
let holder: ChildProcess;
const state = mkdtempSync(join(tmpdir(), 'kubetutor-taken-'));
beforeAll(async () => {
  dash = await movedDashboard();
  holder = await holdPort(dash.port);
});
afterAll(() => stopChild(holder));

describe('the commands say at once who holds the port, and what to do', () => {
  test('kubetutor test: before any step runs', async () => {
    const r = await cli(['test', 'istio-jaeger', ...dash.flag], { XDG_STATE_HOME: state });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^kubetutor: port ${dash.port}, where the lesson's forwards ("[\\w-]+", )*"[\\w-]+" and "[\\w-]+" listen \\(step port-forward\\), is taken by pid ${holder.pid} \\(`));
    expect(r.stderr).toMatch(new RegExp(`\\(.*other-program\\.mjs ${dash.port}\\)\\. Stop that process, or run again with --port 15032=\\d+ \\(or --port 15032=auto for any free port\\)\\.\n$`));
  });

  test('kubetutor check: the failing dashboard check names the holder', async () => {
    const r = await cli(['check', 'istio-jaeger', '--sandbox=ready', '--step', 'port-forward', ...dash.flag], { XDG_STATE_HOME: state });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ port-forward: GET http://localhost:${dash.port}/ answered 200 OK without "Jaeger UI"`);
    expect(r.stdout).toMatch(new RegExp(`· 127\\.0\\.0\\.1:${dash.port} is held by pid ${holder.pid} \\(.*other-program\\.mjs \\d+\\), not a port-forward: stop that process, or forward another local port and run again with --port 15032=THAT_PORT`));
  });

  test('kubetutor play: refused before the screen takes over, at 80 columns', async () => {
    const term = new Tmux(`node ${CLI} play --sandbox=fresh ${dash.flag.join(' ')}`, { width: 80, height: 24, env: { XDG_STATE_HOME: state }, cwd: ROOT });
    try {
      const screen = await eventually(() => {
        const s = term.screen().replace(/\n/g, '');
        return s.includes('any free port).') && s;
      }, 20_000, 'the refusal on screen');
      expect(screen).toContain(`kubetutor: port ${dash.port}, where the lesson's forwards`);
      expect(screen).toContain(`is taken by pid ${holder.pid} (`);
      expect(screen).toMatch(/Stop that process, or run again with --port 15032=\d+/);
    } finally {
      term.kill();
    }
  });

  test('a bad --port value, or a port the lesson does not use, is one line', async () => {
    const a = await cli(['check', 'istio-jaeger', '--sandbox', '--port', '15032'], { XDG_STATE_HOME: state });
    expect(a.code).toBe(2);
    expect(a.stderr).toBe('kubetutor: --port wants LESSON_PORT=LOCAL_PORT (e.g. --port 15032=15099, or 15032=auto for any free port), not "15032"\n');
    const b = await cli(['test', 'istio-jaeger', '--port', '8080=8081'], { XDG_STATE_HOME: state });
    expect(b.code).toBe(2);
    expect(b.stderr).toBe('kubetutor: lesson istio-jaeger uses no local port 8080 (its ports: 15032)\n');
  });
});

describe('taken while running: the runner stops there, naming the holder', () => {
  test('self-test: the port-forward step reports the holder instead of waiting out its timeout', async () => {
    const reports = await selfTest(await loadLesson(LESSON), { scenario: 'fresh', sandboxTiming: FAST, timeoutMs: 50_000, ports: dash.ports });
    expect(reports.map((r) => [r.step, r.ok])).toEqual([['prerequisites', true], ['port-forward', false]]);
    expect(reports[1].problem).toMatch(new RegExp(`^port ${dash.port} is taken by pid ${holder.pid} \\(.*other-program\\.mjs \\d+\\), so its forward jaeger-forward could not start: stop that process, or run again with --port 15032=\\d+$`));
  }, 90_000);

  test('auto-play: stops on the port-forward step with the holder on screen', async () => {
    const target = await openTarget({ sandbox: 'fresh', sandboxTiming: FAST });
    const session = new Session(await loadLesson(LESSON), target, { intervalMs: 200, ports: dash.ports, trusted: true });
    const player = new Player(session, { pace: 0, msPerChar: 0, stepTimeoutMs: 50_000 });
    const r = render(React.createElement(App, { session, player, copy: () => undefined }));
    try {
      await eventually(() => player.state.phase === 'failed', 60_000, 'auto-play to stop');
      expect(player.state.step).toBe(1);
      expect(player.state.message).toMatch(new RegExp(`^jaeger-forward: port ${dash.port} is taken by pid ${holder.pid} \\(.*\\); stop that process, or run this forward on \\d+ instead: auto-play stopped$`));
      // The sandbox runs in this worker: under the full suite's load its next frame can take seconds.
      await eventually(() => /auto-play stopped/.test(r.lastFrame() ?? ''), 20_000, 'the message on screen');
    } finally {
      player.stop();
      r.unmount();
      await session.close();
      await target.close();
    }
  }, 90_000);
});
