/**
 * Exec over a WebSocket with subprotocol `v5.channel.k8s.io` (kubectl 1.30+
 * by default, client-node) or `v4.channel.k8s.io`.
 *
 * Every message is binary, `[channel][payload]`: 0 stdin, 1 stdout, 2 stderr,
 * 3 the error channel (a Status JSON when the command ends), 4 terminal
 * resize, and in v5 255 "close": `FF 00` from the client ends its stdin.
 * Like the API server, the first message is an empty one on the lowest
 * channel we write to; the last is the Status, then a normal (1000) close —
 * kubectl treats any other close as "error reading from error stream".
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ExecRequest } from './request.js';
import { startExecSession, type ExecRunner } from './process-io.js';

export const EXEC_V5 = 'v5.channel.k8s.io';
export const EXEC_V4 = 'v4.channel.k8s.io';
/** Subprotocols we accept, most preferred first. */
export const EXEC_WS_PROTOCOLS = [EXEC_V5, EXEC_V4] as const;

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;

let server: WebSocketServer | null = null;

function wsServer(): WebSocketServer {
  server ??= new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    handleProtocols: (offered) => EXEC_WS_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  return server;
}

function framed(channel: number, payload: Buffer): Buffer {
  const msg = Buffer.allocUnsafe(payload.length + 1);
  msg[0] = channel;
  payload.copy(msg, 1);
  return msg;
}

function asBuffer(data: unknown): Buffer | null {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return null;
}

/** Completes the handshake (the caller has checked a protocol we accept is offered) and runs the command. */
export function handleWebSocketExec(req: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecRequest, run: ExecRunner): void {
  wsServer().handleUpgrade(req, socket, head, (ws) => serve(ws, exec, run));
}

function serve(ws: WebSocket, exec: ExecRequest, run: ExecRunner): void {
  ws.binaryType = 'nodebuffer';
  const send = (channel: number, payload: Buffer): void => {
    if (ws.readyState === ws.OPEN) ws.send(framed(channel, payload), { binary: true });
  };
  send(exec.stdout ? STDOUT : exec.stderr && !exec.tty ? STDERR : ERROR, Buffer.alloc(0));
  const session = startExecSession(exec, { stdout: (d) => send(STDOUT, d), stderr: (d) => send(STDERR, d) }, run);
  const v5 = ws.protocol === EXEC_V5;
  ws.on('message', (data, isBinary) => {
    const buf = asBuffer(data);
    if (!isBinary || !buf || buf.length === 0) return;
    const channel = buf[0]!;
    if (channel === STDIN) session.pushStdin(buf.subarray(1));
    else if (channel === CLOSE && v5 && buf[1] === STDIN) session.endStdin();
    // Resize (4) and anything else: nothing to do for a simulated process.
  });
  ws.on('close', () => session.abort());
  ws.on('error', () => session.abort());
  void session.done.then((status) => {
    send(ERROR, Buffer.from(JSON.stringify(status), 'utf8'));
    if (ws.readyState === ws.OPEN) ws.close(1000);
  });
}
