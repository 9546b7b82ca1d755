import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { KubeClient } from '../../src/cluster/kube-client.js';
import { findGatewayUrl, GatewayUrlError } from '../../src/cluster/gateway-url.js';
import { failureReason, formatReport, generateTraffic, percentile, progressBar, summarize, type RequestResult } from '../../src/traffic/generator.js';
import { evaluateCheck } from '../../src/checks/registry.js';
import type { CheckEnv } from '../../src/checks/types.js';
import type { Check } from '../../src/lesson/types.js';
import { eventually, freePort as closedPort, kubectl, startFastSandbox } from '../helpers/sandbox.js';
import { setLanguage } from '../../src/i18n/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const LESSON_DIR = join(ROOT, 'lessons', 'istio-jaeger');
const MANIFESTS = ['bookinfo.yaml', 'bookinfo-gateway.yaml'];

interface Run { code: number; stdout: string; stderr: string }

/** The built CLI, with GATEWAY_URL unset unless `env` sets it. */
function cli(args: string[], env: Record<string, string>): Promise<Run> {
  const base = { ...process.env };
  delete base.GATEWAY_URL;
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env: { ...base, NO_COLOR: '1', ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

const NODE_PORT_HOW = /^node port \d+ \(http2\) on the gateway pod's host 127\.0\.0\.1 — no load balancer/;

describe('findGatewayUrl', () => {
  const sandboxes: Sandbox[] = [];
  afterAll(async () => {
    await Promise.all(sandboxes.map((s) => s.stop()));
  });
  const start = async (scenario: string) => {
    const sb = await startFastSandbox({ scenario });
    sandboxes.push(sb);
    await sb.settled();
    return { sb, client: KubeClient.fromKubeconfigText(sb.kubeconfig) };
  };

  for (const scenario of ['ready', 'modern']) {
    test(`${scenario}: the http2 node port on the gateway pod's host`, async () => {
      const { sb, client } = await start(scenario);
      const found = await findGatewayUrl(client);
      expect(found.url).toBe(`127.0.0.1:${sb.gatewayPort}`);
      expect(found.how).toMatch(NODE_PORT_HOW);
      expect(found.how).toContain(`node port ${sb.gatewayPort} (http2)`);
    });
  }

  test('in Chinese: where the address came from, the address and port as they are', async () => {
    const { sb, client } = await start('ready');
    setLanguage('zh-CN');
    try {
      const found = await findGatewayUrl(client);
      expect(found.how).toBe(`网关 Pod 所在主机 127.0.0.1 上的节点端口 ${sb.gatewayPort}（http2）—— 没有负载均衡器地址（EXTERNAL-IP 待分配）`);
    } finally {
      setLanguage('en');
    }
  });

  test('a load balancer address wins, with the http2 Service port (80)', async () => {
    const { sb, client } = await start('modern');
    const patch = await kubectl(sb, ['patch', 'svc', 'istio-ingressgateway', '-n', 'istio-system', '--subresource=status', '--type=merge', '-p', '{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.1"}]}}}']);
    expect(patch.code, patch.stderr).toBe(0);
    const ingress = (await kubectl(sb, ['get', 'svc', 'istio-ingressgateway', '-n', 'istio-system', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])).stdout;
    if (ingress !== '127.0.0.1') {
      // The sandbox's Service admission keeps a LoadBalancer's old status on update; set it in the store, as a cloud controller would.
      const rt = sb.types.byKey('/services')!;
      const svc = sb.store.get(rt, 'istio-system', 'istio-ingressgateway')!;
      sb.store.update(rt, { ...svc, status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } });
    }
    expect(await findGatewayUrl(client)).toEqual({ url: '127.0.0.1:80', how: 'LoadBalancer ingress 127.0.0.1, port 80' });

    const rt = sb.types.byKey('/services')!;
    const svc = sb.store.get(rt, 'istio-system', 'istio-ingressgateway')!;
    sb.store.update(rt, { ...svc, status: { loadBalancer: { ingress: [{ hostname: 'gw.example.com' }] } } });
    expect(await findGatewayUrl(client)).toEqual({ url: 'gw.example.com:80', how: 'LoadBalancer ingress gw.example.com, port 80' });
  });

  test('clear errors: no gateway Service, no http2 port', async () => {
    const empty = await start('empty');
    const e1 = await findGatewayUrl(empty.client).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(GatewayUrlError);
    expect((e1 as Error).message).toMatch(/^there is no Service istio-ingressgateway in namespace istio-system: is Istio installed/);

    const { sb, client } = await start('ready');
    const rt = sb.types.byKey('/services')!;
    const svc = sb.store.get(rt, 'istio-system', 'istio-ingressgateway')!;
    const ports = (svc.spec as { ports: Array<{ name: string }> }).ports.filter((p) => p.name !== 'http2');
    sb.store.update(rt, { ...svc, spec: { ...(svc.spec as object), ports } });
    const e2 = await findGatewayUrl(client).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(GatewayUrlError);
    expect((e2 as Error).message).toMatch(/^Service istio-ingressgateway in istio-system has no port named http2 \(its ports: status-port 15020, https 443, .*\), so it is not clear which port serves HTTP; pass the address yourself/);
  });
});

describe('generateTraffic (pure parts)', () => {
  test('percentile by nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(xs, 50), percentile(xs, 90), percentile(xs, 99), percentile(xs, 100), percentile(xs, 0)]).toEqual([50, 90, 99, 100, 1]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  test('progress bar', () => {
    expect(progressBar(0, 20, 10)).toBe('[░░░░░░░░░░]  0/20');
    expect(progressBar(10, 20, 10)).toBe('[█████░░░░░] 10/20');
    expect(progressBar(20, 20, 10)).toBe('[██████████] 20/20');
  });

  test('report lines and the failure reason', () => {
    const results: RequestResult[] = [
      { index: 0, status: 200, ms: 4 },
      { index: 1, status: 503, ms: 2 },
      { index: 2, error: 'ECONNREFUSED', ms: 1 },
    ];
    const r = summarize('http://h:1/p', 3, 1, results, 1500);
    expect(r.byStatus).toEqual({ '200': 1, '503': 1, 'error: ECONNREFUSED': 1 });
    expect([r.min, r.p50, r.max]).toEqual([2, 2, 4]);
    expect(formatReport(r)).toEqual([
      '3 requests to http://h:1/p in 1.50 s (2.0 req/s), 1 at a time',
      'status:',
      '  200: 1',
      '  503: 1',
      '  error: ECONNREFUSED: 1',
      'latency: min 2.0 ms · p50 2.0 ms · p90 4.0 ms · p99 4.0 ms · max 4.0 ms',
    ]);
    expect(failureReason(r)).toBeUndefined();
    const bad = summarize('http://h:1/p', 2, 1, [{ index: 0, status: 404, ms: 1 }, { index: 1, status: 404, ms: 1 }], 10);
    expect(failureReason(bad)).toMatch(/^no request got a 2xx answer \(2 × 404\): the gateway has no route/);
  });
});

describe('traffic through the sandbox gateway, and the no-leftovers check', () => {
  let sb: Sandbox;
  let client: KubeClient;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'ready' });
    await sb.settled();
    client = KubeClient.fromKubeconfigText(sb.kubeconfig);
  });
  afterAll(async () => {
    await sb?.stop();
  });

  test('20 requests to /productpage: all 200, percentiles in order', async () => {
    const seen: number[] = [];
    const r = await generateTraffic({ url: `http://127.0.0.1:${sb.gatewayPort}/productpage`, count: 20, concurrency: 4, timeoutMs: 10_000, onResult: (_r, done) => seen.push(done) });
    expect(r.sent).toBe(20);
    expect(r.byStatus).toEqual({ '200': 20 });
    expect(r.ok).toBe(20);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const order = [r.min!, r.p50!, r.p90!, r.p99!, r.max!];
    expect(order.every((v) => typeof v === 'number' && v > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(r.durationMs).toBeGreaterThan(0);
  });

  test('a closed port: every request counted as an error', async () => {
    const port = await closedPort();
    const r = await generateTraffic({ url: `http://127.0.0.1:${port}/productpage`, count: 5, timeoutMs: 5000 });
    expect(r.sent).toBe(5);
    expect(r.byStatus).toEqual({ 'error: ECONNREFUSED': 5 });
    expect(r.ok).toBe(0);
    expect(r.p50).toBeNull();
    expect(failureReason(r)).toBe(`no request got a 2xx answer (5 × error: ECONNREFUSED): nothing accepts connections at 127.0.0.1:${port}: is GATEWAY_URL right, and the gateway running?`);
    expect(formatReport(r)).toContain('latency: no answers to measure');
  });

  test('the CLI without --url finds GATEWAY_URL through KUBECONFIG', async () => {
    const run = await cli(['traffic', '-n', '20'], { KUBECONFIG: sb.kubeconfigPath });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`GATEWAY_URL=127.0.0.1:${sb.gatewayPort} (node port ${sb.gatewayPort} (http2) on the gateway pod's host 127.0.0.1 — no load balancer`);
    expect(run.stdout).toMatch(/^ {2}200: 20$/m);
    expect(run.stdout).toMatch(/^latency: min [\d.]+ ms · p50 [\d.]+ ms · p90 [\d.]+ ms · p99 [\d.]+ ms · max [\d.]+ ms$/m);
    // No TTY: a progress line at every 10%.
    expect(run.stderr.split('\n').filter((l) => /^\[[█░]+\] +\d+\/20 {2}200: \d+$/.test(l))).toHaveLength(10);
  });

  test('the CLI: GATEWAY_URL from the environment, --path, and a failed run', async () => {
    const env = await cli(['traffic', '--path', '/productpage', '-n', '3'], { GATEWAY_URL: `127.0.0.1:${sb.gatewayPort}`, KUBECONFIG: '/nonexistent' });
    expect(env.code, env.stderr).toBe(0);
    expect(env.stdout).toContain(`GATEWAY_URL=127.0.0.1:${sb.gatewayPort} (from the GATEWAY_URL environment variable)`);
    expect(env.stdout).toMatch(/^ {2}200: 3$/m);

    const port = await closedPort();
    const bad = await cli(['traffic', '--url', `http://127.0.0.1:${port}/productpage`, '-n', '2'], {});
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^ {2}error: ECONNREFUSED: 2$/m);
    expect(bad.stderr).toMatch(/^kubetutor traffic: no request got a 2xx answer \(2 × error: ECONNREFUSED\): nothing accepts connections/m);

    const usage = await cli(['traffic', '--url', 'http://x', '--path', '/p'], {});
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('kubetutor: choose either --url URL or --path PATH (the path goes on GATEWAY_URL)\n');
  });

  const source = { file: 'lesson.md', line: 1 };
  const leftovers = { kind: 'no-leftovers', files: MANIFESTS, title: 'no leftovers', source } as Check;
  const env = (): CheckEnv => ({
    cluster: client,
    vars: {},
    lessonStartMicros: 0,
    processState: () => 'unknown',
    quizAnswer: () => undefined,
    cwd: LESSON_DIR,
    env: { KUBECONFIG: sb.kubeconfigPath },
  });

  test('no-leftovers fails while Bookinfo is deployed, listing what is left', async () => {
    const r = await evaluateCheck(leftovers, env());
    expect(r.ok).toBe(false);
    expect(r.summary).toBe('✗ still there: 4 services, 6 deployments, gateway/bookinfo-gateway, virtualservice/bookinfo');
    expect(r.found).toMatch(/^12 of them: service\/details, deployment\/details-v1, .*deployment\/productpage-v1, gateway\/bookinfo-gateway, virtualservice\/bookinfo$/);
    expect(r.expected).toBe('none of the 12 objects from bookinfo.yaml, bookinfo-gateway.yaml');
    expect(r.diagnosis).toEqual(['delete them from the lesson folder: kubectl delete --ignore-not-found -f bookinfo.yaml -f bookinfo-gateway.yaml']);

    // Only the gateway manifest left behind: only its objects are listed.
    const del = await kubectl(sb, ['delete', '-f', join(LESSON_DIR, 'bookinfo.yaml')]);
    expect(del.code, del.stderr).toBe(0);
    const partial = await evaluateCheck(leftovers, env());
    expect(partial.summary).toBe('✗ still there: gateway/bookinfo-gateway, virtualservice/bookinfo');
  });

  test('no-leftovers passes once both manifests are deleted', async () => {
    const del = await kubectl(sb, ['delete', '--ignore-not-found', '-f', join(LESSON_DIR, 'bookinfo-gateway.yaml'), '-f', join(LESSON_DIR, 'bookinfo.yaml')]);
    expect(del.code, del.stderr).toBe(0);
    const r = await eventually(async () => {
      const res = await evaluateCheck(leftovers, env());
      return res.ok ? res : undefined;
    }, 10_000, 'no-leftovers to pass');
    expect(r.summary).toBe('✓ nothing left from bookinfo.yaml, bookinfo-gateway.yaml: 12 objects checked');
  });

  test('no-leftovers: a missing manifest fails, saying so', async () => {
    const r = await evaluateCheck({ ...leftovers, files: ['nope.yaml'] } as Check, env());
    expect(r.ok).toBe(false);
    expect(r.summary).toBe(`✗ no leftovers: cannot read nope.yaml in ${LESSON_DIR}: no such file`);
  });
});
