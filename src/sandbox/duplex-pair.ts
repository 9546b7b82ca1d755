/** Two connected in-memory Duplex streams: what one side writes, the other reads. */
import { Duplex } from 'node:stream';

class End extends Duplex {
  peer!: End;
  /** The address the other end appears to come from (what a server sees as its client). */
  peerAddress = '127.0.0.1';
  private waiting: (() => void) | null = null;

  override _read(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    // Backpressure: hold the callback until the peer's reader wants more.
    if (this.peer.push(chunk)) cb();
    else this.peer.waiting = () => cb();
  }

  override _final(cb: () => void): void {
    this.peer.push(null);
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
    if (!this.peer.destroyed) this.peer.destroy();
    cb(err);
  }

  // The HTTP server calls these on real sockets; an in-memory pipe has nothing to tune.
  setTimeout(): this { return this; }
  setNoDelay(): this { return this; }
  setKeepAlive(): this { return this; }
  get remoteAddress(): string { return this.peerAddress; }
  get remotePort(): number { return 0; }
}

/** `remoteAddress` is what the second end reports as its peer's address (default 127.0.0.1). */
export function duplexPair(remoteAddress = '127.0.0.1'): [Duplex, Duplex] {
  const a = new End();
  const b = new End();
  b.peerAddress = remoteAddress;
  a.peer = b;
  b.peer = a;
  return [a, b];
}
