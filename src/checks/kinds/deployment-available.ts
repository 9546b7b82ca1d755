/** deployment-available: deployments have their replicas available. Gathering reads the cluster into facts (kube-facts.ts); judging reads only those. */
import type { KubeObject } from '../../kube/types.js';
import { deploymentFact, labelsMatch, optional, podFact, warningsFor, type DeploymentFact, type DeploymentFacts, type EventFact, type PodFact } from '../kube-facts.js';
import { clip, failed, listing, passed, readObject, readObjects, requireCluster, usableObjects } from '../common.js';
import { diagnosePods } from '../pod-diagnosis.js';
import type { CheckKindModule, CheckOf } from '../types.js';

function isAvailable(d: DeploymentFact): boolean {
  const cond = d.conditions.find((c) => c.type === 'Available');
  return cond ? cond.status === 'True' : d.availableReplicas >= d.replicas;
}

export const deploymentAvailableCheck: CheckKindModule<CheckOf<'deployment-available'>, DeploymentFacts> = {
  kind: 'deployment-available',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const found = check.name
      ? [readObject(cluster, await cluster.get('apps/v1', 'Deployment', check.namespace, check.name), `get Deployment ${check.name} in namespace ${check.namespace}`)].filter((d): d is KubeObject => !!d)
      : readObjects(cluster, await cluster.list('apps/v1', 'Deployment', check.namespace, check.selector), `list Deployment objects in namespace ${check.namespace}`);
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
    const what = check.name ? `deployment ${check.name}` : `deployments${sel || ' (all)'}`;
    const expected = `${what} in ${ns} Available`;
    if (facts.deployments.length === 0) {
      return failed(check, check.name ? `deployment ${check.name} not found in ${ns}` : `no deployments${sel} in ${ns}`, {
        expected,
        found: 'no such deployment',
        diagnosis: [facts.others.length ? `deployments in ${ns}: ${listing(facts.others)}` : `there are no deployments in ${ns} at all: apply the app's manifests first`],
      });
    }
    const down = facts.deployments.filter((d) => !isAvailable(d));
    const replicas = (d: DeploymentFact) => `${d.availableReplicas}/${d.replicas} replicas available`;
    if (down.length === 0) {
      if (check.name) return passed(`deployment ${check.name} Available in ${ns} (${replicas(facts.deployments[0])})`);
      return passed(`${facts.deployments.length} of ${facts.deployments.length} deployments${sel} Available in ${ns}`);
    }
    const summary = check.name
      ? `deployment ${check.name} not Available in ${ns} (${replicas(down[0])})`
      : `${facts.deployments.length - down.length} of ${facts.deployments.length} deployments${sel} Available in ${ns}`;
    const diagnosis: string[] = [];
    for (const d of down) {
      const conds = d.conditions
        .filter((c) => (c.type === 'Available' && c.status !== 'True') || (c.type === 'Progressing' && c.status === 'False') || c.type === 'ReplicaFailure')
        .map((c) => `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? ` — ${clip(c.message, 160)}` : ''}`);
      diagnosis.push(`deployment ${d.name}: ${d.readyReplicas}/${d.replicas} ready, ${d.updatedReplicas} up to date${conds.length ? `; ${conds.join('; ')}` : ''}`);
      const pods = facts.pods.filter((p) => labelsMatch(p.labels, d.matchLabels) && !p.ready && !p.terminating);
      diagnosis.push(...diagnosePods(pods, facts.events, ns));
    }
    return failed(check, summary, { expected, found: listing(down.map((d) => `${d.name} (${replicas(d)})`), 4), diagnosis });
  },
};
