/** Tiny response helpers shared by the simulated HTTP workloads. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Write a complete response with Content-Type and Content-Length (no body for HEAD). */
export function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string | null,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const bytes = Buffer.from(body, 'utf8');
  const all: OutgoingHttpHeaders = { ...headers, 'content-length': bytes.length };
  if (contentType) all['content-type'] = contentType;
  res.writeHead(status, all);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
  opts: { pretty?: boolean; headers?: OutgoingHttpHeaders } = {},
): void {
  const body = opts.pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  sendBody(req, res, status, 'application/json', body, opts.headers);
}

/** Parse the request target (path + query) independent of the Host header. */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://sandbox.invalid');
}

/** A header's first value as a string. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export { escapeHtml } from './html-escape.js';
