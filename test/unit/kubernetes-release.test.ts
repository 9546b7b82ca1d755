// Each scenario's Kubernetes: the release of its era, and the API groups that release serves.
import { describe, expect, test } from 'vitest';
import { getScenario, SCENARIO_NAMES } from '../../src/sandbox/scenarios/index.js';
import { builtinTypesFor, ResourceTypes, servedIn } from '../../src/sandbox/api/resource-types.js';
import { kubernetesForEra, kubernetesRelease } from '../../src/sandbox/kubernetes-release.js';

const apiVersions = (minor: number) => new ResourceTypes(minor).groupVersions().map((gv) => (gv.group ? `${gv.group}/${gv.version}` : gv.version)).sort();

describe('scenario Kubernetes releases', () => {
  test('each era has the Kubernetes of its time; the pre-release 1.1 worlds take 1.1\'s', () => {
    const minor = (name: string) => getScenario(name)!.kubernetes.minor;
    expect(minor('istio-1.0')).toBe(11);
    expect(minor('istio-1.1')).toBe(14);
    for (const name of ['ready', 'fresh', 'no-tracing', 'no-sidecar', 'not-ready', 'low-sampling', 'restricted']) expect(minor(name), name).toBe(14);
    expect(minor('modern')).toBe(33);
    expect(minor('empty')).toBe(33);
    for (const name of SCENARIO_NAMES) {
      const s = getScenario(name)!;
      expect(s.kubernetes, name).toBe(kubernetesForEra(s.era));
      expect(s.kubernetes.gitVersion, name).toMatch(new RegExp(`^v1\\.${s.kubernetes.minor}\\.\\d+-kubetutor$`));
    }
  });

  test('releases are found by name or minor', () => {
    expect(kubernetesRelease('1.14')?.minor).toBe(14);
    expect(kubernetesRelease('11')?.minor).toBe(11);
    expect(kubernetesRelease('1.99')).toBeUndefined();
  });
});

describe('API groups per release', () => {
  test('a current release serves no removed group or version', () => {
    const v = apiVersions(33);
    for (const gone of ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2', 'batch/v1beta1', 'policy/v1beta1', 'rbac.authorization.k8s.io/v1beta1',
      'apiextensions.k8s.io/v1beta1', 'admissionregistration.k8s.io/v1beta1', 'networking.k8s.io/v1beta1', 'autoscaling/v2beta1', 'autoscaling/v2beta2',
      'scheduling.k8s.io/v1beta1', 'coordination.k8s.io/v1beta1']) expect(v, gone).not.toContain(gone);
    for (const here of ['apps/v1', 'batch/v1', 'policy/v1', 'networking.k8s.io/v1', 'autoscaling/v2', 'apiextensions.k8s.io/v1', 'authorization.k8s.io/v1', 'authentication.k8s.io/v1', 'scheduling.k8s.io/v1']) expect(v, here).toContain(here);
  });

  test('1.14 serves what its api-versions listed (of the kinds the sandbox has), 1.11 less', () => {
    expect(apiVersions(14)).toEqual([
      'admissionregistration.k8s.io/v1beta1', 'apiextensions.k8s.io/v1beta1', 'apps/v1', 'apps/v1beta1', 'apps/v1beta2', 'authorization.k8s.io/v1',
      'autoscaling/v1', 'autoscaling/v2beta1', 'autoscaling/v2beta2', 'batch/v1', 'batch/v1beta1', 'coordination.k8s.io/v1', 'coordination.k8s.io/v1beta1',
      'extensions/v1beta1', 'networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'policy/v1beta1', 'rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1beta1',
      'scheduling.k8s.io/v1', 'scheduling.k8s.io/v1beta1', 'storage.k8s.io/v1', 'v1',
    ]);
    const v11 = apiVersions(11);
    for (const later of ['coordination.k8s.io/v1', 'coordination.k8s.io/v1beta1', 'networking.k8s.io/v1beta1', 'scheduling.k8s.io/v1', 'autoscaling/v2beta2']) expect(v11, later).not.toContain(later);
    expect(v11).toContain('scheduling.k8s.io/v1beta1');
    expect(v11).toContain('extensions/v1beta1');
  });

  test('kinds move between groups as they did', () => {
    const find = (minor: number, group: string, version: string, plural: string) => new ResourceTypes(minor).find(group, version, plural)?.kind;
    expect(find(14, 'extensions', 'v1beta1', 'deployments')).toBe('Deployment');
    expect(find(16, 'extensions', 'v1beta1', 'deployments')).toBeUndefined();
    expect(find(21, 'extensions', 'v1beta1', 'ingresses')).toBe('Ingress');
    expect(find(14, 'networking.k8s.io', 'v1', 'ingresses')).toBeUndefined();
    expect(find(14, 'networking.k8s.io', 'v1', 'networkpolicies')).toBe('NetworkPolicy');
    expect(find(14, 'batch', 'v1', 'cronjobs')).toBeUndefined();
    expect(find(14, 'batch', 'v1beta1', 'cronjobs')).toBe('CronJob');
    expect(builtinTypesFor(14).some((t) => t.kind === 'SelfSubjectReview')).toBe(false);
    expect(new ResourceTypes(27).find('authentication.k8s.io', 'v1beta1', 'selfsubjectreviews')?.kind).toBe('SelfSubjectReview');
    expect(new ResourceTypes(27).find('authentication.k8s.io', 'v1', 'selfsubjectreviews')).toBeUndefined();
    expect(servedIn(33, { group: 'apps', version: 'v1' }, 'deployments')).toBe(true);
    // Internal lookups by group and kind work whatever versions are served.
    expect(new ResourceTypes(11).byKey('apiextensions.k8s.io/customresourcedefinitions')?.versions).toEqual(['v1beta1']);
    expect(new ResourceTypes(11).byGroupKind('apiextensions.k8s.io', 'CustomResourceDefinition')).toBeDefined();
  });
});
