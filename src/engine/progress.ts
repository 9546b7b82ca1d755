/** Progress per lesson and target, in the XDG state directory, written atomically. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateDir } from '../state-dir.js';
import { t } from '../i18n/index.js';

export interface Progress {
  lesson: string;
  target: string;
  /** When the learner first started this lesson on this target (ms). */
  startedAt: number;
  passed: Record<string, string>;
  vars: Record<string, string>;
  updatedAt: string;
}

export { stateDir };

export function progressFile(lesson: string, target: string): string {
  return join(stateDir(), 'progress', `${lesson}@${target}.json`);
}

/** What is in a progress file: nothing yet, a record, or something that cannot be read (and why, in a few words). */
export type ProgressRead = { state: 'none' } | { state: 'ok'; progress: Progress } | { state: 'broken'; reason: string };

export function readProgress(file: string): ProgressRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { state: 'none' } : { state: 'broken', reason: t('session.progressCannotRead', { code: code ?? (e as Error).message }) };
  }
  if (text.trim() === '') return { state: 'broken', reason: t('session.progressEmpty') };
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch (e) {
    return { state: 'broken', reason: /end of JSON input|Unterminated string/.test((e as Error).message) ? t('session.progressCutShort') : t('session.progressNotJson') };
  }
  const why = progressProblem(p);
  return why ? { state: 'broken', reason: why } : { state: 'ok', progress: p as Progress };
}

/** Why `p` is not a progress record as `saveProgress` writes it, or undefined. */
function progressProblem(p: unknown): string | undefined {
  const kind = (v: unknown) =>
    v === null ? t('session.kindNull') : Array.isArray(v) ? t('session.kindList') : typeof v === 'object' ? t('session.kindMapping') : typeof v === 'string' ? t('session.kindString') : t('session.kindOther', { type: typeof v });
  const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isMap(p)) return t('session.progressNotRecord', { kind: kind(p) });
  if (typeof p.startedAt !== 'number' || !Number.isFinite(p.startedAt) || p.startedAt <= 0) return t('session.progressNotTime', { key: 'startedAt', kind: kind(p.startedAt) });
  if (!isMap(p.passed) || !Object.values(p.passed).every((v) => typeof v === 'string')) return t('session.progressFieldIs', { key: 'passed', kind: isMap(p.passed) ? t('session.progressPassedValues') : kind(p.passed) });
  if (!isMap(p.vars) || !Object.values(p.vars).every((v) => typeof v === 'string')) return t('session.progressFieldIs', { key: 'vars', kind: isMap(p.vars) ? t('session.progressVarsValues') : kind(p.vars) });
  for (const key of ['lesson', 'target', 'updatedAt'] as const) {
    if (p[key] !== undefined && typeof p[key] !== 'string') return t('session.progressNotString', { key, kind: kind(p[key]) });
  }
  return undefined;
}

/** The saved progress, or undefined when there is none or it cannot be read. */
export function loadProgress(file: string): Progress | undefined {
  const read = readProgress(file);
  return read.state === 'ok' ? read.progress : undefined;
}

/**
 * Moves an unreadable progress file aside (`….broken`, or `….broken-<time>` when that is taken),
 * so the learner or a bug report still has it. Returns its new path; undefined when it could not
 * be moved (then it stays where it is until progress is saved over it).
 */
export function keepBroken(file: string): string | undefined {
  const aside = existsSync(`${file}.broken`) ? `${file}.broken-${Date.now()}` : `${file}.broken`;
  try {
    renameSync(file, aside);
    return aside;
  } catch {
    return undefined;
  }
}

export function saveProgress(file: string, p: Progress): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(p, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
