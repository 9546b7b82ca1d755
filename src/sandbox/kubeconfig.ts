/** The kubeconfig that points kubectl and client-node at a running sandbox (written with src/kube/kubeconfig.ts). */
import YAML from 'yaml';

export const SANDBOX_CONTEXT = 'kubetutor-sandbox';

export function sandboxKubeconfig(server: string, token: string): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // The certificate is made fresh each run, so there is nothing stable to pin.
    clusters: [{ name: SANDBOX_CONTEXT, cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'learner', user: { token } }],
    contexts: [{ name: SANDBOX_CONTEXT, context: { cluster: SANDBOX_CONTEXT, user: 'learner', namespace: 'default' } }],
    'current-context': SANDBOX_CONTEXT,
    preferences: {},
  });
}
