/**
 * Which lessons may run commands. kubetutor's own lessons (bundled with it)
 * always may; any other lesson file runs nothing — no command, no solution,
 * no `command` check — until the learner has been shown its source and has
 * trusted it. Trust is recorded per file and content: editing the file (or a
 * different file at the same path) asks again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import type { Lesson } from './types.js';
import { bundledLessonsDir } from './load.js';
import { stateDir } from '../state-dir.js';
import { t } from '../i18n/index.js';

const storeFile = () => join(stateDir(), 'trusted-lessons.json');

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

export function isBundled(lesson: Pick<Lesson, 'file'>): boolean {
  const rel = relative(real(bundledLessonsDir()), real(lesson.file));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The lesson file's text and its SHA-256 (what trust is given to). */
export function lessonSource(lesson: Pick<Lesson, 'file'>): { text: string; sha256: string } {
  const bytes = readFileSync(lesson.file);
  return { text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

function readStore(): Record<string, string> {
  try {
    const v = JSON.parse(readFileSync(storeFile(), 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {}; // none yet, or unreadable: nothing is trusted
  }
}

export function isTrusted(lesson: Pick<Lesson, 'file'>): boolean {
  if (isBundled(lesson)) return true;
  try {
    return readStore()[real(lesson.file)] === lessonSource(lesson).sha256;
  } catch {
    return false;
  }
}

/** Records that the learner trusts this file as it is now. */
export function trustLesson(lesson: Pick<Lesson, 'file'>): void {
  if (isBundled(lesson)) return;
  const store = readStore();
  store[real(lesson.file)] = lessonSource(lesson).sha256;
  const file = storeFile();
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(store, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/** What the screen says while a lesson is not trusted. */
export const untrustedNotice = (): string => t('lesson.untrusted');
