/**
 * The one place a kubeconfig is read (client-node's KubeConfig, at a chosen or the current
 * context, checked). Every reader of a cluster starts here: the cluster client, the classroom
 * watch and reporter. Writing one is kubeconfig-file.ts (it needs no Kubernetes client).
 */
import { KubeConfig, type Cluster } from '@kubernetes/client-node';
import https from 'node:https';
import tls from 'node:tls';
import { UserError } from '../user-error.js';
import { t } from '../i18n/index.js';
export { writeKubeconfig } from './kubeconfig-file.js';

/** A kubeconfig that cannot be used as asked; the message says which and what to do. */
export class KubeconfigError extends UserError {
  override name = 'KubeconfigError';
}

/** Where the kubeconfig comes from: a file, its text (YAML), or kubectl's default ($KUBECONFIG, ~/.kube/config). */
export type KubeconfigSource = { file: string } | { text: string } | { default: true };

const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0];

/** The kubeconfig from `source`, switched to `context` when one is given, with a current context. */
export function loadKubeconfig(source: KubeconfigSource, context?: string): KubeConfig {
  const kc = new KubeConfig();
  let name: string;
  try {
    if ('file' in source) {
      name = source.file;
      kc.loadFromFile(source.file);
    } else if ('text' in source) {
      name = t('kube.config.the');
      kc.loadFromString(source.text);
    } else {
      name = t('kube.config.the');
      kc.loadFromDefault();
    }
  } catch (e) {
    throw new KubeconfigError('file' in source ? t('kube.config.fileUnreadable', { file: source.file, error: firstLine(e) }) : t('kube.config.unreadable', { error: firstLine(e) }));
  }
  if (context) {
    if (!kc.getContexts().some((c) => c.name === context)) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || t('kube.none');
      throw new KubeconfigError(t('kube.config.noSuchContext', { context, name, known }));
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentContext()) throw new KubeconfigError(t('kube.config.noCurrentContext', { name }));
  shareAgents(kc);
  return kc;
}

type AgentMaker = (cluster: Cluster | null, options: https.AgentOptions) => https.Agent;

/**
 * client-node makes a new https.Agent for every request and watch: no connection is reused, and
 * each new one parses the CA and the client certificate into a fresh TLS context (measured: that
 * and the handshakes were the largest cost of a check round after the checks themselves). Here the
 * requests to one cluster with one set of credentials share an agent that keeps connections
 * alive, caches TLS sessions, and builds its TLS context once. Proxies and plain HTTP are left
 * to client-node as they are.
 */
function shareAgents(kc: KubeConfig): void {
  const own = kc as unknown as { createAgent: AgentMaker };
  const make = own.createAgent.bind(kc);
  const agents = new Map<string, https.Agent>();
  own.createAgent = (cluster, options) => {
    if (!cluster?.server.startsWith('https:') || cluster.proxyUrl) return make(cluster, options);
    const o = options as Record<string, unknown>;
    const key = [cluster.server, ...Object.keys(o).sort().map((k) => `${k}=${String(o[k])}`)].join('\0');
    let agent = agents.get(key);
    if (!agent) agents.set(key, (agent = new https.Agent({ ...options, keepAlive: true, secureContext: tls.createSecureContext(options) })));
    return agent;
  };
}
