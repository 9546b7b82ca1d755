/**
 * Why pods are not what a check wants, in words: a pod's state and containers, its restarts and
 * latest Warning events, and why a sidecar is missing. Pure: reads only facts (kube-facts.ts).
 */
import type { CheckResult } from '../lesson/types.js';
import { newestFirst, type EventFact, type NamespaceFact, type PodFact } from './kube-facts.js';
import { clip, failed, shellWord } from './common.js';
import { t } from '../i18n/index.js';
// ---------------------------------------------------------------------------
// Pod diagnosis (pure)

/** `Pending: ImagePullBackOff`, `Running`, `Running: CrashLoopBackOff`. */
export function podState(p: PodFact): string {
  const stuck = p.statuses.find((s) => !s.ready && s.reason && !(s.init && s.state === 'terminated' && s.exitCode === 0));
  return `${p.terminating ? 'Terminating' : p.phase}${stuck?.reason ? `: ${stuck.reason}` : ''}`; // Kubernetes' own words: data
}

/** What is wrong with one pod: its state, its containers, restarts, and the latest Warning events. */
export function podDiagnosis(p: PodFact, events: EventFact[], namespace: string): string[] {
  const lines: string[] = [];
  const at = `${p.name}:`;
  const scheduled = p.conditions.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') lines.push(t('check.pod.notScheduled', { at, reason: scheduled.reason ?? 'Unschedulable', message: scheduled.message ? ` — ${clip(scheduled.message, 160)}` : '' }));
  else lines.push(p.ready ? t('check.pod.phaseReady', { at, phase: p.phase }) : t('check.pod.phaseNotReady', { at, phase: p.phase }));
  for (const s of p.statuses) {
    const c = s.init ? t('check.pod.initContainer', { at, name: s.name }) : t('check.pod.container', { at, name: s.name });
    if (s.state === 'waiting' && s.reason !== 'PodInitializing') {
      lines.push(t('check.pod.waiting', { c, reason: s.reason ?? t('check.pod.unknownReason'), message: s.message ? ` — ${clip(s.message, 200)}` : '' }));
      if (/ImagePull|ErrImage|InvalidImageName/.test(s.reason ?? '')) lines.push(s.image ? t('check.pod.imageNamed', { at, image: s.image }) : t('check.pod.image', { at }));
      if (s.reason === 'CrashLoopBackOff') lines.push(t('check.pod.crashing', { at, command: `kubectl logs -n ${namespace} ${p.name} -c ${s.name} --previous` }));
    } else if (s.state === 'terminated' && !(s.init && s.exitCode === 0)) {
      lines.push(t('check.pod.terminated', { c, reason: s.reason ?? t('check.pod.exited'), code: s.exitCode !== undefined ? t('check.pod.exitCode', { code: s.exitCode }) : '', message: s.message ? ` — ${clip(s.message, 160)}` : '' }));
    } else if (s.state === 'running' && !s.ready && !s.init) {
      lines.push(t('check.pod.probeFailing', { c }));
    }
    if (s.restartCount > 0) {
      const last = s.lastTermination;
      const lastText = last ? t('check.pod.lastExit', { reason: last.reason ?? t('check.common.unknown'), code: last.exitCode !== undefined ? t('check.pod.exitCode', { code: last.exitCode }) : '' }) : '';
      lines.push(t('check.pod.restarted', { c, count: s.restartCount, last: lastText }));
    }
  }
  const seen = new Set<string>();
  for (const e of newestFirst(events.filter((e) => e.object === p.name && e.type === 'Warning'))) {
    const key = `${e.reason}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(t('check.pod.event', { at, reason: e.reason, times: e.count > 1 ? ` (×${e.count})` : '', message: clip(e.message, 200) }));
    if (seen.size >= 3) break;
  }
  return lines;
}

const MAX_PODS_DIAGNOSED = 4;

export function diagnosePods(pods: PodFact[], events: EventFact[], namespace: string): string[] {
  const lines = pods.slice(0, MAX_PODS_DIAGNOSED).flatMap((p) => podDiagnosis(p, events, namespace));
  if (pods.length > MAX_PODS_DIAGNOSED) lines.push(t('check.pod.moreNotReady', { count: pods.length - MAX_PODS_DIAGNOSED }));
  return lines;
}

export function noPods(check: { selector: string; namespace: string; hint?: string }, facts: { namespace: NamespaceFact; pods: PodFact[] }, expected: string): CheckResult {
  const { selector, namespace } = check;
  const diagnosis: string[] = [];
  if (facts.namespace.exists === false) diagnosis.push(t('check.pod.noNamespace', { namespace }));
  else diagnosis.push(t('check.pod.noneLabelled', { namespace, selector, command: `kubectl get pods -n ${namespace} --show-labels` }));
  const leaving = facts.pods.filter((p) => p.terminating).length;
  if (leaving) diagnosis.push(t('check.pod.leaving', { count: leaving }));
  return failed(check, t('check.pod.none', { selector, namespace }), { expected, found: leaving ? t('check.pod.terminatingPods', { count: leaving }) : t('check.pod.noMatching'), diagnosis });
}

/** Why pods have no istio-proxy sidecar: the namespace label, a pod opt-out, or pods older than the label. */
export function injectionDiagnosis(ns: NamespaceFact, missing: PodFact[], selector: string): string[] {
  const lines: string[] = [];
  const name = ns.name;
  const recreate = t('check.inject.recreate', { command: `kubectl delete pod -n ${name} -l ${shellWord(selector)}` });
  const optedOut = missing.filter((p) => p.annotations['sidecar.istio.io/inject'] === 'false' || p.labels['sidecar.istio.io/inject'] === 'false');
  for (const p of optedOut.slice(0, 3)) lines.push(t('check.inject.optedOut', { pod: p.name, annotation: 'sidecar.istio.io/inject: "false"' }));
  const injection = ns.labels['istio-injection'];
  const revision = ns.labels['istio.io/rev'];
  if (ns.exists === null) {
    lines.push(t('check.inject.unreadable', { name, command: `kubectl get namespace ${name} --show-labels` }));
  } else if (injection === 'enabled' || (revision && injection !== 'disabled')) {
    const label = injection === 'enabled' ? 'istio-injection=enabled' : `istio.io/rev=${revision}`;
    if (optedOut.length < missing.length) lines.push(t('check.inject.tooOld', { name, label, recreate }));
  } else if (injection === 'disabled') {
    lines.push(t('check.inject.disabled', { name, recreate, label: 'istio-injection=disabled', command: `kubectl label namespace ${name} istio-injection=enabled --overwrite` }));
  } else {
    lines.push(t('check.inject.unlabelled', { name, recreate, label: 'istio-injection=enabled', command: `kubectl label namespace ${name} istio-injection=enabled` }));
  }
  return lines;
}
