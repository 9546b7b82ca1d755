import { afterEach, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import type { KubeObject } from '../../src/kube/types.js';
import { startFastSandbox, eventually } from '../helpers/sandbox.js';

/** An HTTP GET straight into a pod's port, the way a port-forward reaches it. */
async function podGet(sb: Sandbox, pod: KubeObject, port: number, path: string): Promise<{ status: number; body: string; type: string }> {
  const stream = await sb.workloads.connect(pod, port);
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request({ path, createConnection: () => stream as never }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const running = (sb: Sandbox) => eventually(() => sb.objects('', 'pods').length > 0 && sb.objects('', 'pods').every((p) => (p.status as { phase?: string }).phase === 'Running'), 10_000, 'pods running');
const pod = (sb: Sandbox, ns: string, label: string, value: string) => sb.objects('', 'pods', ns).find((p) => p.metadata.labels?.[label] === value)!;

describe('the simulated mesh follows the installed Istio era', () => {
  let sb: Sandbox;
  afterEach(() => sb?.stop());

  test.each([
    ['istio-1.0', '/api/services', 'productpage', true],
    ['istio-1.1', '/jaeger/api/services', 'productpage.default', true],
    ['modern', '/jaeger/api/services', 'productpage.default', false],
  ])('%s: Jaeger answers at %s with service %s; policy spans: %s', async (scenario, apiPath, service, policy) => {
    sb = await startFastSandbox({ scenario });
    await running(sb);
    const gw = pod(sb, 'istio-system', 'istio', 'ingressgateway');
    const res = await fetch(`http://127.0.0.1:${sb.gatewayPort}/productpage`);
    expect(res.status).toBe(200);
    const jaeger = pod(sb, 'istio-system', 'app', 'jaeger');
    const services = await podGet(sb, jaeger, 16686, apiPath);
    expect(services.type).toMatch(/json/);
    const names = JSON.parse(services.body).data as string[];
    expect(names).toContain(service);
    expect(names.includes('istio-policy')).toBe(policy);
    // The released eras have no tracing listener on the gateway's 15032: the seed's forward gets nothing.
    await expect(sb.workloads.connect(gw, 15032)).rejects.toThrow(/connection refused/);
  });

  test('ready: the gateway listens on 15032 and serves the Jaeger API there', async () => {
    sb = await startFastSandbox({ scenario: 'ready' });
    await running(sb);
    await fetch(`http://127.0.0.1:${sb.gatewayPort}/productpage`);
    const gw = pod(sb, 'istio-system', 'istio', 'ingressgateway');
    const r = await podGet(sb, gw, 15032, '/api/traces?service=productpage.default&limit=5');
    expect(r.status).toBe(200);
    const traces = JSON.parse(r.body).data as Array<{ spans: unknown[] }>;
    expect(traces.length).toBe(1);
  });

  test.each([['no-sidecar'], ['no-tracing'], ['low-sampling']])('%s: requests succeed but (almost) no traces are recorded', async (scenario) => {
    sb = await startFastSandbox({ scenario });
    await running(sb);
    for (let i = 0; i < 20; i++) expect((await fetch(`http://127.0.0.1:${sb.gatewayPort}/productpage`)).status).toBe(200);
    expect(sb.workloads.traces.count()).toBeLessThan(scenario === 'low-sampling' ? 5 : 1);
  });

  test('not-ready: reviews-v2 sits in ImagePullBackOff with the events a real node records', async () => {
    sb = await startFastSandbox({ scenario: 'not-ready' });
    const stuck = await eventually(() => sb.objects('', 'pods', 'default').find((p) => JSON.stringify(p.status).includes('ImagePullBackOff')), 10_000, 'backoff');
    expect(stuck.metadata.labels).toMatchObject({ app: 'reviews', version: 'v2' });
    const events = sb.objects('', 'events', 'default').filter((e) => (e.involvedObject as { name: string }).name === stuck.metadata.name);
    const reasons = events.map((e) => `${e.reason}: ${e.message}`);
    expect(reasons.some((r) => /^Failed: Failed to pull image ".*1\.99\.0-typo": .*not found/.test(r))).toBe(true);
    expect(reasons).toContain('Failed: Error: ImagePullBackOff');
  });
});
