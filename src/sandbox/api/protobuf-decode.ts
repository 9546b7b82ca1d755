/**
 * Reads the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`) into the
 * JSON-shaped objects the store holds. Since client-go 0.32, kubectl's typed commands
 * (`kubectl create namespace|configmap|deployment…`, `auth can-i`, `auth whoami`) send built-in
 * kinds this way and do not fall back to JSON on a 415.
 *
 * The body is the 4-byte magic `k8s\0`, then a runtime.Unknown: 1 typeMeta {1 apiVersion,
 * 2 kind}, 2 raw (the object's own message), 3 contentEncoding, 4 contentType. The field table
 * of each kind is in protobuf-schema.ts (generated from the Kubernetes sources' field numbers);
 * @bufbuild/protobuf's BinaryReader does the varint / length-delimited wire work.
 *
 * JSON shape rules, matching what Go's encoding/json would have produced from the same object:
 * a zero scalar (`""`, 0, false) is dropped unless the schema marks it kept (a Go pointer, which
 * the wire carries only when set, or a field without omitempty); a message is kept when it is on
 * the wire, even empty (`status: {}`), as Go always writes embedded structs; fields come out in
 * the Go struct's order; `Time` is RFC 3339 (null when zero), `IntOrString` a number or a string,
 * `Quantity` its string, `bytes` base64.
 */
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type { KubeObject } from '../../kube/types.js';
import { PROTOBUF_MESSAGES, PROTOBUF_ROOTS } from './protobuf-schema.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

/** The body is not the Kubernetes protobuf envelope, or cannot be read. */
export class ProtobufDecodeError extends Error {}

/** A well-formed envelope around a kind the sandbox has no field table for. */
export class ProtobufUnknownKindError extends Error {
  constructor(readonly apiVersion: string, readonly kind: string) {
    super(`the sandbox cannot read ${kind || '(no kind)'} (${apiVersion || 'no apiVersion'}) encoded as ${PROTOBUF_CONTENT_TYPE}; send it as application/json instead (for example with kubectl apply -f, or an older kubectl)`);
  }
}

interface Field {
  name: string;
  /** Scalar code (s i b y f T MT D J I Q) or a message name. */
  type: string;
  repeated: boolean;
  map: boolean;
  keepZero: boolean;
}

const SCALARS = new Set(['s', 'i', 'b', 'y', 'f', 'T', 'MT', 'D', 'J', 'I', 'Q']);
const parsed = new Map<string, Map<number, Field> & { order?: string[] }>();

/** The field table of one message, parsed from its schema line on first use. */
function fieldsOf(message: string): Map<number, Field> & { order?: string[] } {
  let fields = parsed.get(message);
  if (fields) return fields;
  const line = PROTOBUF_MESSAGES[message];
  if (line === undefined) throw new ProtobufDecodeError(`no field table for ${message}`);
  fields = new Map();
  const order: string[] = [];
  for (const part of line ? line.split(';') : []) {
    const [num, name, spec] = part.split(' ');
    const keepZero = spec.endsWith('!');
    const bare = keepZero ? spec.slice(0, -1) : spec;
    const repeated = bare.startsWith('[');
    const map = bare.startsWith('{');
    const type = repeated || map ? bare.slice(1, -1) : bare;
    fields.set(Number(num), { name, type, repeated, map, keepZero });
    order.push(name);
  }
  fields.order = order;
  parsed.set(message, fields);
  return fields;
}

/** Decodes a whole request body: magic, envelope, then the object. */
export function decodeKubernetesProtobuf(body: Uint8Array): KubeObject {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) {
    throw new ProtobufDecodeError(`the body is not ${PROTOBUF_CONTENT_TYPE} (it does not start with the k8s\\0 magic)`);
  }
  let apiVersion = '', kind = '', contentEncoding = '';
  let raw: Uint8Array = new Uint8Array();
  try {
    const r = new BinaryReader(body.subarray(4));
    while (r.pos < r.len) {
      const [no, wt] = r.tag();
      if (no === 1 && wt === WireType.LengthDelimited) {
        const t = new BinaryReader(r.bytes());
        while (t.pos < t.len) {
          const [n, w] = t.tag();
          if (n === 1 && w === WireType.LengthDelimited) apiVersion = t.string();
          else if (n === 2 && w === WireType.LengthDelimited) kind = t.string();
          else t.skip(w, n);
        }
      } else if (no === 2 && wt === WireType.LengthDelimited) raw = r.bytes();
      else if (no === 3 && wt === WireType.LengthDelimited) contentEncoding = r.string();
      else r.skip(wt, no);
    }
  } catch (e) {
    throw new ProtobufDecodeError(`the protobuf envelope is malformed: ${(e as Error).message}`);
  }
  if (contentEncoding) throw new ProtobufDecodeError(`content encoding "${contentEncoding}" inside the protobuf envelope is not supported`);
  const root = PROTOBUF_ROOTS[`${apiVersion} ${kind}`];
  if (!root) throw new ProtobufUnknownKindError(apiVersion, kind);
  let obj: Record<string, unknown>;
  try {
    obj = decodeMessage(raw, root, 0);
  } catch (e) {
    if (e instanceof ProtobufDecodeError) throw e;
    throw new ProtobufDecodeError(`the ${kind} in the protobuf body is malformed: ${(e as Error).message}`);
  }
  return { apiVersion, kind, ...obj, metadata: (obj.metadata ?? {}) as KubeObject['metadata'] };
}

const MAX_DEPTH = 64;

function decodeMessage(bytes: Uint8Array, message: string, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new ProtobufDecodeError('the protobuf body nests too deeply');
  const fields = fieldsOf(message);
  const r = new BinaryReader(bytes);
  const got: Record<string, unknown> = {};
  const inlined: Array<Record<string, unknown>> = [];
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    const f = fields.get(no);
    if (!f) {
      r.skip(wt, no);
      continue;
    }
    if (f.map) {
      const entry = new BinaryReader(r.bytes());
      let key = '';
      let value: unknown = zeroOf(f.type);
      while (entry.pos < entry.len) {
        const [n, w] = entry.tag();
        if (n === 1) key = entry.string();
        else if (n === 2) value = readValue(entry, w, f.type, depth);
        else entry.skip(w, n);
      }
      ((got[f.name] ??= {}) as Record<string, unknown>)[key] = value;
      continue;
    }
    if (f.repeated) {
      const list = (got[f.name] ??= []) as unknown[];
      if (wt === WireType.LengthDelimited && (f.type === 'i' || f.type === 'b' || f.type === 'f')) {
        // A packed run of numbers.
        const packed = new BinaryReader(r.bytes());
        while (packed.pos < packed.len) list.push(readValue(packed, f.type === 'f' ? WireType.Bit64 : WireType.Varint, f.type, depth));
      } else list.push(readValue(r, wt, f.type, depth));
      continue;
    }
    const v = readValue(r, wt, f.type, depth);
    if (f.name === '...') {
      inlined.push(v as Record<string, unknown>);
      continue;
    }
    if (!f.keepZero && (v === '' || v === 0 || v === false)) {
      delete got[f.name];
      continue;
    }
    got[f.name] = v;
  }
  // Go struct order (the schema's order), with inlined structs' fields in their place.
  const out: Record<string, unknown> = {};
  let nextInline = 0;
  for (const name of fields.order ?? []) {
    if (name === '...') {
      Object.assign(out, inlined[nextInline++] ?? {});
    } else if (name in got) out[name] = got[name];
  }
  for (; nextInline < inlined.length; nextInline++) Object.assign(out, inlined[nextInline]);
  return out;
}

function zeroOf(type: string): unknown {
  switch (type) {
    case 's': case 'Q': case 'y': return '';
    case 'i': case 'f': return 0;
    case 'b': return false;
    case 'T': case 'MT': return null;
    default: return SCALARS.has(type) ? null : {};
  }
}

function wantWire(wt: WireType, want: WireType, type: string): void {
  if (wt !== want) throw new ProtobufDecodeError(`wire type ${wt} where a ${type} (wire type ${want}) was expected`);
}

function readValue(r: BinaryReader, wt: WireType, type: string, depth: number): unknown {
  switch (type) {
    case 's':
      wantWire(wt, WireType.LengthDelimited, 'string');
      return r.string();
    case 'i':
      wantWire(wt, WireType.Varint, 'integer');
      return Number(r.int64());
    case 'b':
      wantWire(wt, WireType.Varint, 'bool');
      return r.bool();
    case 'f':
      wantWire(wt, WireType.Bit64, 'double');
      return r.double();
    case 'y':
      wantWire(wt, WireType.LengthDelimited, 'bytes');
      return Buffer.from(r.bytes()).toString('base64');
  }
  wantWire(wt, WireType.LengthDelimited, 'message');
  const bytes = r.bytes();
  switch (type) {
    case 'T': return timeOf(bytes, false);
    case 'MT': return timeOf(bytes, true);
    case 'D': return durationOf(bytes);
    case 'J': return rawJson(bytes);
    case 'Q': return (readFields(bytes).get(1) as string | undefined) ?? '';
    case 'I': {
      const f = readFields(bytes);
      return Number(f.get(1) ?? 0) === 1 ? ((f.get(3) as string | undefined) ?? '') : Number(f.get(2) ?? 0);
    }
  }
  return decodeMessage(bytes, type, depth + 1);
}

/** The fields of a tiny message (Time, IntOrString, Quantity…): varints as numbers, bytes as strings. */
function readFields(bytes: Uint8Array): Map<number, number | string> {
  const r = new BinaryReader(bytes);
  const out = new Map<number, number | string>();
  while (r.pos < r.len) {
    const [n, w] = r.tag();
    if (w === WireType.Varint) out.set(n, Number(r.int64()));
    else if (w === WireType.LengthDelimited) out.set(n, r.string());
    else r.skip(w, n);
  }
  return out;
}

/** metav1.Time is RFC 3339 to the second; MicroTime to the microsecond; a zero time is null. */
function timeOf(bytes: Uint8Array, micro: boolean): string | null {
  const f = readFields(bytes);
  const seconds = Number(f.get(1) ?? 0), nanos = Number(f.get(2) ?? 0);
  if (bytes.length === 0) return null;
  const d = new Date(seconds * 1000);
  const base = d.toISOString().slice(0, 19);
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

/** metav1.Duration { 1 duration (nanoseconds) } in Go's time.Duration.String() form. */
function durationOf(bytes: Uint8Array): string {
  return goDurationString(Number(readFields(bytes).get(1) ?? 0));
}

export function goDurationString(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  if (n < 1_000) return `${sign}${n}ns`;
  if (n < 1_000_000) return `${sign}${n / 1_000}µs`;
  if (n < 1_000_000_000) return `${sign}${n / 1_000_000}ms`;
  const h = Math.floor(n / 3_600_000_000_000);
  n -= h * 3_600_000_000_000;
  const m = Math.floor(n / 60_000_000_000);
  n -= m * 60_000_000_000;
  const s = `${n / 1_000_000_000}s`;
  return sign + (h ? `${h}h${m}m${s}` : m ? `${m}m${s}` : s);
}

/** RawExtension / FieldsV1: { 1 raw } holding JSON (or, for an embedded object, protobuf). */
function rawJson(bytes: Uint8Array): unknown {
  const r = new BinaryReader(bytes);
  let raw: Uint8Array = new Uint8Array();
  while (r.pos < r.len) {
    const [n, w] = r.tag();
    if (n === 1 && w === WireType.LengthDelimited) raw = r.bytes();
    else r.skip(w, n);
  }
  if (raw.length === 0) return null;
  if (MAGIC.every((b, i) => raw[i] === b)) return decodeKubernetesProtobuf(raw);
  const text = Buffer.from(raw).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtobufDecodeError('an embedded object in the protobuf body is neither JSON nor protobuf');
  }
}
