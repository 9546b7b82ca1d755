/**
 * When the current step's checks run. Cluster checks read watch-fed caches: a change in the
 * cluster re-checks at once, no polling of the API. Probes (HTTP, ports, Jaeger, commands) have
 * no events: they re-check on a timer that backs off while nothing changes (1 s, 1.5 s, … 5 s).
 * One round runs at a time; a kick during a round runs another right after it. The round runs
 * under the signal of its step (`SchedulerHost.signal`), which the session aborts when the step
 * changes or it closes: the round's results are then dropped, and the new step checked.
 */
import type { CheckResult, Step } from '../../lesson/types.js';
import type { Target } from '../../cluster/target.js';
import type { KubeClient } from '../../cluster/kube-client.js';
import type { ClusterTrouble, WatchCache } from '../../cluster/watch-cache.js';
import { t } from '../../i18n/index.js';

export interface SchedulerHost {
  /** The current step and its index; undefined once every step has passed. */
  current(): { step: Step; index: number } | undefined;
  /** A round begins for `step`: the view shows it checking. */
  started(step: Step): void;
  /** The signal the checks of step `index` run under. */
  signal(index: number): AbortSignal;
  /** Evaluates every check of the step (throws when it cannot). */
  evaluate(step: Step, index: number, cluster: KubeClient | null, signal: AbortSignal): Promise<CheckResult[]>;
  /** The round says nothing (the cluster is out of reach): the step keeps what it had. */
  abandoned(step: Step): void;
  /** The round's results; true when the step passed and the learner moved on (the next step is checked at once). */
  finished(step: Step, index: number, results: CheckResult[]): boolean;
  /** The round left the learner where they were. */
  stayed(): void;
  /** The cluster went away or came back (the view says so now, not after the next round). */
  troubleChanged(trouble: ClusterTrouble | null): void;
}

export class CheckScheduler {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private evaluating = false;
  /** Kicked during a round: another one right after it. */
  private again = false;
  private changeQueued = false;
  /** The self-rechecking interval grows while nothing changes (for probes: HTTP, ports, Jaeger). */
  private idleDelay = 0;
  private lastResults = '';
  private watching: WatchCache | undefined;

  constructor(private target: Target, private host: SchedulerHost, private intervalMs = 1000) {}

  /** Set while the cluster cannot be reached or refuses the credentials. */
  get trouble(): ClusterTrouble | undefined {
    return this.watching?.trouble;
  }

  /** What the watch caches cost so far (for tests and the bench). */
  get stats(): { lists: number; watches: number; informers: number } | undefined {
    return this.watching?.stats;
  }

  /** The learner asked, or the cluster changed: the next wait starts short again. */
  resetBackoff(): void {
    this.idleDelay = 0;
  }

  /** Evaluates the current step now, or right after the round in flight. */
  kick(): void {
    if (this.closed) return;
    if (this.evaluating) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    void this.round();
  }

  /** Evaluates in a moment (a process just started). */
  kickSoon(): void {
    setTimeout(() => this.kick(), 300).unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.watching?.stop();
  }

  private onClusterChange(): void {
    this.host.troubleChanged(this.watching?.trouble ?? null);
    if (this.changeQueued) return;
    this.changeQueued = true;
    setImmediate(() => {
      this.changeQueued = false;
      this.idleDelay = 0;
      this.kick();
    });
  }

  private later(ms: number): void {
    this.timer = setTimeout(() => this.kick(), ms);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    const cur = this.host.current();
    if (!cur || this.closed) return;
    const { step, index } = cur;
    this.evaluating = true;
    this.host.started(step);
    const signal = this.host.signal(index);
    let results: CheckResult[];
    try {
      const cluster = await this.target.client().catch(() => null);
      if (cluster && !this.watching) this.watching = cluster.watch(() => this.onClusterChange());
      results = await this.host.evaluate(step, index, cluster, signal);
    } catch (e) {
      results = [{ ok: false, summary: t('session.couldNotEvaluate', { message: (e as Error).message }) }];
    }
    this.evaluating = false;
    if (this.closed) return;
    if (signal.aborted) {
      // The step changed under these checks: what they found is about a step no longer current.
      this.kick();
      return;
    }
    if (this.watching?.trouble && !results.every((r) => r.ok)) {
      // Failing while the cluster is out of reach says nothing about the learner's work: the step
      // keeps its results; the cluster's return re-checks at once (and this, every interval).
      this.host.abandoned(step);
      this.later(this.intervalMs);
      return;
    }
    if (this.host.finished(step, index, results)) {
      this.kick(); // go straight on to the next step (this is how resume fast-forwards)
      return;
    }
    this.host.stayed();
    if (this.again) {
      this.again = false;
      this.kick();
      return;
    }
    const base = this.intervalMs;
    const key = JSON.stringify(results.map((r) => [r.ok, r.summary]));
    this.idleDelay = key === this.lastResults ? Math.min(Math.max(base, this.idleDelay * 1.5), base * 5) : base;
    this.lastResults = key;
    this.later(this.idleDelay);
  }
}
