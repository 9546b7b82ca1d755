/**
 * Why pods are not what a check wants, in words: a pod's state and containers, its restarts and
 * latest Warning events, and why a sidecar is missing. Pure: reads only facts (kube-facts.ts).
 */
import type { CheckResult } from '../lesson/types.js';
import { newestFirst, type EventFact, type NamespaceFact, type PodFact } from './kube-facts.js';
import { clip, failed, plural, shellWord } from './common.js';
// ---------------------------------------------------------------------------
// Pod diagnosis (pure)

/** `Pending: ImagePullBackOff`, `Running`, `Running: CrashLoopBackOff`. */
export function podState(p: PodFact): string {
  const stuck = p.statuses.find((s) => !s.ready && s.reason && !(s.init && s.state === 'terminated' && s.exitCode === 0));
  return `${p.terminating ? 'Terminating' : p.phase}${stuck?.reason ? `: ${stuck.reason}` : ''}`;
}

/** What is wrong with one pod: its state, its containers, restarts, and the latest Warning events. */
export function podDiagnosis(p: PodFact, events: EventFact[], namespace: string): string[] {
  const lines: string[] = [];
  const at = `${p.name}:`;
  const scheduled = p.conditions.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') lines.push(`${at} not scheduled: ${scheduled.reason ?? 'Unschedulable'}${scheduled.message ? ` — ${clip(scheduled.message, 160)}` : ''}`);
  else lines.push(`${at} phase ${p.phase}${p.ready ? ', Ready' : ', not Ready'}`);
  for (const s of p.statuses) {
    const c = `${at} ${s.init ? 'init container' : 'container'} ${s.name}`;
    if (s.state === 'waiting' && s.reason !== 'PodInitializing') {
      lines.push(`${c} waiting: ${s.reason ?? 'unknown reason'}${s.message ? ` — ${clip(s.message, 200)}` : ''}`);
      if (/ImagePull|ErrImage|InvalidImageName/.test(s.reason ?? '')) lines.push(`${at} the image ${s.image ? `"${s.image}" ` : ''}cannot be pulled: check its name and tag`);
      if (s.reason === 'CrashLoopBackOff') lines.push(`${at} it keeps crashing: read its logs with kubectl logs -n ${namespace} ${p.name} -c ${s.name} --previous`);
    } else if (s.state === 'terminated' && !(s.init && s.exitCode === 0)) {
      lines.push(`${c} terminated: ${s.reason ?? 'exited'}${s.exitCode !== undefined ? ` (exit code ${s.exitCode})` : ''}${s.message ? ` — ${clip(s.message, 160)}` : ''}`);
    } else if (s.state === 'running' && !s.ready && !s.init) {
      lines.push(`${c} is running but not Ready: its readiness probe is failing`);
    }
    if (s.restartCount > 0) {
      const last = s.lastTermination;
      const lastText = last ? `; last exit: ${last.reason ?? 'unknown'}${last.exitCode !== undefined ? ` (exit code ${last.exitCode})` : ''}` : '';
      lines.push(`${c} restarted ${plural(s.restartCount, 'time')}${lastText}`);
    }
  }
  const seen = new Set<string>();
  for (const e of newestFirst(events.filter((e) => e.object === p.name && e.type === 'Warning'))) {
    const key = `${e.reason}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`${at} event ${e.reason}${e.count > 1 ? ` (×${e.count})` : ''}: ${clip(e.message, 200)}`);
    if (seen.size >= 3) break;
  }
  return lines;
}

const MAX_PODS_DIAGNOSED = 4;

export function diagnosePods(pods: PodFact[], events: EventFact[], namespace: string): string[] {
  const lines = pods.slice(0, MAX_PODS_DIAGNOSED).flatMap((p) => podDiagnosis(p, events, namespace));
  if (pods.length > MAX_PODS_DIAGNOSED) lines.push(`… and ${pods.length - MAX_PODS_DIAGNOSED} more pods not Ready`);
  return lines;
}

export function noPods(check: { selector: string; namespace: string; hint?: string }, facts: { namespace: NamespaceFact; pods: PodFact[] }, expected: string): CheckResult {
  const { selector, namespace } = check;
  const diagnosis: string[] = [];
  if (facts.namespace.exists === false) diagnosis.push(`namespace ${namespace} does not exist`);
  else diagnosis.push(`no pod in namespace ${namespace} has the labels ${selector}: is the workload deployed? (kubectl get pods -n ${namespace} --show-labels)`);
  const leaving = facts.pods.filter((p) => p.terminating).length;
  if (leaving) diagnosis.push(`${plural(leaving, 'matching pod is', 'matching pods are')} terminating; their replacements have not been created yet`);
  return failed(check, `no pods ${selector} in ${namespace}`, { expected, found: leaving ? `${plural(leaving, 'terminating pod')}` : 'no matching pods', diagnosis });
}

/** Why pods have no istio-proxy sidecar: the namespace label, a pod opt-out, or pods older than the label. */
export function injectionDiagnosis(ns: NamespaceFact, missing: PodFact[], selector: string): string[] {
  const lines: string[] = [];
  const name = ns.name;
  const recreate = `delete them so they are recreated with the sidecar (kubectl delete pod -n ${name} -l ${shellWord(selector)})`;
  const optedOut = missing.filter((p) => p.annotations['sidecar.istio.io/inject'] === 'false' || p.labels['sidecar.istio.io/inject'] === 'false');
  for (const p of optedOut.slice(0, 3)) lines.push(`pod ${p.name} opts out of injection with sidecar.istio.io/inject: "false"`);
  const injection = ns.labels['istio-injection'];
  const revision = ns.labels['istio.io/rev'];
  if (ns.exists === null) {
    lines.push(`could not read namespace ${name} to see its istio-injection label (kubectl get namespace ${name} --show-labels)`);
  } else if (injection === 'enabled' || (revision && injection !== 'disabled')) {
    const label = injection === 'enabled' ? 'istio-injection=enabled' : `istio.io/rev=${revision}`;
    if (optedOut.length < missing.length) lines.push(`namespace ${name} has ${label}, so the pods were created before injection was enabled: ${recreate}`);
  } else if (injection === 'disabled') {
    lines.push(`namespace ${name} has istio-injection=disabled: relabel it (kubectl label namespace ${name} istio-injection=enabled --overwrite), then ${recreate}`);
  } else {
    lines.push(`namespace ${name} lacks the label istio-injection=enabled: label it (kubectl label namespace ${name} istio-injection=enabled), then ${recreate}`);
  }
  return lines;
}
