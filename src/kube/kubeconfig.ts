/**
 * The one place a kubeconfig is read (client-node's KubeConfig, at a chosen or the current
 * context, checked). Every reader of a cluster starts here: the cluster client, the classroom
 * watch and reporter. Writing one is kubeconfig-file.ts (it needs no Kubernetes client).
 */
import { KubeConfig } from '@kubernetes/client-node';
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
  return kc;
}
