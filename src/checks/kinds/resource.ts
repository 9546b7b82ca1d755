/** resource: objects of any kind exist (or are absent). Gathering reads the cluster into facts (kube-facts.ts); judging reads only those. */
import { ClusterError } from '../../cluster/kube-client.js';
import type { KubeObject } from '../../kube/types.js';
import { optional, text, type ObjectRefFact, type ResourceFacts } from '../kube-facts.js';
import { failed, listing, passed, plural, readObject, readObjects, requireCluster, shellWord, usableObjects } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';

export const resourceCheck: CheckKindModule<CheckOf<'resource'>, ResourceFacts> = {
  kind: 'resource',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const ref = (o: KubeObject): ObjectRefFact => {
      const ns = text(o.metadata.namespace);
      return { name: o.metadata.name, ...(ns ? { namespace: ns } : {}), ...(o.metadata.deletionTimestamp ? { deleting: true } : {}) };
    };
    const where = check.namespace ? ` in namespace ${check.namespace}` : '';
    try {
      if (check.name) {
        const found = readObject(cluster, await cluster.get(check.apiVersion, check.resourceKind, check.namespace, check.name), `get ${check.resourceKind} ${check.name}${where}`);
        const others = found || check.absent ? [] : usableObjects(await optional(() => cluster.list(check.apiVersion, check.resourceKind, check.namespace), [])).map((o) => o.metadata.name);
        return { objects: found ? [ref(found)] : [], others };
      }
      const list = readObjects(cluster, await cluster.list(check.apiVersion, check.resourceKind, check.namespace, check.selector), `list ${check.resourceKind} objects${where}`);
      return { objects: list.map(ref), others: [] };
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'not-found-kind') return { kindMissing: e.message, objects: [], others: [] };
      throw e;
    }
  },
  judge(check, facts) {
    const kind = check.resourceKind;
    const where = check.namespace ? ` in ${check.namespace}` : '';
    const what = check.name ? `${kind} ${check.name}` : `${kind} objects${check.selector ? ` matching ${check.selector}` : ''}`;
    const names = facts.objects.map((o) => (o.namespace && !check.namespace ? `${o.namespace}/${o.name}` : o.name));
    if (check.absent) {
      if (facts.objects.length === 0) return passed(`no ${what}${where}${facts.kindMissing ? ` (the cluster has no ${kind} kind)` : ''}`);
      const deleting = facts.objects.filter((o) => o.deleting).length;
      return failed(check, `${what} still exist${facts.objects.length === 1 && check.name ? 's' : ''}${where}`, {
        expected: `no ${what}${where}`,
        found: listing(names),
        diagnosis: [
          deleting
            ? `${plural(deleting, 'object is', 'objects are')} being deleted (finalizers may hold ${deleting === 1 ? 'it' : 'them'}); check again in a moment`
            : `delete ${check.name ? 'it' : 'them'}: kubectl delete ${kind.toLowerCase()} ${check.name ?? (check.selector ? `-l ${shellWord(check.selector)}` : '--all')}${check.namespace ? ` -n ${check.namespace}` : ''}`,
        ],
      });
    }
    if (facts.kindMissing) return failed(check, facts.kindMissing, { expected: `${what}${where}`, found: `no ${kind} kind (${check.apiVersion}) in the cluster` });
    if (facts.objects.length > 0) return passed(check.name ? `${kind} ${check.name} exists${where}` : `${plural(facts.objects.length, `${kind} object`)}${check.selector ? ` matching ${check.selector}` : ''}${where}`);
    return failed(check, `${what} not found${where}`, {
      expected: `${what}${where}`,
      found: 'none',
      ...(check.name ? { diagnosis: [`${kind} objects${where}: ${listing(facts.others)}`] } : {}),
    });
  },
};
