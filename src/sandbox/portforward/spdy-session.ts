/**
 * The server side of kubectl's SPDY/3.1 port-forward protocol, over any byte
 * stream (the upgraded socket itself, or the WebSocket tunnel's byte stream).
 *
 * Per forwarded local connection kubectl opens two streams that share a
 * `requestid` header: first `streamtype=error` (which it half-closes at once),
 * then `streamtype=data`. Every stream gets a SYN_REPLY. The data stream's
 * DATA frames are the raw TCP bytes both ways. When the pod side ends we FIN
 * the data stream and then the error stream (kubectl waits for both before it
 * closes the local connection); when connecting to the pod fails, the error
 * text goes on the error stream first.
 *
 * Flow control: kubectl never sends WINDOW_UPDATE, so no send window is
 * enforced. Backpressure is by TCP: the transport is paused while a pod stream
 * is not draining, and pod streams are paused while the transport is not.
 */
import type { Duplex } from 'node:stream';
import {
  FLAG_FIN,
  FrameParser,
  FrameType,
  RstStatus,
  GoAwayStatus,
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
} from '../streaming/spdy-frames.js';
import { HeaderZlib } from '../streaming/spdy-zlib.js';
import { errorText, openPodStream, retirePodStream, type PodConnector } from './util.js';

/** Largest DATA payload we send (kubectl itself sends 32 KiB frames). */
const MAX_DATA_PAYLOAD = 32 * 1024;
/** How long the first stream of a pair waits for its partner (the kubelet's stream creation timeout). */
const PAIR_TIMEOUT_MS = 30_000;
/** Client bytes buffered while the pod connection is still being opened before input is paused. */
const MAX_PENDING_TO_POD = 1 << 20;
/** Grace period for a transport we have ended to close by itself. */
const TRANSPORT_CLOSE_GRACE_MS = 2_000;

const EMPTY = Buffer.alloc(0);
const EMPTY_HEADER_BLOCK = encodeHeaderBlock([]);

type StreamKind = 'error' | 'data';

interface StreamState {
  readonly id: number;
  readonly kind: StreamKind;
  readonly pair: ForwardPair;
  /** We sent FIN (or the stream is gone). */
  localFin: boolean;
  /** The client sent FIN (or the stream is gone). */
  remoteFin: boolean;
  reset: boolean;
}

interface ForwardPair {
  readonly key: string;
  readonly portHeader: string;
  errorStream: StreamState | null;
  dataStream: StreamState | null;
  state: 'waiting' | 'connecting' | 'open' | 'done';
  pod: Duplex | null;
  /** Client bytes that arrived before the pod connection was open. */
  pendingToPod: Buffer[];
  pendingBytes: number;
  /** This pair holds the input paused because pendingToPod is large. */
  pendingHold: boolean;
  /** The client half-closed the data stream before the pod connection was open. */
  clientEnded: boolean;
  /** Error text to send on the error stream when it is closed. */
  errorMessage: string | null;
  /** This pair holds the input paused until the pod stream drains. */
  podBlocked: boolean;
  onPodDrain: (() => void) | null;
  timer: NodeJS.Timeout | null;
}

export interface SpdySessionOptions {
  /** Bytes that arrived with the upgrade request (the `head` of the 'upgrade' event). */
  head?: Buffer;
  /** Called once when the session has shut down. */
  onClose?: () => void;
}

function parsePort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

function portError(text: string): string {
  if (text === '') return '"port" header is required';
  if (/^[0-9]+$/.test(text) && Number(text) < 1) return `port "${text}" must be > 0`;
  return `unable to parse "${text}" as a port`;
}

export class SpdyPortForwardSession {
  private readonly parser = new FrameParser();
  private readonly inflater = new HeaderZlib('inflate');
  private readonly deflater = new HeaderZlib('deflate');
  private readonly streams = new Map<number, StreamState>();
  /** Pairs still waiting for their second stream, by request id. */
  private readonly pairing = new Map<string, ForwardPair>();
  /** Pairs not yet done. */
  private readonly active = new Set<ForwardPair>();
  /** Reasons the input is paused (pod streams not draining, large pending buffers). */
  private holds = 0;
  /** A frame is being handled asynchronously (header (de)compression); later frames wait. */
  private busy = false;
  private pumping = false;
  private lastStreamId = 0;
  private goingAway = false;
  private closed = false;
  private podsPaused = false;
  private readonly onClose: (() => void) | undefined;

  constructor(private readonly transport: Duplex, private readonly connect: PodConnector, options: SpdySessionOptions = {}) {
    this.onClose = options.onClose;
    transport.on('data', this.onTransportData);
    transport.on('end', this.onTransportEnd);
    transport.on('error', this.onTransportError);
    transport.on('close', this.onTransportClose);
    transport.on('drain', this.onTransportDrain);
    if (options.head && options.head.length > 0) this.onTransportData(options.head);
  }

  /** True once the session has shut down. */
  get isClosed(): boolean {
    return this.closed;
  }

  // ------------------------------------------------------------ transport events

  private readonly onTransportData = (chunk: Buffer): void => {
    if (this.closed) return;
    this.parser.push(chunk);
    this.pump();
  };

  private readonly onTransportEnd = (): void => {
    this.shutdown();
  };

  private readonly onTransportError = (): void => {
    this.shutdown();
  };

  private readonly onTransportClose = (): void => {
    this.shutdown();
  };

  private readonly onTransportDrain = (): void => {
    if (!this.podsPaused || this.closed) return;
    this.podsPaused = false;
    for (const pair of this.active) {
      if (pair.state === 'open' && pair.pod) pair.pod.resume();
    }
  };

  // ------------------------------------------------------------ input processing

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && !this.busy && this.holds === 0) {
        const frame = this.parser.next();
        if (!frame) break;
        this.handleFrame(frame);
      }
    } catch (err) {
      this.protocolError(err);
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

  private hold(): void {
    this.holds++;
  }

  private release(): void {
    this.holds--;
    if (this.holds === 0 && !this.closed) this.pump();
  }

  /** Runs an async frame handler; no later frame is handled until it settles. */
  private runExclusive(task: Promise<void>): void {
    this.busy = true;
    task.then(
      () => {
        this.busy = false;
        if (!this.closed) this.pump();
      },
      (err: unknown) => {
        this.busy = false;
        this.protocolError(err);
      },
    );
  }

  private handleFrame(frame: SpdyFrame): void {
    if (!frame.control) {
      this.onDataFrame(frame);
      return;
    }
    if (frame.version !== SPDY_VERSION) {
      throw new SpdyProtocolError(`unsupported SPDY version ${frame.version}`);
    }
    switch (frame.type) {
      case FrameType.SYN_STREAM:
        this.runExclusive(this.onSynStream(frame));
        break;
      case FrameType.SYN_REPLY:
      case FrameType.HEADERS:
        this.runExclusive(this.onOtherHeaders(frame));
        break;
      case FrameType.RST_STREAM:
        this.onRstStream(frame);
        break;
      case FrameType.PING:
        // Echo it unchanged; we never send pings of our own.
        this.write(encodeControlFrame(FrameType.PING, 0, frame.body));
        break;
      case FrameType.GOAWAY:
        this.goingAway = true;
        this.maybeEndSession();
        break;
      default:
        // SETTINGS, NOOP, WINDOW_UPDATE, CREDENTIAL and unknown types: nothing to do.
        break;
    }
  }

  private async onSynStream(frame: ControlFrame): Promise<void> {
    const syn = parseSynStream(frame.body);
    // Inflate before anything else: the compression context must see every block.
    const headers = decodeHeaderBlock(await this.inflater.process(syn.headerBlock));
    if (this.closed) return;
    const id = syn.streamId;
    if (this.streams.has(id)) {
      this.write(encodeRstStream(id, RstStatus.STREAM_IN_USE));
      return;
    }
    if (id === 0 || id <= this.lastStreamId) {
      this.write(encodeRstStream(id, RstStatus.PROTOCOL_ERROR));
      return;
    }
    this.lastStreamId = id;
    if (this.goingAway) {
      this.write(encodeRstStream(id, RstStatus.REFUSED_STREAM));
      return;
    }
    const kind = headers.get('streamtype');
    if (kind !== 'error' && kind !== 'data') {
      this.write(encodeRstStream(id, RstStatus.PROTOCOL_ERROR));
      return;
    }
    const key = this.pairKey(headers, id, kind);
    const existing = this.pairing.get(key);
    if (existing && (kind === 'error' ? existing.errorStream : existing.dataStream)) {
      // A second stream of the same type for one request.
      this.write(encodeRstStream(id, RstStatus.PROTOCOL_ERROR));
      return;
    }

    const reply = await this.deflater.process(EMPTY_HEADER_BLOCK);
    if (this.closed) return;
    this.write(encodeSynReply(id, 0, reply));

    const pair = this.pairing.get(key) ?? this.createPair(key, headers.get('port') ?? '');
    const stream: StreamState = { id, kind, pair, localFin: false, remoteFin: false, reset: false };
    this.streams.set(id, stream);
    if (kind === 'error') {
      pair.errorStream = stream;
      if (pair.state === 'done') this.closeErrorStream(pair);
    } else {
      pair.dataStream = stream;
      if (pair.state === 'done') this.sendFin(stream);
      else this.startForwarding(pair);
    }
    if (pair.errorStream && pair.dataStream) {
      this.pairing.delete(key);
      if (pair.timer) clearTimeout(pair.timer);
      pair.timer = null;
    }
    if ((frame.flags & FLAG_FIN) !== 0) this.onRemoteFin(stream);
  }

  /** SYN_REPLY / HEADERS from the client: inflate (to keep the zlib context), honour FIN. */
  private async onOtherHeaders(frame: ControlFrame): Promise<void> {
    const what = frame.type === FrameType.HEADERS ? 'HEADERS' : 'SYN_REPLY';
    const { streamId, headerBlock } = parseStreamHeaders(frame.body, what);
    decodeHeaderBlock(await this.inflater.process(headerBlock));
    if (this.closed) return;
    const stream = this.streams.get(streamId);
    if (stream && (frame.flags & FLAG_FIN) !== 0) this.onRemoteFin(stream);
  }

  private onDataFrame(frame: DataFrame): void {
    const stream = this.streams.get(frame.streamId);
    if (!stream || stream.reset) return; // a stream we already forgot: drop
    if (stream.remoteFin) {
      this.resetStream(stream, RstStatus.STREAM_ALREADY_CLOSED);
      return;
    }
    if (stream.kind === 'data' && frame.data.length > 0) this.deliverToPod(stream.pair, frame.data);
    if ((frame.flags & FLAG_FIN) !== 0) this.onRemoteFin(stream);
  }

  private onRstStream(frame: ControlFrame): void {
    const { streamId } = parseIdAndStatus(frame.body, 'RST_STREAM');
    const stream = this.streams.get(streamId);
    if (!stream) return;
    stream.reset = true;
    stream.localFin = true;
    stream.remoteFin = true;
    this.streams.delete(streamId);
    if (stream.kind === 'data') this.finishPair(stream.pair, null, true);
  }

  private onRemoteFin(stream: StreamState): void {
    if (stream.remoteFin) return;
    stream.remoteFin = true;
    if (stream.kind === 'data') {
      const pair = stream.pair;
      if (pair.state === 'open' && pair.pod) pair.pod.end();
      else if (pair.state === 'connecting' || pair.state === 'waiting') pair.clientEnded = true;
    }
    this.maybeForget(stream);
  }

  // ------------------------------------------------------------ pairs and pod streams

  private pairKey(headers: SpdyHeaders, streamId: number, kind: StreamKind): string {
    const requestId = headers.get('requestid');
    if (requestId !== undefined && requestId !== '') return `request:${requestId}`;
    // Clients that predate the requestid header open error then data streams
    // with consecutive odd ids; pair them the way the kubelet does.
    return `stream:${kind === 'data' ? streamId - 2 : streamId}`;
  }

  private createPair(key: string, portHeader: string): ForwardPair {
    const pair: ForwardPair = {
      key,
      portHeader,
      errorStream: null,
      dataStream: null,
      state: 'waiting',
      pod: null,
      pendingToPod: [],
      pendingBytes: 0,
      pendingHold: false,
      clientEnded: false,
      errorMessage: null,
      podBlocked: false,
      onPodDrain: null,
      timer: null,
    };
    pair.timer = setTimeout(() => this.onPairTimeout(pair), PAIR_TIMEOUT_MS);
    pair.timer.unref();
    this.pairing.set(key, pair);
    this.active.add(pair);
    return pair;
  }

  private onPairTimeout(pair: ForwardPair): void {
    pair.timer = null;
    if (this.pairing.get(pair.key) === pair) this.pairing.delete(pair.key);
    // A data stream without an error stream keeps forwarding; a lone error
    // stream is told what the kubelet would say.
    if (!pair.dataStream) this.finishPair(pair, `timed out waiting for streams (request ${pair.key})`);
  }

  private startForwarding(pair: ForwardPair): void {
    const port = parsePort(pair.portHeader);
    if (port === null) {
      this.finishPair(pair, portError(pair.portHeader));
      return;
    }
    pair.state = 'connecting';
    openPodStream(this.connect, port).then(
      (pod) => {
        if (this.closed || pair.state !== 'connecting') {
          retirePodStream(pod);
          return;
        }
        this.attachPod(pair, pod);
      },
      (err: unknown) => {
        if (!this.closed && pair.state === 'connecting') this.finishPair(pair, errorText(err));
      },
    );
  }

  private attachPod(pair: ForwardPair, pod: Duplex): void {
    pair.pod = pod;
    pair.state = 'open';
    pod.on('data', (chunk: Buffer) => this.forwardToClient(pair, chunk));
    pod.on('end', () => this.finishPair(pair, null));
    pod.on('error', () => this.finishPair(pair, null, true));
    pod.on('close', () => this.finishPair(pair, null, true));
    if (this.podsPaused) pod.pause();

    const pending = pair.pendingToPod;
    pair.pendingToPod = [];
    pair.pendingBytes = 0;
    if (pair.pendingHold) {
      pair.pendingHold = false;
      this.release();
    }
    for (const buf of pending) {
      if (pair.state !== 'open') return;
      this.writeToPod(pair, buf);
    }
    if (pair.clientEnded && pair.state === 'open') pod.end();
  }

  private deliverToPod(pair: ForwardPair, data: Buffer): void {
    if (pair.state === 'open') {
      this.writeToPod(pair, data);
    } else if (pair.state === 'connecting' || pair.state === 'waiting') {
      pair.pendingToPod.push(data);
      pair.pendingBytes += data.length;
      if (pair.pendingBytes > MAX_PENDING_TO_POD && !pair.pendingHold) {
        pair.pendingHold = true;
        this.hold();
      }
    }
    // 'done': the pod side is gone; drop.
  }

  private writeToPod(pair: ForwardPair, data: Buffer): void {
    const pod = pair.pod;
    if (!pod || pod.destroyed || pod.writableEnded) return;
    if (!pod.write(data) && !pair.podBlocked) {
      pair.podBlocked = true;
      this.hold();
      const onDrain = (): void => {
        pair.onPodDrain = null;
        if (!pair.podBlocked) return;
        pair.podBlocked = false;
        this.release();
      };
      pair.onPodDrain = onDrain;
      pod.once('drain', onDrain);
    }
  }

  private forwardToClient(pair: ForwardPair, chunk: Buffer): void {
    const stream = pair.dataStream;
    if (this.closed || pair.state !== 'open' || !stream || stream.localFin || stream.reset) return;
    let ok = true;
    for (let off = 0; off < chunk.length; off += MAX_DATA_PAYLOAD) {
      ok = this.write(encodeDataFrame(stream.id, 0, chunk.subarray(off, off + MAX_DATA_PAYLOAD))) && ok;
    }
    if (!ok) this.pausePods();
  }

  private pausePods(): void {
    if (this.podsPaused) return;
    this.podsPaused = true;
    for (const pair of this.active) {
      if (pair.state === 'open' && pair.pod) pair.pod.pause();
    }
  }

  /** Drops the input holds a pair owns. */
  private releasePairHolds(pair: ForwardPair): void {
    let released = 0;
    if (pair.podBlocked) {
      pair.podBlocked = false;
      if (pair.pod && pair.onPodDrain) pair.pod.off('drain', pair.onPodDrain);
      pair.onPodDrain = null;
      released++;
    }
    if (pair.pendingHold) {
      pair.pendingHold = false;
      released++;
    }
    pair.pendingToPod = [];
    pair.pendingBytes = 0;
    for (let i = 0; i < released; i++) this.release();
  }

  /**
   * Ends one forwarded connection: FIN the data stream, then the error stream
   * (with `message` first, if any), and let go of the pod stream — gracefully,
   * or at once when `abort` (the client reset the stream, or the pod stream failed).
   */
  private finishPair(pair: ForwardPair, message: string | null, abort = false): void {
    if (pair.state === 'done') return;
    pair.state = 'done';
    this.active.delete(pair);
    if (message !== null) pair.errorMessage = message;
    if (pair.dataStream) this.sendFin(pair.dataStream);
    if (pair.errorStream) this.closeErrorStream(pair);
    const pod = pair.pod;
    if (pod) {
      if (abort) {
        pod.on('error', () => {});
        pod.destroy();
      } else {
        retirePodStream(pod);
      }
    }
    this.releasePairHolds(pair);
    this.maybeEndSession();
  }

  private closeErrorStream(pair: ForwardPair): void {
    const stream = pair.errorStream;
    if (!stream || stream.localFin || stream.reset) return;
    if (pair.errorMessage) this.write(encodeDataFrame(stream.id, 0, Buffer.from(pair.errorMessage, 'utf8')));
    this.sendFin(stream);
  }

  // ------------------------------------------------------------ stream bookkeeping

  private sendFin(stream: StreamState): void {
    if (stream.localFin || stream.reset) return;
    stream.localFin = true;
    this.write(encodeDataFrame(stream.id, FLAG_FIN, EMPTY));
    this.maybeForget(stream);
  }

  private resetStream(stream: StreamState, status: number): void {
    if (stream.reset) return;
    stream.reset = true;
    stream.localFin = true;
    stream.remoteFin = true;
    this.streams.delete(stream.id);
    this.write(encodeRstStream(stream.id, status));
    if (stream.kind === 'data') this.finishPair(stream.pair, null, true);
  }

  private maybeForget(stream: StreamState): void {
    if (stream.localFin && stream.remoteFin) this.streams.delete(stream.id);
  }

  // ------------------------------------------------------------ session lifetime

  private write(frame: Buffer): boolean {
    const t = this.transport;
    if (this.closed || t.destroyed || t.writableEnded) return true;
    return t.write(frame);
  }

  private maybeEndSession(): void {
    if (this.goingAway && this.active.size === 0) this.shutdown();
  }

  /** A session-level error (bad frame, undecodable header block): GOAWAY, then shut down. */
  private protocolError(_err: unknown): void {
    if (this.closed) return;
    this.write(encodeGoAway(this.lastStreamId, GoAwayStatus.PROTOCOL_ERROR));
    this.shutdown();
  }

  /** Tears everything down: pod streams let go, zlib streams freed, transport ended. Idempotent. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pair of this.active) {
      pair.state = 'done';
      if (pair.timer) clearTimeout(pair.timer);
      pair.timer = null;
      if (pair.pod) retirePodStream(pair.pod);
      pair.podBlocked = false;
      pair.pendingHold = false;
      pair.pendingToPod = [];
    }
    for (const pair of this.pairing.values()) {
      if (pair.timer) clearTimeout(pair.timer);
      pair.timer = null;
    }
    this.active.clear();
    this.pairing.clear();
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
      const timer = setTimeout(() => t.destroy(), TRANSPORT_CLOSE_GRACE_MS);
      timer.unref();
      t.once('close', () => clearTimeout(timer));
    }
    this.onClose?.();
  }
}
