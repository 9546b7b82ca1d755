/**
 * Bad input, part 2: malformed Kubernetes and Jaeger answers. A loopback server (junk-server.ts)
 * answers every request with junk made up for it; the real clients are pointed at it — KubeClient
 * (no watch cache, so every evaluation makes requests) under every check kind that reads the
 * cluster, and JaegerClient (services, search, trace) with the trace model built on what it
 * returns. Each must end in a clear message: a CheckResult that says what was wrong, or a
 * JaegerError with a readable one-line message — no uncaught exception, no TypeError text, no hang.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import https from 'node:https';
import type net from 'node:net';
import { join } from 'node:path';
import { KubeClient, ClusterError } from '../../src/cluster/kube-client.js';
import { istioFactsOnce } from '../../src/cluster/era.js';
import { evaluateCheck } from '../../src/checks/registry.js';
import type { CheckEnv } from '../../src/checks/types.js';
import { parseLesson } from '../../src/lesson/parse.js';
import type { Check, CheckResult } from '../../src/lesson/types.js';
import { sandboxKubeconfig } from '../../src/sandbox/kubeconfig.js';
import { selfSignedCertificate } from '../../src/sandbox/tls.js';
import { JaegerClient, JaegerError } from '../../src/traces/jaeger-client.js';
import { buildTraceModel, summarizeTrace } from '../../src/traces/trace-model.js';
import { startJunkServer, type JunkServer } from './junk-server.js';

const LESSON_DIR = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger');
/** Client deadlines: short, so slow and stalled answers cost little. */
const TIMEOUT_MS = 1000;
/** Longer than any evaluation may take (the clients' deadlines and retries included): past it, a hang. */
const HANG_MS = 30_000;
const CONCURRENCY = 6;

/** Text that means internals reached the learner: an exception's message, or a value printed raw. */
const INTERNAL = /TypeError|ReferenceError|SyntaxError|RangeError|Cannot read propert|is not a function|is not iterable|is not defined|\(reading '|\[object Object\]|Unexpected token|Unexpected end of JSON|is not valid JSON|JSON at position|\bundefined\b|\bNaN\b|^\s+at /m;

/** What is wrong with how a result reads (undefined: it is a clear message). */
function unclear(r: CheckResult): string | undefined {
  if (typeof r?.ok !== 'boolean' || typeof r.summary !== 'string') return `not a CheckResult: ${JSON.stringify(r)?.slice(0, 200)}`;
  if (r.summary.includes('\n')) return `a summary of several lines: ${JSON.stringify(r.summary.slice(0, 200))}`;
  if (r.summary.length > 700) return `a summary of ${r.summary.length} characters`;
  const all = [r.summary, r.expected, r.found, ...(r.diagnosis ?? [])].filter((x) => x !== undefined).join('\n');
  const m = INTERNAL.exec(all);
  if (m) return `internal text "${m[0]}": ${all.slice(Math.max(0, m.index - 120), m.index + 80).replace(/\n/g, ' | ')}`;
  return undefined;
}

function withDeadline<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, no) => (timer = setTimeout(() => no(new Error(`HANG: ${what} took more than ${HANG_MS / 1000} s`)), HANG_MS)))]).finally(() => clearTimeout(timer));
}

/** Runs `job(i)` for i = 0, 1, … on `n` workers until `done()`. */
async function pool(n: number, done: () => boolean, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (!done()) await job(next++);
  }));
}

function tally(server: JunkServer): string {
  const byJunk = new Map<string, number>();
  for (const [k, v] of server.byKind) {
    const kind = k.replace(/^[^:]*: /, '');
    byJunk.set(kind, (byJunk.get(kind) ?? 0) + v);
  }
  return [...byJunk].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
}

/** Every check kind that reads the cluster, as a lesson declares them. */
function clusterChecks(jaegerUrl: string): Check[] {
  const yaml = `
- kind: namespace
  name: default
  labels: {istio-injection: enabled}
- kind: namespace
  name: gone
  absent: true
- kind: pods-ready
  namespace: default
  selector: app=productpage
  min: 2
- kind: container-present
  namespace: default
  selector: app in (productpage,details,reviews,ratings)
  container: istio-proxy
- kind: deployment-available
  namespace: default
  name: productpage-v1
- kind: deployment-available
  namespace: default
  selector: app=productpage
- kind: service
  namespace: istio-system
  name: istio-ingressgateway
  ports: [80, 15032]
- kind: resource
  apiVersion: networking.istio.io/v1alpha3
  resourceKind: Gateway
  namespace: default
  name: bookinfo-gateway
- kind: resource
  apiVersion: networking.istio.io/v1alpha3
  resourceKind: VirtualService
  selector: app=x
  absent: true
- kind: no-leftovers
  files: [bookinfo.yaml, bookinfo-gateway.yaml]
- kind: jaeger-traces
  url: ${jaegerUrl}
  service: productpage
- kind: port-open
  port: 15032
`;
  return parseLesson(`---\nid: junk\ntitle: Junk\n---\n## Checks {#checks}\n\`\`\`check${yaml}\`\`\`\n`, join(LESSON_DIR, 'junk.md')).steps[0].checks;
}

describe('malformed Kubernetes and Jaeger answers', () => {
  let kube: JunkServer;
  let jaeger: JunkServer;
  beforeAll(async () => {
    kube = await startJunkServer({ mode: 'kube', seed: 11, stallMs: 1500 });
    jaeger = await startJunkServer({ mode: 'jaeger', seed: 12, stallMs: 1500 });
  });
  afterAll(async () => {
    await kube?.close();
    await jaeger?.close();
  });

  test('every cluster check, through KubeClient, ends in a clear result', async () => {
    const checks = clusterChecks(jaeger.url);
    expect(new Set(checks.map((c) => c.kind)).size).toBe(9);
    const kubeconfig = sandboxKubeconfig(kube.url, 'junk-token');
    const defects: string[] = [];
    const seen = { failed: 0, passed: 0, evaluations: 0 };
    await pool(CONCURRENCY, () => kube.responses >= 700, async (i) => {
      // A fresh client now and then, so discovery is asked (and answered with junk) again.
      const cluster = KubeClient.fromKubeconfigText(kubeconfig, undefined, { requestTimeoutMs: TIMEOUT_MS });
      const check = checks[i % checks.length];
      const env: CheckEnv = {
        cluster,
        istio: istioFactsOnce(cluster),
        vars: {},
        lessonStartMicros: Date.now() * 1000,
        processState: () => 'unknown',
        quizAnswer: () => undefined,
        cwd: LESSON_DIR,
        env: {},
      };
      seen.evaluations++;
      try {
        const r = await withDeadline(evaluateCheck(check, env), `${check.kind} check`);
        const why = unclear(r);
        if (why) defects.push(`${check.kind}: ${why}`);
        else if (r.ok) seen.passed++;
        else seen.failed++;
      } catch (e) {
        defects.push(`${check.kind}: ${(e as Error).message}`);
      }
    });
    console.log(
      `malformed Kubernetes answers tried: ${kube.responses} (${tally(kube)})\n` +
        `  check evaluations: ${seen.evaluations}; clear messages: ${seen.failed + seen.passed} (${seen.failed} failed checks saying what was wrong, ` +
        `${seen.passed} passes where the junk was well-formed where it mattered); crashes: ${defects.length}`,
    );
    expect(defects.slice(0, 20)).toEqual([]);
    expect(seen.failed).toBeGreaterThan(seen.evaluations / 2);
  }, 240_000);

  test('JaegerClient (services, search, trace) and the trace model end in data or a readable JaegerError', async () => {
    const defects: string[] = [];
    const seen = { calls: 0, errors: 0, answers: 0, models: 0 };
    const call = async <T>(what: string, f: () => Promise<T>): Promise<T | undefined> => {
      seen.calls++;
      try {
        const v = await withDeadline(f(), what);
        seen.answers++;
        return v;
      } catch (e) {
        const err = e as Error;
        const m = INTERNAL.exec(err.message);
        if (!(e instanceof JaegerError)) defects.push(`${what}: ${err.name}: ${err.message.slice(0, 200)}`);
        else if (err.message.includes('\n') || err.message.length > 600 || m) defects.push(`${what}: unreadable message: ${JSON.stringify(err.message.slice(0, 300))}`);
        else seen.errors++;
        return undefined;
      }
    };
    const model = (t: Parameters<typeof buildTraceModel>[0], what: string) => {
      try {
        buildTraceModel(t);
        summarizeTrace(t);
        seen.models++;
      } catch (e) {
        defects.push(`${what}: the trace model threw ${(e as Error).stack?.split('\n').slice(0, 2).join(' ')}`);
      }
    };
    await pool(CONCURRENCY, () => jaeger.responses >= 700, async () => {
      const client = await call('connect', () => JaegerClient.connect(jaeger.url, { timeoutMs: TIMEOUT_MS }));
      if (!client) return;
      const services = await call('services', () => client.services());
      const traces = await call('search', () => client.search({ service: services?.[0] ?? 'productpage', limit: 20 }));
      for (const t of traces ?? []) model(t, 'search');
      const one = await call('trace', () => client.trace(traces?.[0]?.traceID || '5b8aa5a2d2c872e8321cf37308d69df2'));
      if (one) model(one, 'trace');
    });
    console.log(
      `malformed Jaeger answers tried: ${jaeger.responses} (${tally(jaeger)})\n` +
        `  client calls: ${seen.calls}; clear messages: ${seen.errors} JaegerErrors, ${seen.answers} answers (${seen.models} traces modelled); crashes: ${defects.length}`,
    );
    expect(defects.slice(0, 20)).toEqual([]);
    expect(seen.errors).toBeGreaterThan(seen.calls / 3);
  }, 240_000);

  test('a discovery answer without a resource list is not cached: the next request reads again', async () => {
    let discoveryCalls = 0;
    const server = https.createServer(await selfSignedCertificate(), (req, res) => {
      const json = (v: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(v));
      };
      if (req.url === '/api/v1') {
        // First a proxy's idea of an answer, then the real discovery document.
        discoveryCalls++;
        return json(discoveryCalls === 1 ? { kind: 'Status', items: 'none' } : { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'namespaces', kind: 'Namespace', namespaced: false, singularName: '', verbs: ['get'] }] });
      }
      if (req.url === '/api/v1/namespaces/default') return json({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
      const client = KubeClient.fromKubeconfigText(sandboxKubeconfig(url, 't'), undefined, { requestTimeoutMs: TIMEOUT_MS });
      const first = await client.get('v1', 'Namespace', undefined, 'default').catch((e: unknown) => e);
      expect(first).toBeInstanceOf(ClusterError);
      expect((first as Error).message).toMatch(/sent an answer kubetutor cannot read when asked to look up the Namespace kind \(GET \/api\/v1\): it is JSON, but not in the shape of a Kubernetes answer/);
      const second = await client.get('v1', 'Namespace', undefined, 'default');
      expect(second?.metadata.name).toBe('default');
      expect(discoveryCalls).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });
});
