/**
 * The server side of a SPDY/3.1 connection whose streams the client opens,
 * the way kubectl's port-forward and exec use SPDY: every accepted
 * SYN_STREAM gets a SYN_REPLY, and the stream then carries DATA both ways
 * until each side has sent FIN (or either reset it).
 *
 * The connection owns what both protocols share: frame parsing, the header
 * zlib contexts (a header block must be inflated before any later frame, so
 * frames are handled strictly in order), stream ids and states, PING echo,
 * GOAWAY, input holds (the transport is paused while the application cannot
 * take more) and output chunking. What streams mean is the handler's.
 *
 * No send window is enforced: kubectl never sends WINDOW_UPDATE (a server
 * that honoured the 64 KiB window would stall at 65,504 bytes); backpressure
 * is TCP's, through write()'s return value and onDrain.
 */
import type { Duplex } from 'node:stream';
import {
  FLAG_FIN,
  FrameParser,
  FrameType,
  GoAwayStatus,
  RstStatus,
  SPDY_VERSION,
  SpdyProtocolError,
  decodeHeaderBlock,
  encodeControlFrame,
  encodeDataFrame,
  encodeGoAway,
  encodeHeaderBlock,
  encodeRstStream,
  encodeSynReply,
  parseIdAndStatus,
  parseStreamHeaders,
  parseSynStream,
  type ControlFrame,
  type DataFrame,
  type SpdyFrame,
  type SpdyHeaders,
} from './spdy-frames.js';
import { HeaderZlib } from './spdy-zlib.js';

/** Largest DATA payload we send (kubectl itself sends 32 KiB frames). */
const MAX_DATA_PAYLOAD = 32 * 1024;
/** Grace period for a transport we have ended to close by itself. */
const CLOSE_GRACE_MS = 2_000;
const EMPTY = Buffer.alloc(0);
const EMPTY_HEADER_BLOCK = encodeHeaderBlock([]);

/** One client-opened stream. */
export class SpdyServerStream {
  /** We sent FIN (or the stream is gone). */
  localFin = false;
  /** The client sent FIN (or the stream is gone). */
  remoteFin = false;
  /** Reset by either side. */
  reset = false;

  constructor(private readonly conn: SpdyServerConnection, readonly id: number, readonly headers: SpdyHeaders) {}

  /** The `streamtype` header (`error`, `data`, `stdin`, `stdout`, …). */
  get type(): string {
    return this.headers.get('streamtype') ?? '';
  }

  /** Sends bytes in DATA frames; false when the transport's buffer is full (wait for onDrain). */
  write(data: Buffer | string): boolean {
    if (this.localFin || this.reset) return true;
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let ok = true;
    for (let off = 0; off < buf.length; off += MAX_DATA_PAYLOAD) {
      ok = this.conn.send(encodeDataFrame(this.id, 0, buf.subarray(off, off + MAX_DATA_PAYLOAD))) && ok;
    }
    return ok;
  }

  /** FIN: nothing more from us on this stream. */
  end(): void {
    if (this.localFin || this.reset) return;
    this.localFin = true;
    this.conn.send(encodeDataFrame(this.id, FLAG_FIN, EMPTY));
    this.conn.forgetIfDone(this);
  }

  /** RST_STREAM with `status`; the handler hears onReset. */
  resetWith(status: number): void {
    this.conn.resetStream(this, status);
  }
}

export interface SpdyStreamHandler {
  /**
   * A new stream's headers, before any reply: an RstStatus to refuse it, or
   * undefined to accept it (SYN_REPLY goes out, then onStream).
   */
  admit?(id: number, headers: SpdyHeaders): number | undefined;
  onStream(stream: SpdyServerStream): void;
  /** Client bytes on a stream. */
  onData?(stream: SpdyServerStream, data: Buffer): void;
  /** The client half-closed a stream. */
  onFin?(stream: SpdyServerStream): void;
  /** A stream was reset (by the client, or by us through resetWith / a protocol rule). */
  onReset?(stream: SpdyServerStream): void;
  /** The client sent GOAWAY (new streams are refused from now on). Default: close. */
  onGoAway?(): void;
  /** The transport can take more after write() returned false. */
  onDrain?(): void;
  /** The connection is gone (closed by us, by the client, or a protocol error). Called once. */
  onClose?(): void;
}

export class SpdyServerConnection {
  private readonly parser = new FrameParser();
  private readonly inflater = new HeaderZlib('inflate');
  private readonly deflater = new HeaderZlib('deflate');
  private readonly streams = new Map<number, SpdyServerStream>();
  /** Reasons the input is held (see hold()). */
  private holds = 0;
  /** A frame is being handled asynchronously (header (de)compression); later frames wait. */
  private busy = false;
  private pumping = false;
  private lastStreamId = 0;
  private goingAway = false;
  private closed = false;

  constructor(private readonly transport: Duplex, private readonly handler: SpdyStreamHandler, head?: Buffer) {
    transport.on('data', this.onTransportData);
    transport.on('end', this.onTransportGone);
    transport.on('error', this.onTransportGone);
    transport.on('close', this.onTransportGone);
    transport.on('drain', this.onTransportDrain);
    if (head && head.length > 0) this.onTransportData(head);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The client sent GOAWAY. */
  get isGoingAway(): boolean {
    return this.goingAway;
  }

  /** Writes a frame; false when the transport's buffer is full. */
  send(frame: Buffer): boolean {
    const t = this.transport;
    if (this.closed || t.destroyed || t.writableEnded) return true;
    return t.write(frame);
  }

  /** Stops reading client frames until a matching release(). */
  hold(): void {
    this.holds++;
    this.updateInputFlow();
  }

  release(): void {
    this.holds--;
    if (this.holds === 0 && !this.closed) this.pump();
  }

  private readonly onTransportData = (chunk: Buffer): void => {
    if (this.closed) return;
    this.parser.push(chunk);
    this.pump();
  };

  private readonly onTransportGone = (): void => {
    this.close();
  };

  private readonly onTransportDrain = (): void => {
    if (!this.closed) this.handler.onDrain?.();
  };

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && !this.busy && this.holds === 0) {
        const frame = this.parser.next();
        if (!frame) break;
        this.handleFrame(frame);
      }
    } catch {
      this.protocolError();
    } finally {
      this.pumping = false;
    }
    this.updateInputFlow();
  }

  private updateInputFlow(): void {
    if (this.closed) return;
    if (this.busy || this.holds > 0) {
      if (!this.transport.isPaused()) this.transport.pause();
    } else if (this.transport.isPaused()) {
      this.transport.resume();
    }
  }

  /** Runs an async frame handler; no later frame is handled until it settles. */
  private runExclusive(task: Promise<void>): void {
    this.busy = true;
    task.then(
      () => {
        this.busy = false;
        if (!this.closed) this.pump();
      },
      () => {
        this.busy = false;
        this.protocolError();
      },
    );
  }

  private handleFrame(frame: SpdyFrame): void {
    if (!frame.control) {
      this.onDataFrame(frame);
      return;
    }
    if (frame.version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${frame.version}`);
    switch (frame.type) {
      case FrameType.SYN_STREAM:
        this.runExclusive(this.onSynStream(frame));
        break;
      case FrameType.SYN_REPLY:
      case FrameType.HEADERS:
        this.runExclusive(this.onOtherHeaders(frame));
        break;
      case FrameType.RST_STREAM: {
        const { streamId } = parseIdAndStatus(frame.body, 'RST_STREAM');
        const stream = this.streams.get(streamId);
        if (stream) this.markReset(stream);
        break;
      }
      case FrameType.PING:
        // Echo it unchanged; we never send pings of our own.
        this.send(encodeControlFrame(FrameType.PING, 0, frame.body));
        break;
      case FrameType.GOAWAY:
        this.goingAway = true;
        if (this.handler.onGoAway) this.handler.onGoAway();
        else this.close();
        break;
      default:
        break; // SETTINGS, NOOP, WINDOW_UPDATE, CREDENTIAL and unknown types: nothing to do
    }
  }

  private async onSynStream(frame: ControlFrame): Promise<void> {
    const syn = parseSynStream(frame.body);
    // Inflate before anything else: the compression context must see every block.
    const headers = decodeHeaderBlock(await this.inflater.process(syn.headerBlock));
    if (this.closed) return;
    const id = syn.streamId;
    if (this.streams.has(id)) {
      this.send(encodeRstStream(id, RstStatus.STREAM_IN_USE));
      return;
    }
    if (id === 0 || id <= this.lastStreamId) {
      this.send(encodeRstStream(id, RstStatus.PROTOCOL_ERROR));
      return;
    }
    this.lastStreamId = id;
    if (this.goingAway) {
      this.send(encodeRstStream(id, RstStatus.REFUSED_STREAM));
      return;
    }
    const refusal = this.handler.admit?.(id, headers);
    if (refusal !== undefined) {
      this.send(encodeRstStream(id, refusal));
      return;
    }
    const reply = await this.deflater.process(EMPTY_HEADER_BLOCK);
    if (this.closed) return;
    this.send(encodeSynReply(id, 0, reply));
    const stream = new SpdyServerStream(this, id, headers);
    this.streams.set(id, stream);
    this.handler.onStream(stream);
    if ((frame.flags & FLAG_FIN) !== 0) this.remoteFin(stream);
  }

  /** SYN_REPLY / HEADERS from the client: inflate (to keep the zlib context), honour FIN. */
  private async onOtherHeaders(frame: ControlFrame): Promise<void> {
    const what = frame.type === FrameType.HEADERS ? 'HEADERS' : 'SYN_REPLY';
    const { streamId, headerBlock } = parseStreamHeaders(frame.body, what);
    decodeHeaderBlock(await this.inflater.process(headerBlock));
    if (this.closed) return;
    const stream = this.streams.get(streamId);
    if (stream && (frame.flags & FLAG_FIN) !== 0) this.remoteFin(stream);
  }

  private onDataFrame(frame: DataFrame): void {
    const stream = this.streams.get(frame.streamId);
    if (!stream || stream.reset) return; // a stream we already forgot: drop
    if (stream.remoteFin) {
      this.resetStream(stream, RstStatus.STREAM_ALREADY_CLOSED);
      return;
    }
    if (frame.data.length > 0) this.handler.onData?.(stream, frame.data);
    if ((frame.flags & FLAG_FIN) !== 0) this.remoteFin(stream);
  }

  private remoteFin(stream: SpdyServerStream): void {
    if (stream.remoteFin) return;
    stream.remoteFin = true;
    this.handler.onFin?.(stream);
    this.forgetIfDone(stream);
  }

  private markReset(stream: SpdyServerStream): void {
    if (stream.reset) return;
    stream.reset = true;
    stream.localFin = true;
    stream.remoteFin = true;
    this.streams.delete(stream.id);
    this.handler.onReset?.(stream);
  }

  /** @internal RST_STREAM from us. */
  resetStream(stream: SpdyServerStream, status: number): void {
    if (stream.reset) return;
    this.send(encodeRstStream(stream.id, status));
    this.markReset(stream);
  }

  /** @internal */
  forgetIfDone(stream: SpdyServerStream): void {
    if (stream.localFin && stream.remoteFin) this.streams.delete(stream.id);
  }

  /** A session-level error (bad frame, undecodable header block): GOAWAY, then close. */
  private protocolError(): void {
    if (this.closed) return;
    this.send(encodeGoAway(this.lastStreamId, GoAwayStatus.PROTOCOL_ERROR));
    this.close();
  }

  /** Ends the connection after what was written: zlib streams freed, transport ended. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.streams.clear();
    this.holds = 0;
    this.inflater.close();
    this.deflater.close();
    const t = this.transport;
    t.off('data', this.onTransportData);
    t.off('drain', this.onTransportDrain);
    t.on('error', () => {});
    if (!t.destroyed) {
      if (!t.writableEnded) t.end();
      t.resume(); // discard anything still arriving so the close can complete
      const timer = setTimeout(() => t.destroy(), CLOSE_GRACE_MS);
      timer.unref();
      t.once('close', () => clearTimeout(timer));
    }
    this.handler.onClose?.();
  }
}
