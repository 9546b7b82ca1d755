// The tests' own port picker (test/helpers/ports.ts): ports of this worker's block, below the
// ephemeral range, never one that something listens on.
import { afterAll, expect, test } from 'vitest';
import net from 'node:net';
import { freePort, portBlock } from '../helpers/ports.js';

const held: net.Server[] = [];
afterAll(() => held.forEach((s) => s.close()));

test('a port of this worker’s block, below the ephemeral range, skipping one that is taken', async () => {
  const { first, size } = portBlock;
  expect(first).toBeGreaterThanOrEqual(20_000);
  expect(first + size).toBeLessThanOrEqual(32_000);
  const a = await freePort();
  expect(a).toBeGreaterThanOrEqual(first);
  expect(a).toBeLessThan(first + size);
  // Take the next one in line: freePort must step over it.
  const next = a + 1 >= first + size ? first : a + 1;
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(next, '127.0.0.1', () => r()));
  held.push(s);
  const b = await freePort();
  expect(b).not.toBe(next);
  expect(b).not.toBe(a);
});
