/**
 * What one span says about itself: its kind, whether it is an error (HTTP, gRPC and OTel tags),
 * its service, and whether two spans are copies of each other. Pure.
 */
import type { JaegerSpan, JaegerTrace } from './jaeger-model.js';
import type { KeyValue, SpanKind } from './model-types.js';
import { t } from '../i18n/index.js';

/** What a span may carry beyond Jaeger's own JSON (OTel exporters, Zipkin converters). */
export type LooseSpan = JaegerSpan & { parentSpanID?: string };

/** The service of a span whose process is missing, in this run's language. */
export const unknownService = (): string => t('traces.unknownServiceName');

/** gRPC codes that count as a server-side error (OpenTelemetry semantic conventions). */
const GRPC_SERVER_ERRORS = new Set([2, 4, 12, 13, 14, 15]);

// ---------------------------------------------------------------------------
// Span facts

/** The span kind from a `span.kind` tag ('unknown' without one). */
export function spanKindOf(tags: readonly KeyValue[] | undefined): SpanKind {
  if (!tags) return 'unknown';
  for (const t of tags) {
    if (t.key !== 'span.kind') continue;
    const v = String(t.value).toLowerCase();
    if (v === 'client' || v === 'server' || v === 'producer' || v === 'consumer' || v === 'internal') return v;
    return 'unknown';
  }
  return 'unknown';
}

/**
 * Whether tags mark a failed span: `error=true`, an HTTP status >= 500
 * (number or string), `otel.status_code=ERROR`, or a gRPC error status
 * (any non-zero code on a client, the server-fault codes on a server).
 */
export function isErrorTags(tags: readonly KeyValue[] | undefined, kind: SpanKind = 'unknown'): boolean {
  if (!tags) return false;
  for (const t of tags) {
    switch (t.key) {
      case 'error':
        if (t.value === true || String(t.value).toLowerCase() === 'true') return true;
        break;
      case 'http.status_code':
      case 'http.response.status_code': {
        const n = Number(t.value);
        if (Number.isFinite(n) && n >= 500) return true;
        break;
      }
      case 'otel.status_code':
        if (String(t.value).toUpperCase() === 'ERROR') return true;
        break;
      case 'rpc.grpc.status_code':
      case 'grpc.status_code': {
        const n = Number(t.value);
        if (Number.isInteger(n) && n !== 0 && (kind !== 'server' || GRPC_SERVER_ERRORS.has(n))) return true;
        break;
      }
      default:
        break;
    }
  }
  return false;
}

/**
 * A service name without its namespace: Istio 1.1+ reports `productpage.default`
 * where 1.0 reports `productpage` (and modern gateways `istio-ingressgateway.istio-system`).
 * Names with more dots, or none, are kept as they are.
 */
export function bareService(name: string): string {
  const m = /^([^.]+)\.[^.]+$/.exec(name);
  return m ? m[1] : name;
}

/** Trace/span ids compare case-insensitively and without leading zeros (Jaeger prints 64-bit ids short). */
export function normId(id: string | undefined): string {
  if (!id) return '';
  const s = id.toLowerCase().replace(/^0+/, '');
  return s === '' ? '0' : s;
}

export function isZeroId(id: string | undefined): boolean {
  return !id || /^0+$/.test(id);
}

export function serviceOf(trace: JaegerTrace, span: JaegerSpan): { name: string; tags: KeyValue[] } {
  const proc = span.process ?? (span.processID !== undefined ? trace.processes?.[span.processID] : undefined);
  return { name: proc?.serviceName || unknownService(), tags: (proc?.tags ?? []) as KeyValue[] };
}

export function sameSpan(a: JaegerSpan, b: JaegerSpan): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
