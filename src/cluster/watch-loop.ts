/**
 * The one watch loop: a LIST, then a WATCH from its resourceVersion (client-node's ListWatch,
 * which relists on 410 Gone), through a Watch that can be stopped at any moment, and, when the
 * watch breaks or cannot connect, a reconnection after a pause from src/retry.ts. The cluster
 * caches (watch-cache.ts) run one per kind and namespace; the classroom view
 * (src/class/class-watch.ts) runs one over the learners' progress ConfigMaps.
 */
import { ListWatch, Watch, type KubeConfig, type KubernetesObject, type ListPromise } from '@kubernetes/client-node';

/**
 * client-node 1.4's ListWatch.stop() cannot abort a watch whose request is still being set up
 * (its `request` is assigned only after `watch()` resolves), so that watch would stay open for
 * good. This Watch remembers every request and aborts late arrivals once stopped.
 */
export class StoppableWatch extends Watch {
  private controllers = new Set<AbortController>();
  private stopped = false;
  /** The server answered a watch request with its stream. */
  onOpen?: () => void;
  /** A watch request failed before any stream: refused, reset, or answered with an error status. */
  onOpenFailed?: (err: unknown) => void;

  override async watch(...[path, query, callback, done]: Parameters<Watch['watch']>): Promise<AbortController> {
    let ended = false;
    let err: unknown;
    let c: AbortController | undefined;
    c = await super.watch(path, query, callback, (e) => {
      ended = true;
      err = e;
      if (c) this.controllers.delete(c); // finished watches are not kept (a long outage makes many)
      done(e);
    });
    if (this.stopped) c.abort();
    else if (!ended) {
      this.controllers.add(c);
      this.onOpen?.();
    } else if (err) this.onOpenFailed?.(err);
    return c;
  }

  stopAll(): void {
    this.stopped = true;
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
  }
}

export interface WatchLoopOptions<T extends KubernetesObject> {
  kc: KubeConfig;
  /** The collection's path, e.g. `/api/v1/namespaces/default/configmaps`. */
  path: string;
  /** The LIST (counted and worded by the caller). */
  list: ListPromise<T>;
  /** Sent with the WATCH as well (the LIST applies its own). */
  labelSelector?: string;
  /** An object was added, changed or deleted. */
  onChange: () => void;
  /** A WATCH request was sent (one per connect and reconnect). */
  onConnect?: () => void;
  /** The server opened a watch stream. */
  onOpen?: () => void;
  /** A WATCH request failed before any stream. */
  onOpenFailed?: (err: unknown) => void;
  /**
   * The loop failed (not a stop of ours). `starting`: during the first LIST and WATCH, which
   * `start()` reports; afterwards the loop reconnects by itself.
   */
  onError?: (err: unknown, starting: boolean) => void;
  /** The pause before reconnection number `failures` (0 for the first) after `err`. */
  reconnectDelay: (failures: number, err: unknown) => number;
  /** A reconnection after a failure got through its LIST. */
  onReconnected?: () => void;
}

export class WatchLoop<T extends KubernetesObject = KubernetesObject> {
  private readonly informer: ListWatch<T>;
  private readonly watch: StoppableWatch;
  private restartTimer?: NodeJS.Timeout;
  private stopped = false;
  private starting = true;
  /** Failed (re)connection attempts in a row (reset when a watch stream opens). */
  private failures = 0;

  constructor(private readonly o: WatchLoopOptions<T>) {
    this.watch = new StoppableWatch(o.kc);
    this.informer = new ListWatch<T>(o.path, this.watch, o.list, false, o.labelSelector);
    this.watch.onOpen = () => {
      this.failures = 0;
      o.onOpen?.();
    };
    this.watch.onOpenFailed = (err) => o.onOpenFailed?.(err);
    for (const ev of ['add', 'update', 'delete'] as const) this.informer.on(ev, () => o.onChange());
    this.informer.on('connect', () => o.onConnect?.());
    this.informer.on('error', (err?: unknown) => {
      if (this.stopped || (err as { name?: string } | undefined)?.name === 'AbortError') return;
      o.onError?.(err, this.starting);
      // client-node 1.x does not restart after an error: the loop does.
      if (!this.starting) this.scheduleRestart(err);
    });
  }

  /** The first LIST and WATCH; rejects when the LIST fails. */
  start(): Promise<void> {
    return this.informer.start().finally(() => {
      this.starting = false;
    });
  }

  /** The cached objects (of a namespace, or all). */
  list(namespace?: string): readonly T[] {
    return this.informer.list(namespace);
  }

  /** Waiting to reconnect. */
  get waiting(): boolean {
    return this.restartTimer !== undefined;
  }

  /** A loop waiting to reconnect does it now (the server is back). */
  reconnectNow(): void {
    if (!this.restartTimer) return;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.restart();
  }

  private scheduleRestart(err: unknown): void {
    if (this.restartTimer || this.stopped) return;
    const delay = this.o.reconnectDelay(this.failures, err);
    this.failures++;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restart();
    }, delay);
    this.restartTimer.unref();
  }

  /** Resumes a stopped informer: from its resourceVersion (replaying what it missed), or a relist after a 410. */
  private restart(): void {
    if (this.stopped) return;
    // Failures come back through the informer's error event; a throw before any request does not.
    this.informer.start().then(
      () => this.o.onReconnected?.(),
      (err: unknown) => this.scheduleRestart(err),
    );
  }

  stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const done = this.informer.stop().catch(() => undefined);
    this.watch.stopAll();
    return done;
  }
}
