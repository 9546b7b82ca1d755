/**
 * Informer-style caches of cluster objects: per kind and namespace, one LIST,
 * then a WATCH from the list's resourceVersion (client-node's ListWatch relists
 * on 410 Gone). Checks read the caches; a change calls `onChange`, so a step
 * unlocks on the event that makes it true instead of on the next poll, and an
 * idle learner costs the API server nothing but open watches.
 *
 * A cut watch reconnects from its resourceVersion (the server replays what it
 * missed, or answers 410 and the cache relists), so no change is lost. While
 * the API server cannot be reached the caches keep their last contents,
 * `trouble` says so, and every watch tries again at least once a second; the
 * first that gets through brings the others back at once.
 */
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { KubeObject } from '../kube/types.js';
import { matchesLabels, parseLabelSelector } from '../kube/selectors.js';
import { deepFreeze } from '../kube/freeze.js';
import { isConnectionError } from './read-retry.js';
import { WatchLoop } from './watch-loop.js';
import { retryDelay } from '../retry.js';

export interface ResourceInfo { plural: string; namespaced: boolean }

export interface CacheSource {
  /** Discovery: the plural name and scope of a kind (undefined when the cluster has no such kind). */
  resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  /** An uncached LIST with its resourceVersion (errors already worded for the learner). */
  listRaw(apiVersion: string, kind: string, namespace: string | undefined): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /** Words a failed WATCH request the way listRaw words a failed LIST. */
  explain?(err: unknown, apiVersion: string, kind: string, namespace: string | undefined): Error;
}

/** The API server cannot be reached, or refuses the credentials: since when, and what the last try said. */
export interface ClusterTrouble {
  kind: 'unreachable' | 'unauthorized';
  /** ms since the epoch. */
  since: number;
  message: string;
}

interface Entry {
  loop: WatchLoop;
  ready: Promise<void>;
  failed?: Error;
}

/** Counts what the caches cost the API server: one LIST per (re)list, one WATCH per (re)connect. */
export interface CacheStats { lists: number; watches: number; informers: number }

/**
 * How long a failed first list is remembered before it is tried again: a kind the cluster does not
 * have (Istio's v1 Gateway on an old Istio, say) rarely appears, an RBAC refusal or an outage may pass.
 */
const RETRY_MISSING_KIND_MS = 300_000;
const RETRY_FAILED_MS = 30_000;
/** An unreachable cluster is asked again soon: it is likely to come back. */
const RETRY_UNREACHABLE_MS = 500;
/**
 * Pauses before reconnecting a watch that broke or could not connect: a cut watch comes back at
 * once, an unreachable server is asked again at least every second (so a session resumes within
 * a second or two of the server's return). Other refusals (RBAC, 5xx) back off from 1 s to 30 s.
 */
const RECONNECT_DELAYS_MS = [50, 250, 500, 1000];
const REFUSED_BACKOFF = { initialMs: 1000, maxMs: 30_000 };

const reconnectDelay = (failures: number, err: unknown): number =>
  isConnectionError(err) || (err as { kind?: string } | undefined)?.kind === 'unreachable'
    ? retryDelay({ stepsMs: RECONNECT_DELAYS_MS }, failures)
    : retryDelay(REFUSED_BACKOFF, failures);

export class WatchCache {
  private entries = new Map<string, Entry>();
  /** Each cached object's frozen copy, made on its first read (see handOut). */
  private copies = new WeakMap<object, KubeObject>();
  private failures = new Map<string, { error: Error; at: number }>();
  private stopped = false;
  private troubleNow: ClusterTrouble | undefined;
  readonly stats: CacheStats = { lists: 0, watches: 0, informers: 0 };

  constructor(
    private kc: KubeConfig,
    private source: CacheSource,
    private onChange: () => void,
  ) {}

  /** Set while the API server cannot be reached or refuses the credentials (`onChange` fires as it starts and ends). */
  get trouble(): ClusterTrouble | undefined {
    return this.troubleNow;
  }

  /** What an attempt to reach the API server told: it answered (no error, or an error status), or it did not. */
  private observe(err?: unknown): void {
    if (this.stopped) return;
    const kind = (err as { kind?: string } | undefined)?.kind;
    if (kind === 'unreachable' || kind === 'unauthorized') {
      const message = (err as Error).message;
      if (this.troubleNow?.kind === kind) {
        this.troubleNow = { ...this.troubleNow, message };
        return;
      }
      this.troubleNow = { kind, since: Date.now(), message };
      this.onChange();
      return;
    }
    if (err && typeof (err as { status?: unknown }).status !== 'number') return; // not an answer from the server
    if (!this.troubleNow) return;
    this.troubleNow = undefined;
    // Back: what failed meanwhile is tried again, and every watch still waiting reconnects now.
    for (const [key, f] of this.failures) {
      const k = (f.error as { kind?: string }).kind;
      if (k === 'unreachable' || k === 'unauthorized') this.failures.delete(key);
    }
    for (const e of this.entries.values()) e.loop.reconnectNow();
    this.onChange();
  }

  /** A watch request's failure, worded like a list's (so `observe` can tell unreachable from refused). */
  private worded(err: unknown, apiVersion: string, kind: string, namespace: string | undefined): Error {
    if ((err as { kind?: string }).kind) return err as Error;
    if (this.source.explain) return this.source.explain(err, apiVersion, kind, namespace);
    const e = err instanceof Error ? err : new Error(String(err));
    const status = (err as { statusCode?: unknown }).statusCode;
    return Object.assign(e, { kind: status === 401 ? 'unauthorized' : isConnectionError(err) ? 'unreachable' : 'other', status: typeof status === 'number' ? status : undefined });
  }

  private key(apiVersion: string, kind: string, namespace: string | undefined) {
    return `${apiVersion}/${kind}/${namespace ?? '*'}`;
  }

  private async entry(apiVersion: string, kind: string, namespace: string | undefined): Promise<Entry> {
    const key = this.key(apiVersion, kind, namespace);
    // A kind the cluster lacks (or refuses) is asked about again only now and then, not every round.
    const failure = this.failures.get(key);
    const failedKind = (failure?.error as { kind?: string } | undefined)?.kind;
    const wait = failedKind === 'not-found-kind' ? RETRY_MISSING_KIND_MS : failedKind === 'unreachable' ? RETRY_UNREACHABLE_MS : RETRY_FAILED_MS;
    if (failure && Date.now() - failure.at < wait) throw failure.error;
    try {
      return await this.open(key, apiVersion, kind, namespace);
    } catch (err) {
      this.failures.set(key, { error: err as Error, at: Date.now() });
      this.observe(err);
      throw err;
    }
  }

  private async open(key: string, apiVersion: string, kind: string, namespace: string | undefined): Promise<Entry> {
    let e = this.entries.get(key);
    if (e) {
      await e.ready;
      if (e.failed) {
        // The first list failed (no such kind, RBAC, unreachable): forget it so the next round retries.
        this.drop(key);
        throw e.failed;
      }
      return e;
    }
    const info = await this.source.resource(apiVersion, kind);
    // Lists of a kind the cluster lacks fail through listRaw with the right wording.
    if (!info) {
      await this.source.listRaw(apiVersion, kind, namespace);
      throw new Error(`no ${kind} in ${apiVersion}`);
    }
    const ns = info.namespaced ? namespace : undefined;
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const path = `${base}${ns ? `/namespaces/${ns}` : ''}/${info.plural}`;
    const listFn = async () => {
      this.stats.lists++;
      try {
        const { items, resourceVersion } = await this.source.listRaw(apiVersion, kind, ns);
        this.observe();
        return { apiVersion, kind: `${kind}List`, metadata: { resourceVersion }, items: items as KubernetesObject[] };
      } catch (err) {
        this.observe(err);
        throw err;
      }
    };
    const changed = () => {
      if (kind === 'CustomResourceDefinition') this.failures.clear(); // a new kind may exist now
      this.onChange();
    };
    const loop = new WatchLoop<KubernetesObject>({
      kc: this.kc,
      path,
      list: listFn as never,
      onChange: changed,
      onConnect: () => {
        this.stats.watches++;
      },
      onOpen: () => this.observe(),
      onOpenFailed: (err) => this.observe(this.worded(err, apiVersion, kind, ns)),
      onError: (err, starting) => {
        if (starting) created.failed = this.worded(err, apiVersion, kind, ns);
      },
      reconnectDelay,
    });
    const created: Entry = { loop, ready: Promise.resolve() };
    this.entries.set(key, created);
    this.stats.informers++;
    created.ready = loop.start().then(
      () => undefined,
      (err: unknown) => {
        created.failed = err instanceof Error ? err : new Error(String(err));
      },
    );
    await created.ready;
    if (created.failed) {
      this.drop(key);
      throw created.failed;
    }
    return created;
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    void e.loop.stop();
  }

  /** Objects of a kind from the cache (started on first use), filtered by label selector. */
  async list(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string): Promise<KubeObject[]> {
    const e = await this.entry(apiVersion, kind, namespace);
    const reqs = parseLabelSelector(labelSelector);
    const items = (e.loop.list(namespace) as unknown as KubeObject[]).filter((o) => matchesLabels(reqs, o.metadata.labels));
    return items.map((o) => this.handOut(o, apiVersion, kind));
  }

  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const e = await this.entry(apiVersion, kind, namespace);
    const o = (e.loop.list(namespace) as unknown as KubeObject[]).find((x) => x.metadata.name === name && (!namespace || !x.metadata.namespace || x.metadata.namespace === namespace));
    return o && this.handOut(o, apiVersion, kind);
  }

  /**
   * A cached object as the checks get it: a copy made once per version of the object and frozen
   * (a check that wrote into it would throw rather than change what the next check reads), under a
   * top level of its own. Copying every object on every read was a tenth of a self-test's CPU.
   */
  private handOut(o: KubeObject, apiVersion: string, kind: string): KubeObject {
    let copy = this.copies.get(o);
    if (!copy) this.copies.set(o, (copy = deepFreeze(structuredClone(o))));
    return { ...copy, apiVersion: o.apiVersion ?? apiVersion, kind: o.kind ?? kind };
  }

  stop(): void {
    this.stopped = true;
    for (const key of [...this.entries.keys()]) this.drop(key);
  }
}
