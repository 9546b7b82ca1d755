/**
 * End-to-end: the built CLI walks the whole Jaeger lesson on the sandbox, once
 * through `kubetutor check` and once in a real terminal (tmux). The lesson's
 * dashboard port (15032) is moved to a free port of each test's own
 * (`--port 15032=P`, the Session's `ports`): nothing here needs 15032 free.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { Tmux } from '../helpers/tmux.js';
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import { Player } from '../../src/engine/player.js';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { FAST, eventually, kubectlPath, movedDashboard, startFastSandbox } from '../helpers/sandbox.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const LESSON = join(ROOT, 'lessons', 'istio-jaeger');

interface Run { code: number; stdout: string; stderr: string }
function cli(args: string[], env: Record<string, string> = {}, timeout = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env: { ...process.env, ...env }, timeout }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}
function sh(cmd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', cmd], { env: { ...process.env, ...env }, cwd: LESSON, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('kubetutor check', () => {
  test('prerequisites pass on the ready sandbox', async () => {
    const r = await cli(['check', 'istio-jaeger', '--sandbox=ready', '--step', 'prerequisites']);
    expect(r.stderr).toMatch(/target: sandbox \(scenario ready\)/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ prerequisites: /m);
  });

  test('without sidecars it fails and says the pods lack istio-proxy', async () => {
    const r = await cli(['check', 'istio-jaeger', '--sandbox=no-sidecar', '--step', 'prerequisites']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ prerequisites: .*istio-proxy/);
    expect(r.stdout).toMatch(/istio-injection=enabled/);
  });

  test('--json prints one record per check', async () => {
    const r = await cli(['check', 'istio-jaeger', '--sandbox=not-ready', '--step', 'prerequisites', '--json']);
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout) as Array<{ step: string; check: string; ok: boolean; summary: string; diagnosis: string[] }>;
    expect(rows.every((x) => x.step === 'prerequisites' && typeof x.summary === 'string' && Array.isArray(x.diagnosis))).toBe(true);
    const failing = rows.filter((x) => !x.ok);
    expect(failing.some((x) => x.diagnosis.some((d) => /ImagePullBackOff/.test(d)))).toBe(true);
  });

  test('an unreachable cluster is one clear line saying what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubetutor-gone-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, ['apiVersion: v1', 'kind: Config', 'clusters: [{name: gone, cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}}]', 'users: [{name: u, user: {token: t}}]', 'contexts: [{name: gone, context: {cluster: gone, user: u}}]', 'current-context: gone', ''].join('\n'));
    const r = await cli(['check', 'istio-jaeger', '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^target: context gone \(https:\/\/127\.0\.0\.1:9\)\nkubetutor: cannot reach the cluster at https:\/\/127\.0\.0\.1:9: .* — is it running\? \(kubectl --context gone cluster-info\)\n$/);
  });

  test('an unknown step or lesson is one clear line', async () => {
    const a = await cli(['check', 'istio-jaeger', '--sandbox', '--step', 'nope']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^kubetutor: lesson istio-jaeger has no step "nope"; its steps: prerequisites, port-forward, traffic, traces, cleanup\n$/);
    const b = await cli(['check', 'no-such-lesson', '--sandbox']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^kubetutor: unknown lesson "no-such-lesson"/);
  });
});

/** All five steps through the CLI: a sandbox of its own, the steps' commands run by hand, `check` after each. */
describe('walking the lesson with kubetutor check against a running sandbox', () => {
  let sandbox: ChildProcess;
  let forward: ChildProcess | undefined;
  let env: Record<string, string>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubetutor-walk-'));
    const kubeconfig = join(dir, 'kubeconfig');
    sandbox = spawn('node', [CLI, 'sandbox', '--scenario', 'fresh', '--kubeconfig-out', kubeconfig], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve) => sandbox.stdout!.on('data', (d) => /kubeconfig: /.test(String(d)) && resolve()));
    env = { KUBECONFIG: kubeconfig, XDG_STATE_HOME: dir };
  });
  afterAll(async () => {
    const gone = (p?: ChildProcess) => (p && p.exitCode === null && p.signalCode === null ? new Promise((r) => p.once('exit', r)) : Promise.resolve());
    forward?.kill('SIGTERM');
    sandbox?.kill('SIGTERM');
    await Promise.all([gone(forward), gone(sandbox)]);
  });
  let dash: Awaited<ReturnType<typeof movedDashboard>>;
  const check = (step: string, extra: Record<string, string> = {}) => cli(['check', 'istio-jaeger', '--kubeconfig', env.KUBECONFIG, '--step', step, ...dash.flag], { ...env, ...extra });

  test('each step fails before its commands run and passes after', async () => {
    dash = await movedDashboard();
    expect((await check('prerequisites')).code).toBe(1);
    for (const cmd of ['kubectl label namespace default istio-injection=enabled --overwrite', 'kubectl apply -f bookinfo.yaml -f bookinfo-gateway.yaml', 'kubectl wait deployment --all --for condition=Available --timeout 60s']) {
      expect((await sh(cmd, env)).code).toBe(0);
    }
    const pre = await check('prerequisites');
    expect(pre.stdout).not.toMatch(/✗/);
    expect(pre.code).toBe(0);

    expect((await check('port-forward')).code).toBe(1);
    // The real kubectl port-forward, as the step's command starts it.
    forward = spawn('bash', ['-c', `exec kubectl -n istio-system port-forward "$(kubectl -n istio-system get pod -l app=istio-ingressgateway -o jsonpath='{.items[0].metadata.name}')" ${dash.port}:15032`], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => forward!.stdout!.on('data', (d) => /Forwarding from/.test(String(d)) && resolve()));
    expect((await check('port-forward')).code).toBe(0);

    const port = (await sh(`kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="http2")].nodePort}'`, env)).stdout;
    const host = (await sh(`kubectl -n istio-system get pod -l istio=ingressgateway -o jsonpath='{.items[0].status.hostIP}'`, env)).stdout;
    const GATEWAY_URL = `${host}:${port}`;
    expect((await check('traffic', { GATEWAY_URL })).code).toBe(1);
    expect((await sh(`for i in 1 2 3; do curl -sf -o /dev/null http://${GATEWAY_URL}/productpage; done`, env)).code).toBe(0);
    expect((await check('traffic', { GATEWAY_URL })).code).toBe(0);

    // Opening a trace: `kubetutor traces` prints the newest one and tells the lesson (KUBETUTOR_SESSION_DIR).
    const session = { KUBETUTOR_SESSION_DIR: env.XDG_STATE_HOME };
    const traceCheck = async () => JSON.parse((await cli(['check', 'istio-jaeger', '--kubeconfig', env.KUBECONFIG, '--step', 'traces', '--json', ...dash.flag], { ...env, ...session })).stdout) as Array<{ check: string; ok: boolean; summary: string }>;
    const opened = (rows: Array<{ check: string; ok: boolean }>) => rows.find((t) => /^You opened/.test(t.check))!.ok;
    // The traffic made traces (the trace checks pass); none has been opened yet.
    const before = await traceCheck();
    expect(opened(before)).toBe(false);
    const tree = await cli(['traces', '--jaeger', `http://localhost:${dash.port}`, '--service', 'productpage'], { ...env, ...session });
    expect(tree.code).toBe(0);
    expect(tree.stdout).toMatch(/^trace [0-9a-f]+ · istio-ingressgateway: /);
    expect(tree.stdout).toMatch(/productpage\.default → reviews\.default: client [\d.]+ms, server [\d.]+ms, [\d.]+(ms|µs) between the sidecars/);
    expect(tree.stdout).toMatch(/istio-policy: \/istio\.mixer\.v1\.Mixer\/Check/);
    // The quizzes are answered in the interactive runner; the opened trace now counts.
    const traces = await traceCheck();
    expect(opened(traces)).toBe(true);
    expect(traces.filter((t) => !t.ok).map((t) => t.check)).toEqual(['Client and server spans', 'The istio-policy span']);

    expect((await check('cleanup')).code).toBe(1);
    forward.kill('SIGTERM');
    await new Promise((r) => forward!.once('exit', r));
    expect((await sh('kubectl delete --ignore-not-found -f bookinfo-gateway.yaml -f bookinfo.yaml', env)).code).toBe(0);
    const cleanup = await check('cleanup');
    expect(cleanup.stdout).not.toMatch(/✗/);
    expect(cleanup.code).toBe(0);
  }, 180_000);
});


const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** The built CLI in a real terminal, walking the whole Jaeger lesson on a fresh sandbox. */
describe('the Jaeger lesson in a real terminal (tmux)', () => {
  let term: Tmux;
  let dash: Awaited<ReturnType<typeof movedDashboard>>;
  beforeAll(async () => {
    // The lesson's dashboard port (15032, as in the source document) moved to a free one.
    dash = await movedDashboard();
    const state = mkdtempSync(join(tmpdir(), 'kubetutor-e2e-'));
    term = new Tmux(`node ${join(ROOT, 'dist', 'cli.js')} start istio-jaeger --sandbox=fresh ${dash.flag.join(' ')}`, { width: 110, height: 40, env: { XDG_STATE_HOME: state, TERM: 'xterm-256color' }, cwd: ROOT });
  });
  afterAll(() => term?.kill());

  /**
   * Moves the focus (↓ from the top of the step) until the focused line matches `label`. Each key
   * waits until the focus has moved (the screen also changes for other reasons, as checks come
   * in: a key sent before the last one was taken would move the focus past the block).
   */
  async function focus(label: RegExp) {
    const focusedLine = () => term.screen().split('\n').find((l) => /┏━ › |^ +› \(/.test(l)) ?? '';
    const moved = async (before: string, ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end && focusedLine() === before; ) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100));
    };
    let before = focusedLine();
    term.keys('g'); // the top of the step
    await moved(before, 1500);
    for (let i = 0; i < 40; i++) {
      if (label.test(focusedLine())) return;
      before = focusedLine();
      term.keys('Down');
      await moved(before, 5000);
    }
    throw new Error(`never focused ${label}:\n${term.screen()}`);
  }
  /** Focuses a block, presses Enter and waits for what it does. */
  async function run(label: RegExp, done: RegExp) {
    await focus(label);
    term.keys('Enter');
    await term.waitFor(done, 30_000);
  }

  test('all five steps, from a fresh cluster to a clean one', async () => {
    await term.waitFor(/Step 1 of 5/);
    expect(term.screen()).toMatch(/sandbox \(scenario fresh\)/);
    // The first frame (drawn before Ink loads) is replaced in place: once the live screen has
    // judged step 1, the lesson's header is on the terminal once, with nothing left above it.
    await term.waitFor(/checks: \d+ of 11 pass/);
    expect(term.history().match(/Step 1 of 5 · Check the prerequisites/g)).toHaveLength(1);

    // 1. prerequisites: label, apply, apply, wait — each command run from its frame, in the text.
    // (Only the focused frame is drawn heavy: ┗━ ✓ exit 0 is the command just run.)
    await run(/command 1 of 4/, /┗━ ✓ exit 0/);
    await run(/command 2 of 4/, /┗━ ✓ exit 0/);
    await run(/command 3 of 4/, /┗━ ✓ exit 0/);
    await run(/command 4 of 4/, /checks: all 11 pass — step passed/);
    // Step 2 is open: the header counts step 1 passed and n (next) is among the keys. (The notice
    // saying so goes on the next key, and the step may pass while the keys above still move the
    // focus: the notice itself is tested in test/ui/step-screen.test.tsx.)
    await term.waitFor(/· 1 passed[\s\S]*\bn next\b/);

    // 2. port-forward: the source document's command, started from the step as a supervised child.
    // On this era (1.1 pre-release) it applies: listed after the Gateway list and the Jaeger pod forward.
    term.keys('n');
    await term.waitFor(/Step 2 of 5/);
    await run(/background command \d+ of \d+: jaeger-forward(?![-\w])/, /┗━ ● serving on :\d+/);
    await term.waitFor(/· 2 passed/);
    expect(await portFree(dash.port)).toBe(false);

    // 3. traffic: the exported GATEWAY_URL carries over to the next command and to the checks.
    term.keys('n');
    await term.waitFor(/Step 3 of 5/);
    // (Its fifth command, kubetutor's own traffic generator, does what the fourth does.)
    await run(/command 1 of 5/, /┗━ ✓ exit 0/);
    await run(/command 2 of 5/, /┗━ ✓ exit 0/);
    await run(/command 3 of 5/, /┗━ ✓ exit 0/);
    await run(/command 4 of 5/, /request 10: 200/);
    await term.waitFor(/· 3 passed/);

    // 4. traces: the quizzes, asked in the text after the two commands.
    term.keys('n');
    await term.waitFor(/Step 4 of 5/);
    await run(/› \( \) The server span/, /\(•\) The server span/);
    await run(/› \( \) Mixer's Check call/, /\(•\) Mixer's Check call/);
    // Open the newest trace in the built-in viewer, look at it, come back.
    term.keys('t');
    // It opens on the most recent trace, at productpage's client span for reviews, details open.
    const wf = await term.waitFor(/client span of productpage\.default → reviews\.default/);
    expect(wf).toMatch(/between the sidecars/);
    term.keys('b');
    await term.waitFor(/Traces · \d+ found · sorted by most recent/);
    term.keys('q');
    await term.waitFor(/Step 4 of 5/);
    await term.waitFor(/· 4 passed/);

    // 5. cleanup: stop the forward this runner started (x), then delete Bookinfo.
    term.keys('n');
    await term.waitFor(/Step 5 of 5/);
    term.keys('x');
    for (let i = 0; i < 50 && !(await portFree(dash.port)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await portFree(dash.port)).toBe(true);
    await run(/command 1 of/, /all steps passed/);

    term.keys('q');
    await term.waitFor(/all steps passed\./);
  }, 240_000);
});


/** The released eras: the seed's gateway forward cannot work there; the Jaeger pod forward does, and the whole lesson completes. */
describe.each([['istio-1.0'], ['istio-1.1'], ['modern']])('the whole lesson on %s, with the era\'s commands', (scenario) => {
  let target: Target | undefined;
  let session: Session | undefined;
  afterAll(async () => {
    await session?.close();
    await target?.close();
  });

  test('all five steps pass', async () => {
    target = await openTarget({ sandbox: scenario, sandboxTiming: FAST });
    session = new Session(await loadLesson(LESSON), target, { intervalMs: 200, ports: (await movedDashboard()).ports });
    const s = session;
    const until = (n: number, what: string) => eventually(() => s.view.engine.current >= n, 20_000, what);
    s.start();
    await until(1, 'prerequisites (Bookinfo is installed in this world)');
    // The runner found the era: the dashboard check explains the seed's command won't work here.
    expect(s.view.found.era).toBe(scenario === 'modern' ? 'modern' : scenario.slice(-3));
    s.recheck();
    await eventually(() => s.view.engine.steps[1].results.some((r) => (r.diagnosis ?? []).some((d) => /app=jaeger|istioctl dashboard jaeger/.test(d))), 10_000, 'era diagnosis on the port-forward step');
    const step = (id: string) => s.lesson.steps.findIndex((x) => x.id === id);
    const pf = step('port-forward');
    await s.runCommand(pf, s.lesson.steps[pf].commands.findIndex((c) => c.name === 'jaeger-forward-pod'));
    await until(2, 'port-forward with the Jaeger pod');
    const traffic = step('traffic');
    for (let i = 0; i < 4; i++) await s.runCommand(traffic, i);
    await until(3, 'traffic: Jaeger has productpage traces, under this era\'s base path and service name');
    const traces = step('traces');
    // The quizzes: the first for every era, then the istio-policy one (1.0, 1.1) or the current-Istio one.
    const quiz = (title: string) => `traces#${s.lesson.steps[traces].checks.findIndex((c) => c.title === title)}`;
    s.answer(quiz('Client and server spans'), 1);
    s.answer(quiz('The istio-policy span'), 2);
    s.answer(quiz('No istio-policy span'), 1);
    const list = await s.traceSummaries();
    expect(list.length).toBeGreaterThan(0);
    s.traceOpened(list[0].traceID);
    // The era's curl of the Jaeger API works too (JAEGER_BASE, PRODUCTPAGE_SERVICE found by the runner).
    await s.runCommand(traces, 1);
    expect(s.view.output?.lines.join('\n')).toMatch(/"traceID"/);
    await until(4, 'traces');
    await s.stopProcess('jaeger-forward-pod');
    await s.runCommand(step('cleanup'), 0);
    await eventually(() => s.view.finished, 20_000, 'cleanup');
  }, 120_000);
});

describe('kubetutor check --json gives the diagnosis for each broken world', () => {
  test.each([
    ['not-ready', 'prerequisites', /ImagePullBackOff/],
    ['no-sidecar', 'prerequisites', /istio-injection=enabled/],
    ['no-tracing', 'prerequisites', /app=jaeger/],
    ['empty', 'prerequisites', /Istio|istio/],
  ])('%s (%s)', async (scenario, stepId, pattern) => {
    const r = await cli(['check', 'istio-jaeger', `--sandbox=${scenario}`, '--step', stepId, '--json']);
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout) as Array<{ ok: boolean; summary: string; diagnosis: string[] }>;
    const text = rows.filter((x) => !x.ok).map((x) => [x.summary, ...x.diagnosis].join('\n')).join('\n');
    expect(text).toMatch(pattern);
  });

  test('low-sampling: the traffic step says sampling is 1% and where it is set', async () => {
    const sb = await startFastSandbox({ scenario: 'low-sampling' });
    const dash = await movedDashboard();
    const fwd = spawn(kubectlPath(), ['--kubeconfig', sb.kubeconfigPath, '-n', 'istio-system', 'port-forward', 'deployment/istio-tracing', `${dash.port}:16686`], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve) => fwd.stdout!.on('data', (d) => /Forwarding from/.test(String(d)) && resolve()));
      const r = await cli(['check', 'istio-jaeger', '--kubeconfig', sb.kubeconfigPath, '--step', 'traffic', '--json', ...dash.flag], { GATEWAY_URL: `127.0.0.1:${sb.gatewayPort}` });
      const rows = JSON.parse(r.stdout) as Array<{ ok: boolean; summary: string; diagnosis: string[] }>;
      const text = rows.filter((x) => !x.ok).map((x) => [x.summary, ...x.diagnosis].join('\n')).join('\n');
      expect(text).toMatch(/1%/);
      expect(text).toMatch(/PILOT_TRACE_SAMPLING/);
    } finally {
      fwd.kill('SIGTERM');
      await new Promise((r) => fwd.once('exit', r));
      await sb.stop();
    }
  });
});


describe('kubetutor test (self-test of a lesson)', () => {
  test('the bundled lesson on every era (--eras): every step fails before its solution and passes after; JUnit written', async () => {
    // One after the other: the pre-release 1.1 (fresh), 1.0, 1.1 and current Istio.
    const junit = join(mkdtempSync(join(tmpdir(), 'kubetutor-junit-')), 'report.xml');
    const r = await cli(['test', 'istio-jaeger', '--eras', '--junit', junit, ...(await movedDashboard()).flag], {}, 400_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^[✓✗] /.test(l));
    expect(lines).toEqual([
      expect.stringMatching(/^✓ fresh +\(Istio 1\.1 pre-release\): 5 of 5 steps behave, [\d.]+ s$/),
      expect.stringMatching(/^✓ istio-1\.0-fresh +\(Istio 1\.0\): 5 of 5 steps behave, [\d.]+ s$/),
      expect.stringMatching(/^✓ istio-1\.1-fresh +\(Istio 1\.1\): 5 of 5 steps behave, [\d.]+ s$/),
      expect.stringMatching(/^✓ modern-fresh +\(current Istio\): 5 of 5 steps behave, [\d.]+ s$/),
    ]);
    expect(r.stdout).toMatch(/^istio-jaeger: 4 of 4 eras pass$/m);
    const xml = readFileSync(junit, 'utf8');
    for (const sc of ['fresh', 'istio-1.0-fresh', 'istio-1.1-fresh', 'modern-fresh']) expect(xml).toContain(`<testsuite name="kubetutor test istio-jaeger (sandbox ${sc})" tests="5" failures="0"`);
    expect(xml.match(/<testcase /g)).toHaveLength(20);
  }, 420_000);

  test('one era: every step on its own line', async () => {
    const r = await cli(['test', 'istio-jaeger', '--scenario', 'modern-fresh', ...(await movedDashboard()).flag], {}, 120_000);
    expect(r.code).toBe(0);
    for (const id of ['prerequisites', 'port-forward', 'traffic', 'traces', 'cleanup']) expect(r.stdout).toMatch(new RegExp(`^✓ ${id}: failed before its solution, passed [\\d.]+ s after$`, 'm'));
    expect(r.stdout).toMatch(/^istio-jaeger: 5 of 5 steps behave$/m);
  }, 150_000);

  /** A copy of the lesson with one edit, in a folder of its own (its manifests beside it). */
  function brokenCopy(edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'kubetutor-broken-'));
    cpSync(LESSON, dir, { recursive: true });
    const file = join(dir, 'lesson.md');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    return dir;
  }

  test('a check that passes too early is reported as a lesson bug', async () => {
    // The port-forward step checking only that the namespace exists: true before anything is done.
    const dir = brokenCopy((t) => t.replace(/(## Open the Jaeger dashboard \{#port-forward\}[\s\S]*?```check\n)[\s\S]*?```/, '$1- kind: namespace\n  name: istio-system\n```'));
    const r = await cli(['test', dir, '--timeout', '20', '--trust', ...(await movedDashboard()).flag]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ port-forward: its checks passed before its solution ran: they do not test what the step teaches$/m);
  }, 180_000);

  test('a wrong selector is reported with the checks still unmet', async () => {
    const dir = brokenCopy((t) => t.replace('selector: app=productpage\n', 'selector: app=product-page\n'));
    const r = await cli(['test', dir, '--timeout', '10', '--trust', ...(await movedDashboard()).flag]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ prerequisites: still failing 10 s after its solution ran/m);
    expect(r.stdout).toMatch(/^    unmet: .*app=product-page/m);
    expect(r.stdout).toMatch(/^istio-jaeger: 0 of 5 steps behave \(4 not reached\)$/m);
  }, 120_000);
});


describe('kubetutor play (instructor auto-play)', () => {
  async function playOn(scenario: string, opts: { pace?: number; stepTimeoutMs?: number }) {
    const target = await openTarget({ sandbox: scenario, sandboxTiming: FAST });
    const session = new Session(await loadLesson(LESSON), target, { intervalMs: 200, ports: (await movedDashboard()).ports });
    const player = new Player(session, { ...opts, msPerChar: 1 });
    const r = render(React.createElement(App, { session, player, copy: () => undefined }));
    const close = async () => {
      player.stop();
      r.unmount();
      await session.close();
      await target.close();
    };
    return { r, player, session, close };
  }
  const frame = async (r: { lastFrame: () => string | undefined }, re: RegExp, ms = 60_000) => eventually(() => (re.test(r.lastFrame() ?? '') ? r.lastFrame() : undefined), ms, String(re));

  test('plays the whole lesson: commands typed and run, checks awaited, paused between steps', async () => {
    const { r, session, close } = await playOn('fresh', { pace: 50 });
    try {
      await frame(r, /▶ auto-play \$ kubectl label/);
      await frame(r, /✓ auto-play done: every step passed/, 120_000);
      expect(session.view.finished).toBe(true);
    } finally {
      await close();
    }
  }, 150_000);

  test('a step that cannot pass stops the play, with the failing check on screen', async () => {
    // Without Istio's tracing add-on, no command of the lesson can make the prerequisites pass.
    const { r, player, close } = await playOn('no-tracing', { stepTimeoutMs: 3000 });
    try {
      await frame(r, /✗ step 1 did not pass: auto-play stopped/, 60_000);
      expect(player.state.phase).toBe('failed');
      await frame(r, /✗ .*app=jaeger/);
    } finally {
      await close();
    }
  }, 90_000);
});
