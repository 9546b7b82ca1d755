/**
 * Byte plumbing between simulated commands: a source commands read from one
 * after another (exec's stdin, a file, the pipe from the previous command)
 * and an in-memory pipe. Writing to a pipe whose reader has finished is
 * silently dropped, which is what SIGPIPE amounts to for `… | head -n 1`.
 */

export type Output = (data: string | Buffer) => void;

/** A byte source read in order by successive commands (`cat; cat` share stdin). */
export class ByteSource {
  private readonly iter: AsyncIterator<Buffer | string> | null;
  private ended = false;
  /** Settles (as the end) when the signal aborts; one listener for the source's whole life. */
  private readonly aborted: Promise<IteratorResult<Buffer | string>> | null;

  constructor(source: AsyncIterable<Buffer | string> | null, private readonly signal?: AbortSignal) {
    this.iter = source ? source[Symbol.asyncIterator]() : null;
    if (!source) this.ended = true;
    this.aborted = signal ? new Promise((resolve) => signal.addEventListener('abort', () => resolve({ done: true, value: undefined }), { once: true })) : null;
  }

  static of(data: string | Buffer): ByteSource {
    return new ByteSource((async function* () {
      yield data;
    })());
  }

  static empty(): ByteSource {
    return new ByteSource(null);
  }

  /** The next chunk, or null at the end (or when aborted). */
  async next(): Promise<Buffer | null> {
    if (this.ended || !this.iter) return null;
    if (this.signal?.aborted) return null;
    const step = this.iter.next();
    const r = this.aborted ? await Promise.race([step, this.aborted]) : await step;
    if (r.done) {
      this.ended = true;
      return null;
    }
    return typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : r.value;
  }

  async readAll(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for (let c = await this.next(); c; c = await this.next()) chunks.push(c);
    return Buffer.concat(chunks);
  }

  /** Lines as they arrive (each without its newline; a last line without one is still yielded). */
  async *lines(): AsyncGenerator<string> {
    let rest = '';
    for (let c = await this.next(); c; c = await this.next()) {
      rest += c.toString('utf8');
      let nl: number;
      while ((nl = rest.indexOf('\n')) !== -1) {
        yield rest.slice(0, nl);
        rest = rest.slice(nl + 1);
      }
    }
    if (rest.length > 0) yield rest;
  }
}

/** An in-memory pipe: one writer, one reader. */
export class Pipe implements AsyncIterable<Buffer> {
  private queue: Buffer[] = [];
  private waiting: (() => void) | null = null;
  private closed = false;
  private readerGone = false;

  readonly write: Output = (data) => {
    if (this.closed || this.readerGone) return;
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (b.length === 0) return;
    this.queue.push(b);
    this.wake();
  };

  end(): void {
    this.closed = true;
    this.wake();
  }

  /** The reader has finished: later writes are dropped. */
  readerDone(): void {
    this.readerGone = true;
    this.queue = [];
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((r) => (this.waiting = r));
    }
  }
}
