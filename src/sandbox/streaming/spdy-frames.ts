/**
 * SPDY/3.1 framing: the subset the port-forward and exec servers need.
 *
 * Control frame: |1|version(15)|type(16)|flags(8)|length(24)|body|
 * Data frame:    |0|stream-id(31)|flags(8)|length(24)|payload|
 *
 * Header blocks (inside SYN_STREAM, SYN_REPLY, HEADERS) are zlib-compressed
 * with the SPDY/3 dictionary; see spdy-zlib.ts. Uncompressed they are
 * `uint32 count` followed by `count` pairs of `uint32 length + name`,
 * `uint32 length + value`.
 */

import { ByteQueue } from './byte-queue.js';

export const SPDY_VERSION = 3;

export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  NOOP: 5,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
  CREDENTIAL: 10,
} as const;

/** FLAG_FIN on SYN_STREAM, SYN_REPLY, HEADERS and DATA. */
export const FLAG_FIN = 0x01;
/** FLAG_UNIDIRECTIONAL on SYN_STREAM. */
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RstStatus = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  UNSUPPORTED_VERSION: 4,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7,
  STREAM_IN_USE: 8,
  STREAM_ALREADY_CLOSED: 9,
  FRAME_TOO_LARGE: 11,
} as const;

/** GOAWAY status codes. */
export const GoAwayStatus = {
  OK: 0,
  PROTOCOL_ERROR: 1,
  INTERNAL_ERROR: 2,
} as const;

export const FRAME_HEADER_LENGTH = 8;
export const MAX_FRAME_LENGTH = 0xffffff;
const STREAM_ID_MASK = 0x7fffffff;

export interface DataFrame {
  readonly control: false;
  readonly streamId: number;
  readonly flags: number;
  readonly data: Buffer;
}

export interface ControlFrame {
  readonly control: true;
  readonly version: number;
  readonly type: number;
  readonly flags: number;
  readonly body: Buffer;
}

export type SpdyFrame = DataFrame | ControlFrame;

export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

/**
 * Incremental frame parser: push arbitrary byte chunks, pull whole frames.
 * Frames may span chunks; one chunk may hold many frames.
 */
export class FrameParser {
  private readonly bytes = new ByteQueue();

  /** Bytes received but not yet returned as frames. */
  get pendingBytes(): number {
    return this.bytes.length;
  }

  push(chunk: Buffer): void {
    this.bytes.push(chunk);
  }

  /** Next complete frame, or null when more bytes are needed. */
  next(): SpdyFrame | null {
    if (this.bytes.length < FRAME_HEADER_LENGTH) return null;
    const header = this.bytes.peek(FRAME_HEADER_LENGTH);
    const length = header.readUIntBE(5, 3);
    if (this.bytes.length < FRAME_HEADER_LENGTH + length) return null;
    this.bytes.take(FRAME_HEADER_LENGTH);
    const payload = this.bytes.take(length);
    const flags = header[4]!;
    if ((header[0]! & 0x80) !== 0) {
      return {
        control: true,
        version: header.readUInt16BE(0) & 0x7fff,
        type: header.readUInt16BE(2),
        flags,
        body: payload,
      };
    }
    return { control: false, streamId: header.readUInt32BE(0) & STREAM_ID_MASK, flags, data: payload };
  }
}

// ---------------------------------------------------------------- encoding

function controlHeader(type: number, flags: number, length: number): Buffer {
  if (length > MAX_FRAME_LENGTH) throw new RangeError(`SPDY frame too long: ${length}`);
  const h = Buffer.allocUnsafe(FRAME_HEADER_LENGTH);
  h.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt8(flags & 0xff, 4);
  h.writeUIntBE(length, 5, 3);
  return h;
}

export function encodeControlFrame(type: number, flags: number, body: Buffer): Buffer {
  return Buffer.concat([controlHeader(type, flags, body.length), body]);
}

export function encodeDataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  if (data.length > MAX_FRAME_LENGTH) throw new RangeError(`SPDY frame too long: ${data.length}`);
  const out = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + data.length);
  out.writeUInt32BE(streamId & STREAM_ID_MASK, 0);
  out.writeUInt8(flags & 0xff, 4);
  out.writeUIntBE(data.length, 5, 3);
  data.copy(out, FRAME_HEADER_LENGTH);
  return out;
}

/** SYN_STREAM: stream id, associated stream id, priority (3 bits), slot, compressed header block. */
export function encodeSynStream(streamId: number, flags: number, compressedHeaders: Buffer, associatedId = 0, priority = 0): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & STREAM_ID_MASK, 0);
  fixed.writeUInt32BE(associatedId & STREAM_ID_MASK, 4);
  fixed.writeUInt8((priority & 0x7) << 5, 8);
  return encodeControlFrame(FrameType.SYN_STREAM, flags, Buffer.concat([fixed, compressedHeaders]));
}

/** SYN_REPLY (SPDY/3 layout: stream id, then the compressed header block). */
export function encodeSynReply(streamId: number, flags: number, compressedHeaders: Buffer): Buffer {
  const fixed = Buffer.alloc(4);
  fixed.writeUInt32BE(streamId & STREAM_ID_MASK, 0);
  return encodeControlFrame(FrameType.SYN_REPLY, flags, Buffer.concat([fixed, compressedHeaders]));
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(streamId & STREAM_ID_MASK, 0);
  body.writeUInt32BE(status >>> 0, 4);
  return encodeControlFrame(FrameType.RST_STREAM, 0, body);
}

export function encodePing(id: number): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt32BE(id >>> 0, 0);
  return encodeControlFrame(FrameType.PING, 0, body);
}

export function encodeGoAway(lastGoodStreamId: number, status: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(lastGoodStreamId & STREAM_ID_MASK, 0);
  body.writeUInt32BE(status >>> 0, 4);
  return encodeControlFrame(FrameType.GOAWAY, 0, body);
}

export function encodeWindowUpdate(streamId: number, delta: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(streamId & STREAM_ID_MASK, 0);
  body.writeUInt32BE(delta & STREAM_ID_MASK, 4);
  return encodeControlFrame(FrameType.WINDOW_UPDATE, 0, body);
}

// ---------------------------------------------------------------- control frame bodies

export interface SynStreamFields {
  streamId: number;
  associatedId: number;
  priority: number;
  headerBlock: Buffer;
}

export function parseSynStream(body: Buffer): SynStreamFields {
  if (body.length < 10) throw new SpdyProtocolError('SYN_STREAM frame too short');
  return {
    streamId: body.readUInt32BE(0) & STREAM_ID_MASK,
    associatedId: body.readUInt32BE(4) & STREAM_ID_MASK,
    priority: body[8]! >> 5,
    headerBlock: body.subarray(10),
  };
}

/** SYN_REPLY and HEADERS share the layout: stream id, then the header block. */
export function parseStreamHeaders(body: Buffer, what: string): { streamId: number; headerBlock: Buffer } {
  if (body.length < 4) throw new SpdyProtocolError(`${what} frame too short`);
  return { streamId: body.readUInt32BE(0) & STREAM_ID_MASK, headerBlock: body.subarray(4) };
}

/** RST_STREAM and GOAWAY: a stream id and a status code. */
export function parseIdAndStatus(body: Buffer, what: string): { streamId: number; status: number } {
  if (body.length < 8) throw new SpdyProtocolError(`${what} frame too short`);
  return { streamId: body.readUInt32BE(0) & STREAM_ID_MASK, status: body.readUInt32BE(4) };
}

// ---------------------------------------------------------------- header blocks

/** Header names are lower-case; a repeated header's values are joined with NUL, as SPDY sends them. */
export type SpdyHeaders = Map<string, string>;

export function encodeHeaderBlock(headers: Iterable<readonly [string, string]>): Buffer {
  const parts: Buffer[] = [];
  let count = 0;
  for (const [name, value] of headers) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    const nl = Buffer.allocUnsafe(4);
    nl.writeUInt32BE(n.length, 0);
    const vl = Buffer.allocUnsafe(4);
    vl.writeUInt32BE(v.length, 0);
    parts.push(nl, n, vl, v);
    count++;
  }
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(count, 0);
  return Buffer.concat([head, ...parts]);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = new Map();
  const fail = (): never => {
    throw new SpdyProtocolError('malformed SPDY header block');
  };
  if (block.length < 4) fail();
  const count = block.readUInt32BE(0);
  let off = 4;
  const readString = (): string => {
    if (off + 4 > block.length) fail();
    const len = block.readUInt32BE(off);
    off += 4;
    if (off + len > block.length) fail();
    const s = block.toString('utf8', off, off + len);
    off += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = readString().toLowerCase();
    const value = readString();
    const prev = headers.get(name);
    headers.set(name, prev === undefined ? value : `${prev}\0${value}`);
  }
  return headers;
}
