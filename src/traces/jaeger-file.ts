/**
 * Traces read from a file (a trace saved from Jaeger UI or its API, or an OTLP JSON export), and
 * the one normalizer that gives every trace, whatever its source, all the fields of Jaeger's model.
 */
import type { JaegerKeyValue, JaegerLog, JaegerProcess, JaegerReference, JaegerSpan, JaegerTrace } from './jaeger-model.js';
import { otlpToJaeger } from './otlp.js';
import { JaegerError, envelopeErrors, isObj, splitJsonDocuments } from './jaeger-answer.js';
import { t } from '../i18n/index.js';

/**
 * The traces in a file: a Jaeger API answer (`{data: [...]}`), one trace
 * object, an array of traces, an array of spans (grouped by trace id), or an
 * OTLP JSON export (`{resourceSpans}`, also several such documents in a row).
 */
export function parseJaegerFile(text: string): JaegerTrace[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const docs = splitJsonDocuments(text);
    if (docs.length === 0) throw new JaegerError(t('traces.file.notJson', { error: (err as Error).message }), 'bad-file');
    doc = docs;
  }
  const traces = tracesIn(doc, 0);
  if (!traces) throw new JaegerError(t('traces.file.noTrace', { envelope: '{"data": [traces]}', trace: '{"traceID", "spans"}', otlp: '{"resourceSpans"}' }), 'bad-file');
  return traces;
}

function looksLikeSpan(v: unknown): boolean {
  return isObj(v) && typeof v.spanID === 'string' && ('startTime' in v || 'operationName' in v);
}

function tracesIn(doc: unknown, depth: number): JaegerTrace[] | undefined {
  if (depth > 3) return undefined;
  if (Array.isArray(doc)) {
    if (doc.length === 0) return [];
    if (doc.every(looksLikeSpan)) return groupSpans(doc as JaegerSpan[]);
    const out: JaegerTrace[] = [];
    for (const item of doc) {
      const t = tracesIn(item, depth + 1);
      if (!t) return undefined;
      out.push(...t);
    }
    return out;
  }
  if (!isObj(doc)) return undefined;
  if (Array.isArray(doc.spans)) return [normalizeTrace(doc)];
  if (Array.isArray(doc.resourceSpans) || Array.isArray(doc.batches) || (isObj(doc.result) && Array.isArray(doc.result.resourceSpans))) {
    return otlpToJaeger(doc);
  }
  if ('data' in doc) {
    if (doc.data === null || doc.data === undefined) {
      const errs = envelopeErrors(doc);
      if (errs) throw new JaegerError(t('traces.jaeger.says', { errors: errs }), 'api');
      return [];
    }
    return tracesIn(doc.data, depth + 1);
  }
  return undefined;
}

/** Spans of possibly several traces, each with an inline `process`, into traces. */
function groupSpans(spans: JaegerSpan[]): JaegerTrace[] {
  const byTrace = new Map<string, JaegerSpan[]>();
  for (const s of spans) {
    const id = String(s.traceID ?? '');
    let list = byTrace.get(id);
    if (!list) byTrace.set(id, (list = []));
    list.push(s);
  }
  return [...byTrace].map(([traceID, list]) => normalizeTrace({ traceID, spans: list, processes: {}, warnings: null }));
}

const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
};

function normalizeKv(v: unknown): JaegerKeyValue | undefined {
  if (!isObj(v) || typeof v.key !== 'string') return undefined;
  const value = v.value;
  const type = typeof v.type === 'string' ? (v.type.toLowerCase() as JaegerKeyValue['type']) : typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? (Number.isInteger(value) ? 'int64' : 'float64') : 'string';
  return { key: v.key, type, value: typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value ?? null) };
}

function normalizeKvs(v: unknown): JaegerKeyValue[] {
  if (!Array.isArray(v)) return [];
  const out: JaegerKeyValue[] = [];
  for (const x of v) {
    const kv = normalizeKv(x);
    if (kv) out.push(kv);
  }
  return out;
}

function normalizeProcess(v: unknown): JaegerProcess | undefined {
  if (!isObj(v)) return undefined;
  return { serviceName: String(v.serviceName ?? ''), tags: normalizeKvs(v.tags) };
}

/** A trace with every field Jaeger's model has, whatever the source left out. */
export function normalizeTrace(raw: unknown): JaegerTrace {
  const t = isObj(raw) ? raw : {};
  const spansIn = Array.isArray(t.spans) ? t.spans : [];
  const processes: Record<string, JaegerProcess> = {};
  if (isObj(t.processes)) {
    for (const [k, v] of Object.entries(t.processes)) {
      const p = normalizeProcess(v);
      if (p) processes[k] = p;
    }
  }
  const spans: JaegerSpan[] = [];
  for (const s of spansIn) {
    if (!isObj(s)) continue;
    const refs: JaegerReference[] = [];
    if (Array.isArray(s.references)) {
      for (const r of s.references) {
        if (isObj(r) && (r.refType === 'CHILD_OF' || r.refType === 'FOLLOWS_FROM')) {
          refs.push({ refType: r.refType, traceID: String(r.traceID ?? ''), spanID: String(r.spanID ?? '') });
        }
      }
    }
    const span: JaegerSpan & { parentSpanID?: string } = {
      traceID: String(s.traceID ?? t.traceID ?? ''),
      spanID: String(s.spanID ?? ''),
      operationName: String(s.operationName ?? ''),
      references: refs,
      startTime: num(s.startTime),
      duration: num(s.duration),
      tags: normalizeKvs(s.tags),
      logs: Array.isArray(s.logs)
        ? s.logs.filter(isObj).map((l): JaegerLog => ({ timestamp: num(l.timestamp), fields: normalizeKvs(l.fields) }))
        : [],
      warnings: Array.isArray(s.warnings) ? s.warnings.map(String) : null,
    };
    if (typeof s.flags === 'number') span.flags = s.flags;
    if (typeof s.processID === 'string') span.processID = s.processID;
    const inline = normalizeProcess(s.process);
    if (inline) span.process = inline;
    if (typeof s.parentSpanID === 'string') span.parentSpanID = s.parentSpanID;
    spans.push(span);
  }
  return {
    traceID: String(t.traceID ?? spans[0]?.traceID ?? ''),
    spans,
    processes,
    warnings: Array.isArray(t.warnings) ? t.warnings.map(String) : null,
  };
}

