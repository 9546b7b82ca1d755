/**
 * The class as the instructor sees it: one LIST of the progress ConfigMaps in the
 * namespace, then one WATCH, through the watch loop the cluster caches use
 * (src/cluster/watch-loop.ts), re-established with a growing delay if it fails. No polling:
 * an idle class costs one open watch.
 */
import { CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import { loadKubeconfig } from '../kube/kubeconfig.js';
import { WatchLoop } from '../cluster/watch-loop.js';
import { retryDelay } from '../retry.js';
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

/** Pauses before reconnecting a failed watch: 1 s, doubling up to 30 s. */
const RECONNECT_BACKOFF = { initialMs: 1000, maxMs: 30_000 };

export function watchClass(kubeconfigPath: string | undefined, namespace: string, onChange: (records: LearnerProgress[]) => void, opts: ClassWatchOptions = {}): ClassWatch {
  const kc = loadKubeconfig(kubeconfigPath ? { file: kubeconfigPath } : { default: true }, opts.context);
  const core = kc.makeApiClient(CoreV1Api);
  const stats = { lists: 0, watches: 0, errors: 0 };
  let stopped = false;
  let started = false;
  const changed = () => {
    if (started && !stopped) onChange(records());
  };
  const loop = new WatchLoop<V1ConfigMap>({
    kc,
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    labelSelector: PROGRESS_SELECTOR,
    list: () => {
      stats.lists++;
      return core.listNamespacedConfigMap({ namespace, labelSelector: PROGRESS_SELECTOR });
    },
    onChange: changed,
    onConnect: () => {
      stats.watches++;
    },
    onError: (err) => {
      stats.errors++;
      result.lastError = err instanceof Error ? err : new Error(String(err));
    },
    reconnectDelay: (failures) => retryDelay(RECONNECT_BACKOFF, failures),
    onReconnected: changed,
  });
  const records = (): LearnerProgress[] =>
    loop
      .list(namespace)
      .map((cm) => fromConfigMap(cm))
      .filter((r): r is LearnerProgress => r !== undefined);
  const result: ClassWatch = {
    ready: Promise.resolve(),
    records,
    stats,
    async stop() {
      stopped = true;
      await loop.stop();
    },
  };
  result.ready = loop.start().then(() => {
    started = true;
    onChange(records());
  });
  return result;
}
