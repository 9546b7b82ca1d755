/** Small helpers shared by the check kinds: result builders and wording. */
import type { KubeClient } from '../cluster/kube-client.js';
import { ClusterError } from '../cluster/kube-client.js';
import type { Check, CheckResult } from '../lesson/types.js';
import type { KubeObject } from '../kube/types.js';
import type { CheckEnv } from './types.js';
import { t } from '../i18n/index.js';

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
  if (!env.cluster) throw new ClusterError('other', t('check.common.noCluster'));
  return env.cluster;
}

/** One line, at most `max` characters. */
export function clip(s: string, max = 120): string {
  const line = s.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** `a, b and c`. */
export function listing(items: string[], max = 8): string {
  if (items.length === 0) return t('check.common.none');
  const shown = items.slice(0, max);
  const more = items.length > max ? t('check.common.andMore', { count: items.length - max }) : '';
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

// ---------------------------------------------------------------------------
// What the cluster sent: checked before the checks read it

/** A JSON value in a few words, for messages about answers of the wrong shape. */
export function describeJson(v: unknown): string {
  if (v === undefined) return t('check.json.missing');
  if (v === null) return 'null';
  if (Array.isArray(v)) return t('check.json.list');
  if (typeof v === 'object') return t('check.json.mapping');
  if (typeof v === 'string') return v === '' ? t('check.json.emptyString') : t('check.json.string', { value: JSON.stringify(clip(v, 40)) });
  return t('check.json.other', { type: typeof v, value: clip(String(v), 40) });
}

/** Why `o` cannot be read as a Kubernetes object (every check needs an object with metadata and a name), or undefined. */
export function objectProblem(o: unknown): string | undefined {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return t('check.json.notObject', { what: describeJson(o) });
  const meta = (o as { metadata?: unknown }).metadata;
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return t('check.json.badMetadata', { what: describeJson(meta) });
  const name = (meta as { name?: unknown }).name;
  if (typeof name !== 'string' || name === '') return t('check.json.badName', { what: describeJson(name) });
  return undefined;
}

/** The error for an answer no Kubernetes API server would send. */
export function unreadable(cluster: KubeClient, asked: string, why: string): ClusterError {
  const server = cluster.clusterServer;
  return new ClusterError('other', t('check.common.unreadable', { server, asked, why }));
}

/** One object as read (undefined: not found), checked; `asked` words the request, like "get Namespace default". */
export function readObject(cluster: KubeClient, o: unknown, asked: string): KubeObject | undefined {
  if (o === undefined) return undefined;
  const problem = objectProblem(o);
  if (problem) throw unreadable(cluster, asked, problem);
  return o as KubeObject;
}

/** A list as read, every item checked; `asked` words the request, like "list Pod objects in namespace default". */
export function readObjects(cluster: KubeClient, list: unknown, asked: string): KubeObject[] {
  if (!Array.isArray(list)) throw unreadable(cluster, asked, t('check.json.badList', { what: describeJson(list) }));
  list.forEach((o, i) => {
    const problem = objectProblem(o);
    if (problem) throw unreadable(cluster, asked, t('check.json.badItem', { n: i + 1, total: list.length, problem }));
  });
  return list as KubeObject[];
}

/** For reads that only enrich a diagnosis: the readable objects, the rest left out. */
export function usableObjects(list: unknown): KubeObject[] {
  return Array.isArray(list) ? (list.filter((o) => objectProblem(o) === undefined) as KubeObject[]) : [];
}
