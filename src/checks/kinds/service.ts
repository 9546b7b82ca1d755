/** service: a Service exists (with the ports asked for). Gathering reads the cluster into facts (kube-facts.ts); judging reads only those. */
import { optional, serviceFact, type ServiceFacts, type ServicePortFact } from '../kube-facts.js';
import { failed, listing, passed, readObject, requireCluster, usableObjects } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';

function describePort(p: ServicePortFact): string {
  return `${p.name ? `${p.name} ` : ''}${p.port}${p.targetPort !== undefined && String(p.targetPort) !== String(p.port) ? `→${p.targetPort}` : ''}${p.nodePort ? ` (nodePort ${p.nodePort})` : ''}`;
}

export const serviceCheck: CheckKindModule<CheckOf<'service'>, ServiceFacts> = {
  kind: 'service',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const svc = readObject(cluster, await cluster.get('v1', 'Service', check.namespace, check.name), `get Service ${check.name} in namespace ${check.namespace}`);
    const others = svc ? [] : usableObjects(await optional(() => cluster.list('v1', 'Service', check.namespace), [])).map((s) => s.metadata.name);
    return { service: svc ? serviceFact(svc) : null, others };
  },
  judge(check, facts) {
    const ns = check.namespace;
    const want = check.ports ?? [];
    const expected = `service ${check.name} in ${ns}${want.length ? ` exposing port${want.length > 1 ? 's' : ''} ${want.join(', ')}` : ''}`;
    const svc = facts.service;
    if (!svc) {
      return failed(check, `service ${check.name} not found in ${ns}`, { expected, found: 'no such service', diagnosis: [`services in ${ns}: ${listing(facts.others)}`] });
    }
    const missing = want.filter((p) => !svc.ports.some((x) => x.port === p));
    if (missing.length === 0) return passed(`service ${check.name} in ${ns}${want.length ? ` exposes ${want.join(', ')}` : ' exists'}`);
    const diagnosis: string[] = [];
    for (const m of missing) {
      const behind = svc.ports.find((x) => String(x.targetPort) === String(m));
      if (behind) diagnosis.push(`${m} is a target port here: the service exposes it as port ${behind.port}${behind.name ? ` (${behind.name})` : ''}`);
    }
    return failed(check, `service ${check.name} in ${ns} lacks port${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      expected,
      found: `${svc.type} with ports ${listing(svc.ports.map(describePort), 12)}`,
      ...(diagnosis.length ? { diagnosis } : {}),
    });
  },
};
