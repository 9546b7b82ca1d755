// `kubectl auth can-i`, `kubectl auth whoami`, `kubectl version` and `kubectl get deploy` with the
// real kubectl 1.27–1.33 on each scenario's own Kubernetes, and the `restricted` world's RBAC
// refusals through kubectl, the raw API and the runner's checks.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { kubectl, startFastSandbox } from '../helpers/sandbox.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const VERSIONS = ['1.27', '1.29', '1.31', '1.33'];

/** scenario → the Kubernetes minor it reports, and whether that release has SelfSubjectReview. */
const WORLDS: Array<[string, number]> = [['modern', 33], ['empty', 33], ['istio-1.1', 14], ['ready', 14], ['istio-1.0', 11]];

// Each kubectl version's reads are independent of the others': run side by side (one after the
// other, these 20 chains of real kubectl runs kept the file alone for ~100 s on a loaded machine).
describe.each(WORLDS)('on %s (Kubernetes 1.%i)', (scenario, minor) => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario });
  });
  afterAll(() => sb?.stop());

  test.concurrent.each(VERSIONS)('kubectl %s: version, get deploy without a warning, auth can-i, auth whoami', async (version) => {
    const v = await kubectl(sb, ['version', '-o', 'json'], { version });
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout).serverVersion).toMatchObject({ major: '1', minor: String(minor), gitVersion: expect.stringMatching(new RegExp(`^v1\\.${minor}\\.`)) });
    // kubectl's own skew warning, where a real cluster of that release would cause it.
    const clientMinor = Number(version.split('.')[1]);
    if (Math.abs(clientMinor - minor) > 1) expect(v.stderr).toMatch(/version difference between client \(1\.\d+\) and server \(1\.\d+\) exceeds the supported minor version skew of \+\/-1/);
    else expect(v.stderr).toBe('');

    const deploy = await kubectl(sb, ['get', 'deploy', '-A'], { version });
    expect(deploy.stderr).toBe('');
    expect(deploy.code).toBe(0);
    if (scenario !== 'empty') expect(deploy.stdout).toMatch(/productpage-v1/);
    for (const args of [['get', 'deployments', '-n', 'kube-system'], ['get', 'rs', '-n', 'kube-system'], ['get', 'all', '-n', 'kube-system']]) {
      const r = await kubectl(sb, args, { version });
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.stdout, args.join(' ')).toMatch(/coredns/);
    }

    const can = await kubectl(sb, ['auth', 'can-i', 'list', 'pods'], { version });
    expect([can.code, can.stdout.trim(), can.stderr]).toEqual([0, 'yes', '']);
    const deployments = await kubectl(sb, ['auth', 'can-i', 'create', 'deployments.apps', '-n', 'istio-system'], { version });
    expect(deployments.stdout.trim()).toBe('yes');

    const who = await kubectl(sb, ['auth', 'whoami'], { version });
    if (minor >= 28) {
      expect(who.stderr).toBe('');
      expect(who.code).toBe(0);
      expect(who.stdout).toMatch(/^ATTRIBUTE\s+VALUE\nUsername\s+learner\nUID\s+\S+\nGroups\s+\[system:masters system:authenticated\]\n$/);
      const json = await kubectl(sb, ['auth', 'whoami', '-o', 'json'], { version });
      expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'SelfSubjectReview', status: { userInfo: { username: 'learner' } } });
    } else {
      // A cluster of this release had no SelfSubjectReview: kubectl says so, as it would there.
      expect(who.code).toBe(1);
      expect(who.stderr).toMatch(/the selfsubjectreviews API is not enabled in the cluster/);
    }
  });

  test('the API groups are those of the release', async () => {
    const r = await kubectl(sb, ['api-versions'], { version: '1.33' });
    expect(r.code).toBe(0);
    const list = r.stdout.trim().split('\n');
    if (minor >= 22) {
      // SelfSubjectReview's beta stays (kubectl 1.27's whoami asks only for it); no other beta or removed group.
      expect(list.filter((gv) => /^(extensions\/|apps\/v1beta|batch\/v1beta1|policy\/v1beta1|.*k8s\.io\/v1beta1$)/.test(gv) && gv !== 'authentication.k8s.io/v1beta1')).toEqual([]);
      expect(list).toContain('authentication.k8s.io/v1');
    } else {
      expect(list).toContain('extensions/v1beta1');
      expect(list).toContain('apps/v1beta2');
      expect(list).not.toContain('authentication.k8s.io/v1');
    }
    expect(list).toContain('authorization.k8s.io/v1');
  });
});

/** A raw request, to see the Status exactly as the server sends it. */
function get(sb: Sandbox, path: string): Promise<{ status: number; body: Any }> {
  return new Promise((resolve, reject) => {
    https.get(`${sb.url}${path}`, { headers: { authorization: `Bearer ${sb.token}`, accept: 'application/json' }, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    }).on('error', reject);
  });
}

describe('restricted: the learner may not list pods', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'restricted' });
  });
  afterAll(() => sb?.stop());

  test.concurrent.each(VERSIONS)('kubectl %s: get pods is Forbidden, auth can-i says no, other reads work', async (version) => {
    const pods = await kubectl(sb, ['get', 'pods'], { version });
    expect(pods.code).toBe(1);
    expect(pods.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "learner" cannot list resource "pods" in API group "" in the namespace "default"\n');
    const all = await kubectl(sb, ['get', 'pods', '-A'], { version });
    expect(all.stderr).toMatch(/cannot list resource "pods" in API group "" at the cluster scope/);
    const no = await kubectl(sb, ['auth', 'can-i', 'list', 'pods', '-n', 'istio-system'], { version });
    expect([no.code, no.stdout.trim()]).toEqual([1, 'no']);
    const watch = await kubectl(sb, ['auth', 'can-i', 'watch', 'pods'], { version });
    expect(watch.stdout.trim()).toBe('no');
    const one = await kubectl(sb, ['auth', 'can-i', 'get', 'pods'], { version });
    expect([one.code, one.stdout.trim()]).toEqual([0, 'yes']);
    const deploy = await kubectl(sb, ['get', 'deploy', 'productpage-v1'], { version });
    expect(deploy.stderr).toBe('');
    expect(deploy.stdout).toMatch(/productpage-v1\s+1\/1/);
  });

  test('the 403 has the Status shape of a real API server', async () => {
    expect(await get(sb, '/api/v1/namespaces/default/pods')).toEqual({
      status: 403,
      body: {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
        message: 'pods is forbidden: User "learner" cannot list resource "pods" in API group "" in the namespace "default"',
        reason: 'Forbidden', details: { kind: 'pods' }, code: 403,
      },
    });
    expect((await get(sb, '/api/v1/pods?watch=true')).body.message).toBe('pods is forbidden: User "learner" cannot watch resource "pods" in API group "" at the cluster scope');
    expect((await get(sb, '/api/v1/namespaces/default/pods?limit=1')).status).toBe(403);
  });

  test('kubetutor check names the refusal for the pod checks', async () => {
    const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
    expect(existsSync(cli), 'run npm run build first').toBe(true);
    const r = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [cli, 'check', 'istio-jaeger', '--step', 'prerequisites', '--kubeconfig', sb.kubeconfigPath, '--context', 'kubetutor-sandbox', '--json'], { timeout: 60_000, env: { ...process.env, XDG_STATE_HOME: join(tmpdir(), `kt-restricted-${process.pid}`) } }, (err, stdout) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout) }),
      ),
    );
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout) as Array<{ check: string; ok: boolean; summary: string }>;
    const ready = results.find((x) => /productpage pod is Ready/.test(x.check))!;
    expect(ready).toMatchObject({ ok: false, summary: expect.stringContaining('RBAC refused: cannot list pods in namespace default (ask for the "list" verb on "pods" for user "learner")') });
    // Deployments may still be read: those checks pass.
    expect(results.find((x) => /deployment productpage-v1 Available/.test(x.check))?.ok).toBe(true);
  });
});
