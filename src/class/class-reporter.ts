/**
 * A learner's runner reporting its progress to the class namespace: one ConfigMap per
 * learner, written at most once per 500 ms (always the latest state), one request per write
 * in the steady state (an unconditional replace; a create the first time, or when it is gone).
 * Errors are remembered in `lastError`, never thrown: a broken class link must not break a lesson.
 */
import { CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import { loadKubeconfig } from '../kube/kubeconfig.js';
import { toConfigMap, type LearnerProgress } from './progress-record.js';

export const REPORT_INTERVAL_MS = 500;

export interface EngineView {
  current: number;
  steps: Array<{ status: string; passedAt?: number; results: Array<{ ok: boolean; summary: string }> }>;
}

/** The record for an engine state (as `start` sees it): `stuckSince` is when the current step became current (ms). */
export function progressFromView(lessonId: string, learner: string, stepIds: string[], engine: EngineView, stuckSince: number): LearnerProgress {
  const passed: Record<string, string> = {};
  engine.steps.forEach((s, i) => {
    const id = stepIds[i];
    if (id !== undefined && s.status === 'passed') passed[id] = new Date(s.passedAt ?? stuckSince).toISOString();
  });
  const done = engine.current >= stepIds.length;
  const cur = done ? undefined : engine.steps[engine.current];
  const failure = cur?.results.find((r) => !r.ok);
  return {
    learner,
    lesson: lessonId,
    current: done ? 'done' : stepIds[engine.current],
    currentIndex: Math.min(engine.current, stepIds.length),
    steps: stepIds.length,
    passed,
    ...(failure && (cur!.status === 'failed' || cur!.status === 'current' || cur!.status === 'checking') ? { lastFailure: failure.summary } : {}),
    updatedAt: new Date().toISOString(),
    stuckSince: new Date(stuckSince).toISOString(),
  };
}

const codeOf = (e: unknown): number | undefined => {
  const c = (e as { code?: unknown; statusCode?: unknown })?.code ?? (e as { statusCode?: unknown })?.statusCode;
  return typeof c === 'number' ? c : undefined;
};

export class ClassReporter {
  /** API requests made so far. */
  requests = 0;
  /** Writes that reached the API server. */
  writes = 0;
  lastError: Error | undefined;
  private readonly api: CoreV1Api;
  private pending: LearnerProgress | undefined;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastWriteAt = -Infinity;
  /** Whether the ConfigMap is believed to exist (then replace first, else create first). */
  private exists = false;
  private closed = false;

  constructor(
    kubeconfigPath: string,
    private readonly namespace: string,
    readonly learner: string,
    opts: { context?: string } = {},
  ) {
    const kc = loadKubeconfig({ file: kubeconfigPath }, opts.context);
    this.api = kc.makeApiClient(CoreV1Api);
  }

  report(p: LearnerProgress): void {
    if (this.closed) return;
    this.pending = p;
    this.schedule();
  }

  private schedule(): void {
    if (this.writing || this.timer || !this.pending) return;
    const wait = this.lastWriteAt + REPORT_INTERVAL_MS - Date.now();
    if (wait <= 0) this.flushNow();
    else this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushNow();
    }, wait);
  }

  private flushNow(): void {
    const p = this.pending;
    if (!p || this.writing) return;
    this.pending = undefined;
    this.lastWriteAt = Date.now();
    this.writing = this.write(p).finally(() => {
      this.writing = undefined;
      this.schedule();
    });
  }

  private async write(p: LearnerProgress): Promise<void> {
    const body = toConfigMap(this.namespace, p) as V1ConfigMap;
    const name = body.metadata!.name!;
    const replace = async () => {
      this.requests++;
      await this.api.replaceNamespacedConfigMap({ namespace: this.namespace, name, body });
    };
    const create = async () => {
      this.requests++;
      await this.api.createNamespacedConfigMap({ namespace: this.namespace, body });
    };
    try {
      if (this.exists) {
        try {
          await replace();
        } catch (e) {
          if (codeOf(e) !== 404) throw e;
          await create();
        }
      } else {
        try {
          await create();
        } catch (e) {
          if (codeOf(e) !== 409) throw e;
          await replace();
        }
      }
      this.exists = true;
      this.writes++;
      this.lastError = undefined;
    } catch (e) {
      this.lastError = e instanceof Error ? e : new Error(String(e));
    }
  }

  /** Writes what is pending (now, without waiting out the interval) and stops. */
  async close(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.writing) await this.writing;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.closed = true;
    const p = this.pending;
    this.pending = undefined;
    if (p) await this.write(p);
  }
}
