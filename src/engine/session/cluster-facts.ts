/**
 * What the runner finds out about the cluster: the Istio era and version, GATEWAY_URL (found the
 * way Istio's docs find it) and the lesson era they select. Read from the watch caches, so free.
 */
import type { Lesson } from '../../lesson/types.js';
import type { KubeClient } from '../../cluster/kube-client.js';
import { istioVars, type IstioFacts } from '../../cluster/era.js';
import { findGatewayUrl } from '../../cluster/gateway-url.js';
import { eraWhy, lessonEra, lessonEras, namedEras, type EraContext } from '../../lesson/eras.js';
import type { FoundFacts } from './view.js';

export interface ClusterFacts {
  /** The variables the runner sets from them, over `base`. */
  vars: Record<string, string>;
  found: Omit<FoundFacts, 'gatewayUrl'>;
  /** The era context with the lesson era put in; the same object when the era did not change. */
  eraContext: EraContext;
}

export async function readClusterFacts(cluster: KubeClient, istio: () => Promise<IstioFacts | undefined>, lesson: Lesson, eraContext: EraContext, base: Record<string, string>): Promise<ClusterFacts> {
  const [facts, gw] = await Promise.all([istio(), findGatewayUrl(cluster).catch(() => undefined)]);
  const vars: Record<string, string> = { ...base, ...(facts ? istioVars(facts) : {}), ...(gw ? { GATEWAY_URL: gw.url } : {}) };
  const found = { era: facts?.era ?? undefined, version: facts?.version, gatewayHow: gw?.how };
  const era = facts ? lessonEra(facts, lessonEras(lesson.eras, namedEras(lesson))) : undefined;
  const why = facts && era ? eraWhy(facts, era) : undefined;
  const eraChanged = era !== eraContext.era || why !== eraContext.why;
  return { vars, found, eraContext: eraChanged ? { ...eraContext, ...(era ? { era } : {}), ...(why ? { why } : {}) } : eraContext };
}
