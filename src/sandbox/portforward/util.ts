import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Opens a byte stream to `port` inside the pod; rejects with an Error whose message is what a kubelet says when nothing listens there. */
export type PodConnector = (port: number) => Promise<Duplex>;

const noop = (): void => {};

/** Calls the connector, turning a synchronous throw into a rejection. */
export function openPodStream(connect: PodConnector, port: number): Promise<Duplex> {
  try {
    return Promise.resolve(connect(port));
  } catch (err) {
    return Promise.reject(err);
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** How long a pod stream that we have ended may take to close by itself. */
const RETIRE_GRACE_MS = 5_000;

/**
 * Gracefully lets go of a pod stream nobody will read from any more: flush
 * what was written, send EOF, discard whatever it still sends, and destroy it
 * if it has not closed within a grace period. Callers make their own 'data'
 * handlers ignore the stream first.
 */
export function retirePodStream(pod: Duplex): void {
  pod.on('error', noop);
  if (pod.destroyed) return;
  const timer = setTimeout(() => pod.destroy(), RETIRE_GRACE_MS);
  timer.unref();
  pod.once('close', () => clearTimeout(timer));
  if (!pod.writableEnded) pod.end();
  pod.resume();
}

/** Writes a plain HTTP error carrying a Kubernetes `Status` object and closes the socket. */
export function rejectUpgrade(socket: Duplex, code: number, reason: string, message: string): void {
  socket.on('error', noop);
  if (socket.destroyed) return;
  const body = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
  const head = [
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  socket.end(head + body);
  const timer = setTimeout(() => socket.destroy(), 2_000);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** Header value(s) as one comma-separated list of trimmed, non-empty tokens. */
export function headerList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

export function tuneSocket(socket: Duplex): void {
  const s = socket as Duplex & { setNoDelay?: (v: boolean) => void; setTimeout?: (ms: number) => void; setKeepAlive?: (on: boolean, delay: number) => void };
  if (typeof s.setNoDelay === 'function') s.setNoDelay(true);
  if (typeof s.setTimeout === 'function') s.setTimeout(0);
  if (typeof s.setKeepAlive === 'function') s.setKeepAlive(true, 30_000);
}
