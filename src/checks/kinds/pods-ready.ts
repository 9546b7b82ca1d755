/** pods-ready: the pods a selector picks are all running and ready. Gathering reads the cluster into facts (kube-facts.ts); judging reads only those. */
import { listPods, podFact, readNamespace, warningsFor, type PodsFacts } from '../kube-facts.js';
import { diagnosePods, noPods, podState } from '../pod-diagnosis.js';
import { failed, listing, passed, requireCluster } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';
import { t } from '../../i18n/index.js';

export const podsReadyCheck: CheckKindModule<CheckOf<'pods-ready'>, PodsFacts> = {
  kind: 'pods-ready',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const [pods, namespace] = await Promise.all([listPods(cluster, check.namespace, check.selector), readNamespace(cluster, check.namespace)]);
    const facts = pods.map(podFact);
    const events = await warningsFor(cluster, check.namespace, facts.filter((p) => !p.ready && !p.terminating));
    return { namespace, pods: facts, events };
  },
  judge(check, facts) {
    const min = check.min ?? 1;
    const { selector, namespace } = check;
    const expected = t('check.pods.expected', { count: min, selector, namespace });
    const live = facts.pods.filter((p) => !p.terminating);
    if (live.length === 0) return noPods(check, facts, expected);
    const ready = live.filter((p) => p.ready);
    const notReady = live.filter((p) => !p.ready);
    const tally = t('check.pods.tally', { ready: ready.length, total: live.length, selector, namespace });
    if (notReady.length === 0 && live.length >= min) return passed(tally);
    const found = [
      t('check.pods.readyOf', { ready: ready.length, total: live.length }),
      ...(notReady.length ? [t('check.pods.notReady', { pods: listing(notReady.map((p) => `${p.name} (${podState(p)})`), 4) })] : []),
    ].join(t('check.common.sep'));
    const diagnosis = diagnosePods(notReady, facts.events, namespace);
    if (live.length < min) diagnosis.push(t('check.pods.tooFew', { count: live.length, selector, min, command: 'kubectl scale' }));
    return failed(check, live.length < min ? t('check.pods.tallyNeed', { tally, min }) : tally, { expected, found, diagnosis });
  },
};
