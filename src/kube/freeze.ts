/**
 * An object frozen to its leaves: Kubernetes objects that several readers share uncopied (the
 * sandbox's store, the runner's watch caches), where a stray write must throw, not corrupt.
 */
export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
