/**
 * Who the sandbox's user is and what it may do: the answers behind 403 Forbidden,
 * `kubectl auth can-i` (SelfSubjectAccessReview, SelfSubjectRulesReview) and
 * `kubectl auth whoami` (SelfSubjectReview).
 *
 * The user may do everything (it is in `system:masters`, as a kubeadm admin is) except what a
 * scenario or test refuses with {@link AccessRule}s; a user with refusals is not a master.
 */

/** A request the sandbox refuses, to show what an RBAC refusal looks like. */
export interface AccessRule {
  verb: string;
  /** `pods`, or `pods/portforward` for a subresource. */
  resource: string;
  /** API group; any group when left out. */
  group?: string;
  /** Only in this namespace; everywhere when left out. */
  namespace?: string;
}

export interface RequestAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface UserInfo {
  username: string;
  uid: string;
  groups: string[];
}

export const SANDBOX_USERNAME = 'learner';

export interface Decision {
  allowed: boolean;
  /** Why, in the words Kubernetes' RBAC authorizer uses for an allowed request. */
  reason?: string;
}

export class Authorizer {
  readonly user: UserInfo;

  constructor(readonly refused: readonly AccessRule[] = []) {
    this.user = {
      username: SANDBOX_USERNAME,
      uid: 'kubetutor-sandbox-learner',
      groups: refused.length ? ['kubetutor:learners', 'system:authenticated'] : ['system:masters', 'system:authenticated'],
    };
  }

  decide(a: RequestAttributes): Decision {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const match = (r: AccessRule) =>
      (r.verb === a.verb || r.verb === '*') &&
      (r.resource === resource || r.resource === '*') &&
      (r.group === undefined || r.group === a.group) &&
      (!r.namespace || r.namespace === a.namespace);
    return this.refused.some(match) ? { allowed: false } : this.allowed();
  }

  private allowed(): Decision {
    return this.refused.length === 0
      ? { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"' }
      : { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "kubetutor-learner" of ClusterRole "kubetutor-learner" to Group "kubetutor:learners"' };
  }

  /** Non-resource URLs (`kubectl auth can-i get /healthz`): no scenario refuses any. */
  decidePath(verb: string, path: string): Decision {
    return verb && path ? this.allowed() : { allowed: false };
  }

  /**
   * The 403 a Kubernetes API server answers, worded as its authorization filter words it
   * (`pods is forbidden: User "learner" cannot list resource "pods" in API group "" in the
   * namespace "default"`), with `details` {group, kind: resource, name}.
   */
  forbidden(a: RequestAttributes): { message: string; details: Record<string, string> } {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
    const why = `User "${this.user.username}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${where}`;
    const qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
    const message = a.name ? `${qualified} "${a.name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
    const details: Record<string, string> = {};
    if (a.name) details.name = a.name;
    if (a.group) details.group = a.group;
    details.kind = a.resource;
    return { message, details };
  }

  /** SelfSubjectRulesReview status: everything, and whether refusals make the list incomplete. */
  rules(): Record<string, unknown> {
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: this.refused.length > 0,
      ...(this.refused.length
        ? { evaluationError: `these are refused: ${this.refused.map((r) => `${r.verb} ${r.resource}${r.namespace ? ` in ${r.namespace}` : ''}`).join(', ')}` }
        : {}),
    };
  }
}
