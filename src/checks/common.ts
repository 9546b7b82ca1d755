/** Small helpers shared by the check kinds: result builders and wording. */
import type { KubeClient } from '../cluster/kube-client.js';
import { ClusterError } from '../cluster/kube-client.js';
import type { Check, CheckResult } from '../lesson/types.js';
import type { CheckEnv } from './types.js';

/** A passed check: the summary only. */
export function passed(summary: string): CheckResult {
  return { ok: true, summary: `✓ ${summary}` };
}

/** A failed check with what was expected, what was found, and the facts around it. */
export function failed(check: Pick<Check, 'hint'>, summary: string, detail: { expected?: string; found?: string; diagnosis?: string[] } = {}): CheckResult {
  const r: CheckResult = { ok: false, summary: `✗ ${summary}` };
  if (detail.expected !== undefined) r.expected = detail.expected;
  if (detail.found !== undefined) r.found = detail.found;
  if (detail.diagnosis?.length) r.diagnosis = detail.diagnosis;
  if (check.hint) r.hint = check.hint;
  return r;
}

/** The cluster, or a ClusterError saying there is none. */
export function requireCluster(env: CheckEnv): KubeClient {
  if (!env.cluster) throw new ClusterError('other', 'no Kubernetes cluster is configured: start kubetutor with --sandbox, or point it at a cluster with --kubeconfig/--context');
  return env.cluster;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One line, at most `max` characters. */
export function clip(s: string, max = 120): string {
  const line = s.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** `a, b and c`. */
export function listing(items: string[], max = 8): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, max);
  const more = items.length > max ? ` and ${items.length - max} more` : '';
  return shown.join(', ') + more;
}

/** A signal that aborts after `ms`, or as soon as `outer` does. */
export function deadline(ms: number, outer?: AbortSignal): AbortSignal {
  const t = AbortSignal.timeout(ms);
  return outer ? AbortSignal.any([t, outer]) : t;
}

/** `s` as one shell word, quoted only when it needs to be (label selectors such as `app in (a,b)`). */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_.\/=,:@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
