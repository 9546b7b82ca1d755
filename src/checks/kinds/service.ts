/** service: a Service exists (with the ports asked for). Gathering reads the cluster into facts (kube-facts.ts); judging reads only those. */
import { optional, serviceFact, type ServiceFacts, type ServicePortFact } from '../kube-facts.js';
import { failed, listing, passed, readObject, requireCluster, usableObjects } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';
import { t } from '../../i18n/index.js';

function describePort(p: ServicePortFact): string {
  return `${p.name ? `${p.name} ` : ''}${p.port}${p.targetPort !== undefined && String(p.targetPort) !== String(p.port) ? `→${p.targetPort}` : ''}${p.nodePort ? ` (nodePort ${p.nodePort})` : ''}`;
}

export const serviceCheck: CheckKindModule<CheckOf<'service'>, ServiceFacts> = {
  kind: 'service',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const svc = readObject(cluster, await cluster.get('v1', 'Service', check.namespace, check.name), t('check.ask.getIn', { kind: 'Service', name: check.name, namespace: check.namespace }));
    const others = svc ? [] : usableObjects(await optional(() => cluster.list('v1', 'Service', check.namespace), [])).map((s) => s.metadata.name);
    return { service: svc ? serviceFact(svc) : null, others };
  },
  judge(check, facts) {
    const ns = check.namespace;
    const want = check.ports ?? [];
    const expected = want.length ? t('check.svc.expectPorts', { name: check.name, namespace: ns, count: want.length, ports: want.join(', ') }) : t('check.svc.expect', { name: check.name, namespace: ns });
    const svc = facts.service;
    if (!svc) {
      return failed(check, t('check.svc.notFound', { name: check.name, namespace: ns }), { expected, found: t('check.svc.noSuch'), diagnosis: [t('check.svc.others', { namespace: ns, names: listing(facts.others) })] });
    }
    const missing = want.filter((p) => !svc.ports.some((x) => x.port === p));
    if (missing.length === 0) return passed(want.length ? t('check.svc.exposes', { name: check.name, namespace: ns, ports: want.join(', ') }) : t('check.svc.exists', { name: check.name, namespace: ns }));
    const diagnosis: string[] = [];
    for (const m of missing) {
      const behind = svc.ports.find((x) => String(x.targetPort) === String(m));
      if (behind) diagnosis.push(t('check.svc.targetPort', { port: m, as: behind.port, name: behind.name ? ` (${behind.name})` : '' }));
    }
    return failed(check, t('check.svc.lacks', { name: check.name, namespace: ns, count: missing.length, ports: missing.join(', ') }), {
      expected,
      found: t('check.svc.found', { type: svc.type, ports: listing(svc.ports.map(describePort), 12) }),
      ...(diagnosis.length ? { diagnosis } : {}),
    });
  },
};
