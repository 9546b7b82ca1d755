// Node ports: the ports a Service names are taken before random ones are drawn for the rest.
import { afterEach, expect, test, vi } from 'vitest';
import { Store } from '../../src/sandbox/api/store.js';
import { ResourceTypes } from '../../src/sandbox/api/resource-types.js';
import { ControllerContext, DEFAULT_TIMING } from '../../src/sandbox/controllers/context.js';
import { ServiceAllocator } from '../../src/sandbox/controllers/service-controllers.js';
import type { KubeObject } from '../../src/kube/types.js';

afterEach(() => vi.restoreAllMocks());

test('a random node port never takes one a later port of the same Service asks for', () => {
  const ctx = new ControllerContext(new Store(), new ResourceTypes(), DEFAULT_TIMING, new Set());
  const allocator = new ServiceAllocator(ctx, () => undefined);
  // The first draw lands exactly on 31400, which ports[1] names.
  vi.spyOn(Math, 'random').mockReturnValue((31400 - 30000) / 2768);
  const svc: KubeObject = {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
    spec: { type: 'LoadBalancer', ports: [{ name: 'status-port', port: 15020 }, { name: 'tcp', port: 31400, nodePort: 31400 }] },
  };
  allocator.admit(svc, undefined);
  const ports = (svc.spec as { ports: Array<{ nodePort: number }> }).ports;
  expect(ports[1].nodePort).toBe(31400);
  expect(ports[0].nodePort).not.toBe(31400);
  expect(ports[0].nodePort).toBeGreaterThanOrEqual(30000);
});
