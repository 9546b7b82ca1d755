/**
 * Fault switches for the sandbox's API server, to rehearse what a real
 * cluster does to its clients on a bad day (tests and demos use them; the
 * CLI never turns one on):
 *
 * - `outage()` / `restore()`: the API stops answering — the listener closes
 *   and every open connection (watches, port-forwards) is destroyed — then
 *   listens again on the same port, so kubeconfigs stay valid.
 * - `dropWatches()`: every open watch connection is cut mid-stream.
 * - `expireWatches()`: the store's history is compacted and every open watch
 *   ends with a 410 `Expired` ERROR event, as after etcd compaction.
 * - `latency(ms)`: every answer comes `ms` late (0 turns it off).
 * - `failNext(n, status)`: the next `n` requests other than watches get a
 *   Status error (500 InternalError by default; 503, 429 … as asked).
 *
 * The server asks `armed` first, so with every switch off a request costs one
 * property read.
 */
import type https from 'node:https';
import type net from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { statusBody } from './api/http-util.js';
import type { ApiServer } from './api/server.js';
import type { Store } from './api/store.js';

const REASONS: Record<number, [reason: string, message: string]> = {
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  500: ['InternalError', 'Internal error occurred: injected by the sandbox (faults.failNext)'],
  502: ['InternalError', 'the server could not reach its backend (injected by the sandbox)'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request (injected by the sandbox)'],
  504: ['Timeout', 'the server was unable to return a response in the time allotted (injected by the sandbox)'],
};

export class SandboxFaults {
  /** Some switch acts on requests (latency or failNext): the server routes requests through `handle`. */
  armed = false;
  /** Requests answered with an injected failure so far. */
  injected = 0;
  private down = false;
  private delayMs = 0;
  private failLeft = 0;
  private failStatus = 500;

  constructor(
    private server: https.Server,
    /** Every open socket of the API server, upgraded ones included. */
    private sockets: Set<net.Socket>,
    private api: ApiServer,
    private store: Store,
    private port: number,
  ) {}

  /** The API is down (between `outage()` and `restore()`). */
  get isDown(): boolean {
    return this.down;
  }

  /** Failures `failNext` still has to hand out. */
  get pendingFailures(): number {
    return this.failLeft;
  }

  async outage(): Promise<void> {
    if (this.down) return;
    this.down = true;
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  async restore(): Promise<void> {
    if (!this.down) return;
    await new Promise<void>((resolve, reject) => {
      const fail = (e: NodeJS.ErrnoException) => reject(new Error(`the sandbox cannot listen on 127.0.0.1:${this.port} again: ${e.code ?? e.message}`));
      this.server.once('error', fail);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', fail);
        resolve();
      });
    });
    this.down = false;
  }

  /** Cuts every open watch connection; returns how many there were. */
  dropWatches(): number {
    return this.api.cutWatches();
  }

  /** Compacts the history and ends every open watch with 410 Expired; returns how many there were. */
  expireWatches(): number {
    this.store.compact();
    return this.api.expireWatches(`too old resource version: the history up to ${this.store.currentRv()} was compacted`);
  }

  latency(ms: number): void {
    this.delayMs = Math.max(0, ms);
    this.rearm();
  }

  failNext(n: number, status = 500): void {
    this.failLeft = Math.max(0, Math.floor(n));
    this.failStatus = status;
    this.rearm();
  }

  /** Turns latency and pending failures off (an outage is ended by `restore`). */
  reset(): void {
    this.delayMs = 0;
    this.failLeft = 0;
    this.rearm();
  }

  private rearm(): void {
    this.armed = this.delayMs > 0 || this.failLeft > 0;
  }

  /** A request while armed: answered with an injected failure, or passed to `next` (late, with latency). */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    if (this.failLeft > 0 && !isWatch(req.url ?? '/')) {
      this.failLeft--;
      this.injected++;
      const status = this.failStatus;
      this.rearm();
      this.later(() => {
        const [reason, message] = REASONS[status] ?? ['InternalError', `injected failure ${status}`];
        const body = JSON.stringify(statusBody(status, reason, message));
        const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
        if (status === 429) headers['Retry-After'] = 1;
        res.writeHead(status, headers);
        res.end(body);
      });
      return;
    }
    this.later(next);
  }

  /** An upgrade (port-forward) while armed: only latency applies. */
  handleUpgrade(socket: Duplex, next: () => void): void {
    if (!this.delayMs) return next();
    this.later(() => (socket.destroyed ? undefined : next()));
  }

  private later(fn: () => void): void {
    if (this.delayMs) setTimeout(fn, this.delayMs);
    else fn();
  }
}

function isWatch(url: string): boolean {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (/^\/apis?\/(?:[^/]+\/)?v[^/]*\/watch\//.test(path) || path.startsWith('/api/v1/watch/')) return true;
  return q >= 0 && /(?:^|&)watch=(?:true|1)(?:&|$)/.test(url.slice(q + 1));
}
