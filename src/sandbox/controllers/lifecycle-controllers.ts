/**
 * Deletion and definitions: the garbage collector (dependents follow their
 * owners), namespace termination, and CustomResourceDefinitions becoming
 * served kinds.
 */
import type { KubeObject } from '../../kube/types.js';
import { now, type ControllerContext } from './context.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function collectGarbage(ctx: ControllerContext): void {
  const uids = new Set<string>();
  const all: Array<[ReturnType<ControllerContext['type']>, KubeObject]> = [];
  for (const rt of ctx.types.all()) {
    for (const o of ctx.store.peek(rt)) {
      uids.add(o.metadata.uid!);
      all.push([rt, o]);
    }
  }
  for (const [rt, o] of all) {
    const refs = o.metadata.ownerReferences ?? [];
    if (refs.length && refs.every((r) => !uids.has(r.uid))) {
      try {
        ctx.store.delete(rt, o.metadata.namespace, o.metadata.name);
      } catch {
        /* gone */
      }
    }
  }
}

export class NamespaceTerminator {
  private pending = new Map<string, NodeJS.Timeout>();
  constructor(private ctx: ControllerContext) {}

  /** A namespace is terminating: whatever is created in it meanwhile must go too. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  reconcile(): void {
    const ctx = this.ctx;
    for (const ns of ctx.store.peek(ctx.namespaces)) {
      if (!ns.metadata.deletionTimestamp) continue;
      const name = ns.metadata.name;
      for (const rt of ctx.types.all()) {
        if (!rt.namespaced) continue;
        for (const o of ctx.store.peek(rt, name)) {
          try {
            ctx.store.delete(rt, name, o.metadata.name);
          } catch {
            /* gone */
          }
        }
      }
      if (this.pending.has(name)) continue;
      const t = setTimeout(() => {
        this.pending.delete(name);
        try {
          ctx.store.delete(ctx.namespaces, undefined, name);
        } catch {
          /* gone */
        }
      }, ctx.timing.namespaceTerminationMs);
      t.unref();
      this.pending.set(name, t);
    }
  }

  stop(): void {
    for (const t of this.pending.values()) clearTimeout(t);
  }
}

/** Admission for CRDs: accept the names and mark them Established at once. */
export function admitCrd(crd: KubeObject): void {
  const spec = (crd.spec as Any) ?? {};
  const t = now();
  crd.status = {
    acceptedNames: spec.names ?? {},
    storedVersions: (spec.versions ?? []).filter((v: Any) => v.storage).map((v: Any) => v.name).concat(spec.version && !spec.versions ? [spec.version] : []),
    conditions: [
      { type: 'NamesAccepted', status: 'True', lastTransitionTime: t, reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', lastTransitionTime: t, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ],
  };
}

/** Keeps the served kinds in step with the CRDs stored. */
export function syncCrdTypes(ctx: ControllerContext): void {
  const crdType = ctx.type('apiextensions.k8s.io', 'customresourcedefinitions');
  const present = new Set<string>();
  for (const crd of ctx.store.list(crdType)) {
    present.add(crd.metadata.name);
    ctx.types.defineFromCrd(crd);
  }
  for (const rt of ctx.types.all()) {
    if (!rt.custom) continue;
    const crdName = `${rt.plural}.${rt.group}`;
    if (!present.has(crdName)) {
      // Deleting a CRD deletes its objects.
      for (const o of ctx.store.list(rt)) {
        try {
          ctx.store.delete(rt, o.metadata.namespace, o.metadata.name);
        } catch {
          /* gone */
        }
      }
      ctx.types.forgetCrd(crdName);
    }
  }
}
