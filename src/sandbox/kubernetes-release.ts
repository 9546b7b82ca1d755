/**
 * The Kubernetes a sandbox world runs: what `/version` reports and which API groups it serves
 * (see resource-types.ts `SERVED`). Each Istio era gets the Kubernetes of its time:
 *
 * | era     | Kubernetes | why                                                                        |
 * |---------|------------|----------------------------------------------------------------------------|
 * | 1.0     | 1.11       | the release current when Istio 1.0 came out (mid 2018)                     |
 * | 1.1     | 1.14       | Istio 1.1 ran on 1.11–1.14; 1.14 is the newest of those, and the last line |
 * |         |            | to serve extensions/v1beta1 Deployments, which its manifests use           |
 * | modern  | 1.33       | a current release: no removed group (no extensions, no v1beta1 workloads)  |
 * | no Istio| 1.33       | a cluster made today                                                       |
 *
 * The pre-release-1.1 worlds (`ready`, `fresh` and the ones built on them) are 1.1 worlds:
 * 1.1's object layout and Bookinfo manifests with extensions/v1beta1 Deployments, so they need a
 * Kubernetes from before 1.16 and take 1.1's.
 *
 * The `kubectl` on this project's machines is a dispatcher that runs the kubectl matching the
 * server's minor (and its built-in 1.32 when it has none), so `minor` is also what picks it.
 */
import type { IstioEra } from '../kube/types.js';

export interface KubernetesRelease {
  /** `1.14` */
  name: string;
  minor: number;
  gitVersion: string;
  goVersion: string;
  buildDate: string;
}

const release = (minor: number, patch: number, goVersion: string, buildDate: string): KubernetesRelease => ({
  name: `1.${minor}`, minor, gitVersion: `v1.${minor}.${patch}-kubetutor`, goVersion, buildDate,
});

export const KUBERNETES_RELEASES: Readonly<Record<string, KubernetesRelease>> = {
  '1.11': release(11, 10, 'go1.10.8', '2019-04-11T00:00:00Z'),
  '1.14': release(14, 10, 'go1.12.12', '2019-12-11T00:00:00Z'),
  '1.32': release(32, 4, 'go1.23.6', '2025-04-22T00:00:00Z'),
  '1.33': release(33, 1, 'go1.24.2', '2025-05-15T00:00:00Z'),
};

export const CURRENT_KUBERNETES = '1.33';

/** The Kubernetes release of an Istio era (null: no Istio). */
export function kubernetesForEra(era: IstioEra | null): KubernetesRelease {
  switch (era) {
    case '1.0': return KUBERNETES_RELEASES['1.11'];
    case '1.1': return KUBERNETES_RELEASES['1.14'];
    default: return KUBERNETES_RELEASES[CURRENT_KUBERNETES];
  }
}

/** A release by name (`1.14`) or minor (`14`), or undefined. */
export function kubernetesRelease(name: string): KubernetesRelease | undefined {
  return KUBERNETES_RELEASES[name] ?? KUBERNETES_RELEASES[`1.${name}`];
}
