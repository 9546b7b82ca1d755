/**
 * The `trace` check kind against the real sandbox: traffic through the
 * gateway, Jaeger reached through kubectl port-forward, the era read off the
 * cluster. Passes on `ready`; on `reviews-v1` (v2 and v3 scaled to 0) the
 * ratings hop fails and the diagnosis names where the traces diverged.
 */
import { afterAll, describe, expect, test } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { KubeClient } from '../../src/cluster/kube-client.js';
import { istioFactsOnce } from '../../src/cluster/era.js';
import { evaluateCheck } from '../../src/checks/registry.js';
import type { CheckEnv } from '../../src/checks/types.js';
import type { Check } from '../../src/lesson/types.js';
import { eventually, kubectl, kubectlPortForward, startFastSandbox, stopChild } from '../helpers/sandbox.js';

type TraceInput = Omit<Extract<Check, { kind: 'trace' }>, 'title' | 'source' | 'kind'>;
const trace = (c: TraceInput): Check => ({ kind: 'trace', title: `trace ${c.path}`, source: { file: 'lesson.md', line: 1 }, ...c });

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
});

function envFor(sb: Sandbox, lessonStartMicros: number): CheckEnv {
  const cluster = KubeClient.fromKubeconfigText(sb.kubeconfig);
  return {
    cluster,
    vars: {},
    lessonStartMicros,
    processState: () => 'unknown',
    quizAnswer: () => undefined,
    cwd: process.cwd(),
    env: { KUBECONFIG: sb.kubeconfigPath },
    istio: istioFactsOnce(cluster),
  };
}

async function sendTraffic(sb: Sandbox, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`http://127.0.0.1:${sb.gatewayPort}/productpage`);
    expect(res.status).toBe(200);
    await res.text();
  }
}

/** A sandbox with traffic sent since `lessonStart`, and Jaeger forwarded to a free local port. */
async function withJaeger(scenario: string, requests: number, run: (url: string, env: CheckEnv, sb: Sandbox) => Promise<void>): Promise<void> {
  const sb = await startFastSandbox({ scenario });
  try {
    await eventually(() => sb.objects('', 'pods').every((p) => (p.status as { phase?: string }).phase === 'Running'), 10_000, 'pods running');
    const lessonStart = Date.now() * 1000;
    await sendTraffic(sb, requests);
    const pod = await kubectl(sb, ['-n', 'istio-system', 'get', 'pod', '-l', 'app=jaeger', '-o', 'jsonpath={.items[0].metadata.name}']);
    const pf = await kubectlPortForward(sb, ['-n', 'istio-system', 'port-forward', `pod/${pod.stdout}`, ':16686'], children);
    try {
      await run(`http://127.0.0.1:${pf.port}`, envFor(sb, lessonStart), sb);
    } finally {
      await stopChild(pf.child);
    }
  } finally {
    await sb.stop();
  }
}

describe('trace check', () => {
  test('ready: after the lesson\'s traffic, the pair, the Mixer Check and the ratings call all show', async () => {
    await withJaeger('ready', 10, async (url, env) => {
      const pair = await evaluateCheck(trace({ url, path: 'productpage -> reviews' }), env);
      expect(pair.summary).toMatch(/^✓ 10 of the newest 10 traces since the lesson started \(\d\d:\d\d:\d\d UTC\) show productpage -> reviews: trace [0-9a-f]{12} \(productpage -> reviews client [\d.]+ms \/ server [\d.]+ms\)$/);
      const policy = await evaluateCheck(trace({ url, path: 'productpage -> reviews > istio-policy', eras: ['1.0', '1.1'] }), env);
      expect(policy.ok, policy.summary).toBe(true);
      const ratings = await evaluateCheck(trace({ url, path: 'productpage -> reviews -> ratings', tags: { 'http.status_code': '200' } }), env);
      // Round-robin over v1, v2, v3: two thirds of the requests reach ratings.
      expect(ratings.summary).toMatch(/^✓ [67] of the newest 10 traces .* show productpage -> reviews -> ratings/);
      // A condition no call meets fails, naming the condition.
      const slow = await evaluateCheck(trace({ url, path: 'productpage -> reviews -> ratings', maxDuration: '1us' }), env);
      expect(slow.ok).toBe(false);
      expect(slow.diagnosis?.join('\n')).toMatch(/calls productpage -> reviews did not meet the check's conditions: took [\d.]+ms, more than 1us/);
      // `->` towards istio-policy: there is no client span for the Check.
      const wrong = await evaluateCheck(trace({ url, path: 'reviews -> istio-policy' }), env);
      expect(wrong.ok).toBe(false);
      // Traffic from before the lesson does not count: the jaeger-traces diagnosis says so.
      const later = await evaluateCheck(trace({ url, path: 'productpage -> reviews' }), { ...env, lessonStartMicros: (Date.now() + 60_000) * 1000 });
      expect(later.ok).toBe(false);
      expect(later.diagnosis?.[0]).toMatch(/older traces? for productpage\.default, from before the lesson started/);
    });
  });

  test('reviews-v1: reviews never calls ratings, and the diagnosis names where the traces diverged', async () => {
    await withJaeger('reviews-v1', 8, async (url, env) => {
      const pair = await evaluateCheck(trace({ url, path: 'productpage -> reviews' }), env);
      expect(pair.ok).toBe(true);
      const r = await evaluateCheck(trace({ url, path: 'productpage -> reviews -> ratings' }), env);
      if (process.env.SHOW_DIAGNOSIS) console.log(JSON.stringify(r, null, 2));
      expect(r.ok).toBe(false);
      expect(r.summary).toMatch(/^✗ no trace shows productpage -> reviews -> ratings \(newest 8 traces since the lesson started \(\d\d:\d\d:\d\d UTC\)\): reviews never reached ratings$/);
      expect(r.found).toMatch(/^newest 8 traces since the lesson started \(.*\): productpage in all 8, reviews in all 8, ratings never$/);
      const text = r.diagnosis!.join('\n');
      expect(text).toMatch(/nearest: trace [0-9a-f]+ \(.*, 9 spans\) follows the path as far as reviews, then has no reviews -> ratings/);
      expect(text).toMatch(/reviews v1 answered all 8 of them, and v1 does not call ratings .*send more requests so reviews v2 or v3 answer/);
    });
  });

  test('istio-1.0: plain service names (productpage, reviews) and Jaeger at /api; all three of step 4 pass', async () => {
    await withJaeger('istio-1.0', 6, async (url, env) => {
      for (const path of ['productpage -> reviews', 'productpage -> reviews -> ratings']) {
        const r = await evaluateCheck(trace({ url, path }), env);
        expect(r.ok, r.summary).toBe(true);
      }
      const policy = await evaluateCheck(trace({ url, path: 'productpage -> reviews > istio-policy', eras: ['1.0', '1.1'] }), env);
      expect(policy.summary).toMatch(/^✓ 6 of the newest 6 traces .* show productpage -> reviews > istio-policy/);
    });
  });

  test('modern: the istio-policy check is not expected (no Mixer) and passes saying so', async () => {
    await withJaeger('modern', 3, async (url, env) => {
      const policy = await evaluateCheck(trace({ url, path: 'productpage -> reviews > istio-policy', eras: ['1.0', '1.1'] }), env);
      expect(policy.summary).toBe('✓ not expected on this Istio (modern): productpage -> reviews > istio-policy applies to Istio 1.0, 1.1');
      const pair = await evaluateCheck(trace({ url, path: 'productpage -> reviews -> ratings' }), env);
      expect(pair.ok, pair.summary).toBe(true);
    });
  });
});
