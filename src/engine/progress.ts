/** Progress per lesson and target, in the XDG state directory, written atomically. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Progress {
  lesson: string;
  target: string;
  /** When the learner first started this lesson on this target (ms). */
  startedAt: number;
  passed: Record<string, string>;
  vars: Record<string, string>;
  updatedAt: string;
}

export function stateDir(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'kubetutor');
}

export function progressFile(lesson: string, target: string): string {
  return join(stateDir(), 'progress', `${lesson}@${target}.json`);
}

export function loadProgress(file: string): Progress | undefined {
  try {
    const p = JSON.parse(readFileSync(file, 'utf8')) as Progress;
    return typeof p === 'object' && p && typeof p.passed === 'object' ? p : undefined;
  } catch {
    return undefined; // none yet, or unreadable: start afresh rather than fail
  }
}

export function saveProgress(file: string, p: Progress): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(p, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
