/**
 * SPDY/3 header compression: one zlib stream per direction for the whole
 * connection, primed with the SPDY/3 dictionary, each header block ended with
 * a SYNC_FLUSH. The compression context carries over from block to block, so
 * every header block received must be inflated (in order) even when its
 * contents are ignored.
 */
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';

/** Largest decompressed header block accepted (a guard against zlib bombs). */
const MAX_OUTPUT = 1 << 20;

/**
 * Runs one stateful zlib transform block by block: `process(block)` resolves
 * with exactly the output produced for that block. Calls are serialized.
 */
export class HeaderZlib {
  private readonly z: zlib.Inflate | zlib.Deflate;
  private collected: Buffer[] = [];
  private collectedBytes = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private failure: Error | null = null;
  private closed = false;
  private rejectCurrent: ((err: Error) => void) | null = null;

  constructor(mode: 'inflate' | 'deflate') {
    this.z = mode === 'inflate'
      ? zlib.createInflate({ dictionary: SPDY3_DICTIONARY })
      : zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
    this.z.on('readable', this.drain);
    this.z.on('error', (err: Error) => {
      this.fail(err);
    });
  }

  private readonly drain = (): void => {
    let chunk: Buffer | null;
    while ((chunk = this.z.read() as Buffer | null) !== null) {
      this.collectedBytes += chunk.length;
      if (this.collectedBytes > MAX_OUTPUT) {
        this.fail(new Error('SPDY header block too large'));
        return;
      }
      this.collected.push(chunk);
    }
  };

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    const reject = this.rejectCurrent;
    this.rejectCurrent = null;
    if (reject) reject(err);
    this.z.destroy();
  }

  process(block: Buffer): Promise<Buffer> {
    const run = (): Promise<Buffer> => new Promise<Buffer>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (this.closed) return reject(new Error('header compression stream closed'));
      this.collected = [];
      this.collectedBytes = 0;
      this.rejectCurrent = reject;
      this.z.write(block);
      this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        if (this.rejectCurrent !== reject) return; // failed meanwhile
        this.rejectCurrent = null;
        this.drain();
        if (this.failure) return reject(this.failure);
        const out = Buffer.concat(this.collected);
        this.collected = [];
        this.collectedBytes = 0;
        resolve(out);
      });
    });
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const reject = this.rejectCurrent;
    this.rejectCurrent = null;
    if (reject) reject(new Error('header compression stream closed'));
    this.z.destroy();
  }
}
