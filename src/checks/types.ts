/**
 * How a check is evaluated: `gather` reads the world through a `CheckEnv`
 * (the cluster, the network, the runner's process table), and `judge` turns
 * the check and those facts into a `CheckResult` without touching anything.
 */
import type { IstioFacts } from '../cluster/era.js';
import type { KubeClient } from '../cluster/kube-client.js';
import type { Supervisor } from '../processes/supervisor.js';
import type { AnyCheck, Check, CheckResult } from '../lesson/types.js';

export type { CheckOf } from '../lesson/types.js';

/** Everything a check may read. The runner builds one per evaluation round. */
export interface CheckEnv {
  /** The target cluster; null when none is configured (cluster checks then fail saying so). */
  cluster: KubeClient | null;
  /** Variables earlier steps exported, for `${VAR}` in check parameters. */
  vars: Record<string, string>;
  /** When the learner started the lesson, in Unix microseconds (Jaeger's unit). */
  lessonStartMicros: number;
  /** The state of a background process the runner started, by name. */
  processState(name: string): 'running' | 'stopped' | 'unknown';
  /** Every background process the runner started, with its state (for `process` checks on `*`). */
  processes?(): Array<{ name: string; state: 'running' | 'stopped' }>;
  /** The option the learner picked for a quiz, by check key (see `checkKey`). */
  quizAnswer(checkKey: string): number | undefined;
  /** Where `command` checks run (the lesson's folder). */
  cwd: string;
  /** Environment for `command` checks, over the runner's own; includes KUBECONFIG. */
  env: Record<string, string>;
  /** Starts `command` checks (and records them); without it they run under a supervisor of their own. */
  supervisor?: Supervisor;
  /** False when the lesson is not trusted: `command` checks then run nothing. @default true */
  commandsAllowed?: boolean;
  /** Cancels in-flight gathering (a step change, or exit). */
  signal?: AbortSignal;
  /**
   * The key of the check being evaluated (`checkKey(step, index)`); `evaluateCheck`
   * sets it from its `key` argument. Quiz checks look their answer up with it.
   */
  checkKey?: string;
  /**
   * The installed Istio as `detectIstio` reads it (era, Jaeger base path,
   * sampling, how the dashboard is reached), for diagnoses that depend on the
   * era: port-open on 15032, jaeger-traces. Whoever builds the env memoizes it
   * per evaluation round (`istioFactsOnce(cluster)` does), so checks may call it
   * freely; it resolves undefined when it cannot be told (no cluster, cluster
   * unreachable). Optional: without it those checks give their generic advice.
   */
  istio?: () => Promise<IstioFacts | undefined>;
  /**
   * The local port the lesson's Jaeger dashboard is served on, when it was moved from
   * 15032 (`--port 15032=N`, or `m` on screen): port-open there gets the dashboard diagnosis.
   */
  dashboardPort?: number;
}

/**
 * How one check kind is evaluated: effects in `gather`, a pure verdict in `judge`. Its
 * parameters, default title and docs row are its schema (src/lesson/kinds/).
 */
export interface CheckKindModule<C extends AnyCheck = Check, F = unknown> {
  kind: C['kind'];
  gather(check: C, env: CheckEnv): Promise<F>;
  judge(check: C, facts: F): CheckResult;
}
