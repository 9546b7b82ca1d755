/**
 * Helpers for the API server's upgraded connections (port-forward, exec):
 * refusing an upgrade with a Kubernetes `Status`, reading list-valued
 * headers, and tuning an upgraded socket.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

const noop = (): void => {};

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
