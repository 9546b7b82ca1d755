import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import http from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { KubeClient, ClusterError } from '../../src/cluster/kube-client.js';
import { evaluateCheck, checkKey } from '../../src/checks/registry.js';
import { jaegerTracesCheck } from '../../src/checks/kinds/jaeger.js';
import type { CheckEnv } from '../../src/checks/types.js';
import type { Check } from '../../src/lesson/types.js';
import { eventually, kubectl, startFastSandbox, kubectlPortForward, stopChild, freePort } from '../helpers/sandbox.js';

const source = { file: 'lesson.md', line: 1 };
/** A check as a lesson would declare it, title optional. */
type CheckInput = Check extends infer C ? (C extends Check ? Omit<C, 'title' | 'source'> & { title?: string } : never) : never;
function check<T extends CheckInput>(c: T): Extract<Check, { kind: T['kind'] }> {
  return { title: c.kind, source, ...c } as unknown as Extract<Check, { kind: T['kind'] }>;
}

function envFor(sb: Sandbox | null, cluster: KubeClient | null, extra: Partial<CheckEnv> = {}): CheckEnv {
  return {
    cluster,
    vars: {},
    lessonStartMicros: 0,
    processState: () => 'unknown',
    quizAnswer: () => undefined,
    cwd: process.cwd(),
    env: { KUBECONFIG: sb?.kubeconfigPath ?? '/nonexistent' },
    ...extra,
  };
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
});

const portForward = (sb: Sandbox, args: string[]) => kubectlPortForward(sb, args, children);
const stop = stopChild;

const allRunning = (sb: Sandbox, ns?: string) => {
  const pods = sb.objects('', 'pods', ns);
  return pods.length > 0 && pods.every((p) => (p.status as { phase?: string }).phase === 'Running');
};

async function sendTraffic(sb: Sandbox, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`http://127.0.0.1:${sb.gatewayPort}/productpage`);
    expect(res.status).toBe(200);
    await res.text();
  }
}

describe('checks against the ready sandbox', () => {
  let sb: Sandbox;
  let cluster: KubeClient;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'ready' });
    await eventually(() => allRunning(sb), 10_000, 'pods running');
    cluster = KubeClient.fromKubeconfigText(sb.kubeconfig);
  });
  afterAll(() => sb?.stop());

  test('the client reads the context, lists with selectors, gets, and counts requests', async () => {
    expect(cluster.contextName).toBe('kubetutor-sandbox');
    expect(cluster.clusterServer).toBe(sb.url);
    const before = cluster.requestCount;
    const pods = await cluster.list('v1', 'Pod', 'default', 'app=productpage');
    expect(pods).toHaveLength(1);
    expect(pods[0]).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', labels: { app: 'productpage' } } });
    expect(typeof pods[0].metadata.creationTimestamp).toBe('string');
    const gw = await cluster.get('networking.istio.io/v1alpha3', 'Gateway', 'default', 'bookinfo-gateway');
    expect(gw?.metadata.name).toBe('bookinfo-gateway');
    expect(await cluster.get('v1', 'Service', 'default', 'nope')).toBeUndefined();
    expect(await cluster.get('v1', 'Namespace', undefined, 'istio-system')).toMatchObject({ kind: 'Namespace', metadata: { name: 'istio-system' } });
    expect(cluster.requestCount - before).toBeGreaterThanOrEqual(4);
  });

  test('pods-ready, container-present, deployment-available, service, namespace and resource pass', async () => {
    const env = envFor(sb, cluster);
    const results = await Promise.all([
      evaluateCheck(check({ kind: 'pods-ready', namespace: 'default', selector: 'app=productpage' }), env),
      evaluateCheck(check({ kind: 'container-present', namespace: 'default', selector: 'app=productpage', container: 'istio-proxy' }), env),
      evaluateCheck(check({ kind: 'deployment-available', namespace: 'default', name: 'productpage-v1' }), env),
      evaluateCheck(check({ kind: 'deployment-available', namespace: 'default', selector: 'app=reviews' }), env),
      evaluateCheck(check({ kind: 'service', namespace: 'default', name: 'productpage', ports: [9080] }), env),
      evaluateCheck(check({ kind: 'namespace', name: 'default', labels: { 'istio-injection': 'enabled' } }), env),
      evaluateCheck(check({ kind: 'resource', apiVersion: 'networking.istio.io/v1alpha3', resourceKind: 'Gateway', namespace: 'default', name: 'bookinfo-gateway' }), env),
    ]);
    for (const r of results) expect(r, r.summary).toMatchObject({ ok: true });
    expect(results[0].summary).toBe('✓ 1 of 1 pods app=productpage Ready in default');
    expect(results[1].summary).toBe('✓ 1 of 1 pods have container istio-proxy (app=productpage in default)');
    expect(results[3].summary).toBe('✓ 3 of 3 deployments app=reviews Available in default');
  });

  test('failing object checks say what is missing', async () => {
    const env = envFor(sb, cluster);
    const svc = await evaluateCheck(check({ kind: 'service', namespace: 'istio-system', name: 'tracing', ports: [16686] }), env);
    expect(svc.ok).toBe(false);
    expect(svc.summary).toBe('✗ service tracing in istio-system lacks port 16686');
    expect(svc.diagnosis).toEqual(['16686 is a target port here: the service exposes it as port 80 (http-query)']);
    const none = await evaluateCheck(check({ kind: 'pods-ready', namespace: 'default', selector: 'app=nothing' }), env);
    expect(none).toMatchObject({ ok: false, summary: '✗ no pods app=nothing in default' });
    const vs = await evaluateCheck(check({ kind: 'resource', apiVersion: 'networking.istio.io/v1alpha3', resourceKind: 'VirtualService', namespace: 'default', name: 'nope' }), env);
    expect(vs).toMatchObject({ ok: false, summary: '✗ VirtualService nope not found in default', diagnosis: ['VirtualService objects in default: bookinfo'] });
  });

  test('http, port-open and port-closed probe the gateway and a free port', async () => {
    const env = envFor(sb, cluster, { vars: { GATEWAY_URL: `127.0.0.1:${sb.gatewayPort}` } });
    const page = await evaluateCheck(check({ kind: 'http', url: 'http://${GATEWAY_URL}/productpage', contains: 'Simple Bookstore App' }), env);
    expect(page).toMatchObject({ ok: true, summary: `✓ GET http://127.0.0.1:${sb.gatewayPort}/productpage answered 200 OK containing "Simple Bookstore App"` });
    const free = await freePort();
    expect((await evaluateCheck(check({ kind: 'port-open', port: sb.gatewayPort }), env)).ok).toBe(true);
    expect((await evaluateCheck(check({ kind: 'port-closed', port: free }), env)).ok).toBe(true);
    const open = await evaluateCheck(check({ kind: 'port-open', port: free }), env);
    expect(open).toMatchObject({ ok: false, summary: `✗ nothing listens on 127.0.0.1:${free}` });
    const refused = await evaluateCheck(check({ kind: 'http', url: `http://127.0.0.1:${free}/` }), env);
    expect(refused.summary).toBe(`✗ GET http://127.0.0.1:${free}/: connection to 127.0.0.1:${free} refused`);
    const unset = await evaluateCheck(check({ kind: 'http', url: 'http://${INGRESS_HOST}/', title: 'gateway answers' }), envFor(sb, cluster));
    expect(unset.summary).toBe('✗ gateway answers: ${INGRESS_HOST} is not set');
  });

  test("jaeger-traces passes through the gateway's tracing port 15032 after a few requests", async () => {
    const lessonStartMicros = Date.now() * 1000;
    await sendTraffic(sb, 3);
    const pf = await portForward(sb, ['-n', 'istio-system', 'port-forward', 'deployment/istio-ingressgateway', ':15032']);
    try {
      const env = envFor(sb, cluster, { lessonStartMicros });
      const c = check({ kind: 'jaeger-traces', url: `http://127.0.0.1:${pf.port}`, service: 'productpage', min: 3 });
      const r = await evaluateCheck(c, env);
      expect(r.summary).toMatch(/^✓ \d+ traces for productpage\.default in Jaeger since the lesson started/);
      const facts = await jaegerTracesCheck.gather(c, env);
      expect(facts.api).toEqual({ root: `http://127.0.0.1:${pf.port}/api`, flavour: 'v1' });
      expect(facts.traces).toBeGreaterThanOrEqual(3);

      // Traces from before the lesson do not count, and the diagnosis says they exist.
      const later = await evaluateCheck(c, envFor(sb, cluster, { lessonStartMicros: (Date.now() + 60_000) * 1000 }));
      expect(later.ok).toBe(false);
      expect(later.summary).toMatch(/^✗ 0 of 3 traces for productpage\.default in Jaeger since the lesson started/);
      expect(later.diagnosis?.[0]).toMatch(/^Jaeger has \d+ older traces for productpage\.default, from before the lesson started/);

      const unknown = await evaluateCheck(check({ kind: 'jaeger-traces', url: `http://127.0.0.1:${pf.port}/`, service: 'ratings-v9' }), env);
      expect(unknown.summary).toBe('✗ Jaeger knows no service ratings-v9');
      expect(unknown.found).toMatch(/productpage\.default/);
    } finally {
      await stop(pf.child);
    }
    const gone = await evaluateCheck(check({ kind: 'jaeger-traces', url: `http://127.0.0.1:${pf.port}`, service: 'productpage' }), envFor(sb, cluster));
    expect(gone.ok).toBe(false);
    expect(gone.summary).toBe(`✗ no Jaeger at http://127.0.0.1:${pf.port}: connection to 127.0.0.1:${pf.port} refused`);
    expect(gone.diagnosis?.join('\n')).toMatch(/is the port-forward .* running/);
  });

  test('command checks run bash in cwd with KUBECONFIG, and report exit codes and output', async () => {
    const env = envFor(sb, cluster, { env: { KUBECONFIG: sb.kubeconfigPath }, vars: { APP: 'productpage' } });
    const ok = await evaluateCheck(check({ kind: 'command', run: 'kubectl get pods -n default -l app=${APP} -o name | grep -q productpage' }), env);
    expect(ok).toMatchObject({ ok: true });
    const bad = await evaluateCheck(check({ kind: 'command', run: 'echo first; echo "no luck" >&2; exit 3' }), env);
    expect(bad).toMatchObject({ ok: false, summary: '✗ `echo first; echo "no luck" >&2; exit 3` exited 3', found: 'first\nno luck' });
  });
});

test('a command that outlives its timeout is stopped with its whole process group', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubetutor-cmd-'));
  try {
    const started = Date.now();
    const r = await evaluateCheck(
      check({ kind: 'command', run: 'sleep 30 & echo $! > child.pid; echo waiting; wait', timeoutMs: 400 }),
      envFor(null, null, { cwd: dir, env: {} }),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r).toMatchObject({ ok: false, summary: '✗ `sleep 30 & echo $! > child.pid; echo waiting; wait` did not finish within 0.4 s', found: 'waiting' });
    const pid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    // Gone, or a zombie waiting for whoever adopted it to reap it.
    const state = () => (existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone');
    await eventually(() => state() === 'gone' || state() === 'Z', 3000, 'the background sleep to be gone');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no-sidecar: container-present fails and blames the missing injection label', async () => {
  const sb = await startFastSandbox({ scenario: 'no-sidecar' });
  try {
    await eventually(() => allRunning(sb, 'default'), 10_000, 'pods running');
    const cluster = KubeClient.fromKubeconfigText(sb.kubeconfig);
    const r = await evaluateCheck(check({ kind: 'container-present', namespace: 'default', selector: 'app=productpage', container: 'istio-proxy' }), envFor(sb, cluster));
    expect(r.ok).toBe(false);
    expect(r.summary).toBe('✗ 0 of 1 pods have container istio-proxy (app=productpage in default)');
    expect(r.found).toMatch(/^productpage-v1-\S+ has productpage$/);
    expect(r.diagnosis).toEqual([
      'namespace default lacks the label istio-injection=enabled: label it (kubectl label namespace default istio-injection=enabled), then delete them so they are recreated with the sidecar (kubectl delete pod -n default -l app=productpage)',
    ]);

    // Labelling the namespace does not inject running pods: the diagnosis moves on.
    expect((await kubectl(sb, ['label', 'namespace', 'default', 'istio-injection=enabled'])).code).toBe(0);
    const again = await evaluateCheck(check({ kind: 'container-present', namespace: 'default', selector: 'app=productpage', container: 'istio-proxy' }), envFor(sb, cluster));
    expect(again.diagnosis?.[0]).toMatch(/^namespace default has istio-injection=enabled, so the pods were created before injection was enabled: delete them so they are recreated with the sidecar/);
  } finally {
    await sb.stop();
  }
});

test('not-ready: pods-ready app=reviews fails with ImagePullBackOff, the image and its events', async () => {
  const sb = await startFastSandbox({ scenario: 'not-ready' });
  try {
    const cluster = KubeClient.fromKubeconfigText(sb.kubeconfig);
    const c = check({ kind: 'pods-ready', namespace: 'default', selector: 'app=reviews', hint: 'look at the reviews-v2 image' });
    const r = await eventually(async () => {
      const res = await evaluateCheck(c, envFor(sb, cluster));
      // The pods and their events are two reads: wait until both have seen the back-off.
      return res.diagnosis?.some((d) => /ImagePullBackOff/.test(d)) && /ImagePullBackOff/.test(res.found ?? '') && res.summary.startsWith('✗ 2 of 3') ? res : undefined;
    }, 10_000, 'ImagePullBackOff in the diagnosis');
    expect(r.summary).toBe('✗ 2 of 3 pods app=reviews Ready in default');
    expect(r.hint).toBe('look at the reviews-v2 image');
    expect(r.found).toMatch(/^2 of 3 Ready; not Ready: reviews-v2-\S+ \(Pending: ImagePullBackOff\)$/);
    const d = r.diagnosis!.join('\n');
    expect(d).toMatch(/container reviews waiting: ImagePullBackOff — Back-off pulling image "docker\.io\/istio\/examples-bookinfo-reviews-v2:1\.99\.0-typo"/);
    expect(d).toMatch(/the image "docker\.io\/istio\/examples-bookinfo-reviews-v2:1\.99\.0-typo" cannot be pulled/);
    expect(d).toMatch(/event Failed.*: Error: ImagePullBackOff/);
    expect(d).toMatch(/event Failed.*: Failed to pull image/);

    const dep = await evaluateCheck(check({ kind: 'deployment-available', namespace: 'default', name: 'reviews-v2' }), envFor(sb, cluster));
    expect(dep.ok).toBe(false);
    expect(dep.summary).toBe('✗ deployment reviews-v2 not Available in default (0/1 replicas available)');
    expect(dep.diagnosis?.join('\n')).toMatch(/ImagePullBackOff/);
  } finally {
    await sb.stop();
  }
});

test('empty: a Gateway check fails because the cluster has no Gateway kind', async () => {
  const sb = await startFastSandbox({ scenario: 'empty' });
  try {
    const cluster = KubeClient.fromKubeconfigText(sb.kubeconfig);
    const env = envFor(sb, cluster);
    const gw = check({ kind: 'resource', apiVersion: 'networking.istio.io/v1alpha3', resourceKind: 'Gateway', namespace: 'default', name: 'bookinfo-gateway' });
    const r = await evaluateCheck(gw, env);
    expect(r).toMatchObject({ ok: false, summary: '✗ the cluster has no Gateway kind (networking.istio.io/v1alpha3): is Istio installed?' });
    expect((await evaluateCheck({ ...gw, absent: true }, env)).ok).toBe(true);
    const err = await cluster.list('networking.istio.io/v1alpha3', 'Gateway', 'default').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterError);
    expect((err as ClusterError).kind).toBe('not-found-kind');
    const ns = await evaluateCheck(check({ kind: 'namespace', name: 'istio-system', absent: true }), env);
    expect(ns).toMatchObject({ ok: true, summary: '✓ namespace istio-system is absent' });
  } finally {
    await sb.stop();
  }
});

test('istio-1.1: jaeger-traces finds the API under /jaeger through the Jaeger pod', async () => {
  const sb = await startFastSandbox({ scenario: 'istio-1.1' });
  try {
    await eventually(() => allRunning(sb), 10_000, 'pods running');
    const cluster = KubeClient.fromKubeconfigText(sb.kubeconfig);
    const lessonStartMicros = Date.now() * 1000;
    await sendTraffic(sb, 2);
    const pod = await kubectl(sb, ['-n', 'istio-system', 'get', 'pod', '-l', 'app=jaeger', '-o', 'jsonpath={.items[0].metadata.name}']);
    const pf = await portForward(sb, ['-n', 'istio-system', 'port-forward', `pod/${pod.stdout}`, ':16686']);
    try {
      const env = envFor(sb, cluster, { lessonStartMicros });
      const c = check({ kind: 'jaeger-traces', url: `http://127.0.0.1:${pf.port}`, service: 'productpage', min: 2 });
      const r = await evaluateCheck(c, env);
      expect(r.summary).toMatch(/^✓ \d+ traces for productpage\.default in Jaeger since the lesson started/);
      const facts = await jaegerTracesCheck.gather(c, env);
      expect(facts.probes.map((p) => p.result)).toEqual(['html', 'api']);
      expect(facts.api).toEqual({ root: `http://127.0.0.1:${pf.port}/jaeger/api`, flavour: 'v1' });
    } finally {
      await stop(pf.child);
    }
  } finally {
    await sb.stop();
  }
});

test('forbidden: a refused list names the verb, the resource and the namespace', async () => {
  const sb = await startFastSandbox({ scenario: 'ready', forbid: [{ verb: 'list', resource: 'pods', namespace: 'default' }] });
  try {
    const cluster = KubeClient.fromKubeconfigText(sb.kubeconfig);
    const r = await evaluateCheck(check({ kind: 'pods-ready', namespace: 'default', selector: 'app=productpage', title: 'productpage is Ready' }), envFor(sb, cluster));
    expect(r).toMatchObject({
      ok: false,
      summary: '✗ productpage is Ready: RBAC refused: cannot list pods in namespace default (ask for the "list" verb on "pods" for user "learner")',
    });
    const err = await cluster.list('v1', 'Pod', 'default').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'forbidden', status: 403 });
    // Elsewhere the same client still works.
    expect((await evaluateCheck(check({ kind: 'pods-ready', namespace: 'istio-system', selector: 'app=jaeger' }), envFor(sb, cluster))).summary).toMatch(/^[✓✗] /);
  } finally {
    await sb.stop();
  }
});

test('unreachable: a kubeconfig pointing at a closed port gives a failed result that says so', async () => {
  const port = await freePort();
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: gone, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`,
    'users: [{name: u, user: {token: abc}}]',
    'contexts: [{name: gone, context: {cluster: gone, user: u}}]',
    'current-context: gone',
  ].join('\n');
  const cluster = KubeClient.fromKubeconfigText(kubeconfig);
  const r = await evaluateCheck(check({ kind: 'pods-ready', namespace: 'default', selector: 'app=productpage', title: 'productpage is Ready' }), envFor(null, cluster));
  expect(r).toMatchObject({
    ok: false,
    summary: `✗ productpage is Ready: cannot reach the cluster at https://127.0.0.1:${port}: connect ECONNREFUSED — is it running? (kubectl --context gone cluster-info)`,
  });
  const err = await cluster.get('v1', 'Namespace', undefined, 'default').catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: 'unreachable' });
  expect(cluster.requestCount).toBeGreaterThanOrEqual(2);
  const none = await evaluateCheck(check({ kind: 'namespace', name: 'default' }), envFor(null, null));
  expect(none.summary).toMatch(/^✗ namespace: no Kubernetes cluster is configured/);
});

test('unauthorized and unresponsive clusters give their own errors', async () => {
  const sb = await startFastSandbox({ scenario: 'empty' });
  try {
    const wrong = KubeClient.fromKubeconfigText(sb.kubeconfig.replace(sb.token, 'not-the-token'));
    const err = await wrong.list('v1', 'Pod', 'default').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect((err as Error).message).toBe(
      `the cluster at ${sb.url} does not accept the credentials of context kubetutor-sandbox (401 Unauthorized): the token or certificate is wrong or has expired; log in again, then try kubectl --context kubetutor-sandbox auth whoami`,
    );
    const untrusted = KubeClient.fromKubeconfigText(sb.kubeconfig.replace(/\s*insecure-skip-tls-verify: true/, ''));
    expect(await untrusted.list('v1', 'Pod').catch((e: unknown) => e)).toMatchObject({
      kind: 'unreachable',
      message: `cannot reach the cluster at ${sb.url} securely: its TLS certificate was rejected (self-signed certificate); check certificate-authority in the kubeconfig (kubectl --context kubetutor-sandbox cluster-info)`,
    });
  } finally {
    await sb.stop();
  }
  // A server that accepts connections and never answers.
  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (silent.address() as net.AddressInfo).port;
    const kubeconfig = `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n`;
    const client = KubeClient.fromKubeconfigText(kubeconfig, 'c', { requestTimeoutMs: 300 });
    const err = await client.list('v1', 'Pod').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unreachable', message: `the cluster at https://127.0.0.1:${port} did not answer within 0.3 s — is it running and reachable? (kubectl --context c cluster-info)` });
    expect(() => KubeClient.fromKubeconfigText(kubeconfig, 'prod')).toThrow('context "prod" is not in the kubeconfig (contexts there: c)');
  } finally {
    sockets.forEach((s) => s.destroy());
    silent.close();
  }
});

/** A stand-in Jaeger query service: `routes` maps a path to a JSON body; anything else gets the UI's HTML. */
async function stubJaeger(routes: Record<string, (q: URLSearchParams) => unknown>): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push(u.pathname + u.search);
    const route = routes[u.pathname];
    if (route) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(route(u.searchParams)));
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><head><title>Jaeger UI</title></head><body></body></html>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('jaeger-traces reads an empty service list (data: null) as "no spans yet"', async () => {
  const j = await stubJaeger({ '/api/services': () => ({ data: null, total: 0, limit: 0, offset: 0, errors: null }) });
  try {
    const r = await evaluateCheck(check({ kind: 'jaeger-traces', url: j.url, service: 'productpage' }), envFor(null, null, { lessonStartMicros: Date.now() * 1000 }));
    expect(r).toMatchObject({ ok: false, summary: '✗ Jaeger knows no service productpage', found: 'services in Jaeger: none' });
    expect(r.diagnosis?.[0]).toMatch(/^Jaeger has received no spans from the mesh at all/);
  } finally {
    await j.close();
  }
});

test('jaeger-traces falls back to the v3 API when the classic one is gone', async () => {
  const otlp = (ids: string[]) => ({ result: { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: ids.map((traceId) => ({ traceId, spanId: '01', name: 'x' })) }] }] } });
  const j = await stubJaeger({
    '/jaeger/api/v3/services': () => ({ services: ['istio-ingressgateway.istio-system', 'productpage.default'] }),
    '/jaeger/api/v3/traces': (q) => (q.get('query.service_name') === 'productpage.default' && q.get('query.start_time_min') ? otlp(['t1', 't2', 't1']) : otlp([])),
  });
  try {
    const r = await evaluateCheck(check({ kind: 'jaeger-traces', url: `${j.url}/`, service: 'productpage', min: 2 }), envFor(null, null, { lessonStartMicros: Date.now() * 1000 - 1e6 }));
    expect(r.summary).toMatch(/^✓ 2 traces for productpage\.default in Jaeger since the lesson started/);
    expect(j.seen.map((s) => s.split('?')[0])).toEqual(['/api/services', '/jaeger/api/services', '/api/v3/services', '/jaeger/api/v3/services', '/jaeger/api/v3/traces']);
  } finally {
    await j.close();
  }
});

test('checkKey and quiz answers', async () => {
  const key = checkKey('why-traces', 2);
  expect(key).toBe('why-traces#2');
  const quiz = check({ kind: 'quiz', question: 'Which port?', options: ['80', '16686'], answer: 1 });
  const env = envFor(null, null, { quizAnswer: (k) => (k === key ? 1 : undefined) });
  expect((await evaluateCheck(quiz, env, key)).ok).toBe(true);
  expect((await evaluateCheck(quiz, { ...env, checkKey: key })).ok).toBe(true);
  expect((await evaluateCheck(quiz, env, 'other#0')).summary).toBe('✗ not answered yet: Which port?');
});
