/**
 * Era awareness: detectIstio reads each sandbox scenario's Istio off the
 * cluster API, and the checks use it to say which forward reaches Jaeger
 * here and why productpage traces are missing. Jaeger is reached with the
 * real kubectl's port-forward on a random local port (never 15032).
 */
import { afterAll, describe, expect, test } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { KubeClient } from '../../src/cluster/kube-client.js';
import { dashboardAccess, detectIstio, eraOf, imageVersion, istioFactsOnce, istioVars, type IstioFacts } from '../../src/cluster/era.js';
import { evaluateCheck } from '../../src/checks/registry.js';
import { portOpenCheck } from '../../src/checks/kinds/ports.js';
import type { CheckEnv } from '../../src/checks/types.js';
import type { Check } from '../../src/lesson/types.js';
import { eventually, kubectl, startFastSandbox, kubectlPortForward, stopChild, freePort } from '../helpers/sandbox.js';

const source = { file: 'lesson.md', line: 1 };
type CheckInput = Check extends infer C ? (C extends Check ? Omit<C, 'title' | 'source'> & { title?: string } : never) : never;
function check<T extends CheckInput>(c: T): Extract<Check, { kind: T['kind'] }> {
  return { title: c.kind, source, ...c } as unknown as Extract<Check, { kind: T['kind'] }>;
}

/** A CheckEnv as the session builds it, with `istio` memoized for the round; `calls` counts detections. */
function envFor(sb: Sandbox, cluster: KubeClient, extra: Partial<CheckEnv> = {}): CheckEnv & { calls: () => number } {
  const once = istioFactsOnce(cluster);
  let calls = 0;
  return {
    cluster,
    vars: {},
    lessonStartMicros: 0,
    processState: () => 'unknown',
    quizAnswer: () => undefined,
    cwd: process.cwd(),
    env: { KUBECONFIG: sb.kubeconfigPath },
    istio: () => {
      calls++;
      return once();
    },
    calls: () => calls,
    ...extra,
  };
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
});

const portForward = (sb: Sandbox, args: string[]) => kubectlPortForward(sb, args, children);
const stop = stopChild;

const allRunning = (sb: Sandbox) => {
  const pods = sb.objects('', 'pods');
  return pods.length > 0 && pods.every((p) => (p.status as { phase?: string }).phase === 'Running');
};

async function sendTraffic(sb: Sandbox, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`http://127.0.0.1:${sb.gatewayPort}/productpage`);
    expect(res.status).toBe(200);
    await res.text();
  }
}

/** Starts `scenario`, waits for its pods, runs `fn`, stops it. */
async function withSandbox<T>(scenario: string, fn: (sb: Sandbox, cluster: KubeClient) => Promise<T>, opts: Parameters<typeof startFastSandbox>[0] = {}): Promise<T> {
  const sb = await startFastSandbox({ scenario, ...opts });
  try {
    if (scenario !== 'empty') await eventually(() => allRunning(sb), 10_000, 'pods running');
    return await fn(sb, KubeClient.fromKubeconfigText(sb.kubeconfig));
  } finally {
    await sb.stop();
  }
}

/** Forwards a random local port to the app=jaeger pod's 16686, as the lesson's jaeger-forward-pod does (its pod lookup included). */
async function forwardJaeger(sb: Sandbox): Promise<{ child: ChildProcess; url: string }> {
  const pod = await kubectl(sb, ['get', 'pod', '--namespace', 'istio-system', '--selector', 'app=jaeger', '--output', 'jsonpath={.items[0].metadata.name}']);
  expect(pod.code).toBe(0);
  expect(pod.stdout).not.toBe('');
  const pf = await portForward(sb, ['port-forward', '--namespace', 'istio-system', pod.stdout, ':16686']);
  return { child: pf.child, url: `http://127.0.0.1:${pf.port}` };
}

describe('detectIstio reads the era off the cluster', () => {
  const gatewayForward = /port-forward .*app=istio-ingressgateway.* 15032:15032$/;
  const podForward = /port-forward .*app=jaeger.* 15032:16686$/;
  test.each<[string, Partial<IstioFacts>, RegExp, Record<string, string>]>([
    [
      'ready',
      { era: '1.1', version: '1.1.4', controlPlane: 'istio-pilot', tracingInstalled: true, jaegerBasePath: '', productpageService: 'productpage.default', samplingPercent: 100, samplingSource: 'pilot-env', gatewayListens15032: true, tracingGateway: 'istio-system/istio-tracing-gateway', gatewayService15032: true, dashboard: { how: 'gateway-15032', command: expect.stringMatching(gatewayForward) as unknown as string, why: expect.stringMatching(/the Gateway istio-system\/istio-tracing-gateway listens on the ingress gateway's 15032/) as unknown as string } },
      /^Istio 1\.1\.4: /,
      { ISTIO_ERA: '1.1', JAEGER_BASE: '', PRODUCTPAGE_SERVICE: 'productpage.default' },
    ],
    [
      'istio-1.0',
      { era: '1.0', version: '1.0.9', tracingInstalled: true, jaegerBasePath: '', productpageService: 'productpage', samplingPercent: 100, gatewayListens15032: false, gatewayService15032: false, dashboard: { how: 'jaeger-pod', command: expect.stringMatching(podForward) as unknown as string, why: expect.any(String) as unknown as string } },
      /^Istio 1\.0\.9 \(released\): the ingress gateway has no port 15032 at all — the tracing Gateway existed only in 1\.1 pre-releases/,
      { ISTIO_ERA: '1.0', JAEGER_BASE: '', PRODUCTPAGE_SERVICE: 'productpage' },
    ],
    [
      'istio-1.1',
      { era: '1.1', version: '1.1.4', tracingInstalled: true, jaegerDeployment: 'istio-tracing', jaegerBasePath: '/jaeger', productpageService: 'productpage.default', samplingPercent: 100, gatewayListens15032: false, gatewayService15032: true, dashboard: { how: 'jaeger-pod', command: expect.stringMatching(podForward) as unknown as string, why: expect.any(String) as unknown as string } },
      /^Istio 1\.1\.4 \(released\): the gateway Service lists 15032 but no Gateway listens on it — the tracing Gateway existed only in 1\.1 pre-releases/,
      { ISTIO_ERA: '1.1', JAEGER_BASE: '/jaeger', PRODUCTPAGE_SERVICE: 'productpage.default' },
    ],
    [
      'modern',
      { era: 'modern', version: '1.29.6', controlPlane: 'istiod', tracingInstalled: true, jaegerDeployment: 'jaeger', jaegerBasePath: '/jaeger', productpageService: 'productpage.default', samplingPercent: 100, samplingSource: 'telemetry', gatewayListens15032: false, gatewayService15032: false, dashboard: { how: 'istioctl', command: 'istioctl dashboard jaeger --port 15032 --browser=false', alternative: expect.stringMatching(podForward) as unknown as string, why: expect.any(String) as unknown as string } },
      /^Istio 1\.29\.6 \(istiod\): the ingress gateway has no tracing listener on 15032/,
      { ISTIO_ERA: 'modern', JAEGER_BASE: '/jaeger', PRODUCTPAGE_SERVICE: 'productpage.default' },
    ],
    [
      'empty',
      { era: null, tracingInstalled: false, gatewayListens15032: false, unread: [], dashboard: { how: 'jaeger-pod', command: expect.stringMatching(podForward) as unknown as string, why: expect.any(String) as unknown as string } },
      /^no Istio control plane in istio-system/,
      { ISTIO_ERA: 'none', JAEGER_BASE: '', PRODUCTPAGE_SERVICE: 'productpage' },
    ],
    [
      'no-tracing',
      { era: '1.1', tracingInstalled: false, meshTracingEnabled: false, gatewayListens15032: false },
      /tracing is not installed \(no app=jaeger pod in istio-system\)/,
      { ISTIO_ERA: '1.1', JAEGER_BASE: '/jaeger', PRODUCTPAGE_SERVICE: 'productpage.default' },
    ],
    [
      'low-sampling',
      { era: '1.1', tracingInstalled: true, samplingPercent: 1, samplingSource: 'pilot-env', samplingFrom: 'PILOT_TRACE_SAMPLING on Deployment istio-pilot', gatewayListens15032: true },
      /^Istio 1\.1\.4: the Gateway/,
      { ISTIO_ERA: '1.1', JAEGER_BASE: '', PRODUCTPAGE_SERVICE: 'productpage.default' },
    ],
  ])('%s', async (scenario, expected, why, vars) => {
    await withSandbox(scenario, async (_sb, cluster) => {
      const facts = await detectIstio(cluster);
      expect(facts).toMatchObject(expected);
      expect(facts.dashboard.why).toMatch(why);
      expect(istioVars(facts)).toEqual(vars);
      expect(facts.unread).toEqual([]);
    });
  });

  test('RBAC refusals give partial facts: the era from the control plane pods, or none, without throwing', async () => {
    await withSandbox(
      'istio-1.1',
      async (_sb, cluster) => {
        const facts = await detectIstio(cluster);
        // Deployments could not be listed: the pods still tell the era, the version and the base path.
        expect(facts).toMatchObject({ era: '1.1', version: '1.1.4', controlPlane: 'istio-pilot', tracingInstalled: true, jaegerBasePath: '/jaeger', samplingPercent: 100 });
        expect(facts.jaegerDeployment).toBeUndefined();
        expect(facts.unread).toEqual([expect.stringMatching(/^RBAC refused: cannot list deployments in namespace istio-system/)]);
      },
      { forbid: [{ verb: 'list', resource: 'deployments', namespace: 'istio-system' }] },
    );
    await withSandbox(
      'istio-1.1',
      async (_sb, cluster) => {
        const facts = await detectIstio(cluster);
        expect(facts).toMatchObject({ era: null, tracingInstalled: false, gatewayListens15032: false });
        expect(facts.unread).toHaveLength(2);
        expect(facts.dashboard.why).toMatch(/could not be read \(RBAC\)/);
      },
      { forbid: [{ verb: 'list', resource: 'deployments', namespace: 'istio-system' }, { verb: 'list', resource: 'pods', namespace: 'istio-system' }] },
    );
  });
});

describe('pure parts', () => {
  test('versions and eras', () => {
    expect(imageVersion('docker.io/istio/pilot:1.1.4')).toBe('1.1.4');
    expect(imageVersion('gcr.io/istio-release/pilot:1.0.9')).toBe('1.0.9');
    expect(imageVersion('docker.io/istio/pilot:1.29.6-distroless')).toBe('1.29.6');
    expect(imageVersion('docker.io/istio/pilot:1.1.0-snapshot.3')).toBe('1.1.0-snapshot.3');
    expect(imageVersion('localhost:5000/istio/pilot:latest')).toBeUndefined();
    expect(imageVersion('docker.io/istio/pilot@sha256:abc')).toBeUndefined();
    expect(eraOf('istio-pilot', '1.0.9')).toBe('1.0');
    expect(eraOf('istio-pilot', '1.1.4')).toBe('1.1');
    expect(eraOf('istio-pilot', '1.4.3')).toBe('1.1');
    expect(eraOf('istio-pilot', undefined)).toBe('1.1');
    expect(eraOf('istiod', '1.22.0')).toBe('modern');
  });

  test('a pre-release 1.1 is not called released, and no tracing means nothing to forward to', () => {
    const base = { era: '1.1' as const, version: '1.1.0-snapshot.3', tracingInstalled: true, jaegerBasePath: '', productpageService: 'productpage.default' as const, gatewayListens15032: false, gatewayService15032: true, unread: [] };
    expect(dashboardAccess(base).why).toMatch(/^Istio 1\.1\.0-snapshot\.3: the gateway Service lists 15032 but no Gateway listens on it/);
    expect(dashboardAccess({ ...base, era: 'modern', version: '1.22.0', tracingInstalled: false })).toMatchObject({ how: 'istioctl', why: expect.stringMatching(/tracing is not installed/) });
  });
});

describe('port-open on 15032 names the forward that works here', () => {
  const c = check({ kind: 'port-open', port: 15032 });

  /** The check on 15032; should another test hold that port, the same facts judged as refused. */
  async function evaluate(env: CheckEnv) {
    const r = await evaluateCheck(c, env);
    if (!r.ok) return r;
    const istio = await env.istio!();
    return portOpenCheck.judge(c, { port: 15032, state: 'refused', istio });
  }

  test('istio-1.1: the gateway Service lists 15032 but no Gateway listens; forward the Jaeger pod', async () => {
    await withSandbox('istio-1.1', async (sb, cluster) => {
      const env = envFor(sb, cluster);
      const r = await evaluate(env);
      expect(r.ok).toBe(false);
      expect(r.diagnosis![0]).toMatch(/^nothing listens on port 15032: is the port-forward running/);
      expect(r.diagnosis![1]).toMatch(/^on this cluster: Istio 1\.1\.4 \(released\): the gateway Service lists 15032 but no Gateway listens on it/);
      expect(r.diagnosis![2]).toBe(
        `the forward that works here: kubectl -n istio-system port-forward "$(kubectl -n istio-system get pod -l app=jaeger -o jsonpath='{.items[0].metadata.name}')" 15032:16686`,
      );
    });
  });

  test('modern: istioctl dashboard jaeger, or the kubectl forward of the Jaeger pod', async () => {
    await withSandbox('modern', async (sb, cluster) => {
      const r = await evaluate(envFor(sb, cluster));
      expect(r.diagnosis![1]).toMatch(/^on this cluster: Istio 1\.29\.6 \(istiod\): the ingress gateway has no tracing listener on 15032/);
      expect(r.diagnosis![2]).toMatch(/^the forward that works here: istioctl dashboard jaeger --port 15032 --browser=false, or without istioctl: kubectl -n istio-system port-forward .*app=jaeger.* 15032:16686$/);
    });
  });

  test('other ports, and a check that passes, never ask for the era', async () => {
    await withSandbox('istio-1.0', async (sb, cluster) => {
      const env = envFor(sb, cluster);
      const closed = await freePort();
      const r = await evaluateCheck(check({ kind: 'port-open', port: closed }), env);
      expect(r.ok).toBe(false);
      expect(r.diagnosis).toHaveLength(1);
      const server = net.createServer();
      await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
      try {
        const open = (server.address() as net.AddressInfo).port;
        expect((await evaluateCheck(check({ kind: 'port-open', port: open }), env)).ok).toBe(true);
      } finally {
        server.close();
      }
      expect(env.calls()).toBe(0);
    });
  });
});

describe('jaeger-traces says why productpage has no traces', () => {
  test('modern: the lesson\'s jaeger-forward-pod lookup finds the jaeger pod, and its traces pass without asking why', async () => {
    await withSandbox('modern', async (sb, cluster) => {
      const lessonStartMicros = Date.now() * 1000;
      await sendTraffic(sb, 2);
      const j = await forwardJaeger(sb);
      try {
        const services = (await (await fetch(`${j.url}/jaeger/api/services`)).json()) as { data: string[] };
        expect(services.data).toContain('productpage.default');
        const env = envFor(sb, cluster, { lessonStartMicros });
        const r = await evaluateCheck(check({ kind: 'jaeger-traces', url: j.url, service: 'productpage', min: 2 }), env);
        expect(r.summary).toMatch(/^✓ 2 traces for productpage\.default in Jaeger since the lesson started/);
        expect(env.calls()).toBe(0);
      } finally {
        await stop(j.child);
      }
    });
  });

  test('no-sidecar: the productpage pod has no istio-proxy, and the namespace lacks the injection label', async () => {
    await withSandbox('no-sidecar', async (sb, cluster) => {
      const lessonStartMicros = Date.now() * 1000;
      await sendTraffic(sb, 5);
      const j = await forwardJaeger(sb);
      try {
        const r = await evaluateCheck(check({ kind: 'jaeger-traces', url: j.url, service: 'productpage' }), envFor(sb, cluster, { lessonStartMicros }));
        expect(r.ok).toBe(false);
        expect(r.summary).toBe('✗ Jaeger knows no service productpage');
        const d = r.diagnosis!;
        expect(d[0]).toMatch(/^sidecars missing: productpage-v1-\S+ has no istio-proxy container, so productpage sends no spans/);
        expect(d[1]).toMatch(/^namespace default lacks the label istio-injection=enabled: label it/);
        expect(d.at(-1)).toBe('checked and fine: sampling is 100% (PILOT_TRACE_SAMPLING on Deployment istio-pilot)');
        expect(d.join('\n')).not.toMatch(/not installed|wrong service name/);
      } finally {
        await stop(j.child);
      }
    });
  });

  test('low-sampling: 1% from PILOT_TRACE_SAMPLING on istio-pilot, and how to raise it', async () => {
    await withSandbox('low-sampling', async (sb, cluster) => {
      const lessonStartMicros = Date.now() * 1000;
      await sendTraffic(sb, 5);
      const j = await forwardJaeger(sb);
      try {
        // min 50: fails however the five requests were sampled.
        const r = await evaluateCheck(check({ kind: 'jaeger-traces', url: j.url, service: 'productpage', min: 50 }), envFor(sb, cluster, { lessonStartMicros }));
        expect(r.ok).toBe(false);
        const sampling = r.diagnosis!.find((l) => l.startsWith('sampling is '));
        expect(sampling).toBe(
          'sampling is 1% (PILOT_TRACE_SAMPLING on Deployment istio-pilot): only about one request in a hundred becomes a trace; send a few hundred requests, or set PILOT_TRACE_SAMPLING=100 on istio-pilot (kubectl -n istio-system set env deployment/istio-pilot PILOT_TRACE_SAMPLING=100): the new Pilot pod pushes the rate to every proxy',
        );
        expect(r.diagnosis!.at(-1)).toBe('checked and fine: every productpage pod has the istio-proxy sidecar');
      } finally {
        await stop(j.child);
      }
    });
  });

  test('no-tracing: no Jaeger to forward to, because tracing is not installed', async () => {
    await withSandbox('no-tracing', async (sb, cluster) => {
      expect((await kubectl(sb, ['get', 'pod', '-n', 'istio-system', '-l', 'app=jaeger', '-o', 'name'])).stdout).toBe('');
      const url = `http://127.0.0.1:${await freePort()}`;
      const r = await evaluateCheck(check({ kind: 'jaeger-traces', url, service: 'productpage' }), envFor(sb, cluster));
      expect(r.ok).toBe(false);
      expect(r.summary).toMatch(/^✗ no Jaeger at http:\/\/127\.0\.0\.1:\d+: connection to 127\.0\.0\.1:\d+ refused$/);
      expect(r.diagnosis![0]).toBe(
        'tracing is not installed: no Jaeger (app=jaeger) runs in istio-system, so nothing collects the spans; reinstall Istio with the demo profile, or with Helm and --set tracing.enabled=true',
      );
      expect(r.diagnosis!.join('\n')).not.toMatch(/the forward that works here/);
    });
  });

  test('unreachable: the forward is not running; the one that works here is named, on the check\'s port', async () => {
    await withSandbox('istio-1.1', async (sb, cluster) => {
      const port = await freePort();
      const r = await evaluateCheck(check({ kind: 'jaeger-traces', url: `http://localhost:${port}`, service: 'productpage' }), envFor(sb, cluster));
      expect(r.ok).toBe(false);
      expect(r.diagnosis![0]).toMatch(/^nothing listens at localhost:\d+: is the port-forward/);
      expect(r.diagnosis![1]).toBe(
        `start the port-forward to Jaeger; the forward that works here: kubectl -n istio-system port-forward "$(kubectl -n istio-system get pod -l app=jaeger -o jsonpath='{.items[0].metadata.name}')" ${port}:16686 ` +
          '(Istio 1.1.4 (released): the gateway Service lists 15032 but no Gateway listens on it — the tracing Gateway existed only in 1.1 pre-releases; forward the Jaeger pod (app=jaeger) to local 15032, its UI port 16686)',
      );
    });
  });

  test('a wrong service name: Jaeger\'s names that look like it are shown', async () => {
    await withSandbox('istio-1.1', async (sb, cluster) => {
      const lessonStartMicros = Date.now() * 1000;
      await sendTraffic(sb, 1);
      const j = await forwardJaeger(sb);
      try {
        const r = await evaluateCheck(check({ kind: 'jaeger-traces', url: j.url, service: 'productpage.bookinfo' }), envFor(sb, cluster, { lessonStartMicros }));
        expect(r.summary).toBe('✗ Jaeger knows no service productpage.bookinfo');
        expect(r.diagnosis!.some((l) => l.startsWith('wrong service name: Jaeger knows productpage.default, not productpage.bookinfo (on this Istio it is productpage.default)'))).toBe(true);
      } finally {
        await stop(j.child);
      }
    });
  });
});
