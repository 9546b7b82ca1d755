import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../src/sandbox/streaming/byte-queue.js';

const b = (s: string) => Buffer.from(s);

describe('ByteQueue (the buffer behind the SPDY and WebSocket frame parsers)', () => {
  it('reads across chunk boundaries, peeking without consuming', () => {
    const q = new ByteQueue();
    q.push(b('ab'));
    q.push(b(''));
    q.push(b('cde'));
    q.push(b('f'));
    expect(q.length).toBe(6);
    expect(q.peek(4).toString()).toBe('abcd');
    expect(q.length).toBe(6);
    expect(q.take(1).toString()).toBe('a');
    expect(q.take(4).toString()).toBe('bcde');
    expect(q.length).toBe(1);
    expect(q.take(1).toString()).toBe('f');
    expect(q.length).toBe(0);
    expect(q.take(0).length).toBe(0);
  });

  it('takeSome never reaches past the first chunk nor past the limit', () => {
    const q = new ByteQueue();
    q.push(b('hello'));
    q.push(b('world'));
    expect(q.takeSome(3).toString()).toBe('hel');
    expect(q.takeSome(100).toString()).toBe('lo');
    expect(q.takeSome(100).toString()).toBe('world');
    expect(q.takeSome(100).length).toBe(0);
  });
});
