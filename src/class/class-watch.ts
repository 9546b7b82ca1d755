/**
 * The class as the instructor sees it: one LIST of the progress ConfigMaps in the
 * namespace, then one WATCH (client-node's ListWatch), re-established with a growing delay
 * if it fails. No polling: an idle class costs one open watch.
 */
import { CoreV1Api, ListWatch, type V1ConfigMap } from '@kubernetes/client-node';
import { loadKubeconfig } from '../kube/kubeconfig.js';
import { StoppableWatch } from '../cluster/watch-cache.js';
import { fromConfigMap, PROGRESS_SELECTOR, type LearnerProgress } from './progress-record.js';

export interface ClassWatch {
  /** Resolves after the first LIST (rejects if it fails). */
  ready: Promise<void>;
  /** The learners' records now (ConfigMaps without a readable record are skipped). */
  records(): LearnerProgress[];
  /** What the view has cost the API server. */
  stats: { lists: number; watches: number; errors: number };
  lastError?: Error;
  stop(): Promise<void>;
}

export interface ClassWatchOptions {
  context?: string;
}

export function watchClass(kubeconfigPath: string | undefined, namespace: string, onChange: (records: LearnerProgress[]) => void, opts: ClassWatchOptions = {}): ClassWatch {
  const kc = loadKubeconfig(kubeconfigPath ? { file: kubeconfigPath } : { default: true }, opts.context);
  const core = kc.makeApiClient(CoreV1Api);
  const stats = { lists: 0, watches: 0, errors: 0 };
  const listFn = () => {
    stats.lists++;
    return core.listNamespacedConfigMap({ namespace, labelSelector: PROGRESS_SELECTOR });
  };
  const watch = new StoppableWatch(kc);
  const informer = new ListWatch<V1ConfigMap>(`/api/v1/namespaces/${namespace}/configmaps`, watch, listFn, false, PROGRESS_SELECTOR);
  let stopped = false;
  let started = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let backoffMs = 1000;
  const records = (): LearnerProgress[] =>
    informer
      .list(namespace)
      .map((cm) => fromConfigMap(cm))
      .filter((r): r is LearnerProgress => r !== undefined);
  const changed = () => {
    if (started && !stopped) onChange(records());
  };
  informer.on('add', changed);
  informer.on('update', changed);
  informer.on('delete', changed);
  informer.on('connect', () => {
    stats.watches++;
  });
  const result: ClassWatch = {
    ready: Promise.resolve(),
    records,
    stats,
    async stop() {
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      await informer.stop().catch(() => undefined);
      watch.stopAll();
    },
  };
  const restart = () => {
    if (restartTimer || stopped) return;
    const delay = backoffMs;
    backoffMs = Math.min(30_000, backoffMs * 2);
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopped) return;
      informer.start().then(
        () => {
          backoffMs = 1000;
          changed();
        },
        () => restart(),
      );
    }, delay);
  };
  informer.on('error', (err?: unknown) => {
    if (stopped || (err as { name?: string } | undefined)?.name === 'AbortError') return;
    stats.errors++;
    result.lastError = err instanceof Error ? err : new Error(String(err));
    if (started) restart(); // client-node 1.x does not restart after an error
  });
  result.ready = informer.start().then(() => {
    started = true;
    onChange(records());
  });
  return result;
}
