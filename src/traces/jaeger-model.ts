/**
 * The JSON shapes of Jaeger's query HTTP API (the "UI model" that
 * `/api/traces`, `/api/traces/{id}` and friends return). Field names and
 * units follow Jaeger: times and durations are integers in microseconds,
 * ids are lowercase hex strings.
 */

export type JaegerTagType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';

export interface JaegerKeyValue {
  key: string;
  type: JaegerTagType;
  value: string | number | boolean;
}

export type JaegerRefType = 'CHILD_OF' | 'FOLLOWS_FROM';

export interface JaegerReference {
  refType: JaegerRefType;
  traceID: string;
  spanID: string;
}

export interface JaegerLog {
  /** Unix microseconds. */
  timestamp: number;
  fields: JaegerKeyValue[];
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerKeyValue[];
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  flags?: number;
  operationName: string;
  references: JaegerReference[];
  /** Unix microseconds. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: JaegerKeyValue[];
  logs: JaegerLog[];
  /** Key into the trace's `processes` map ... */
  processID?: string;
  /** ... or, from some producers, the process inlined on the span. */
  process?: JaegerProcess;
  warnings: string[] | null;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

export interface JaegerApiError {
  code: number;
  msg: string;
  traceID?: string;
}

/** The envelope every query API answer is wrapped in. */
export interface JaegerEnvelope<T> {
  data: T;
  total: number;
  limit: number;
  offset: number;
  errors: JaegerApiError[] | null;
}

/** The process a span belongs to, whether referenced by id or inlined. */
export function spanProcess(trace: JaegerTrace, span: JaegerSpan): JaegerProcess | undefined {
  if (span.process) return span.process;
  return span.processID !== undefined ? trace.processes[span.processID] : undefined;
}

/** The service name of the process that reported `span` ('' if unknown). */
export function spanServiceName(trace: JaegerTrace, span: JaegerSpan): string {
  return spanProcess(trace, span)?.serviceName ?? '';
}

/** Value of the first tag named `key` on the span, if any. */
export function spanTag(span: JaegerSpan, key: string): JaegerKeyValue['value'] | undefined {
  return span.tags.find((t) => t.key === key)?.value;
}

/** The span id of the span's CHILD_OF parent in the same trace, if any. */
export function parentSpanId(span: JaegerSpan): string | undefined {
  return span.references.find((r) => r.refType === 'CHILD_OF' && r.traceID === span.traceID)?.spanID;
}

/** Helper to build a string-typed tag. */
export function stringTag(key: string, value: string): JaegerKeyValue {
  return { key, type: 'string', value };
}
