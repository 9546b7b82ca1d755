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
 * enforced. Backpressure is by TCP: the connection's input is held while a pod
 * stream is not draining, and pod streams are paused while the transport is
 * not. Frames, header compression, stream ids and states are the shared
 * SPDY connection's (../streaming/spdy-connection.ts).
 */
import type { Duplex } from 'node:stream';
import { RstStatus, type SpdyHeaders } from '../streaming/spdy-frames.js';
import { SpdyServerConnection, type SpdyServerStream } from '../streaming/spdy-connection.js';
import { errorText, openPodStream, retirePodStream, type PodConnector } from './util.js';

/** How long the first stream of a pair waits for its partner (the kubelet's stream creation timeout). */
const PAIR_TIMEOUT_MS = 30_000;
/** Client bytes buffered while the pod connection is still being opened before input is paused. */
const MAX_PENDING_TO_POD = 1 << 20;

type StreamKind = 'error' | 'data';

interface StreamState {
  readonly stream: SpdyServerStream;
  readonly kind: StreamKind;
  readonly pair: ForwardPair;
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
  /** This pair holds the input because pendingToPod is large. */
  pendingHold: boolean;
  /** The client half-closed the data stream before the pod connection was open. */
  clientEnded: boolean;
  /** Error text to send on the error stream when it is closed. */
  errorMessage: string | null;
  /** This pair holds the input until the pod stream drains. */
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

function pairKey(headers: SpdyHeaders, streamId: number, kind: StreamKind): string {
  const requestId = headers.get('requestid');
  if (requestId !== undefined && requestId !== '') return `request:${requestId}`;
  // Clients that predate the requestid header open error then data streams
  // with consecutive odd ids; pair them the way the kubelet does.
  return `stream:${kind === 'data' ? streamId - 2 : streamId}`;
}

export class SpdyPortForwardSession {
  private readonly conn: SpdyServerConnection;
  private readonly states = new Map<SpdyServerStream, StreamState>();
  /** Pairs still waiting for their second stream, by request id. */
  private readonly pairing = new Map<string, ForwardPair>();
  /** Pairs not yet done. */
  private readonly active = new Set<ForwardPair>();
  private closed = false;
  private podsPaused = false;
  private readonly onClose: (() => void) | undefined;

  constructor(transport: Duplex, private readonly connect: PodConnector, options: SpdySessionOptions = {}) {
    this.onClose = options.onClose;
    this.conn = new SpdyServerConnection(transport, {
      admit: (id, headers) => this.admit(id, headers),
      onStream: (stream) => this.onStream(stream),
      onData: (stream, data) => {
        const st = this.states.get(stream);
        if (st?.kind === 'data') this.deliverToPod(st.pair, data);
      },
      onFin: (stream) => this.onRemoteFin(stream),
      onReset: (stream) => {
        const st = this.states.get(stream);
        this.states.delete(stream);
        if (st?.kind === 'data') this.finishPair(st.pair, null, true);
      },
      onGoAway: () => this.maybeEndSession(),
      onDrain: () => this.onTransportDrain(),
      onClose: () => this.shutdown(),
    }, options.head);
  }

  /** True once the session has shut down. */
  get isClosed(): boolean {
    return this.closed;
  }

  // ------------------------------------------------------------ streams

  /** kubectl's streams are `error` or `data`, at most one of each per request. */
  private admit(id: number, headers: SpdyHeaders): number | undefined {
    const kind = headers.get('streamtype');
    if (kind !== 'error' && kind !== 'data') return RstStatus.PROTOCOL_ERROR;
    const existing = this.pairing.get(pairKey(headers, id, kind));
    if (existing && (kind === 'error' ? existing.errorStream : existing.dataStream)) return RstStatus.PROTOCOL_ERROR;
    return undefined;
  }

  private onStream(stream: SpdyServerStream): void {
    const kind = stream.type as StreamKind;
    const key = pairKey(stream.headers, stream.id, kind);
    const pair = this.pairing.get(key) ?? this.createPair(key, stream.headers.get('port') ?? '');
    const st: StreamState = { stream, kind, pair };
    this.states.set(stream, st);
    if (kind === 'error') {
      pair.errorStream = st;
      if (pair.state === 'done') this.closeErrorStream(pair);
    } else {
      pair.dataStream = st;
      if (pair.state === 'done') this.sendFin(st);
      else this.startForwarding(pair);
    }
    if (pair.errorStream && pair.dataStream) {
      this.pairing.delete(key);
      if (pair.timer) clearTimeout(pair.timer);
      pair.timer = null;
    }
  }

  private onRemoteFin(stream: SpdyServerStream): void {
    const st = this.states.get(stream);
    if (!st) return;
    if (st.kind === 'data') {
      const pair = st.pair;
      if (pair.state === 'open' && pair.pod) pair.pod.end();
      else if (pair.state === 'connecting' || pair.state === 'waiting') pair.clientEnded = true;
    }
    this.forgetIfDone(st);
  }

  private onTransportDrain(): void {
    if (!this.podsPaused || this.closed) return;
    this.podsPaused = false;
    for (const pair of this.active) {
      if (pair.state === 'open' && pair.pod) pair.pod.resume();
    }
  }

  // ------------------------------------------------------------ pairs and pod streams

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
      this.conn.release();
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
        this.conn.hold();
      }
    }
    // 'done': the pod side is gone; drop.
  }

  private writeToPod(pair: ForwardPair, data: Buffer): void {
    const pod = pair.pod;
    if (!pod || pod.destroyed || pod.writableEnded) return;
    if (!pod.write(data) && !pair.podBlocked) {
      pair.podBlocked = true;
      this.conn.hold();
      const onDrain = (): void => {
        pair.onPodDrain = null;
        if (!pair.podBlocked) return;
        pair.podBlocked = false;
        this.conn.release();
      };
      pair.onPodDrain = onDrain;
      pod.once('drain', onDrain);
    }
  }

  private forwardToClient(pair: ForwardPair, chunk: Buffer): void {
    const st = pair.dataStream;
    if (this.closed || pair.state !== 'open' || !st || st.stream.localFin || st.stream.reset) return;
    if (!st.stream.write(chunk)) this.pausePods();
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
    for (let i = 0; i < released; i++) this.conn.release();
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
    if (!this.closed) this.releasePairHolds(pair);
    this.maybeEndSession();
  }

  private closeErrorStream(pair: ForwardPair): void {
    const st = pair.errorStream;
    if (!st || st.stream.localFin || st.stream.reset) return;
    if (pair.errorMessage) st.stream.write(pair.errorMessage);
    this.sendFin(st);
  }

  private sendFin(st: StreamState): void {
    st.stream.end();
    this.forgetIfDone(st);
  }

  private forgetIfDone(st: StreamState): void {
    if (st.stream.localFin && st.stream.remoteFin) this.states.delete(st.stream);
  }

  // ------------------------------------------------------------ session lifetime

  private maybeEndSession(): void {
    if (this.conn.isGoingAway && this.active.size === 0) this.shutdown();
  }

  /** Tears everything down: pod streams let go, the connection closed. Idempotent. */
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
    this.states.clear();
    this.conn.close();
    this.onClose?.();
  }
}
