/**
 * Informer-style caches of cluster objects: per kind and namespace, one LIST,
 * then a WATCH from the list's resourceVersion (client-node's ListWatch relists
 * on 410 Gone). Checks read the caches; a change calls `onChange`, so a step
 * unlocks on the event that makes it true instead of on the next poll, and an
 * idle learner costs the API server nothing but open watches.
 */
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeObject } from '../sandbox/types.js';
import { matchesLabels, parseLabelSelector } from '../sandbox/api/selectors.js';

export interface ResourceInfo { plural: string; namespaced: boolean }

export interface CacheSource {
  /** Discovery: the plural name and scope of a kind (undefined when the cluster has no such kind). */
  resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  /** An uncached LIST with its resourceVersion (errors already worded for the learner). */
  listRaw(apiVersion: string, kind: string, namespace: string | undefined): Promise<{ items: KubeObject[]; resourceVersion: string }>;
}

/**
 * client-node 1.4's ListWatch.stop() cannot abort a watch whose request is still being set up
 * (its `request` is assigned only after `watch()` resolves), so that watch would stay open for
 * good. This Watch remembers every request and aborts late arrivals once stopped.
 */
export class StoppableWatch extends Watch {
  private controllers = new Set<AbortController>();
  private stopped = false;

  override async watch(...args: Parameters<Watch['watch']>): Promise<AbortController> {
    const c = await super.watch(...args);
    if (this.stopped) c.abort();
    else this.controllers.add(c);
    return c;
  }

  stopAll(): void {
    this.stopped = true;
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
  }
}

interface Entry {
  informer: ListWatch<KubernetesObject>;
  watch: StoppableWatch;
  ready: Promise<void>;
  failed?: Error;
  restartTimer?: NodeJS.Timeout;
  backoffMs: number;
}

/** Counts what the caches cost the API server: one LIST per (re)list, one WATCH per (re)connect. */
export interface CacheStats { lists: number; watches: number; informers: number }

/**
 * How long a failed first list is remembered before it is tried again: a kind the cluster does not
 * have (Istio's v1 Gateway on an old Istio, say) rarely appears, an RBAC refusal or an outage may pass.
 */
const RETRY_MISSING_KIND_MS = 300_000;
const RETRY_FAILED_MS = 30_000;

export class WatchCache {
  private entries = new Map<string, Entry>();
  private failures = new Map<string, { error: Error; at: number }>();
  private stopped = false;
  readonly stats: CacheStats = { lists: 0, watches: 0, informers: 0 };

  constructor(
    private kc: KubeConfig,
    private source: CacheSource,
    private onChange: () => void,
  ) {}

  private key(apiVersion: string, kind: string, namespace: string | undefined) {
    return `${apiVersion}/${kind}/${namespace ?? '*'}`;
  }

  private async entry(apiVersion: string, kind: string, namespace: string | undefined): Promise<Entry> {
    const key = this.key(apiVersion, kind, namespace);
    // A kind the cluster lacks (or refuses) is asked about again only now and then, not every round.
    const failure = this.failures.get(key);
    const wait = (failure?.error as { kind?: string } | undefined)?.kind === 'not-found-kind' ? RETRY_MISSING_KIND_MS : RETRY_FAILED_MS;
    if (failure && Date.now() - failure.at < wait) throw failure.error;
    try {
      return await this.open(key, apiVersion, kind, namespace);
    } catch (err) {
      this.failures.set(key, { error: err as Error, at: Date.now() });
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
      const { items, resourceVersion } = await this.source.listRaw(apiVersion, kind, ns);
      return { apiVersion, kind: `${kind}List`, metadata: { resourceVersion }, items: items as KubernetesObject[] };
    };
    const watch = new StoppableWatch(this.kc);
    const informer = new ListWatch<KubernetesObject>(path, watch, listFn as never, false);
    const created: Entry = { informer, watch, ready: Promise.resolve(), backoffMs: 1000 };
    this.entries.set(key, created);
    this.stats.informers++;
    const changed = () => {
      if (kind === 'CustomResourceDefinition') this.failures.clear(); // a new kind may exist now
      this.onChange();
    };
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', changed);
    informer.on('connect', () => {
      this.stats.watches++;
    });
    let starting = true;
    informer.on('error', (err?: unknown) => {
      if (this.stopped || (err as { name?: string } | undefined)?.name === 'AbortError') return;
      if (starting) {
        created.failed = err instanceof Error ? err : new Error(String(err));
        return;
      }
      // client-node 1.x does not restart after an error: do it, with a growing delay.
      this.scheduleRestart(key, created);
    });
    created.ready = informer.start().then(
      () => {
        starting = false;
      },
      (err: unknown) => {
        starting = false;
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

  private scheduleRestart(key: string, e: Entry): void {
    if (e.restartTimer || this.stopped) return;
    const delay = e.backoffMs;
    e.backoffMs = Math.min(30_000, e.backoffMs * 2);
    e.restartTimer = setTimeout(() => {
      e.restartTimer = undefined;
      if (this.stopped || this.entries.get(key) !== e) return;
      e.informer.start().then(
        () => {
          e.backoffMs = 1000;
          this.onChange(); // the relist may have changed what the checks see
        },
        () => this.scheduleRestart(key, e),
      );
    }, delay);
    e.restartTimer.unref();
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    if (e.restartTimer) clearTimeout(e.restartTimer);
    void e.informer.stop().catch(() => undefined);
    e.watch.stopAll();
  }

  /** Objects of a kind from the cache (started on first use), filtered by label selector. */
  async list(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string): Promise<KubeObject[]> {
    const e = await this.entry(apiVersion, kind, namespace);
    const reqs = parseLabelSelector(labelSelector);
    const items = (e.informer.list(namespace) as unknown as KubeObject[]).filter((o) => matchesLabels(reqs, o.metadata.labels));
    return items.map((o) => ({ ...structuredClone(o), apiVersion: o.apiVersion ?? apiVersion, kind: o.kind ?? kind }));
  }

  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const items = await this.list(apiVersion, kind, namespace);
    return items.find((o) => o.metadata.name === name && (!namespace || !o.metadata.namespace || o.metadata.namespace === namespace));
  }

  stop(): void {
    this.stopped = true;
    for (const key of [...this.entries.keys()]) this.drop(key);
  }
}
