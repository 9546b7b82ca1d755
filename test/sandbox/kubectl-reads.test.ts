import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { kubectl, startFastSandbox, eventually } from '../helpers/sandbox.js';

// Both the dispatcher's default kubectl and 1.29 (which only speaks aggregated discovery v2beta1).
describe.each([['default'], ['1.29']])('kubectl %s against the ready sandbox', (v) => {
  const version = v === 'default' ? undefined : v;
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'ready' });
    await eventually(() => sb.objects('', 'pods').length > 0 && sb.objects('', 'pods').every((p) => (p.status as { phase?: string }).phase === 'Running'), 10_000, 'pods running');
  });
  afterAll(() => sb?.stop());

  test('gets the ingress gateway pod name with jsonpath', async () => {
    const r = await kubectl(sb, ['-n', 'istio-system', 'get', 'pod', '-l', 'app=istio-ingressgateway', '-o', "jsonpath={.items[0].metadata.name}"], { version });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^istio-ingressgateway-[a-z0-9]{8,10}-[a-z0-9]{5}$/);
  });

  test('lists pods in all namespaces as a table with ready counts and status', async () => {
    const r = await kubectl(sb, ['get', 'pods', '-A'], { version });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    const productpage = lines.find((l) => /^default\s+productpage-v1-/.test(l));
    expect(productpage).toMatch(/\s2\/2\s+Running\s+0\s/);
    expect(lines.some((l) => /^istio-system\s+istio-ingressgateway-/.test(l))).toBe(true);
  });

  test('shows deployments, services and the Istio custom resources by short name', async () => {
    const d = await kubectl(sb, ['get', 'deploy', '-n', 'default'], { version });
    expect(d.stdout).toMatch(/reviews-v2\s+1\/1\s+1\s+1/);
    const s = await kubectl(sb, ['-n', 'istio-system', 'get', 'svc', 'istio-ingressgateway'], { version });
    expect(s.stdout).toMatch(/LoadBalancer\s+10\.96\.\S+\s+<pending>\s+.*80:\d+\/TCP/);
    const gw = await kubectl(sb, ['get', 'gw', '-A'], { version });
    expect(gw.code).toBe(0);
    expect(gw.stdout).toMatch(/bookinfo-gateway/);
  });

  test('says NotFound the way a real cluster does', async () => {
    const r = await kubectl(sb, ['get', 'pod', 'nope'], { version });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error from server \(NotFound\): pods "nope" not found/);
  });
});
