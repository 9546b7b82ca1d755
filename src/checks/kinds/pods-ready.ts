/** pods-ready: the pods a selector picks are all running and ready. Gathering reads the cluster into facts (kube-facts.ts); judging reads only those. */
import { listPods, podFact, readNamespace, warningsFor, type PodsFacts } from '../kube-facts.js';
import { diagnosePods, noPods, podState } from '../pod-diagnosis.js';
import { failed, listing, passed, plural, requireCluster } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';

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
    const expected = `at least ${plural(min, 'pod')} matching ${selector} in ${namespace}, all Ready`;
    const live = facts.pods.filter((p) => !p.terminating);
    if (live.length === 0) return noPods(check, facts, expected);
    const ready = live.filter((p) => p.ready);
    const notReady = live.filter((p) => !p.ready);
    const tally = `${ready.length} of ${live.length} pods ${selector} Ready in ${namespace}`;
    if (notReady.length === 0 && live.length >= min) return passed(tally);
    const found = [
      `${ready.length} of ${live.length} Ready`,
      ...(notReady.length ? [`not Ready: ${listing(notReady.map((p) => `${p.name} (${podState(p)})`), 4)}`] : []),
    ].join('; ');
    const diagnosis = diagnosePods(notReady, facts.events, namespace);
    if (live.length < min) diagnosis.push(`only ${plural(live.length, 'pod matches', 'pods match')} ${selector}; at least ${min} should: scale the deployment up (kubectl scale)`);
    return failed(check, `${tally}${live.length < min ? ` (need at least ${min})` : ''}`, { expected, found, diagnosis });
  },
};
