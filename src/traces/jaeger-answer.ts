/**
 * What Jaeger's query API answers, read once for every reader of it (the client, the
 * jaeger-traces check): the one error type, an answer with its body parsed, and the shared
 * readings of it -- an HTML page (the UI answering a path it does not know), Jaeger's error
 * envelope, socket failures in words, several JSON documents in one body.
 */
import { t, type MessageKey } from '../i18n/index.js';

export type JaegerErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'html'
  | 'no-api'
  | 'api'
  | 'not-found'
  | 'http'
  | 'bad-json'
  | 'invalid-url'
  | 'bad-file';

export class JaegerError extends Error {
  override readonly name = 'JaegerError';
  constructor(
    message: string,
    readonly kind: JaegerErrorKind,
    readonly url?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type FetchLike = (input: string, init?: { signal?: AbortSignal; headers?: Record<string, string> }) => Promise<Response>;

/** One HTTP answer, its body read and parsed. */
export interface JaegerAnswer {
  url: string;
  status: number;
  statusText: string;
  contentType: string;
  text: string;
  /** Parsed body, when it is JSON. */
  json?: unknown;
  html: boolean;
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** A JSON value in a few words, for messages about answers of the wrong shape. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return t('traces.value.list');
  if (typeof v === 'object') return t('traces.value.mapping');
  if (typeof v === 'string') return t('traces.value.string');
  return t('traces.value.other', { type: typeof v, value: String(v).slice(0, 20) });
}

/** Socket error codes, in words. */
const CODE_WORDS: Record<string, MessageKey> = {
  UND_ERR_SOCKET: 'traces.net.socket',
  ECONNRESET: 'traces.net.reset',
  EPIPE: 'traces.net.closed',
  UND_ERR_CONNECT_TIMEOUT: 'traces.net.connectTimeout',
};

export function describeFetchError(err: unknown): { kind: 'unreachable' | 'timeout'; detail: string; code: string } {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string; errors?: Array<{ code?: string; message?: string }> } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { kind: 'timeout', detail: t('traces.net.timeout'), code: 'timeout' };
  const cause = e?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code ?? '';
  if (code === 'ECONNREFUSED') return { kind: 'unreachable', detail: 'connect ECONNREFUSED', code };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'unreachable', detail: (cause?.message ?? `getaddrinfo ${code}`).split('\n')[0], code };
  }
  if (code) return { kind: 'unreachable', detail: code in CODE_WORDS ? t(CODE_WORDS[code] as 'traces.net.socket') : /^HPE_/.test(code) ? t('traces.net.notHttp', { code }) : code, code };
  const msg = cause?.message ?? e?.message ?? String(err);
  return { kind: 'unreachable', detail: msg.split('\n')[0], code: '' };
}

export function looksLikeHtml(contentType: string, text: string): boolean {
  if (/text\/html/i.test(contentType)) return true;
  return /^\s*<(!doctype html|html|head|body)/i.test(text);
}

/** Jaeger's `errors` array, as one string, if the body has one. */
export function envelopeErrors(json: unknown): string | undefined {
  if (!isObj(json)) return undefined;
  const errors = json.errors;
  if (Array.isArray(errors) && errors.length) {
    return errors.map((e) => (isObj(e) ? String(e.msg ?? e.message ?? JSON.stringify(e)) : String(e))).join('; ');
  }
  // The v3 API's gateway error: {"error": {"httpCode": 400, "message": "..."}}
  if (isObj(json.error)) return String(json.error.message ?? JSON.stringify(json.error));
  return undefined;
}

export function envelopeErrorCodes(json: unknown): number[] {
  if (!isObj(json)) return [];
  if (Array.isArray(json.errors)) return json.errors.map((e) => (isObj(e) ? Number(e.code) : NaN));
  if (isObj(json.error)) return [Number(json.error.httpCode ?? json.error.code)];
  return [];
}

/** The path part of a URL (for messages): `http://h:1/jaeger/api` → `/jaeger/api`. */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, '') || '/';
  } catch {
    return url;
  }
}

/** Several JSON documents in one text (NDJSON, or a streamed v3 answer). */
export function splitJsonDocuments(text: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let startAt = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) startAt = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0 && startAt >= 0) {
        try {
          docs.push(JSON.parse(text.slice(startAt, i + 1)));
        } catch {
          return [];
        }
        startAt = -1;
      }
      if (depth < 0) return [];
    }
  }
  return depth === 0 ? docs : [];
}

