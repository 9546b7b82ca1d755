/** namespace: a namespace exists (with labels), or is absent. Gathering reads the cluster into facts (kube-facts.ts); judging reads only those. */
import { namespaceFact, type NamespaceFacts } from '../kube-facts.js';
import { failed, passed, readObject, requireCluster } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';
import { t } from '../../i18n/index.js';

export const namespaceCheck: CheckKindModule<CheckOf<'namespace'>, NamespaceFacts> = {
  kind: 'namespace',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const ns = readObject(cluster, await cluster.get('v1', 'Namespace', undefined, check.name), t('check.ask.get', { kind: 'Namespace', name: check.name }));
    return { namespace: namespaceFact(check.name, ns) };
  },
  judge(check, { namespace: ns }) {
    const want = Object.entries(check.labels ?? {});
    const shown = want.map(([k, v]) => `${k}=${v}`).join(',');
    if (check.absent) {
      if (!ns.exists) return passed(t('check.ns.absent', { name: check.name }));
      const terminating = ns.phase === 'Terminating';
      return failed(check, terminating ? t('check.ns.stillTerminating', { name: check.name }) : t('check.ns.still', { name: check.name }), {
        expected: t('check.ns.expectNone', { name: check.name }),
        found: t('check.ns.foundPhase', { name: check.name, phase: ns.phase ?? t('check.common.unknown') }),
        diagnosis: [terminating ? t('check.ns.beingDeleted', { name: check.name }) : t('check.ns.deleteIt', { command: `kubectl delete namespace ${check.name}` })],
      });
    }
    if (!ns.exists) {
      return failed(check, t('check.ns.notFound', { name: check.name }), {
        expected: shown ? t('check.ns.expectLabels', { name: check.name, labels: shown }) : t('check.ns.expect', { name: check.name }),
        found: t('check.ns.noSuch'),
        diagnosis: [t('check.ns.createIt', { command: `kubectl create namespace ${check.name}` })],
      });
    }
    const wrong = want.filter(([k, v]) => ns.labels[k] !== v);
    if (wrong.length === 0) return passed(shown ? t('check.ns.existsWith', { name: check.name, labels: shown }) : t('check.ns.exists', { name: check.name }));
    const found = Object.entries(ns.labels).map(([k, v]) => `${k}=${v}`).join(', ') || t('check.ns.noLabels');
    return failed(check, t('check.ns.lacks', { name: check.name, labels: wrong.map(([k, v]) => `${k}=${v}`).join(',') }), {
      expected: t('check.ns.expectLabels', { name: check.name, labels: shown }),
      found: t('check.ns.foundLabels', { labels: found }),
      diagnosis: wrong.map(([k, v]) => (ns.labels[k] === undefined ? t('check.ns.labelUnset', { key: k, command: `kubectl label namespace ${check.name} ${k}=${v}` }) : t('check.ns.labelWrong', { key: k, value: v, actual: ns.labels[k], command: `kubectl label namespace ${check.name} ${k}=${v} --overwrite` }))),
    });
  },
};
