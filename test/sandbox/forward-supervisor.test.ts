/**
 * Supervised port-forwards against the sandbox with the real kubectl:
 * health, a taken port, a lost pod connection and stopping.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import net from 'node:net';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import type { KubeObject } from '../../src/kube/types.js';
import { Supervisor } from '../../src/processes/supervisor.js';
import { ForwardSupervisor, type ForwardInfo, type ForwardState } from '../../src/processes/forward-supervisor.js';
import { portInUse } from '../../src/processes/port-owner.js';
import { freePort } from '../helpers/ports.js';
import { eventually, kubectl, sleep, startFastSandbox } from '../helpers/sandbox.js';

// This worker's own ports (test/helpers/ports.ts): a random one from 20000-50000 could be one that
// another file or an outgoing connection (the ephemeral range) takes a moment later.
const randomPort = freePort;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function jaegerAnswers(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } });
  return res.status === 200 && /Jaeger UI/.test(await res.text());
}

describe('ForwardSupervisor with kubectl port-forward', () => {
  let sb: Sandbox;
  let sup: Supervisor;
  let fwd: ForwardSupervisor;
  let opts: { cwd: string; env: Record<string, string | undefined> };
  /** Every state each forward went through, in order. */
  const seen = new Map<string, ForwardState[]>();
  /** Every message each forward showed. */
  const said = new Map<string, string[]>();

  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'ready' });
    await eventually(() => sb.objects('', 'pods').every((p) => (p.status as { phase?: string }).phase === 'Running'), 10_000, 'pods running');
    opts = { cwd: process.cwd(), env: { ...process.env, KUBECONFIG: sb.kubeconfigPath } };
  });
  // A fresh supervisor per test (see `fresh`): one test's forwards cannot leak into the next.
  afterEach(async () => {
    await fwd?.stopAll();
    fwd?.dispose();
    await sup?.stopAll();
    sup?.dispose();
  });
  afterAll(async () => {
    await sb?.stop();
  });

  function fresh(o: ConstructorParameters<typeof ForwardSupervisor>[1] = {}): ForwardSupervisor {
    sup = new Supervisor();
    fwd = new ForwardSupervisor(sup, o);
    seen.clear();
    said.clear();
    fwd.on('change', (name: string) => {
      const msg = fwd.get(name)?.message;
      if (msg) said.set(name, [...(said.get(name) ?? []), msg]);
      const st = fwd.get(name)?.state;
      const list = seen.get(name) ?? [];
      if (st && list[list.length - 1] !== st) list.push(st);
      seen.set(name, list);
    });
    return fwd;
  }

  const tracingForward = (name: string, port: number) => ({ name, run: `kubectl -n istio-system port-forward deployment/istio-tracing ${port}:16686`, readyPort: port });
  const state = (name: string) => fwd.get(name)?.state;

  test('a forward of the Jaeger deployment becomes healthy and Jaeger answers on its port', async () => {
    fresh();
    const port = await randomPort();
    const info = await fwd.start(tracingForward('jaeger', port), opts);
    expect(info.state).toBe('starting');
    expect(info.pid).toBeGreaterThan(0);
    expect(fwd.list().map((f) => f.name)).toEqual(['jaeger']);
    await eventually(() => state('jaeger') === 'healthy', 15_000, 'healthy');
    const healthy = fwd.get('jaeger')!;
    expect(healthy).toMatchObject({ port, restarts: 0, pid: info.pid });
    expect(healthy.message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}/ \\(HTTP 200\\)`));
    expect(await jaegerAnswers(port)).toBe(true);
    expect(seen.get('jaeger')).toEqual(['starting', 'healthy']);

    // A second forward wanting the same port: it is ours, and the report says so.
    const second = await fwd.start(tracingForward('jaeger-again', port), opts);
    expect(second.state).toBe('port-taken');
    expect(second.holder?.command).toMatch(new RegExp(`port-forward deployment/istio-tracing ${port}:16686`));
    expect(second.message).toMatch(/kubetutor's "jaeger"/);
    expect(alive(info.pid!)).toBe(true);
  });

  test('a taken port is reported with its holder and a free port, and the forward runs there on request', async () => {
    fresh();
    const port = await randomPort();
    const blocker = net.createServer((s) => s.end());
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const info: ForwardInfo = await fwd.start(tracingForward('jaeger-pod', port), opts);
      expect(info.state).toBe('port-taken');
      expect(info.pid).toBeUndefined();
      expect(info.holder?.pid).toBe(process.pid);
      expect(info.suggestedPort).toBeGreaterThan(port);
      expect(await portInUse(info.suggestedPort!)).toBe(false);
      expect(info.message).toMatch(new RegExp(`^port ${port} is taken by pid ${process.pid} \\(.*node.*\\); stop that process, or run this forward on ${info.suggestedPort} instead$`));
      expect(sup.state('jaeger-pod')).toBe('unknown'); // nothing was started

      const moved = await fwd.startOnPort('jaeger-pod', info.suggestedPort!);
      expect(moved).toMatchObject({ state: 'starting', port: info.suggestedPort });
      expect(moved.command).toBe(`kubectl -n istio-system port-forward deployment/istio-tracing ${info.suggestedPort}:16686`);
      expect(moved.holder).toBeUndefined();
      await eventually(() => state('jaeger-pod') === 'healthy', 15_000, 'healthy on the suggested port');
      expect(await jaegerAnswers(info.suggestedPort!)).toBe(true);
      // The holder was only reported: it still listens.
      expect(blocker.listening).toBe(true);
      expect(await portInUse(port)).toBe(true);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  test('lost connection to pod: the forward restarts and is healthy again against the new pod', async () => {
    fresh();
    const port = await randomPort();
    // A kubelet refuses to forward into a pod that is gone; the sandbox keeps serving the old
    // pod object to an open session, so refuse on its behalf once the pod has left the store.
    const connect = sb.workloads.connect;
    const reached: string[] = [];
    sb.workloads.connect = async (pod: KubeObject, p: number) => {
      const now = sb.objects('', 'pods', pod.metadata.namespace).find((x) => x.metadata.uid === pod.metadata.uid);
      if (!now || now.metadata.deletionTimestamp) throw new Error(`error forwarding port ${p} to pod ${pod.metadata.uid}, uid : failed to find sandbox "${pod.metadata.uid}" in store: not found`);
      reached.push(pod.metadata.name);
      return connect.call(sb.workloads, pod, p);
    };
    try {
      await fwd.start(tracingForward('jaeger-forward-pod', port), opts);
      await eventually(() => state('jaeger-forward-pod') === 'healthy', 15_000, 'healthy');
      const oldPod = sb.objects('', 'pods', 'istio-system').find((p) => p.metadata.labels?.app === 'jaeger')!.metadata.name;
      const firstPid = fwd.get('jaeger-forward-pod')!.pid!;
      expect(reached).toContain(oldPod);

      const del = await kubectl(sb, ['delete', 'pod', '-l', 'app=jaeger', '-n', 'istio-system']);
      expect(del.code).toBe(0);
      await eventually(() => fwd.get('jaeger-forward-pod')!.restarts >= 1 && state('jaeger-forward-pod') === 'healthy', 30_000, 'restarted and healthy');

      const info = fwd.get('jaeger-forward-pod')!;
      expect(info.pid).not.toBe(firstPid);
      expect(alive(firstPid)).toBe(false);
      const states = seen.get('jaeger-forward-pod')!;
      expect(states.slice(0, 2)).toEqual(['starting', 'healthy']);
      expect(states).toContain('restarting');
      expect(states[states.length - 1]).toBe('healthy');
      // Why it restarted, as kubectl said it.
      expect(said.get('jaeger-forward-pod')).toContainEqual(expect.stringMatching(/^an error occurred forwarding \d+ -> 16686: .*failed to find sandbox.*; restarting in 1 s$/));
      const newPod = sb.objects('', 'pods', 'istio-system').find((p) => p.metadata.labels?.app === 'jaeger')!.metadata.name;
      expect(newPod).not.toBe(oldPod);
      expect(reached[reached.length - 1]).toBe(newPod);
      expect(await jaegerAnswers(port)).toBe(true);
      expect(reached[reached.length - 1]).toBe(newPod);
    } finally {
      sb.workloads.connect = connect;
    }
  });

  test('the restart reason is kept while restarting, and too many restarts give up', async () => {
    fresh({ backoffMs: 50, maxRestarts: 2 });
    const port = await randomPort();
    await fwd.start({ name: 'nope', run: `kubectl -n istio-system port-forward deployment/no-such-thing ${port}:16686`, readyPort: port }, opts);
    await eventually(() => state('nope') === 'failed', 20_000, 'failed');
    const info = fwd.get('nope')!;
    expect(info.restarts).toBe(2);
    expect(info.message).toMatch(/"no-such-thing" not found.*gave up after 2 restarts within 120 s/);
    expect(seen.get('nope')).toEqual(['starting', 'restarting', 'starting', 'restarting', 'starting', 'failed']);
  });

  test('stop() ends the process group, and cancels a pending restart', async () => {
    fresh();
    const port = await randomPort();
    const info = await fwd.start(tracingForward('jaeger', port), opts);
    await eventually(() => state('jaeger') === 'healthy', 15_000, 'healthy');
    await fwd.stop('jaeger');
    expect(fwd.get('jaeger')).toMatchObject({ state: 'stopped' });
    expect(fwd.get('jaeger')!.pid).toBeUndefined();
    expect(() => process.kill(info.pid!, 0)).toThrow();
    expect(() => process.kill(-info.pid!, 0)).toThrow(); // the whole group
    expect(await portInUse(port)).toBe(false);

    // A forward that dies waits 1 s before its restart: stopping it then cancels the restart.
    await fwd.start({ name: 'dies', run: `kubectl -n istio-system port-forward deployment/no-such-thing ${port}:16686`, readyPort: port }, opts);
    await eventually(() => state('dies') === 'restarting', 15_000, 'restarting');
    await fwd.stop('dies');
    await sleep(2500);
    expect(fwd.get('dies')).toMatchObject({ state: 'stopped', restarts: 0 });
    expect(sup.state('dies')).not.toBe('running');
    expect(seen.get('dies')).toEqual(['starting', 'restarting', 'stopped']);

    // Stopped through the Supervisor directly (the session's stop key): stopped too, no restart.
    const again = await fwd.start(tracingForward('jaeger', port), opts);
    expect(again.restarts).toBe(0);
    await eventually(() => state('jaeger') === 'healthy', 15_000, 'healthy again');
    await sup.stop('jaeger');
    expect(state('jaeger')).toBe('stopped');
    await sleep(1500);
    expect(state('jaeger')).toBe('stopped');
    expect(alive(again.pid!)).toBe(false);
  });
});

test('a forward to a port the pod does not listen on fails at once, saying so, instead of restarting', async () => {
  // Released Istio 1.1: the gateway Service lists 15032, but nothing in the pod listens there.
  const sb = await startFastSandbox({ scenario: 'istio-1.1' });
  const sup = new Supervisor();
  const fwd = new ForwardSupervisor(sup, { healthIntervalMs: 200 });
  try {
    await eventually(() => sb.objects('', 'pods', 'istio-system').some((p) => p.metadata.labels?.istio === 'ingressgateway' && (p.status as { phase?: string }).phase === 'Running'), 10_000);
    const port = await randomPort();
    await fwd.start({ name: 'gw', run: `kubectl -n istio-system port-forward deployment/istio-ingressgateway ${port}:15032`, readyPort: port }, { cwd: process.cwd(), env: { ...(process.env as Record<string, string>), KUBECONFIG: sb.kubeconfigPath } });
    const f = await eventually(() => { const x = fwd.get('gw'); return x?.state === 'failed' ? x : undefined; }, 15_000, 'failed');
    expect(f.message).toMatch(/does not listen on the forwarded port/);
    expect(f.restarts).toBe(0);
  } finally {
    await fwd.stopAll();
    fwd.dispose();
    await sup.stopAll();
    sup.dispose();
    await sb.stop();
  }
});
