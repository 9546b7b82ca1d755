/**
 * OTLP JSON (the protobuf JSON mapping of `ExportTraceServiceRequest`:
 * `resourceSpans[].scopeSpans[].spans[]`), both ways: `otlpToJaeger` reads an
 * OTLP export or a Jaeger v3 answer into Jaeger's JSON model, and
 * `jaegerToOtlp` writes a trace out for other tools (`kubetutor traces --json
 * --format otlp`). One home for the mapping: span kinds, ids (hex), times
 * (Unix nanoseconds as decimal strings), typed attributes, status, events.
 * Pure.
 */
import type { JaegerKeyValue, JaegerLog, JaegerProcess, JaegerReference, JaegerTrace } from './jaeger-model.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
};

/** An OTLP id (hex, or base64 as protobuf's JSON mapping writes bytes) as lowercase hex. */
function otlpId(v: unknown): string {
  if (typeof v !== 'string' || v === '') return '';
  if (/^[0-9a-f]+$/i.test(v) && v.length % 2 === 0) return v.toLowerCase();
  return Buffer.from(v, 'base64').toString('hex');
}

/** Unix nanoseconds (a decimal string or a number) in microseconds, without float loss. */
function nanosToMicros(v: unknown): number {
  if (typeof v === 'string' && /^\d+$/.test(v)) return v.length > 3 ? Number(v.slice(0, -3)) : 0;
  const n = Number(v);
  return Number.isFinite(n) ? Math.floor(n / 1000) : 0;
}

const OTLP_KINDS: Record<string, string> = {
  '1': 'internal',
  '2': 'server',
  '3': 'client',
  '4': 'producer',
  '5': 'consumer',
  SPAN_KIND_INTERNAL: 'internal',
  SPAN_KIND_SERVER: 'server',
  SPAN_KIND_CLIENT: 'client',
  SPAN_KIND_PRODUCER: 'producer',
  SPAN_KIND_CONSUMER: 'consumer',
  INTERNAL: 'internal',
  SERVER: 'server',
  CLIENT: 'client',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
};

function anyValue(v: unknown): { type: JaegerKeyValue['type']; value: string | number | boolean } {
  if (!isObj(v)) return { type: 'string', value: '' };
  if ('stringValue' in v) return { type: 'string', value: String(v.stringValue) };
  if ('boolValue' in v) return { type: 'bool', value: v.boolValue === true || v.boolValue === 'true' };
  if ('intValue' in v) return { type: 'int64', value: num(v.intValue) };
  if ('doubleValue' in v) return { type: 'float64', value: num(v.doubleValue) };
  if ('bytesValue' in v) return { type: 'binary', value: String(v.bytesValue) };
  if ('arrayValue' in v) {
    const values = isObj(v.arrayValue) && Array.isArray(v.arrayValue.values) ? v.arrayValue.values : [];
    return { type: 'string', value: JSON.stringify(values.map((x) => anyValue(x).value)) };
  }
  if ('kvlistValue' in v) {
    const values = isObj(v.kvlistValue) && Array.isArray(v.kvlistValue.values) ? v.kvlistValue.values : [];
    const o: Record<string, unknown> = {};
    for (const kv of values) if (isObj(kv)) o[String(kv.key)] = anyValue(kv.value).value;
    return { type: 'string', value: JSON.stringify(o) };
  }
  return { type: 'string', value: '' };
}

function otlpAttributes(v: unknown): JaegerKeyValue[] {
  if (!Array.isArray(v)) return [];
  const out: JaegerKeyValue[] = [];
  for (const a of v) {
    if (!isObj(a) || typeof a.key !== 'string') continue;
    out.push({ key: a.key, ...anyValue(a.value) });
  }
  return out;
}

/** OTLP JSON traces (`{resourceSpans}`, `{result: {resourceSpans}}`, or a list of those) as Jaeger traces. */
export function otlpToJaeger(doc: unknown): JaegerTrace[] {
  const docs = Array.isArray(doc) ? doc : isObj(doc) && Array.isArray(doc.$stream) ? doc.$stream : [doc];
  const traces = new Map<string, { trace: JaegerTrace; procs: Map<string, string> }>();
  for (const d of docs) {
    if (!isObj(d)) continue;
    const body = isObj(d.result) ? d.result : d;
    const resourceSpans = Array.isArray(body.resourceSpans) ? body.resourceSpans : Array.isArray(body.batches) ? body.batches : [];
    for (const rs of resourceSpans) {
      if (!isObj(rs)) continue;
      const resAttrs = otlpAttributes(isObj(rs.resource) ? rs.resource.attributes : undefined);
      const svc = resAttrs.find((a) => a.key === 'service.name');
      const process: JaegerProcess = {
        serviceName: svc ? String(svc.value) : 'unknown_service',
        tags: resAttrs.filter((a) => a.key !== 'service.name'),
      };
      const procKey = JSON.stringify(process);
      const scopeSpans = Array.isArray(rs.scopeSpans) ? rs.scopeSpans : Array.isArray(rs.instrumentationLibrarySpans) ? rs.instrumentationLibrarySpans : [];
      for (const ss of scopeSpans) {
        if (!isObj(ss)) continue;
        const scope = isObj(ss.scope) ? ss.scope : isObj(ss.instrumentationLibrary) ? ss.instrumentationLibrary : {};
        const scopeTags: JaegerKeyValue[] = [];
        if (typeof scope.name === 'string' && scope.name) scopeTags.push({ key: 'otel.scope.name', type: 'string', value: scope.name });
        if (typeof scope.version === 'string' && scope.version) scopeTags.push({ key: 'otel.scope.version', type: 'string', value: scope.version });
        for (const sp of Array.isArray(ss.spans) ? ss.spans : []) {
          if (!isObj(sp)) continue;
          const traceID = otlpId(sp.traceId);
          let entry = traces.get(traceID);
          if (!entry) traces.set(traceID, (entry = { trace: { traceID, spans: [], processes: {}, warnings: null }, procs: new Map() }));
          let pid = entry.procs.get(procKey);
          if (!pid) {
            pid = `p${entry.procs.size + 1}`;
            entry.procs.set(procKey, pid);
            entry.trace.processes[pid] = process;
          }
          const start = nanosToMicros(sp.startTimeUnixNano);
          const end = nanosToMicros(sp.endTimeUnixNano);
          const references: JaegerReference[] = [];
          const parent = otlpId(sp.parentSpanId);
          if (parent) references.push({ refType: 'CHILD_OF', traceID, spanID: parent });
          for (const link of Array.isArray(sp.links) ? sp.links : []) {
            if (isObj(link)) references.push({ refType: 'FOLLOWS_FROM', traceID: otlpId(link.traceId), spanID: otlpId(link.spanId) });
          }
          const tags = [...scopeTags, ...otlpAttributes(sp.attributes)];
          const kind = sp.kind !== undefined ? OTLP_KINDS[String(sp.kind)] : undefined;
          if (kind) tags.push({ key: 'span.kind', type: 'string', value: kind });
          if (isObj(sp.status)) {
            const code = String(sp.status.code ?? '');
            if (code === '2' || code === 'STATUS_CODE_ERROR') {
              tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' }, { key: 'error', type: 'bool', value: true });
            } else if (code === '1' || code === 'STATUS_CODE_OK') {
              tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
            }
            if (typeof sp.status.message === 'string' && sp.status.message) {
              tags.push({ key: 'otel.status_description', type: 'string', value: sp.status.message });
            }
          }
          const logs: JaegerLog[] = [];
          for (const ev of Array.isArray(sp.events) ? sp.events : []) {
            if (!isObj(ev)) continue;
            const fields: JaegerKeyValue[] = [];
            if (typeof ev.name === 'string' && ev.name) fields.push({ key: 'event', type: 'string', value: ev.name });
            fields.push(...otlpAttributes(ev.attributes));
            logs.push({ timestamp: nanosToMicros(ev.timeUnixNano), fields });
          }
          entry.trace.spans.push({
            traceID,
            spanID: otlpId(sp.spanId),
            operationName: String(sp.name ?? ''),
            references,
            startTime: start,
            duration: Math.max(0, end - start),
            tags,
            logs,
            processID: pid,
            warnings: null,
          });
        }
      }
    }
  }
  return [...traces.values()].map((e) => e.trace);
}

// ---------------------------------------------------------------------------
// Writing

const KIND_NUMBER: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

/** Tags the reader turns back into OTLP fields rather than attributes. */
const FIELD_TAGS = new Set(['span.kind', 'otel.status_code', 'otel.status_description', 'otel.scope.name', 'otel.scope.version', 'error']);

/** A Jaeger tag as an OTLP attribute with its type (`intValue` is a decimal string, as the mapping writes int64). */
function attribute(t: JaegerKeyValue): { key: string; value: Obj } {
  switch (t.type) {
    case 'bool':
      return { key: t.key, value: { boolValue: t.value === true || t.value === 'true' } };
    case 'int64': {
      const n = Number(t.value);
      return { key: t.key, value: Number.isSafeInteger(n) ? { intValue: String(n) } : { stringValue: String(t.value) } };
    }
    case 'float64':
      return { key: t.key, value: { doubleValue: Number(t.value) } };
    case 'binary':
      return { key: t.key, value: { bytesValue: String(t.value) } };
    default:
      return { key: t.key, value: { stringValue: String(t.value) } };
  }
}

/** A hex id padded to OTLP's width (16 bytes for traces, 8 for spans); a non-hex id (a `~2` copy) is hashed into hex. */
function hexId(id: string, bytes: 8 | 16): string {
  let h = id.toLowerCase();
  if (!/^[0-9a-f]+$/.test(h)) {
    // FNV-1a over the text, repeated to the width: stable, and distinct from the original id.
    let x = 0x811c9dc5;
    let out = '';
    for (let round = 0; out.length < bytes * 2; round++) {
      for (let i = 0; i < id.length; i++) x = Math.imul(x ^ id.charCodeAt(i), 0x01000193) >>> 0;
      x = Math.imul(x ^ round, 0x01000193) >>> 0;
      out += x.toString(16).padStart(8, '0');
    }
    h = out;
  }
  return h.length >= bytes * 2 ? h.slice(-bytes * 2) : h.padStart(bytes * 2, '0');
}

/** Unix microseconds as OTLP's decimal-string nanoseconds. */
function microsToNanos(us: number): string {
  const whole = Math.max(0, Math.floor(us));
  return whole === 0 ? '0' : `${whole}000`;
}

/**
 * Traces as one OTLP JSON document (`{resourceSpans}`): one resource per
 * Jaeger process (service.name plus its tags), one scope per resource, spans
 * with hex ids, nanosecond strings, typed attributes, kind and status fields,
 * events from logs, CHILD_OF as the parent and FOLLOWS_FROM as links.
 * `otlpToJaeger(jaegerToOtlp(t))` gives back the same spans.
 */
export function jaegerToOtlp(traces: readonly JaegerTrace[]): { resourceSpans: unknown[] } {
  const resources = new Map<string, { resource: Obj; scopes: Map<string, { scope: Obj; spans: unknown[] }> }>();
  for (const trace of traces) {
    const traceId = hexId(trace.traceID || trace.spans[0]?.traceID || '0', 16);
    for (const span of trace.spans) {
      const proc: JaegerProcess = span.process ?? (span.processID !== undefined ? trace.processes[span.processID] : undefined) ?? { serviceName: 'unknown_service', tags: [] };
      const resKey = JSON.stringify(proc);
      let res = resources.get(resKey);
      if (!res) {
        res = {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: proc.serviceName } }, ...proc.tags.map(attribute)] },
          scopes: new Map(),
        };
        resources.set(resKey, res);
      }
      const tag = (k: string) => span.tags.find((t) => t.key === k);
      const scopeName = String(tag('otel.scope.name')?.value ?? '');
      const scopeVersion = String(tag('otel.scope.version')?.value ?? '');
      const scopeKey = `${scopeName}\u0000${scopeVersion}`;
      let scope = res.scopes.get(scopeKey);
      if (!scope) {
        scope = { scope: { ...(scopeName ? { name: scopeName } : {}), ...(scopeVersion ? { version: scopeVersion } : {}) }, spans: [] };
        res.scopes.set(scopeKey, scope);
      }
      const kind = KIND_NUMBER[String(tag('span.kind')?.value ?? '').toLowerCase()] ?? 0;
      const statusCode = String(tag('otel.status_code')?.value ?? '').toUpperCase();
      const err = tag('error');
      const isError = statusCode === 'ERROR' || (err !== undefined && (err.value === true || String(err.value) === 'true'));
      const message = tag('otel.status_description');
      const status: Obj = isError ? { code: 2 } : statusCode === 'OK' ? { code: 1 } : {};
      if (message) status.message = String(message.value);
      const parent = span.references.find((r) => r.refType === 'CHILD_OF' && (!r.traceID || r.traceID === span.traceID || r.traceID === trace.traceID));
      const links = span.references.filter((r) => r !== parent).map((r) => ({ traceId: hexId(r.traceID || trace.traceID || '0', 16), spanId: hexId(r.spanID, 8) }));
      const attributes = span.tags.filter((t) => !FIELD_TAGS.has(t.key)).map(attribute);
      // `error` that is not just the status flag (say a string "true" without a status) stays an attribute too.
      if (err && !isError) attributes.push(attribute(err));
      scope.spans.push({
        traceId,
        spanId: hexId(span.spanID, 8),
        ...(parent ? { parentSpanId: hexId(parent.spanID, 8) } : {}),
        name: span.operationName,
        kind,
        startTimeUnixNano: microsToNanos(span.startTime),
        endTimeUnixNano: microsToNanos(span.startTime + span.duration),
        attributes,
        ...(span.logs.length
          ? {
              events: span.logs.map((l: JaegerLog) => {
                const ev = l.fields.find((f) => f.key === 'event');
                return {
                  timeUnixNano: microsToNanos(l.timestamp),
                  name: ev ? String(ev.value) : '',
                  attributes: l.fields.filter((f) => f !== ev).map(attribute),
                };
              }),
            }
          : {}),
        ...(links.length ? { links } : {}),
        status,
      });
    }
  }
  return {
    resourceSpans: [...resources.values()].map((r) => ({
      resource: r.resource,
      scopeSpans: [...r.scopes.values()].map((s) => ({ scope: s.scope, spans: s.spans })),
    })),
  };
}

