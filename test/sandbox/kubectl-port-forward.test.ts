import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { kubectl, kubectlPortForward, startFastSandbox, eventually } from '../helpers/sandbox.js';

describe.each([['default'], ['1.29']])('kubectl %s port-forward', (v) => {
  const version = v === 'default' ? undefined : v;
  let sb: Sandbox;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'ready' });
    await eventually(() => sb.objects('', 'pods').every((p) => (p.status as { phase?: string }).phase === 'Running'), 10_000, 'pods running');
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await sb?.stop();
  });

  test("the source doc's command: the gateway pod's 15032 serves the Jaeger dashboard", async () => {
    const name = await kubectl(sb, ['-n', 'istio-system', 'get', 'pod', '-l', 'app=istio-ingressgateway', '-o', 'jsonpath={.items[0].metadata.name}'], { version });
    const pf = await kubectlPortForward(sb, ['-n', 'istio-system', 'port-forward', name.stdout, ':15032'], children, version);
    const res = await fetch(`http://127.0.0.1:${pf.port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<title>Jaeger UI<\/title>/);
  });

  test('the gateway pod\'s port 80 serves /productpage, and each request becomes a trace', async () => {
    const pf = await kubectlPortForward(sb, ['-n', 'istio-system', 'port-forward', 'deployment/istio-ingressgateway', ':80'], children, version);
    const before = sb.workloads.traces.count();
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`http://127.0.0.1:${pf.port}/productpage`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/<title>Simple Bookstore App<\/title>/);
    }
    expect(sb.workloads.traces.count() - before).toBe(3);
  });

  test('a port nothing listens on is refused with the kubelet\'s words', async () => {
    const pf = await kubectlPortForward(sb, ['-n', 'istio-system', 'port-forward', 'deployment/istio-ingressgateway', ':15999'], children, version);
    await fetch(`http://127.0.0.1:${pf.port}/`).catch(() => undefined);
    await eventually(() => /connection refused/.test(pf.output()), 5000, 'refusal message');
  });
});

test('kubectl refuses to forward to a pod that is not running', async () => {
  const sb = await startFastSandbox({ scenario: 'not-ready' });
  try {
    const stuck = await eventually(() => sb.objects('', 'pods', 'default').find((p) => (p.status as { phase?: string }).phase === 'Pending' && /ImagePullBackOff/.test(JSON.stringify(p.status))), 10_000, 'a pod in ImagePullBackOff');
    const r = await kubectl(sb, ['port-forward', `pod/${stuck.metadata.name}`, ':9080'], { timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unable to forward port because pod is not running/);
  } finally {
    await sb.stop();
  }
});
