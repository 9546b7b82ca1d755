/** container-present: every pod a selector picks has a container (the istio-proxy sidecar, say). Gathering reads the cluster into facts (kube-facts.ts); judging reads only those. */
import { listPods, podFact, readNamespace, type PodsFacts } from '../kube-facts.js';
import { injectionDiagnosis, noPods } from '../pod-diagnosis.js';
import { failed, listing, passed, requireCluster } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';
import { t } from '../../i18n/index.js';

export const containerPresentCheck: CheckKindModule<CheckOf<'container-present'>, PodsFacts> = {
  kind: 'container-present',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const [pods, namespace] = await Promise.all([listPods(cluster, check.namespace, check.selector), readNamespace(cluster, check.namespace)]);
    return { namespace, pods: pods.map(podFact), events: [] };
  },
  judge(check, facts) {
    const { selector, namespace, container } = check;
    const expected = t('check.container.expected', { selector, namespace, container });
    const live = facts.pods.filter((p) => !p.terminating);
    if (live.length === 0) return noPods(check, facts, expected);
    const missing = live.filter((p) => !p.containers.includes(container));
    const tally = t('check.container.tally', { have: live.length - missing.length, total: live.length, container, selector, namespace });
    if (missing.length === 0) return passed(tally);
    const found = listing(missing.map((p) => (p.containers.length ? t('check.container.has', { pod: p.name, containers: p.containers.join(', ') }) : t('check.container.hasNone', { pod: p.name }))), 4);
    const diagnosis = container === 'istio-proxy' ? injectionDiagnosis(facts.namespace, missing, selector) : [];
    return failed(check, tally, { expected, found, diagnosis });
  },
};
