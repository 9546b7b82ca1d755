/**
 * kubectl's WebSocket tunnel for port-forward (kubectl 1.31+ by default):
 * a WebSocket with subprotocol `SPDY/3.1+portforward.k8s.io` whose binary
 * messages carry a SPDY/3.1 byte stream, message boundaries meaning nothing.
 *
 * The `ws` package refuses that subprotocol (`/` is not a token character), so
 * the handshake and the framing (RFC 6455) are done here. The tunnel is
 * exposed as a plain Duplex of the bytes inside the messages, which the SPDY
 * session then runs on.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { ByteQueue } from '../streaming/byte-queue.js';

export const WS_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const Opcode = {
  CONTINUATION: 0x0,
  TEXT: 0x1,
  BINARY: 0x2,
  CLOSE: 0x8,
  PING: 0x9,
  PONG: 0xa,
} as const;

/** Close codes we send. */
const CLOSE_NORMAL = 1000;
const CLOSE_PROTOCOL_ERROR = 1002;
const CLOSE_TOO_BIG = 1009;

/** Largest single frame payload accepted (the stream is relayed as it arrives, so this only bounds nonsense). */
const MAX_FRAME_PAYLOAD = 2 ** 40;
const CLOSE_GRACE_MS = 2_000;

export function websocketAccept(key: string): string {
  return createHash('sha1').update(key + WS_GUID).digest('base64');
}

/** Why a WebSocket upgrade request is not acceptable, or null if it is. */
export function websocketHandshakeProblem(req: IncomingMessage): string | null {
  if (req.method !== 'GET') return `WebSocket upgrade must use GET, not ${req.method ?? '?'}`;
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(key.trim())) return 'missing or invalid Sec-WebSocket-Key header';
  const version = req.headers['sec-websocket-version'];
  if (version !== '13') return 'unsupported Sec-WebSocket-Version (13 is required)';
  return null;
}

/** The 101 response that accepts a tunnel upgrade. */
export function websocketAcceptResponse(key: string, protocol: string): string {
  return [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${websocketAccept(key.trim())}`,
    `Sec-WebSocket-Protocol: ${protocol}`,
    '',
    '',
  ].join('\r\n');
}

/** An unmasked (server-to-client) frame with FIN set. */
export function encodeWsFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const len = payload.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.allocUnsafe(2);
    header[1] = len;
  } else if (len < 0x10000) {
    header = Buffer.allocUnsafe(4);
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.allocUnsafe(10);
    header[1] = 127;
    header.writeUInt32BE(Math.floor(len / 2 ** 32), 2);
    header.writeUInt32BE(len >>> 0, 6);
  }
  header[0] = (fin ? 0x80 : 0) | (opcode & 0x0f);
  return Buffer.concat([header, payload]);
}

export class WebSocketProtocolError extends Error {
  constructor(message: string, readonly closeCode: number = CLOSE_PROTOCOL_ERROR) {
    super(message);
    this.name = 'WebSocketProtocolError';
  }
}

export interface WsFrameHandlers {
  /** Payload bytes of data frames (text, binary, continuation), in order, possibly partial frames. */
  onData(bytes: Buffer): void;
  /** A whole control frame. */
  onControl(opcode: number, payload: Buffer): void;
}

/**
 * Incremental parser for client-to-server frames. Data-frame payloads are
 * unmasked and handed on as they arrive (a frame need not be complete);
 * control frames are delivered whole.
 */
export class WsFrameDecoder {
  private readonly bytes = new ByteQueue();
  /** Remaining payload bytes of the data frame being relayed, or -1 between frames. */
  private remaining = -1;
  private mask: Buffer | null = null;
  private maskOffset = 0;
  /** A fragmented data message is in progress (expecting continuation frames). */
  private inMessage = false;

  constructor(private readonly handlers: WsFrameHandlers) {}

  push(chunk: Buffer): void {
    this.bytes.push(chunk);
    for (;;) {
      if (this.remaining >= 0) {
        if (!this.relayPayload()) return;
        continue;
      }
      if (!this.readHeader()) return;
    }
  }

  /** Relays as much of the current data frame's payload as is buffered. True when the frame is done. */
  private relayPayload(): boolean {
    while (this.remaining > 0 && this.bytes.length > 0) {
      let piece = this.bytes.takeSome(this.remaining);
      this.remaining -= piece.length;
      if (this.mask) piece = this.unmask(piece);
      this.handlers.onData(piece);
    }
    if (this.remaining > 0) return false;
    this.remaining = -1;
    this.mask = null;
    return true;
  }

  private unmask(piece: Buffer): Buffer {
    const out = Buffer.allocUnsafe(piece.length);
    const mask = this.mask!;
    let m = this.maskOffset;
    for (let i = 0; i < piece.length; i++) {
      out[i] = piece[i]! ^ mask[m]!;
      m = (m + 1) & 3;
    }
    this.maskOffset = m;
    return out;
  }

  /** Parses one frame header (and a whole control frame). False when more bytes are needed. */
  private readHeader(): boolean {
    if (this.bytes.length < 2) return false;
    const head = this.bytes.peek(Math.min(this.bytes.length, 14));
    const b0 = head[0]!;
    const b1 = head[1]!;
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    const masked = (b1 & 0x80) !== 0;
    if ((b0 & 0x70) !== 0) throw new WebSocketProtocolError('reserved bits set (no extensions were negotiated)');
    let len = b1 & 0x7f;
    let off = 2;
    if (len === 126) {
      if (head.length < 4) return false;
      len = head.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (head.length < 10) return false;
      const hi = head.readUInt32BE(2);
      const lo = head.readUInt32BE(6);
      len = hi * 2 ** 32 + lo;
      off = 10;
    }
    if (masked) {
      if (head.length < off + 4) return false;
      off += 4;
    }
    const isControl = (opcode & 0x08) !== 0;
    if (isControl) {
      if (!fin) throw new WebSocketProtocolError('fragmented control frame');
      if (len > 125) throw new WebSocketProtocolError('control frame too long');
      if (opcode !== Opcode.CLOSE && opcode !== Opcode.PING && opcode !== Opcode.PONG) {
        throw new WebSocketProtocolError(`unknown control opcode ${opcode}`);
      }
      if (this.bytes.length < off + len) return false;
      const header = this.bytes.take(off);
      let payload = this.bytes.take(len);
      if (masked) {
        this.mask = header.subarray(off - 4, off);
        this.maskOffset = 0;
        payload = this.unmask(payload);
        this.mask = null;
      }
      this.handlers.onControl(opcode, payload);
      return true;
    }
    if (opcode === Opcode.CONTINUATION) {
      if (!this.inMessage) throw new WebSocketProtocolError('continuation frame outside a message');
    } else if (opcode === Opcode.TEXT || opcode === Opcode.BINARY) {
      if (this.inMessage) throw new WebSocketProtocolError('new data frame inside a fragmented message');
    } else {
      throw new WebSocketProtocolError(`unknown data opcode ${opcode}`);
    }
    if (len > MAX_FRAME_PAYLOAD) throw new WebSocketProtocolError('frame too long', CLOSE_TOO_BIG);
    this.inMessage = !fin;
    const header = this.bytes.take(off);
    this.mask = masked ? Buffer.from(header.subarray(off - 4, off)) : null;
    this.maskOffset = 0;
    this.remaining = len;
    return true;
  }
}

/**
 * The byte stream inside an accepted tunnel: reads yield the payload bytes of
 * the client's data messages; each write goes out as one binary message.
 * Ending it sends a normal close frame; a close frame from the client ends
 * its readable side.
 */
export class WebSocketTunnelStream extends Duplex {
  private readonly decoder: WsFrameDecoder;
  private closeSent = false;
  private closeReceived = false;
  private socketPaused = false;
  private drainWaiter: (() => void) | null = null;

  constructor(private readonly socket: Duplex, head?: Buffer) {
    super({ allowHalfOpen: true, readableHighWaterMark: 64 * 1024, writableHighWaterMark: 64 * 1024 });
    this.decoder = new WsFrameDecoder({
      onData: (bytes) => {
        if (this.closeReceived) return;
        if (!this.push(bytes) && !this.socketPaused) {
          this.socketPaused = true;
          this.socket.pause();
        }
      },
      onControl: (opcode, payload) => this.onControl(opcode, payload),
    });
    socket.on('data', this.onSocketData);
    socket.on('end', this.onSocketEnd);
    socket.on('error', this.onSocketError);
    socket.on('close', this.onSocketClose);
    socket.on('drain', this.onSocketDrain);
    if (head && head.length > 0) this.onSocketData(head);
  }

  private readonly onSocketData = (chunk: Buffer): void => {
    try {
      this.decoder.push(chunk);
    } catch (err) {
      const code = err instanceof WebSocketProtocolError ? err.closeCode : CLOSE_PROTOCOL_ERROR;
      this.failConnection(code);
    }
  };

  private readonly onSocketEnd = (): void => {
    if (!this.closeReceived) {
      this.closeReceived = true;
      this.push(null);
    }
    // The peer will send nothing more; finish our side too.
    if (!this.socket.writableEnded) this.socket.end();
  };

  private readonly onSocketError = (): void => {
    this.destroy();
  };

  private readonly onSocketClose = (): void => {
    this.socketPaused = false;
    const waiter = this.drainWaiter;
    this.drainWaiter = null;
    if (waiter) waiter();
    if (!this.closeReceived) {
      this.closeReceived = true;
      this.push(null);
    }
    this.destroy();
  };

  private readonly onSocketDrain = (): void => {
    const waiter = this.drainWaiter;
    this.drainWaiter = null;
    if (waiter) waiter();
  };

  private onControl(opcode: number, payload: Buffer): void {
    if (opcode === Opcode.PING) {
      this.sendFrame(Opcode.PONG, payload);
    } else if (opcode === Opcode.CLOSE) {
      if (this.closeReceived) return;
      this.closeReceived = true;
      // Echo the status code (if any), then close the TCP connection.
      if (!this.closeSent) {
        this.closeSent = true;
        this.sendFrame(Opcode.CLOSE, payload.length >= 2 ? payload.subarray(0, 2) : Buffer.alloc(0));
      }
      this.push(null);
      this.endSocket();
    }
    // PONG: nothing to do.
  }

  private sendFrame(opcode: number, payload: Buffer): boolean {
    const s = this.socket;
    if (s.destroyed || s.writableEnded) return true;
    return s.write(encodeWsFrame(opcode, payload));
  }

  private sendClose(code: number): void {
    if (this.closeSent) return;
    this.closeSent = true;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code, 0);
    this.sendFrame(Opcode.CLOSE, body);
  }

  private endSocket(): void {
    const s = this.socket;
    if (s.destroyed) return;
    if (!s.writableEnded) s.end();
    const timer = setTimeout(() => s.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    s.once('close', () => clearTimeout(timer));
  }

  private failConnection(code: number): void {
    this.sendClose(code);
    if (!this.closeReceived) {
      this.closeReceived = true;
      this.push(null);
    }
    this.endSocket();
  }

  override _read(): void {
    if (this.socketPaused) {
      this.socketPaused = false;
      this.socket.resume();
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.closeSent || this.socket.destroyed || this.socket.writableEnded) {
      callback();
      return;
    }
    if (this.sendFrame(Opcode.BINARY, chunk)) {
      callback();
    } else {
      this.drainWaiter = () => callback();
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sendClose(CLOSE_NORMAL);
    // Wait (briefly) for the client's close frame before closing the TCP connection.
    if (this.closeReceived) this.endSocket();
    else {
      const timer = setTimeout(() => this.endSocket(), CLOSE_GRACE_MS);
      timer.unref();
      this.socket.once('close', () => clearTimeout(timer));
    }
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const waiter = this.drainWaiter;
    this.drainWaiter = null;
    if (waiter) waiter();
    this.socket.off('data', this.onSocketData);
    this.socket.on('error', () => {});
    // After a graceful end, let the close frame flush (endSocket has a timer);
    // otherwise drop the connection now.
    if (error || !this.closeSent) this.socket.destroy();
    else this.endSocket();
    this.socket.resume();
    callback(error);
  }
}
