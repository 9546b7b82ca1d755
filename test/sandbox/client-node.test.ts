import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import net from 'node:net';
import * as k8s from '@kubernetes/client-node';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { startFastSandbox, eventually } from '../helpers/sandbox.js';

describe('@kubernetes/client-node against the sandbox', () => {
  let sb: Sandbox;
  let kc: k8s.KubeConfig;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'ready' });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(sb.kubeconfigPath);
    await eventually(() => sb.objects('', 'pods').length > 0 && sb.objects('', 'pods').every((p) => (p.status as { phase?: string }).phase === 'Running'), 10_000, 'pods running');
  });
  afterAll(() => sb?.stop());

  test('lists pods by label selector and reads a deployment', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'istio-system', labelSelector: 'app=istio-ingressgateway' });
    expect(pods.items).toHaveLength(1);
    expect(pods.items[0].status?.phase).toBe('Running');
    expect(pods.items[0].status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const d = await apps.readNamespacedDeployment({ namespace: 'default', name: 'productpage-v1' });
    expect(d.status?.availableReplicas).toBe(1);
    const err = await apps.readNamespacedDeployment({ namespace: 'default', name: 'missing' }).catch((e) => e);
    expect(err.code).toBe(404);
  });

  test('an informer sees a pod appear, turn Ready and go away', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=probe' }), 'app=probe');
    const seen: string[] = [];
    informer.on('add', (p) => seen.push(`add:${p.status?.phase}`));
    informer.on('update', (p) => seen.push(`update:${p.status?.phase}`));
    informer.on('delete', () => seen.push('delete'));
    await informer.start();
    try {
      await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'probe', labels: { app: 'probe' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } });
      await eventually(() => seen.includes('update:Running'), 5000, 'pod running via watch');
      await core.deleteNamespacedPod({ namespace: 'default', name: 'probe' });
      await eventually(() => seen.includes('delete'), 5000, 'delete via watch');
      expect(seen[0]).toBe('add:Pending');
    } finally {
      await informer.stop();
    }
  });

  test('a watch from a compacted resourceVersion gets 410 Gone', async () => {
    const watch = new k8s.Watch(kc);
    const events: Array<{ phase: string; obj: { code?: number; reason?: string } }> = [];
    let doneErr: unknown = 'not done';
    await watch.watch('/api/v1/namespaces/default/pods', { resourceVersion: '1' }, (phase, obj) => events.push({ phase, obj }), (err) => (doneErr = err));
    await eventually(() => doneErr !== 'not done', 5000, 'watch to end');
    expect(events[0].phase).toBe('ERROR');
    expect(events[0].obj).toMatchObject({ code: 410, reason: 'Expired' });
  });

  test('PortForward carries HTTP to the Jaeger pod', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const jaeger = (await core.listNamespacedPod({ namespace: 'istio-system', labelSelector: 'app=jaeger' })).items[0];
    const pf = new k8s.PortForward(kc);
    const server = net.createServer((socket) => {
      pf.portForward('istio-system', jaeger.metadata!.name!, [16686], socket, null, socket).catch(() => socket.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/<title>Jaeger UI<\/title>/);
    } finally {
      server.close();
    }
  });
});
