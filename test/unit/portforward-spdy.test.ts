/**
 * SPDY/3.1 port-forward at the frame level: the codec pieces, then an
 * in-process SPDY client (over the plain SPDY upgrade and over the WebSocket
 * tunnel, fragmented and masked by hand) driving the cases kubectl rarely
 * hits: pings, resets, GOAWAY, dropped connections, legacy pairing, buffering
 * before the pod connection opens, a slow pod.
 */
import { createHash, randomBytes } from 'node:crypto';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SPDY3_DICTIONARY } from '../../src/sandbox/streaming/spdy-dictionary.js';
import {
  FLAG_FIN,
  FrameParser,
  FrameType,
  RstStatus,
  decodeHeaderBlock,
  encodeControlFrame,
  encodeDataFrame,
  encodeGoAway,
  encodeHeaderBlock,
  encodePing,
  encodeRstStream,
  encodeSynStream,
  parseIdAndStatus,
  parseStreamHeaders,
  type SpdyFrame,
} from '../../src/sandbox/streaming/spdy-frames.js';
import { HeaderZlib } from '../../src/sandbox/streaming/spdy-zlib.js';
import { Opcode, WsFrameDecoder, websocketAccept } from '../../src/sandbox/portforward/ws-tunnel.js';
import type { PodConnector } from '../../src/sandbox/portforward/index.js';
import {
  CLOSED_PORT,
  ECHO_PORT,
  FIREHOSE_PORT,
  FIXED_PORT,
  NS,
  POD,
  TOKEN,
  refusedMessage,
  startApiServer,
  startBackends,
  type ApiServer,
  type Backends,
} from './portforward-harness.js';

const PF_PATH = `/api/v1/namespaces/${NS}/pods/${POD}/portforward`;
/** A pod port whose server reads slowly (to exercise backpressure). */
const SLOW_PORT = 15035;

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (const x of buf) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

// ------------------------------------------------------------------ codec units

describe('SPDY/3 dictionary', () => {
  test('is the 1423-byte spec dictionary', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11)).toEqual(Buffer.from('\0\0\0\x07options', 'latin1'));
    expect(SPDY3_DICTIONARY.subarray(-6).toString('latin1')).toBe('enq=0.');
    // The id a SPDY/3 zlib stream header carries (kubectl's Go zlib checks it).
    expect(adler32(SPDY3_DICTIONARY).toString(16)).toBe('e3c6a7c2');
  });
});

describe('SPDY frames', () => {
  test('parser reassembles frames split at every byte', () => {
    const frames = Buffer.concat([
      encodeDataFrame(3, FLAG_FIN, Buffer.from('hello')),
      encodePing(7),
      encodeDataFrame(5, 0, Buffer.alloc(0)),
      encodeRstStream(9, RstStatus.CANCEL),
    ]);
    const parser = new FrameParser();
    const got: SpdyFrame[] = [];
    for (const byte of frames) {
      parser.push(Buffer.from([byte]));
      let f: SpdyFrame | null;
      while ((f = parser.next())) got.push(f);
    }
    expect(got).toHaveLength(4);
    expect(got[0]).toMatchObject({ control: false, streamId: 3, flags: FLAG_FIN });
    expect((got[0] as { data: Buffer }).data.toString()).toBe('hello');
    expect(got[1]).toMatchObject({ control: true, version: 3, type: FrameType.PING });
    expect((got[1] as { body: Buffer }).body.readUInt32BE(0)).toBe(7);
    expect(got[2]).toMatchObject({ control: false, streamId: 5, flags: 0 });
    expect(parseIdAndStatus((got[3] as { body: Buffer }).body, 'RST_STREAM')).toEqual({ streamId: 9, status: RstStatus.CANCEL });
    expect(parser.pendingBytes).toBe(0);
  });

  test('header blocks round-trip, and malformed ones are rejected', () => {
    const block = encodeHeaderBlock([['streamtype', 'data'], ['Port', '15032'], ['requestid', '4']]);
    expect(decodeHeaderBlock(block)).toEqual(new Map([['streamtype', 'data'], ['port', '15032'], ['requestid', '4']]));
    expect(() => decodeHeaderBlock(block.subarray(0, block.length - 1))).toThrow(/malformed/);
  });

  test('header compression keeps one zlib context across blocks', async () => {
    const deflate = new HeaderZlib('deflate');
    const inflate = new HeaderZlib('inflate');
    for (let i = 0; i < 5; i++) {
      const block = encodeHeaderBlock([['streamtype', i % 2 ? 'data' : 'error'], ['port', '15032'], ['requestid', String(i)]]);
      const compressed = await deflate.process(block);
      if (i === 0) expect(compressed.subarray(2, 6).readUInt32BE(0)).toBe(0xe3c6a7c2); // FDICT id
      expect((await inflate.process(compressed)).equals(block)).toBe(true);
    }
    deflate.close();
    inflate.close();
  });

  test('inflating garbage fails instead of hanging', async () => {
    const inflate = new HeaderZlib('inflate');
    await expect(inflate.process(Buffer.from('not zlib at all'))).rejects.toThrow();
    await expect(inflate.process(Buffer.from('again'))).rejects.toThrow();
    inflate.close();
  });
});

/** A client-to-server WebSocket frame (masked). */
function clientFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | opcode];
  if (len < 126) head.push(0x80 | len);
  else if (len < 65536) head.push(0x80 | 126, len >> 8, len & 0xff);
  else {
    head.push(0x80 | 127, 0, 0, 0, 0);
    head.push((len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
  }
  const masked = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) masked[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([Buffer.from(head), mask, masked]);
}

describe('WebSocket frame decoder', () => {
  test('unmasks, joins fragments, passes control frames between fragments, any chunking', () => {
    const payload = randomBytes(70_000);
    const wire = Buffer.concat([
      clientFrame(Opcode.BINARY, payload.subarray(0, 100), false),
      clientFrame(Opcode.PING, Buffer.from('p1')),
      clientFrame(Opcode.CONTINUATION, payload.subarray(100, 60_000), false),
      clientFrame(Opcode.CONTINUATION, payload.subarray(60_000)),
      clientFrame(Opcode.BINARY, Buffer.alloc(0)),
      clientFrame(Opcode.CLOSE, Buffer.from([0x03, 0xe8])),
    ]);
    for (const step of [1, 7, 1000, wire.length]) {
      const data: Buffer[] = [];
      const control: Array<[number, string]> = [];
      const dec = new WsFrameDecoder({
        onData: (b) => data.push(Buffer.from(b)),
        onControl: (op, p) => control.push([op, p.toString('hex')]),
      });
      for (let i = 0; i < wire.length; i += step) dec.push(wire.subarray(i, i + step));
      expect(Buffer.concat(data).equals(payload)).toBe(true);
      expect(control).toEqual([[Opcode.PING, Buffer.from('p1').toString('hex')], [Opcode.CLOSE, '03e8']]);
    }
  });

  test('rejects protocol violations', () => {
    const dec = (): WsFrameDecoder => new WsFrameDecoder({ onData: () => {}, onControl: () => {} });
    expect(() => dec().push(clientFrame(Opcode.CONTINUATION, Buffer.from('x')))).toThrow(/continuation/);
    expect(() => dec().push(clientFrame(Opcode.PING, Buffer.from('x'), false))).toThrow(/fragmented control/);
    expect(() => dec().push(Buffer.concat([clientFrame(Opcode.BINARY, Buffer.from('a'), false), clientFrame(Opcode.TEXT, Buffer.from('b'))]))).toThrow(/inside a fragmented/);
  });

  test('Sec-WebSocket-Accept follows RFC 6455', () => {
    expect(websocketAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});

// ------------------------------------------------------------------ in-process SPDY client

interface Transport {
  send(buf: Buffer): void;
  destroy(): void;
  /** Stop / restart reading from the connection. */
  pause(): void;
  resume(): void;
}

class MiniSpdyClient {
  private readonly parser = new FrameParser();
  private readonly inflate = new HeaderZlib('inflate');
  private readonly deflate = new HeaderZlib('deflate');
  private queue: Promise<void> = Promise.resolve();
  private readonly waiters: Array<() => void> = [];
  readonly replies = new Set<number>();
  readonly chunks = new Map<number, Buffer[]>();
  readonly fins = new Set<number>();
  readonly resets = new Map<number, number>();
  readonly pings: number[] = [];
  goaway: { streamId: number; status: number } | null = null;
  closed = false;
  failure: unknown = null;

  constructor(readonly transport: Transport) {}

  onBytes(chunk: Buffer): void {
    this.parser.push(chunk);
    let f: SpdyFrame | null;
    while ((f = this.parser.next())) {
      const frame = f;
      this.queue = this.queue.then(() => this.handle(frame)).catch((err: unknown) => {
        this.failure = err;
      });
    }
  }

  onClose(): void {
    this.closed = true;
    this.notify();
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async handle(f: SpdyFrame): Promise<void> {
    if (!f.control) {
      const list = this.chunks.get(f.streamId) ?? [];
      list.push(Buffer.from(f.data));
      this.chunks.set(f.streamId, list);
      if (f.flags & FLAG_FIN) this.fins.add(f.streamId);
    } else if (f.type === FrameType.SYN_REPLY) {
      const { streamId, headerBlock } = parseStreamHeaders(f.body, 'SYN_REPLY');
      decodeHeaderBlock(await this.inflate.process(headerBlock));
      this.replies.add(streamId);
      if (f.flags & FLAG_FIN) this.fins.add(streamId);
    } else if (f.type === FrameType.RST_STREAM) {
      const { streamId, status } = parseIdAndStatus(f.body, 'RST_STREAM');
      this.resets.set(streamId, status);
    } else if (f.type === FrameType.PING) {
      this.pings.push(f.body.readUInt32BE(0));
    } else if (f.type === FrameType.GOAWAY) {
      this.goaway = parseIdAndStatus(f.body, 'GOAWAY');
    }
    this.notify();
  }

  received(streamId: number): Buffer {
    return Buffer.concat(this.chunks.get(streamId) ?? []);
  }

  async syn(streamId: number, headers: Record<string, string>, flags = 0): Promise<void> {
    const block = await this.deflate.process(encodeHeaderBlock(Object.entries(headers)));
    this.transport.send(encodeSynStream(streamId, flags, block));
  }

  /** Opens kubectl's stream pair for one connection: error stream (half-closed at once), then data stream. */
  async openPair(errorId: number, port: number | string, requestId: string | null): Promise<number> {
    const base: Record<string, string> = { port: String(port) };
    if (requestId !== null) base.requestid = requestId;
    await this.syn(errorId, { ...base, streamtype: 'error' });
    this.transport.send(encodeDataFrame(errorId, FLAG_FIN, Buffer.alloc(0)));
    await this.syn(errorId + 2, { ...base, streamtype: 'data' });
    return errorId + 2;
  }

  sendData(streamId: number, data: Buffer, fin = false): void {
    for (let off = 0; off < data.length; off += 32 * 1024) {
      const last = off + 32 * 1024 >= data.length;
      this.transport.send(encodeDataFrame(streamId, last && fin ? FLAG_FIN : 0, data.subarray(off, off + 32 * 1024)));
    }
    if (data.length === 0 && fin) this.transport.send(encodeDataFrame(streamId, FLAG_FIN, Buffer.alloc(0)));
  }

  waitUntil(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      const check = (): void => {
        if (this.failure) {
          clearTimeout(timer);
          reject(this.failure as Error);
        } else if (pred()) {
          clearTimeout(timer);
          resolve();
        } else if (this.closed) {
          clearTimeout(timer);
          reject(new Error(`connection closed while waiting for ${what}`));
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  dispose(): void {
    this.inflate.close();
    this.deflate.close();
    this.transport.destroy();
  }
}

let backends: Backends;
let api: ApiServer;
let slowServer: net.Server;
const clients: MiniSpdyClient[] = [];

beforeAll(async () => {
  backends = await startBackends();
  // An echo server that reads in small bites with pauses.
  slowServer = net.createServer({ allowHalfOpen: true }, (s) => {
    s.on('error', () => {});
    s.on('data', (c: Buffer) => {
      s.write(c);
      s.pause();
      setTimeout(() => s.resume(), 2);
    });
    s.on('end', () => s.end());
  });
  await new Promise<void>((r) => slowServer.listen(0, '127.0.0.1', () => r()));
  const slowPort = (slowServer.address() as net.AddressInfo).port;
  const connector: PodConnector = (port) => {
    if (port !== SLOW_PORT) return backends.connector(port);
    return new Promise<Duplex>((resolve, reject) => {
      const s = net.connect(slowPort, '127.0.0.1');
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
  };
  api = await startApiServer(connector);
});

afterAll(async () => {
  for (const c of clients) c.dispose();
  await api?.close();
  await backends?.close();
  await new Promise<void>((r) => slowServer?.close(() => r()));
});

/** The plain SPDY/3.1 upgrade (POST, Upgrade: SPDY/3.1). */
function connectSpdy(): Promise<MiniSpdyClient> {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1',
      port: api.port,
      method: 'POST',
      path: PF_PATH,
      rejectUnauthorized: false,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        Connection: 'Upgrade',
        Upgrade: 'SPDY/3.1',
        'X-Stream-Protocol-Version': 'portforward.k8s.io',
      },
    });
    req.on('upgrade', (res, socket: net.Socket, head: Buffer) => {
      try {
        expect(res.statusCode).toBe(101);
        expect(res.headers['upgrade']).toBe('SPDY/3.1');
        expect(res.headers['connection']).toBe('Upgrade');
        expect(res.headers['x-stream-protocol-version']).toBe('portforward.k8s.io');
      } catch (err) {
        reject(err);
        return;
      }
      socket.on('error', () => {});
      const client = new MiniSpdyClient({ send: (b) => socket.write(b), destroy: () => socket.destroy(), pause: () => socket.pause(), resume: () => socket.resume() });
      clients.push(client);
      socket.on('data', (c: Buffer) => client.onBytes(c));
      socket.on('close', () => client.onClose());
      if (head.length) client.onBytes(head);
      resolve(client);
    });
    req.on('response', (res) => reject(new Error(`expected 101, got ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

interface TunnelExtras {
  pongs: string[];
  closeFrames: Buffer[];
  sendRaw(buf: Buffer): void;
  /** Sends a close frame (a close frame from the server is answered like a browser would). */
  close(payload: Buffer): void;
}

/** kubectl's WebSocket tunnel, with every SPDY write fragmented into several masked frames and pings mixed in. */
function connectTunnel(): Promise<MiniSpdyClient & { ws: TunnelExtras }> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const sock = tls.connect({ host: '127.0.0.1', port: api.port, rejectUnauthorized: false });
    sock.on('error', reject);
    let handshake = Buffer.alloc(0);
    let upgraded = false;
    let pingSeq = 0;
    let closeSent = false;
    const extras: TunnelExtras = {
      pongs: [],
      closeFrames: [],
      sendRaw: (b) => sock.write(b),
      close: (payload) => {
        if (closeSent) return;
        closeSent = true;
        sock.write(clientFrame(Opcode.CLOSE, payload));
      },
    };
    const send = (buf: Buffer): void => {
      // Split into up to 3 fragments with a ping between the first two.
      const cut1 = Math.min(buf.length, 1 + Math.floor(buf.length / 3));
      const cut2 = Math.min(buf.length, cut1 + Math.floor(buf.length / 3));
      const parts = [buf.subarray(0, cut1), buf.subarray(cut1, cut2), buf.subarray(cut2)];
      const frames: Buffer[] = [];
      parts.forEach((p, i) => {
        frames.push(clientFrame(i === 0 ? Opcode.BINARY : Opcode.CONTINUATION, p, i === parts.length - 1));
        if (i === 0 && pingSeq % 5 === 0) frames.push(clientFrame(Opcode.PING, Buffer.from(`ping-${pingSeq}`)));
      });
      pingSeq++;
      sock.write(Buffer.concat(frames));
    };
    const client = Object.assign(
      new MiniSpdyClient({ send, destroy: () => sock.destroy(), pause: () => sock.pause(), resume: () => sock.resume() }),
      { ws: extras },
    );
    clients.push(client);
    const decoder = new WsFrameDecoder({
      onData: (b) => client.onBytes(Buffer.from(b)),
      onControl: (op, payload) => {
        if (op === Opcode.PONG) extras.pongs.push(payload.toString());
        if (op === Opcode.CLOSE) {
          extras.closeFrames.push(Buffer.from(payload));
          extras.close(payload.subarray(0, 2));
          sock.end();
        }
      },
    });
    sock.on('close', () => client.onClose());
    sock.on('data', (chunk: Buffer) => {
      if (upgraded) {
        decoder.push(chunk);
        return;
      }
      handshake = Buffer.concat([handshake, chunk]);
      const end = handshake.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = handshake.subarray(0, end).toString('latin1');
      const rest = handshake.subarray(end + 4);
      upgraded = true;
      try {
        expect(head.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
        expect(head).toContain(`Sec-WebSocket-Accept: ${createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64')}`);
        expect(head).toContain('Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io');
      } catch (err) {
        reject(err);
        return;
      }
      if (rest.length) decoder.push(rest);
      resolve(client);
    });
    sock.on('secureConnect', () => {
      sock.write(
        `GET ${PF_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${api.port}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
          `Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n` +
          'Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n\r\n',
      );
    });
  });
}

for (const [name, connect] of [
  ['SPDY upgrade', connectSpdy],
  ['WebSocket tunnel', connectTunnel],
] as const) {
  describe(`SPDY session over the ${name}`, () => {
    test('replies to every stream, echoes pings, forwards exact bytes sent before the pod connection opened', async () => {
      const c = await connect();
      c.transport.send(encodePing(1));
      const data = randomBytes(1024 * 1024);
      const dataId = await c.openPair(1, ECHO_PORT, '0');
      c.sendData(dataId, data, true); // no waiting for SYN_REPLY or the pod connection
      await c.waitUntil(() => c.fins.has(1) && c.fins.has(3), 'both FINs');
      expect(c.replies).toEqual(new Set([1, 3]));
      expect(c.pings).toContain(1);
      expect(c.received(1).length).toBe(0);
      expect(c.received(3).equals(data)).toBe(true);
      await backends.waitIdle();
    }, 20_000);

    test('a connect failure goes on the error stream, then both streams are FINed', async () => {
      const c = await connect();
      await c.openPair(1, CLOSED_PORT, '0');
      await c.waitUntil(() => c.fins.has(1) && c.fins.has(3), 'both FINs');
      expect(c.received(1).toString('utf8')).toBe(refusedMessage(CLOSED_PORT));
      expect(c.received(3).length).toBe(0);
      expect(c.resets.size).toBe(0);
    });

    test('pairs streams without a requestid the way the kubelet does (error id, data id = error id + 2)', async () => {
      const c = await connect();
      await c.openPair(1, FIXED_PORT, null);
      await c.waitUntil(() => c.fins.has(3) && c.fins.has(1), 'both FINs', 20_000);
      expect(c.received(3).equals(backends.fixedContent)).toBe(true);
      c.sendData(3, Buffer.alloc(0), true);
    }, 20_000);

    test('an unparsable port is reported on the error stream', async () => {
      const c = await connect();
      await c.openPair(1, 'http', '0');
      await c.waitUntil(() => c.fins.has(1), 'error stream FIN');
      expect(c.received(1).toString()).toContain('unable to parse "http" as a port');
    });

    test('an unknown streamtype is reset', async () => {
      const c = await connect();
      await c.syn(1, { streamtype: 'resize', port: '15032', requestid: '0' });
      await c.waitUntil(() => c.resets.has(1), 'RST_STREAM');
      expect(c.resets.get(1)).toBe(RstStatus.PROTOCOL_ERROR);
    });

    test('many interleaved connections on one session, each exact', async () => {
      const c = await connect();
      const inputs = Array.from({ length: 6 }, (_, i) => randomBytes(256 * 1024 + i));
      const ids: number[] = [];
      for (let i = 0; i < inputs.length; i++) ids.push(await c.openPair(1 + 4 * i, i % 2 ? SLOW_PORT : ECHO_PORT, String(i)));
      // Interleave 16 KiB pieces of all six.
      for (let off = 0; off < inputs[0]!.length + 16; off += 16 * 1024) {
        inputs.forEach((d, i) => {
          const piece = d.subarray(off, off + 16 * 1024);
          if (piece.length) c.sendData(ids[i]!, piece);
        });
      }
      ids.forEach((id) => c.sendData(id, Buffer.alloc(0), true));
      await c.waitUntil(() => ids.every((id) => c.fins.has(id)), 'all data FINs', 20_000);
      ids.forEach((id, i) => expect(c.received(id).equals(inputs[i]!)).toBe(true));
      await backends.waitIdle();
    }, 30_000);

    test('RST_STREAM on a data stream closes the pod connection', async () => {
      const c = await connect();
      const id = await c.openPair(1, ECHO_PORT, '0');
      c.sendData(id, Buffer.from('ping?'));
      await c.waitUntil(() => c.received(id).toString() === 'ping?', 'echo');
      expect(backends.openConnections()).toBe(1);
      c.transport.send(encodeRstStream(id, RstStatus.CANCEL));
      await backends.waitIdle();
      // The session itself lives on.
      c.transport.send(encodePing(3));
      await c.waitUntil(() => c.pings.includes(3), 'ping after reset');
    });

    test('dropping the connection releases every pod connection', async () => {
      const c = await connect();
      for (let i = 0; i < 3; i++) {
        const id = await c.openPair(1 + 4 * i, ECHO_PORT, String(i));
        c.sendData(id, Buffer.from(`conn ${i}`));
      }
      await c.waitUntil(() => [3, 7, 11].every((id) => c.received(id).length > 0), 'echoes');
      expect(backends.openConnections()).toBe(3);
      c.transport.destroy();
      await backends.waitIdle();
    });

    test('after GOAWAY new streams are refused and the connection ends when the last forward ends', async () => {
      const c = await connect();
      const id = await c.openPair(1, ECHO_PORT, '0');
      c.sendData(id, Buffer.from('before goaway'));
      await c.waitUntil(() => c.received(id).length === 13, 'echo');
      c.transport.send(encodeGoAway(id, 0));
      await c.syn(5, { streamtype: 'error', port: '15032', requestid: '1' });
      await c.waitUntil(() => c.resets.get(5) === RstStatus.REFUSED_STREAM, 'REFUSED_STREAM');
      expect(c.closed).toBe(false);
      c.sendData(id, Buffer.alloc(0), true);
      await c.waitUntil(() => c.closed, 'connection close');
      expect(c.fins.has(id) && c.fins.has(1)).toBe(true);
      await backends.waitIdle();
    });

    test('a client that stops reading stops the pod stream (backpressure), and resumes it', async () => {
      const c = await connect();
      const before = backends.firehoseProduced();
      const id = await c.openPair(1, FIREHOSE_PORT, '0');
      await c.waitUntil(() => c.received(id).length > 0, 'first bytes');
      c.transport.pause();
      // Nothing more is produced while the client is not reading: the pod stream stands still for
      // 300 ms (on a loaded machine the buffers on the way take a while to fill; without
      // backpressure it never stands still).
      let stalled = backends.firehoseProduced() - before;
      const settle = Date.now() + 10_000;
      for (;;) {
        await new Promise((r) => setTimeout(r, 300));
        const produced = backends.firehoseProduced() - before;
        if (produced === stalled) break;
        if (Date.now() > settle) throw new Error(`the pod stream did not stop: ${produced} bytes and counting`);
        stalled = produced;
      }
      // What the kernel and stream buffers hold on the way (≈8 MiB on loopback).
      expect(stalled).toBeLessThan(32 * 1024 * 1024);
      c.transport.resume();
      await c.waitUntil(() => backends.firehoseProduced() - before > stalled + 8 * 1024 * 1024, 'flow to resume');
      c.transport.send(encodeRstStream(id, RstStatus.CANCEL));
      await backends.waitIdle();
    }, 20_000);

    test('malformed header compression ends the session with GOAWAY', async () => {
      const c = await connect();
      const body = Buffer.concat([Buffer.alloc(10), Buffer.from('definitely not zlib')]);
      body.writeUInt32BE(1, 0);
      c.transport.send(encodeControlFrame(FrameType.SYN_STREAM, 0, body));
      await c.waitUntil(() => c.closed, 'connection close');
      expect(c.goaway?.status).toBe(1);
    });
  });
}

describe('WebSocket tunnel specifics', () => {
  test('answers pings with pongs and a close frame with a close frame', async () => {
    const c = await connectTunnel();
    const id = await c.openPair(1, ECHO_PORT, '0');
    c.sendData(id, Buffer.from('x'));
    await c.waitUntil(() => c.received(id).length === 1, 'echo');
    expect(c.ws.pongs).toContain('ping-0');
    c.ws.close(Buffer.from([0x03, 0xe8]));
    await c.waitUntil(() => c.closed, 'close');
    expect(c.ws.closeFrames.map((b) => b.toString('hex'))).toEqual(['03e8']);
    await backends.waitIdle();
  });

  test('a protocol violation closes with 1002', async () => {
    const c = await connectTunnel();
    c.ws.sendRaw(clientFrame(Opcode.CONTINUATION, Buffer.from('stray')));
    await c.waitUntil(() => c.closed, 'close');
    expect(c.ws.closeFrames.map((b) => b.readUInt16BE(0))).toEqual([1002]);
  });
});
