/**
 * End-to-end: the built CLI walks the whole Jaeger lesson through `kubetutor check`, the steps'
 * commands run by hand. The dashboard port (15032) is moved to a free port of the test's own
 * (`--port 15032=P`): nothing here needs 15032 free.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { movedDashboard } from '../helpers/sandbox.js';
import { CLI, cli, sh } from '../helpers/lesson-cli.js';

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
