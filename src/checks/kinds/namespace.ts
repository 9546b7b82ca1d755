/** namespace: a namespace exists (with labels), or is absent. Gathering reads the cluster into facts (kube-facts.ts); judging reads only those. */
import { namespaceFact, type NamespaceFacts } from '../kube-facts.js';
import { failed, passed, readObject, requireCluster } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';

export const namespaceCheck: CheckKindModule<CheckOf<'namespace'>, NamespaceFacts> = {
  kind: 'namespace',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const ns = readObject(cluster, await cluster.get('v1', 'Namespace', undefined, check.name), `get Namespace ${check.name}`);
    return { namespace: namespaceFact(check.name, ns) };
  },
  judge(check, { namespace: ns }) {
    const want = Object.entries(check.labels ?? {});
    const shown = want.map(([k, v]) => `${k}=${v}`).join(',');
    if (check.absent) {
      if (!ns.exists) return passed(`namespace ${check.name} is absent`);
      const terminating = ns.phase === 'Terminating';
      return failed(check, `namespace ${check.name} still exists${terminating ? ' (Terminating)' : ''}`, {
        expected: `no namespace ${check.name}`,
        found: `namespace ${check.name}, phase ${ns.phase ?? 'unknown'}`,
        diagnosis: [terminating ? `namespace ${check.name} is being deleted: its objects are being removed; check again in a moment` : `delete it: kubectl delete namespace ${check.name}`],
      });
    }
    if (!ns.exists) {
      return failed(check, `namespace ${check.name} not found`, { expected: `namespace ${check.name}${shown ? ` with labels ${shown}` : ''}`, found: 'no such namespace', diagnosis: [`create it: kubectl create namespace ${check.name}`] });
    }
    const wrong = want.filter(([k, v]) => ns.labels[k] !== v);
    if (wrong.length === 0) return passed(`namespace ${check.name} exists${shown ? ` with ${shown}` : ''}`);
    const found = Object.entries(ns.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'no labels';
    return failed(check, `namespace ${check.name} lacks ${wrong.map(([k, v]) => `${k}=${v}`).join(',')}`, {
      expected: `namespace ${check.name} with labels ${shown}`,
      found: `labels: ${found}`,
      diagnosis: wrong.map(([k, v]) => (ns.labels[k] === undefined ? `label ${k} is not set: kubectl label namespace ${check.name} ${k}=${v}` : `label ${k} is "${ns.labels[k]}", not "${v}": kubectl label namespace ${check.name} ${k}=${v} --overwrite`)),
    });
  },
};
