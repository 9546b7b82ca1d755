/** deployment-available: deployments have their replicas available. Gathering reads the cluster into facts (kube-facts.ts); judging reads only those. */
import type { KubeObject } from '../../kube/types.js';
import { deploymentFact, labelsMatch, optional, podFact, warningsFor, type DeploymentFact, type DeploymentFacts, type EventFact, type PodFact } from '../kube-facts.js';
import { clip, failed, listing, passed, readObject, readObjects, requireCluster, usableObjects } from '../common.js';
import { diagnosePods } from '../pod-diagnosis.js';
import type { CheckKindModule, CheckOf } from '../types.js';
import { t } from '../../i18n/index.js';

function isAvailable(d: DeploymentFact): boolean {
  const cond = d.conditions.find((c) => c.type === 'Available');
  return cond ? cond.status === 'True' : d.availableReplicas >= d.replicas;
}

export const deploymentAvailableCheck: CheckKindModule<CheckOf<'deployment-available'>, DeploymentFacts> = {
  kind: 'deployment-available',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const found = check.name
      ? [readObject(cluster, await cluster.get('apps/v1', 'Deployment', check.namespace, check.name), t('check.ask.getIn', { kind: 'Deployment', name: check.name, namespace: check.namespace }))].filter((d): d is KubeObject => !!d)
      : readObjects(cluster, await cluster.list('apps/v1', 'Deployment', check.namespace, check.selector), t('check.ask.listIn', { kind: 'Deployment', namespace: check.namespace }));
    const deployments = found.map(deploymentFact);
    const others = deployments.length ? [] : usableObjects(await optional(() => cluster.list('apps/v1', 'Deployment', check.namespace), [])).map((d) => d.metadata.name);
    const unavailable = deployments.filter((d) => !isAvailable(d));
    let pods: PodFact[] = [];
    let events: EventFact[] = [];
    if (unavailable.length) {
      pods = usableObjects(await optional(() => cluster.list('v1', 'Pod', check.namespace), []))
        .map(podFact)
        .filter((p) => unavailable.some((d) => Object.keys(d.matchLabels).length > 0 && labelsMatch(p.labels, d.matchLabels)));
      events = await warningsFor(cluster, check.namespace, pods.filter((p) => !p.ready && !p.terminating));
    }
    return { deployments, pods, events, others };
  },
  judge(check, facts) {
    const ns = check.namespace;
    const sel = check.selector ? ` ${check.selector}` : '';
    const what = check.name ? t('check.deploy.one', { name: check.name }) : check.selector ? t('check.deploy.some', { selector: check.selector }) : t('check.deploy.all');
    const expected = t('check.deploy.expected', { what, namespace: ns });
    if (facts.deployments.length === 0) {
      return failed(check, check.name ? t('check.deploy.notFound', { name: check.name, namespace: ns }) : t('check.deploy.none', { selector: sel, namespace: ns }), {
        expected,
        found: t('check.deploy.noSuch'),
        diagnosis: [facts.others.length ? t('check.deploy.others', { namespace: ns, names: listing(facts.others) }) : t('check.deploy.noneAtAll', { namespace: ns })],
      });
    }
    const down = facts.deployments.filter((d) => !isAvailable(d));
    const replicas = (d: DeploymentFact) => t('check.deploy.replicas', { available: d.availableReplicas, replicas: d.replicas });
    if (down.length === 0) {
      if (check.name) return passed(t('check.deploy.available', { name: check.name, namespace: ns, replicas: replicas(facts.deployments[0]) }));
      return passed(t('check.deploy.tally', { up: facts.deployments.length, total: facts.deployments.length, selector: sel, namespace: ns }));
    }
    const summary = check.name
      ? t('check.deploy.notAvailable', { name: check.name, namespace: ns, replicas: replicas(down[0]) })
      : t('check.deploy.tally', { up: facts.deployments.length - down.length, total: facts.deployments.length, selector: sel, namespace: ns });
    const diagnosis: string[] = [];
    for (const d of down) {
      const conds = d.conditions
        .filter((c) => (c.type === 'Available' && c.status !== 'True') || (c.type === 'Progressing' && c.status === 'False') || c.type === 'ReplicaFailure')
        .map((c) => `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? ` — ${clip(c.message, 160)}` : ''}`);
      diagnosis.push(t('check.deploy.status', { name: d.name, ready: d.readyReplicas, replicas: d.replicas, updated: d.updatedReplicas, conditions: conds.length ? `; ${conds.join('; ')}` : '' }));
      const pods = facts.pods.filter((p) => labelsMatch(p.labels, d.matchLabels) && !p.ready && !p.terminating);
      diagnosis.push(...diagnosePods(pods, facts.events, ns));
    }
    return failed(check, summary, { expected, found: listing(down.map((d) => `${d.name} (${replicas(d)})`), 4), diagnosis });
  },
};
