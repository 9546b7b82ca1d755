/**
 * End-to-end: `kubetutor check` on the Jaeger lesson against the sandbox's worlds (split from the
 * lesson e2e file so that workers balance). The dashboard port (15032) is moved to a free port of
 * the test's own (`--port 15032=P`): nothing here needs 15032 free.
 */
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlPath, movedDashboard, startFastSandbox } from '../helpers/sandbox.js';
import { cli } from '../helpers/lesson-cli.js';

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
