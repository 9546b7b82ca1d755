// What the watch caches hand the checks (src/cluster/watch-cache.ts): one frozen copy per version
// of an object, under a top level of the reader's own; a changed object is copied afresh.
import { afterAll, expect, test } from 'vitest';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { FAST, eventually, kubectl } from '../helpers/sandbox.js';

let target: Target | undefined;
afterAll(async () => target?.close());

test('cached reads share a frozen copy; the top level is the reader’s; a change is read anew', async () => {
  target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
  const client = await target.client();
  client.watch(() => undefined);
  const [a] = await client.list('v1', 'Service', 'default', 'app=productpage');
  const b = await client.get('v1', 'Service', 'default', 'productpage');
  expect(a.metadata.name).toBe('productpage');
  expect(b).toEqual(a);
  // One copy behind both reads, frozen: a check writing into it throws instead of changing the cache.
  expect(b!.metadata).toBe(a.metadata);
  expect(Object.isFrozen(a.metadata)).toBe(true);
  expect(() => {
    (a.metadata as { name: string }).name = 'changed';
  }).toThrow(TypeError);
  expect(() => {
    (a.spec as { ports: unknown[] }).ports.push({});
  }).toThrow(TypeError);
  // The top level belongs to the reader.
  a.kind = 'Mine';
  expect((await client.get('v1', 'Service', 'default', 'productpage'))!.kind).toBe('Service');
  // A change to the object comes through as a new copy.
  expect((await kubectl(target.sandbox!, ['label', 'service', 'productpage', 'seen=yes'])).code).toBe(0);
  const c = await eventually(async () => {
    const s = await client.get('v1', 'Service', 'default', 'productpage');
    return s?.metadata.labels?.seen === 'yes' ? s : undefined;
  }, 10_000, 'the label through the watch');
  expect(c.metadata).not.toBe(a.metadata);
  expect(a.metadata.labels?.seen).toBeUndefined();
  client.stopWatching();
});
