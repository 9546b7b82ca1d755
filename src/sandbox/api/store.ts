/**
 * The sandbox's etcd: objects by resource, one resourceVersion counter for
 * the whole cluster, and a bounded event history that watches replay from.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../kube/types.js';
import { resourceKey, type ResourceType } from './resource-types.js';
import { deepFreeze } from '../../kube/freeze.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  key: string;
  rv: number;
  object: KubeObject;
  old?: KubeObject;
}

export type StoreListener = (ev: StoreEvent) => void;

export class StoreError extends Error {
  constructor(public code: 404 | 409 | 410, public reason: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired', message: string) {
    super(message);
  }
}

const objId = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
const copy = <T>(v: T): T => structuredClone(v);
/** Stored objects are frozen: `peek` hands them out uncopied, so a stray write must throw, not corrupt. */
const freeze = deepFreeze;
const byNamespaceThenName = (a: KubeObject, b: KubeObject) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name);

/** How many events the history keeps; older resourceVersions get 410 Gone. */
const HISTORY_LIMIT = 5000;

export class Store {
  private rv = 1;
  private data = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  /** Watches from a resourceVersion below this are answered 410 Gone. */
  private compactedRv = 0;
  private listeners = new Set<StoreListener>();

  currentRv(): number {
    return this.rv;
  }

  /** Forget the history up to now, as etcd compaction does. */
  compact(): void {
    this.history = [];
    this.compactedRv = this.rv;
  }

  subscribe(fn: StoreListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private bucket(rt: ResourceType): Map<string, KubeObject> {
    const k = resourceKey(rt);
    let b = this.data.get(k);
    if (!b) this.data.set(k, (b = new Map()));
    return b;
  }

  get(rt: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    const o = this.bucket(rt).get(objId(rt.namespaced ? ns : undefined, name));
    return o && copy(o);
  }

  /** Objects of a kind, in one namespace or all, sorted by namespace then name like a real list. */
  list(rt: ResourceType, ns?: string): KubeObject[] {
    return this.peek(rt, ns).map(copy);
  }

  /**
   * The stored objects themselves, in list order, for the simulation's own reads. Not copies: the
   * controllers read every pod on every pass, and copying them all was most of the sandbox's CPU.
   * They are frozen; to change one, copy it (or spread it) and write it back.
   */
  peek(rt: ResourceType, ns?: string): readonly KubeObject[] {
    const out: KubeObject[] = [];
    for (const o of this.bucket(rt).values()) if (!ns || !rt.namespaced || o.metadata.namespace === ns) out.push(o);
    return out.sort(byNamespaceThenName);
  }

  /** One stored object, uncopied and frozen (see `peek`). */
  peekOne(rt: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(rt).get(objId(rt.namespaced ? ns : undefined, name));
  }

  create(rt: ResourceType, obj: KubeObject): KubeObject {
    const b = this.bucket(rt);
    const ns = rt.namespaced ? obj.metadata.namespace : undefined;
    const id = objId(ns, obj.metadata.name);
    if (b.has(id)) throw new StoreError(409, 'AlreadyExists', `${rt.plural}${rt.group ? '.' + rt.group : ''} "${obj.metadata.name}" already exists`);
    const o = copy(obj);
    if (!rt.namespaced) delete o.metadata.namespace;
    o.metadata.uid ??= randomUUID();
    o.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    o.metadata.generation ??= 1;
    o.metadata.resourceVersion = String(++this.rv);
    b.set(id, freeze(o));
    this.emit({ type: 'ADDED', key: resourceKey(rt), rv: this.rv, object: o });
    return copy(o);
  }

  /**
   * Replace an object. A resourceVersion in `obj` must match (optimistic
   * concurrency); generation rises when anything but metadata/status changes.
   */
  update(rt: ResourceType, obj: KubeObject, opts: { checkRv?: boolean } = {}): KubeObject {
    const b = this.bucket(rt);
    const ns = rt.namespaced ? obj.metadata.namespace : undefined;
    const id = objId(ns, obj.metadata.name);
    const old = b.get(id);
    if (!old) throw new StoreError(404, 'NotFound', `${rt.plural}${rt.group ? '.' + rt.group : ''} "${obj.metadata.name}" not found`);
    if (opts.checkRv !== false && obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw new StoreError(409, 'Conflict', `Operation cannot be fulfilled on ${rt.plural}${rt.group ? '.' + rt.group : ''} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const o = copy(obj);
    if (!rt.namespaced) delete o.metadata.namespace;
    o.metadata.uid = old.metadata.uid;
    o.metadata.creationTimestamp = old.metadata.creationTimestamp;
    o.metadata.generation = old.metadata.generation ?? 1;
    const specOf = (x: KubeObject) => {
      const { metadata: _m, status: _s, ...rest } = x;
      return JSON.stringify(rest);
    };
    if (specOf(o) !== specOf(old)) o.metadata.generation = (old.metadata.generation ?? 1) + 1;
    o.metadata.resourceVersion = old.metadata.resourceVersion;
    if (JSON.stringify(o) === JSON.stringify(old)) return copy(old); // no-op writes don't bump the version
    o.metadata.resourceVersion = String(++this.rv);
    b.set(id, freeze(o));
    this.emit({ type: 'MODIFIED', key: resourceKey(rt), rv: this.rv, object: o, old });
    return copy(o);
  }

  delete(rt: ResourceType, ns: string | undefined, name: string): KubeObject {
    const b = this.bucket(rt);
    const id = objId(rt.namespaced ? ns : undefined, name);
    const old = b.get(id);
    if (!old) throw new StoreError(404, 'NotFound', `${rt.plural}${rt.group ? '.' + rt.group : ''} "${name}" not found`);
    b.delete(id);
    const o = copy(old);
    o.metadata.resourceVersion = String(++this.rv);
    freeze(o);
    this.emit({ type: 'DELETED', key: resourceKey(rt), rv: this.rv, object: o, old });
    return copy(o);
  }

  /** Events for one resource after `rv`, or a 410 when they have been compacted away. */
  eventsSince(key: string, rv: number): StoreEvent[] {
    if (rv < this.compactedRv) throw new StoreError(410, 'Expired', `too old resource version: ${rv} (${this.compactedRv})`);
    return this.history.filter((e) => e.key === key && e.rv > rv);
  }

  private emit(ev: StoreEvent): void {
    this.history.push(ev);
    if (this.history.length > HISTORY_LIMIT) {
      const dropped = this.history.splice(0, this.history.length - HISTORY_LIMIT);
      this.compactedRv = dropped[dropped.length - 1].rv;
    }
    for (const l of [...this.listeners]) l(ev);
  }
}
