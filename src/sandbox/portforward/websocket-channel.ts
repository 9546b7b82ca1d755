/**
 * Port-forward over a `v4.channel.k8s.io` WebSocket (what @kubernetes/client-node uses).
 *
 * Ports come from the query string (`ports=A,B` or repeated; `port=` too).
 * Port i uses channel 2i for data and 2i+1 for errors; every message is
 * `[channel byte][payload]`. Right after the handshake the port number goes
 * out as uint16 little-endian on both channels of each port, one message each.
 * Errors are `[2i+1][utf8 text]`. When every port's pod stream has ended the
 * WebSocket is closed.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { errorText, openPodStream, retirePodStream, type PodConnector } from './util.js';

export const CHANNEL_PROTOCOL_V4 = 'v4.channel.k8s.io';

/** Pod data waiting in the WebSocket's send buffer before pod streams are paused. */
const SEND_HIGH_WATER = 1 << 20;

let server: WebSocketServer | null = null;

function wsServer(): WebSocketServer {
  if (!server) {
    server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      handleProtocols: (protocols) => (protocols.has(CHANNEL_PROTOCOL_V4) ? CHANNEL_PROTOCOL_V4 : false),
    });
  }
  return server;
}

/** Ports named in the request's query string, or an error message. */
export function parsePortsQuery(url: string | undefined): number[] | string {
  const query = new URL(url ?? '/', 'http://localhost').searchParams;
  const raw = [...query.getAll('ports'), ...query.getAll('port')]
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  if (raw.length === 0) return 'query parameter "port" is required';
  const ports: number[] = [];
  for (const text of raw) {
    if (!/^[0-9]{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
      return `unable to parse "${text}" as a port`;
    }
    ports.push(Number(text));
  }
  return ports;
}

interface PortState {
  readonly index: number;
  readonly port: number;
  pod: Duplex | null;
  state: 'connecting' | 'open' | 'done';
  pending: Buffer[];
  clientBlocked: boolean;
}

class ChannelPortForward {
  private readonly ports: PortState[];
  private closed = false;
  private unsent = 0;
  private podsPaused = false;
  private wsPausedBy = 0;

  constructor(private readonly ws: WebSocket, ports: number[], private readonly connect: PodConnector) {
    this.ports = ports.map((port, index) => ({ index, port, pod: null, state: 'connecting', pending: [], clientBlocked: false }));
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.shutdown());
    ws.on('error', () => this.shutdown());

    for (const p of this.ports) {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16LE(p.port, 0);
      this.send(2 * p.index, prefix);
      this.send(2 * p.index + 1, prefix);
    }
    for (const p of this.ports) this.open(p);
  }

  private open(p: PortState): void {
    openPodStream(this.connect, p.port).then(
      (pod) => {
        if (this.closed || p.state !== 'connecting') {
          retirePodStream(pod);
          return;
        }
        p.pod = pod;
        p.state = 'open';
        pod.on('data', (chunk: Buffer) => {
          if (p.state === 'open') this.send(2 * p.index, chunk);
        });
        pod.on('end', () => this.finish(p, null, false));
        pod.on('error', () => this.finish(p, null, true));
        pod.on('close', () => this.finish(p, null, true));
        if (this.podsPaused) pod.pause();
        const pending = p.pending;
        p.pending = [];
        for (const buf of pending) this.writeToPod(p, buf);
      },
      (err: unknown) => {
        if (!this.closed && p.state === 'connecting') this.finish(p, errorText(err), false);
      },
    );
  }

  private onMessage(data: unknown, isBinary: boolean): void {
    let buf: Buffer;
    if (Buffer.isBuffer(data)) buf = data;
    else if (Array.isArray(data)) buf = Buffer.concat(data as Buffer[]);
    else if (data instanceof ArrayBuffer) buf = Buffer.from(data);
    else return;
    if (!isBinary && buf.length === 0) return;
    if (buf.length < 1) return;
    const channel = buf[0]!;
    // Only data channels carry client bytes; anything on an error channel or
    // an unknown channel is ignored, like the kubelet does.
    if (channel % 2 !== 0) return;
    const p = this.ports[channel / 2];
    if (!p) return;
    const payload = buf.subarray(1);
    if (payload.length === 0) return;
    if (p.state === 'connecting') p.pending.push(payload);
    else if (p.state === 'open') this.writeToPod(p, payload);
  }

  private writeToPod(p: PortState, payload: Buffer): void {
    const pod = p.pod;
    if (!pod || pod.destroyed || pod.writableEnded) return;
    if (!pod.write(payload) && !p.clientBlocked) {
      p.clientBlocked = true;
      this.pauseWs();
      pod.once('drain', () => {
        if (!p.clientBlocked) return;
        p.clientBlocked = false;
        this.resumeWs();
      });
    }
  }

  private pauseWs(): void {
    if (this.wsPausedBy++ === 0 && !this.closed) this.ws.pause();
  }

  private resumeWs(): void {
    if (--this.wsPausedBy === 0 && !this.closed) this.ws.resume();
  }

  private send(channel: number, payload: Buffer): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const msg = Buffer.allocUnsafe(payload.length + 1);
    msg[0] = channel;
    payload.copy(msg, 1);
    this.unsent += msg.length;
    this.ws.send(msg, { binary: true }, () => {
      this.unsent -= msg.length;
      if (this.podsPaused && this.unsent <= SEND_HIGH_WATER / 2) this.setPodsPaused(false);
    });
    if (!this.podsPaused && this.unsent > SEND_HIGH_WATER) this.setPodsPaused(true);
  }

  private setPodsPaused(paused: boolean): void {
    this.podsPaused = paused;
    for (const p of this.ports) {
      if (p.state !== 'open' || !p.pod) continue;
      if (paused) p.pod.pause();
      else p.pod.resume();
    }
  }

  private finish(p: PortState, message: string | null, abort: boolean): void {
    if (p.state === 'done') return;
    p.state = 'done';
    p.pending = [];
    if (p.clientBlocked) {
      p.clientBlocked = false;
      this.resumeWs();
    }
    if (message !== null) this.send(2 * p.index + 1, Buffer.from(message, 'utf8'));
    if (p.pod) {
      if (abort) {
        p.pod.on('error', () => {});
        p.pod.destroy();
      } else {
        retirePodStream(p.pod);
      }
    }
    if (this.ports.every((q) => q.state === 'done') && !this.closed) {
      // Queued after the data already sent, so nothing is lost.
      if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
    }
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.ports) {
      if (p.state === 'done') continue;
      p.state = 'done';
      p.pending = [];
      if (p.pod) retirePodStream(p.pod);
    }
    if (this.ws.readyState !== this.ws.CLOSED) this.ws.terminate();
  }
}

/**
 * Completes a `v4.channel.k8s.io` WebSocket handshake for a port-forward
 * request (the caller has checked that the client offers v4) and forwards.
 */
export function handleChannelPortForward(req: IncomingMessage, socket: Duplex, head: Buffer, ports: number[], connect: PodConnector): void {
  wsServer().handleUpgrade(req, socket, head, (ws) => {
    new ChannelPortForward(ws, ports, connect);
  });
}
