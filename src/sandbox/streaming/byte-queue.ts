/**
 * Received bytes kept as the chunks they arrived in, read from the front: the one buffer behind
 * the SPDY frame parser (exec, port-forward) and the WebSocket frame decoder. Reads return a view
 * of a chunk when one chunk holds them and copy only when they span chunks.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private size = 0;

  /** Bytes pushed and not yet taken. */
  get length(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The first `n` bytes, left in the queue (`n` must not exceed `length`). */
  peek(n: number): Buffer {
    const first = this.chunks[0];
    if (n === 0 || !first) return Buffer.alloc(0);
    if (first.length >= n) return first.subarray(0, n);
    return this.copyFront(n, false);
  }

  /** The first `n` bytes, removed from the queue (`n` must not exceed `length`). */
  take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    this.size -= n;
    const first = this.chunks[0]!;
    if (first.length === n) {
      this.chunks.shift();
      return first;
    }
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    this.size += n;
    const out = this.copyFront(n, true);
    this.size -= n;
    return out;
  }

  /** Up to `max` bytes from the front, never more than the first chunk holds (for relaying a payload as it arrives). */
  takeSome(max: number): Buffer {
    const first = this.chunks[0];
    if (!first || max <= 0) return Buffer.alloc(0);
    return this.take(Math.min(first.length, max));
  }

  private copyFront(n: number, consume: boolean): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let i = 0;
    while (filled < n) {
      const chunk = this.chunks[i]!;
      const want = n - filled;
      if (chunk.length <= want) {
        chunk.copy(out, filled);
        filled += chunk.length;
        if (consume) this.chunks.shift();
        else i++;
      } else {
        chunk.copy(out, filled, 0, want);
        if (consume) this.chunks[0] = chunk.subarray(want);
        filled += want;
      }
    }
    return out;
  }
}
