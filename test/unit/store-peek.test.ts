// The sandbox store hands the simulation its stored objects uncopied (peek), frozen so that a
// stray write throws; API clients still get copies of their own (get, list).
import { expect, test } from 'vitest';
import { Store } from '../../src/sandbox/api/store.js';
import { ResourceTypes } from '../../src/sandbox/api/resource-types.js';

const types = new ResourceTypes();
const configmaps = types.byKey('/configmaps')!;
const cm = (name: string, ns = 'default') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { a: '1' } });

test('peek returns the stored objects, frozen to the leaves, in list order', () => {
  const store = new Store();
  store.create(configmaps, cm('b'));
  store.create(configmaps, cm('a'));
  store.create(configmaps, cm('c', 'other'));
  const seen = store.peek(configmaps);
  expect(seen.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['default/a', 'default/b', 'other/c']);
  expect(store.peek(configmaps)[0]).toBe(seen[0]);
  expect(store.peekOne(configmaps, 'default', 'a')).toBe(seen[0]);
  expect(Object.isFrozen(seen[0].metadata)).toBe(true);
  expect(() => {
    (seen[0].data as Record<string, string>).a = '2';
  }).toThrow(TypeError);
  expect(store.get(configmaps, 'default', 'a')!.data).toEqual({ a: '1' });
});

test('get and list give copies a client may change; a write replaces the stored object', () => {
  const store = new Store();
  store.create(configmaps, cm('a'));
  const mine = store.list(configmaps)[0];
  expect(Object.isFrozen(mine)).toBe(false);
  (mine.data as Record<string, string>).a = '2';
  expect(store.peekOne(configmaps, 'default', 'a')!.data).toEqual({ a: '1' });
  const before = store.peekOne(configmaps, 'default', 'a');
  store.update(configmaps, mine);
  const after = store.peekOne(configmaps, 'default', 'a')!;
  expect(after).not.toBe(before);
  expect(after.data).toEqual({ a: '2' });
  expect(Object.isFrozen(after.data)).toBe(true);
});
