// The sandbox user's refusals, worded as Kubernetes' authorization filter words them.
import { describe, expect, test } from 'vitest';
import { Authorizer } from '../../src/sandbox/api/authorizer.js';

describe('Authorizer', () => {
  test('with no refusals the learner is a master and may do anything', () => {
    const a = new Authorizer();
    expect(a.user).toMatchObject({ username: 'learner', groups: ['system:masters', 'system:authenticated'] });
    expect(a.decide({ verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'default' })).toMatchObject({ allowed: true, reason: expect.stringContaining('system:masters') });
    expect(a.decidePath('get', '/healthz').allowed).toBe(true);
    expect(a.rules()).toMatchObject({ incomplete: false });
  });

  test('refusals match verb, resource, subresource, group and namespace', () => {
    const a = new Authorizer([{ verb: 'list', resource: 'pods', group: '' }, { verb: 'create', resource: 'pods/exec', namespace: 'default' }, { verb: 'get', resource: 'deployments' }]);
    expect(a.user.groups).not.toContain('system:masters');
    expect(a.decide({ verb: 'list', group: '', resource: 'pods', namespace: 'x' }).allowed).toBe(false);
    expect(a.decide({ verb: 'list', group: '', resource: 'pods' }).allowed).toBe(false);
    expect(a.decide({ verb: 'get', group: '', resource: 'pods', namespace: 'x' }).allowed).toBe(true);
    expect(a.decide({ verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: 'default' }).allowed).toBe(false);
    expect(a.decide({ verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: 'other' }).allowed).toBe(true);
    expect(a.decide({ verb: 'get', group: 'apps', resource: 'deployments', namespace: 'a' }).allowed).toBe(false);
    expect(a.decide({ verb: 'get', group: 'extensions', resource: 'deployments', namespace: 'a' }).allowed).toBe(false);
    expect(a.rules()).toMatchObject({ incomplete: true });
  });

  test('the Forbidden message and details have the API server\'s shape', () => {
    const a = new Authorizer([{ verb: '*', resource: '*' }]);
    expect(a.forbidden({ verb: 'list', group: '', resource: 'pods', namespace: 'default' })).toEqual({
      message: 'pods is forbidden: User "learner" cannot list resource "pods" in API group "" in the namespace "default"',
      details: { kind: 'pods' },
    });
    expect(a.forbidden({ verb: 'get', group: 'apps', resource: 'deployments', namespace: 'istio-system', name: 'istio-pilot' })).toEqual({
      message: 'deployments.apps "istio-pilot" is forbidden: User "learner" cannot get resource "deployments" in API group "apps" in the namespace "istio-system"',
      details: { name: 'istio-pilot', group: 'apps', kind: 'deployments' },
    });
    expect(a.forbidden({ verb: 'create', group: '', resource: 'pods', subresource: 'portforward', namespace: 'istio-system', name: 'jaeger-1' }).message).toBe(
      'pods "jaeger-1" is forbidden: User "learner" cannot create resource "pods/portforward" in API group "" in the namespace "istio-system"',
    );
    expect(a.forbidden({ verb: 'list', group: 'networking.istio.io', resource: 'gateways' }).message).toBe(
      'gateways.networking.istio.io is forbidden: User "learner" cannot list resource "gateways" in API group "networking.istio.io" at the cluster scope',
    );
  });
});
