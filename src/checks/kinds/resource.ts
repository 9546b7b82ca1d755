/** resource: objects of any kind exist (or are absent). Gathering reads the cluster into facts (kube-facts.ts); judging reads only those. */
import { ClusterError } from '../../cluster/kube-client.js';
import type { KubeObject } from '../../kube/types.js';
import { optional, text, type ObjectRefFact, type ResourceFacts } from '../kube-facts.js';
import { failed, listing, passed, readObject, readObjects, requireCluster, shellWord, usableObjects } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';
import { t } from '../../i18n/index.js';

export const resourceCheck: CheckKindModule<CheckOf<'resource'>, ResourceFacts> = {
  kind: 'resource',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const ref = (o: KubeObject): ObjectRefFact => {
      const ns = text(o.metadata.namespace);
      return { name: o.metadata.name, ...(ns ? { namespace: ns } : {}), ...(o.metadata.deletionTimestamp ? { deleting: true } : {}) };
    };
    const ask = check.namespace ? { get: 'check.ask.getIn', list: 'check.ask.listIn' } as const : { get: 'check.ask.get', list: 'check.ask.list' } as const;
    const ns = check.namespace ?? '';
    try {
      if (check.name) {
        const found = readObject(cluster, await cluster.get(check.apiVersion, check.resourceKind, check.namespace, check.name), t(ask.get, { kind: check.resourceKind, name: check.name, namespace: ns }));
        const others = found || check.absent ? [] : usableObjects(await optional(() => cluster.list(check.apiVersion, check.resourceKind, check.namespace), [])).map((o) => o.metadata.name);
        return { objects: found ? [ref(found)] : [], others };
      }
      const list = readObjects(cluster, await cluster.list(check.apiVersion, check.resourceKind, check.namespace, check.selector), t(ask.list, { kind: check.resourceKind, namespace: ns }));
      return { objects: list.map(ref), others: [] };
    } catch (e) {
      if (e instanceof ClusterError && e.kind === 'not-found-kind') return { kindMissing: e.message, objects: [], others: [] };
      throw e;
    }
  },
  judge(check, facts) {
    const kind = check.resourceKind;
    const at = (what: string) => (check.namespace ? t('check.res.in', { what, namespace: check.namespace }) : what);
    const what = check.name ? `${kind} ${check.name}` : check.selector ? t('check.res.matching', { kind, selector: check.selector }) : t('check.res.objects', { kind });
    const names = facts.objects.map((o) => (o.namespace && !check.namespace ? `${o.namespace}/${o.name}` : o.name));
    if (check.absent) {
      if (facts.objects.length === 0) return passed(facts.kindMissing ? t('check.res.noneNoKind', { what: at(what), kind }) : t('check.res.none', { what: at(what) }));
      const deleting = facts.objects.filter((o) => o.deleting).length;
      return failed(check, t('check.res.still', { what, count: facts.objects.length === 1 && check.name ? 1 : 2, where: check.namespace ? t('check.res.where', { namespace: check.namespace }) : '' }), {
        expected: t('check.res.none', { what: at(what) }),
        found: listing(names),
        diagnosis: [
          deleting
            ? t('check.res.deleting', { count: deleting })
            : t('check.res.deleteIt', { count: check.name ? 1 : 2, command: `kubectl delete ${kind.toLowerCase()} ${check.name ?? (check.selector ? `-l ${shellWord(check.selector)}` : '--all')}${check.namespace ? ` -n ${check.namespace}` : ''}` }),
        ],
      });
    }
    if (facts.kindMissing) return failed(check, facts.kindMissing, { expected: at(what), found: t('check.res.noKind', { kind, apiVersion: check.apiVersion }) });
    if (facts.objects.length > 0) return passed(check.name ? (check.namespace ? t('check.res.existsIn', { what: `${kind} ${check.name}`, namespace: check.namespace }) : t('check.res.exists', { what: `${kind} ${check.name}` })) : at(check.selector ? t('check.res.countMatching', { count: facts.objects.length, kind, selector: check.selector }) : t('check.res.count', { count: facts.objects.length, kind })));
    return failed(check, t('check.res.notFound', { what, where: check.namespace ? t('check.res.where', { namespace: check.namespace }) : '' }), {
      expected: at(what),
      found: t('check.common.none'),
      ...(check.name ? { diagnosis: [t('check.res.others', { what: at(t('check.res.objects', { kind })), names: listing(facts.others) })] } : {}),
    });
  },
};
