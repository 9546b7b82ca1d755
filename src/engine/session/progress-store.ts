/**
 * A session's saved progress: read once when it starts (an unreadable file is put aside and the
 * steps re-checked on the cluster), written when a step passes or a variable is exported.
 */
import { keepBroken, readProgress, saveProgress, type Progress } from '../progress.js';
import type { EngineState } from '../engine-state.js';

/** Saved progress that could not be read: why, and where the file was put. */
export interface Recovery { reason: string; keptAs: string | undefined }

export class ProgressStore {
  /** When the learner first started this lesson on this target (ms). */
  readonly startedAt: number;
  /** The variables saved last time. */
  readonly savedVars: Record<string, string>;
  /** Set until the resume after unreadable progress settles (see `takeRecovery`). */
  private recovery: Recovery | undefined;
  /** Why the saved progress could not be read, when it could not. */
  readonly unreadable: string | undefined;

  constructor(private file: string | undefined, private lessonId: string, private targetKey: string) {
    const read = file ? readProgress(file) : undefined;
    const saved = read?.state === 'ok' ? read.progress : undefined;
    if (read?.state === 'broken') {
      // Kept aside, not deleted; the steps are re-checked on the cluster anyway.
      this.recovery = { reason: read.reason, keptAs: keepBroken(file!) };
      this.unreadable = read.reason;
    }
    this.savedVars = { ...(saved?.vars ?? {}) };
    this.startedAt = saved?.startedAt ?? Date.now();
  }

  /** The recovery from unreadable progress, once (undefined after, or when there was none). */
  takeRecovery(): Recovery | undefined {
    const r = this.recovery;
    this.recovery = undefined;
    return r;
  }

  save(state: EngineState, vars: Record<string, string>): void {
    if (!this.file) return;
    const passed: Record<string, string> = {};
    for (const s of state.steps) if (s.status === 'passed' && s.passedAt) passed[s.id] = new Date(s.passedAt).toISOString();
    const p: Progress = { lesson: this.lessonId, target: this.targetKey, startedAt: this.startedAt, passed, vars, updatedAt: new Date().toISOString() };
    try {
      saveProgress(this.file, p);
    } catch {
      /* progress is a convenience: a read-only home must not stop the lesson */
    }
  }
}
