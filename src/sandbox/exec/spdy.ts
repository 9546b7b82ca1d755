/**
 * Exec over SPDY/3.1 (kubectl 1.27–1.29, and newer kubectl when the
 * WebSocket upgrade is refused or KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false).
 *
 * We answer `X-Stream-Protocol-Version: v4.channel.k8s.io` (a kubelet serves
 * v5 requests over SPDY with its v4 handler). kubectl then opens one stream
 * per `streamtype`: `error`, `stdin` (with -i), `stdout`, `stderr`, `resize`
 * (with a terminal). Once the streams the query asked for are open the
 * command runs; at the end stdout and stderr get FIN, the Status goes on the
 * error stream, and the connection is closed, as the kubelet does.
 */
import type { Duplex } from 'node:stream';
import { SpdyServerConnection, type SpdyServerStream } from '../streaming/spdy-connection.js';
import type { ExecRequest } from './request.js';
import { startExecSession, type ExecRunner } from './process-io.js';

/** What the kubelet waits for before it gives up on a client's streams. */
const STREAM_WAIT_MS = 30_000;

export function serveSpdyExec(transport: Duplex, head: Buffer, exec: ExecRequest, run: ExecRunner): void {
  const streams = new Map<string, SpdyServerStream>();
  const wanted = ['error', ...(exec.stdin ? ['stdin'] : []), ...(exec.stdout ? ['stdout'] : []), ...(exec.stderr && !exec.tty ? ['stderr'] : [])];
  let started = false;
  let stdinChunks: Buffer[] = [];
  let stdinEnded = false;
  let session: ReturnType<typeof startExecSession> | null = null;

  const timer = setTimeout(() => {
    const error = streams.get('error');
    if (!started && error) error.write('timed out waiting for client to create streams');
    conn.close();
  }, STREAM_WAIT_MS);
  timer.unref();

  const conn: SpdyServerConnection = new SpdyServerConnection(transport, {
    onStream: (stream) => {
      if (!streams.has(stream.type)) streams.set(stream.type, stream);
      if (!started && wanted.every((t) => streams.has(t))) start();
    },
    onData: (stream, data) => {
      if (stream !== streams.get('stdin')) return; // resize and the rest: nothing for a simulated process
      if (session) session.pushStdin(data);
      else stdinChunks.push(data);
    },
    onFin: (stream) => endStdin(stream),
    onReset: (stream) => endStdin(stream),
    onClose: () => {
      clearTimeout(timer);
      session?.abort();
    },
  }, head);

  function endStdin(stream: SpdyServerStream): void {
    if (stream !== streams.get('stdin')) return;
    if (session) session.endStdin();
    else stdinEnded = true;
  }

  function start(): void {
    started = true;
    clearTimeout(timer);
    const out = streams.get('stdout');
    const err = streams.get('stderr');
    session = startExecSession(exec, { stdout: (d) => out?.write(d), stderr: (d) => err?.write(d) }, run);
    for (const c of stdinChunks) session.pushStdin(c);
    stdinChunks = [];
    if (stdinEnded) session.endStdin();
    void session.done.then((status) => {
      out?.end();
      err?.end();
      const error = streams.get('error');
      error?.write(JSON.stringify(status));
      error?.end();
      conn.close();
    });
  }
}
