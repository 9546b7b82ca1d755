/**
 * The patch formats the API server accepts: JSON merge patch (RFC 7386),
 * strategic merge patch (the list merge keys and `$patch` directives that
 * kubectl's client-side apply sends), and JSON patch (RFC 6902).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export class PatchError extends Error {}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v) as Json;
  }
  return out;
}

/**
 * Merge keys of the list fields the sandbox's kinds carry, by field name.
 * `ports` is keyed by containerPort in a container and by port in a Service.
 */
const MERGE_KEYS: Record<string, string | ((item: JsonObject) => string)> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  ownerReferences: 'uid',
  ports: (item) => ('containerPort' in item ? 'containerPort' : 'port'),
};

function mergeKeyFor(field: string, sample: Json[] | undefined): string | undefined {
  const k = MERGE_KEYS[field];
  if (typeof k === 'string') return k;
  if (typeof k === 'function') {
    const first = (sample ?? []).find(isObject);
    return first ? k(first) : 'port';
  }
  return undefined;
}

export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const base: JsonObject = isObject(target) ? clone(target) : {};
  if (patch.$patch === 'replace') {
    const rest = { ...patch };
    delete rest.$patch;
    return stripDirectives(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const retain = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(base[field]) && Array.isArray(v)) base[field] = (base[field] as Json[]).filter((x) => !(v as Json[]).includes(x));
      continue;
    }
    if (v === null) {
      delete base[k];
      continue;
    }
    if (Array.isArray(v)) {
      base[k] = mergeList(k, base[k], v) as Json;
      continue;
    }
    if (isObject(v)) {
      const merged = strategicMergePatch(base[k], v);
      if (merged === undefined) delete base[k];
      else base[k] = merged as Json;
      continue;
    }
    base[k] = v;
  }
  if (retain) for (const k of Object.keys(base)) if (!retain.includes(k)) delete base[k];
  return base;
}

function mergeList(field: string, current: Json | undefined, patch: Json[]): Json[] {
  const key = mergeKeyFor(field, patch.length ? patch : (current as Json[] | undefined));
  const replaceDirective = patch.find((p) => isObject(p) && p.$patch === 'replace' && Object.keys(p).length === 1);
  if (!key || !Array.isArray(current) || replaceDirective) {
    return patch.filter((p) => !(isObject(p) && p.$patch)).map((p) => stripDirectives(p) as Json);
  }
  const out = clone(current) as Json[];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const idx = out.findIndex((c) => isObject(c) && c[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMergePatch(out[idx], item) as Json;
    else out.push(stripDirectives(item) as Json);
  }
  return out;
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    out[k] = stripDirectives(x) as Json;
  }
  return out;
}

/** RFC 6902 JSON patch. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('json patch must be an array of operations');
  let doc = clone(target) as Json;
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') throw new PatchError('each json patch operation needs "op" and "path"');
    const path = parsePointer(op.path);
    switch (op.op) {
      case 'add': doc = setAt(doc, path, clone(op.value), 'add'); break;
      case 'replace': getAt(doc, path); doc = setAt(doc, path, clone(op.value), 'replace'); break;
      case 'remove': doc = removeAt(doc, path); break;
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op.value)) throw new PatchError(`testing value ${op.path} failed`);
        break;
      case 'move': case 'copy': {
        if (typeof op.from !== 'string') throw new PatchError(`"${op.op}" needs "from"`);
        const from = parsePointer(op.from);
        const value = clone(getAt(doc, from));
        if (op.op === 'move') doc = removeAt(doc, from);
        doc = setAt(doc, path, value, 'add');
        break;
      }
      default: throw new PatchError(`unknown json patch operation "${op.op}"`);
    }
  }
  return doc;
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchError(`invalid JSON pointer "${p}"`);
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: Json, path: string[]): Json {
  let cur: Json = doc;
  for (const part of path) {
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (isObject(cur)) cur = cur[part];
    else cur = undefined as unknown as Json;
    if (cur === undefined) throw new PatchError(`path /${path.join('/')} does not exist`);
  }
  return cur;
}

function setAt(doc: Json, path: string[], value: Json, mode: 'add' | 'replace'): Json {
  if (path.length === 0) return value;
  const parent = getAt(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent)) {
    const idx = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(idx) || idx < 0 || idx > parent.length) throw new PatchError(`index ${last} out of range`);
    if (mode === 'add') parent.splice(idx, 0, value);
    else parent[idx] = value;
  } else if (isObject(parent)) parent[last] = value;
  else throw new PatchError(`cannot set /${path.join('/')}`);
  return doc;
}

function removeAt(doc: Json, path: string[]): Json {
  const parent = getAt(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) {
    if (!(last in parent)) throw new PatchError(`path /${path.join('/')} does not exist`);
    delete parent[last];
  }
  return doc;
}
