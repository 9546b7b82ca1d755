/**
 * The server side of a SPDY/3.1 connection whose streams the client opens and
 * names by a `streamtype` header, the way kubectl's exec (and attach) use it:
 * each SYN_STREAM is answered with a SYN_REPLY and handed to `onStream`; the
 * stream then carries DATA both ways until each side sends FIN.
 *
 * Frames are handled strictly in order: a header block has to be inflated
 * (asynchronously) before any later frame, because the zlib context runs over
 * the whole connection. PING is echoed; GOAWAY and the transport ending close
 * the connection. No send window is enforced: kubectl never sends
 * WINDOW_UPDATE (see kubernetes-wire-protocol notes), and exec output is
 * small.
 *
 * Port-forward has its own session (portforward/spdy-session.ts) because it
 * pairs streams and relays pod connections with backpressure; both use the
 * framing and header compression in this folder.
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
const CLOSE_GRACE_MS = 2_000;
const EMPTY = Buffer.alloc(0);
const EMPTY_HEADER_BLOCK = encodeHeaderBlock([]);

/** One client-opened stream. Set the callbacks in `onStream`. */
export class SpdyServerStream {
  /** Bytes the client sent on this stream. */
  onData: (chunk: Buffer) => void = () => {};
  /** The client half-closed the stream (FIN) or reset it. */
  onEnd: () => void = () => {};
  localFin = false;
  remoteFin = false;

  constructor(private readonly conn: SpdyServerConnection, readonly id: number, readonly headers: SpdyHeaders) {}

  /** The `streamtype` header (`error`, `stdin`, `stdout`, …). */
  get type(): string {
    return this.headers.get('streamtype') ?? '';
  }

  write(data: Buffer | string): void {
    if (this.localFin) return;
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let off = 0; off < buf.length; off += MAX_DATA_PAYLOAD) {
      this.conn.send(encodeDataFrame(this.id, 0, buf.subarray(off, off + MAX_DATA_PAYLOAD)));
    }
  }

  /** Sends FIN: nothing more from us on this stream. */
  end(): void {
    if (this.localFin) return;
    this.localFin = true;
    this.conn.send(encodeDataFrame(this.id, FLAG_FIN, EMPTY));
  }

  /** @internal */
  remoteEnded(): void {
    if (this.remoteFin) return;
    this.remoteFin = true;
    this.onEnd();
  }
}

export interface SpdyConnectionOptions {
  /** Bytes that arrived with the upgrade request (the `head` of the 'upgrade' event). */
  head?: Buffer;
  /** A stream was opened (its SYN_REPLY is already on its way). */
  onStream: (stream: SpdyServerStream) => void;
  /** The connection is gone (closed by us, by the client, or by a protocol error). */
  onClose?: () => void;
}

export class SpdyServerConnection {
  private readonly parser = new FrameParser();
  private readonly inflater = new HeaderZlib('inflate');
  private readonly deflater = new HeaderZlib('deflate');
  private readonly streams = new Map<number, SpdyServerStream>();
  private busy = false;
  private pumping = false;
  private lastStreamId = 0;
  private closed = false;

  constructor(private readonly transport: Duplex, private readonly options: SpdyConnectionOptions) {
    transport.on('data', this.onTransportData);
    transport.on('end', this.shutdownNow);
    transport.on('error', this.shutdownNow);
    transport.on('close', this.shutdownNow);
    if (options.head && options.head.length > 0) this.onTransportData(options.head);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** @internal */
  send(frame: Buffer): void {
    const t = this.transport;
    if (this.closed || t.destroyed || t.writableEnded) return;
    t.write(frame);
  }

  private readonly onTransportData = (chunk: Buffer): void => {
    if (this.closed) return;
    this.parser.push(chunk);
    this.pump();
  };

  private readonly shutdownNow = (): void => {
    this.shutdown();
  };

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && !this.busy) {
        const frame = this.parser.next();
        if (!frame) break;
        this.handleFrame(frame);
      }
    } catch {
      this.protocolError();
    } finally {
      this.pumping = false;
    }
  }

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
        if (stream) {
          this.streams.delete(streamId);
          stream.localFin = true;
          stream.remoteEnded();
        }
        break;
      }
      case FrameType.PING:
        this.send(encodeControlFrame(FrameType.PING, 0, frame.body));
        break;
      case FrameType.GOAWAY:
        this.close();
        break;
      default:
        break; // SETTINGS, NOOP, WINDOW_UPDATE, CREDENTIAL: nothing to do
    }
  }

  private async onSynStream(frame: ControlFrame): Promise<void> {
    const syn = parseSynStream(frame.body);
    const headers = decodeHeaderBlock(await this.inflater.process(syn.headerBlock));
    if (this.closed) return;
    const id = syn.streamId;
    if (id === 0 || id <= this.lastStreamId || this.streams.has(id)) {
      this.send(encodeRstStream(id, RstStatus.PROTOCOL_ERROR));
      return;
    }
    this.lastStreamId = id;
    const reply = await this.deflater.process(EMPTY_HEADER_BLOCK);
    if (this.closed) return;
    this.send(encodeSynReply(id, 0, reply));
    const stream = new SpdyServerStream(this, id, headers);
    this.streams.set(id, stream);
    this.options.onStream(stream);
    if ((frame.flags & FLAG_FIN) !== 0) stream.remoteEnded();
  }

  private async onOtherHeaders(frame: ControlFrame): Promise<void> {
    const { streamId, headerBlock } = parseStreamHeaders(frame.body, frame.type === FrameType.HEADERS ? 'HEADERS' : 'SYN_REPLY');
    decodeHeaderBlock(await this.inflater.process(headerBlock));
    if (this.closed) return;
    if ((frame.flags & FLAG_FIN) !== 0) this.streams.get(streamId)?.remoteEnded();
  }

  private onDataFrame(frame: DataFrame): void {
    const stream = this.streams.get(frame.streamId);
    if (!stream || stream.remoteFin) return;
    if (frame.data.length > 0) stream.onData(frame.data);
    if ((frame.flags & FLAG_FIN) !== 0) stream.remoteEnded();
  }

  private protocolError(): void {
    if (this.closed) return;
    this.send(encodeGoAway(this.lastStreamId, GoAwayStatus.PROTOCOL_ERROR));
    this.shutdown();
  }

  /** Ends the connection after what was written (the kubelet closes it once the status is sent). */
  close(): void {
    this.shutdown();
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    const open = [...this.streams.values()];
    this.streams.clear();
    for (const s of open) s.remoteEnded();
    this.inflater.close();
    this.deflater.close();
    const t = this.transport;
    t.off('data', this.onTransportData);
    t.on('error', () => {});
    if (!t.destroyed) {
      if (!t.writableEnded) t.end();
      t.resume();
      const timer = setTimeout(() => t.destroy(), CLOSE_GRACE_MS);
      timer.unref();
      t.once('close', () => clearTimeout(timer));
    }
    this.options.onClose?.();
  }
}
