/**
 * Finding and loading lesson files: the lessons bundled with the package,
 * extra lesson folders, or a lesson given by path.
 */

import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeLessonBytes, parseLesson } from './parse.js';
import { hugoToLesson, isHugoPage } from './hugo.js';
import type { Lesson } from './types.js';
import { packageRoot } from '../package-root.js';

export interface LessonListing {
  id: string;
  title: string;
  summary: string;
  /** Absolute path of the lesson's `lesson.md`. */
  file: string;
  /** Why the lesson cannot be loaded (its problems, one per line); the other fields are then best effort. */
  error?: string;
}

const LESSON_FILE = 'lesson.md';

function userError(message: string): Error {
  return Object.assign(new Error(message), { userError: true });
}

/** The package's `lessons/` folder. */
export function bundledLessonsDir(): string {
  return path.join(packageRoot(), 'lessons');
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function readLessonFile(file: string, allowHugo = false): Promise<Lesson> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw userError(`cannot read lesson ${file}: ${(e as Error).message}`);
  }
  const text = decodeLessonBytes(bytes, file); // a LessonError (file:line) when it is not UTF-8
  // An istio.io page given by path (`kubetutor start PAGE.md`): converted on the fly.
  if (allowHugo && file.toLowerCase().endsWith('.md') && isHugoPage(text)) return hugoToLesson(text, file);
  return parseLesson(text, file);
}

/**
 * Lists the lessons in `dirs`: every subfolder holding a `lesson.md`, in
 * folder-name order within each dir. Missing dirs are skipped. A lesson that
 * fails to parse is listed with its `error` (id = folder name) instead of
 * throwing. When two dirs hold the same id, the earlier dir wins.
 */
export async function findLessons(dirs: string[]): Promise<LessonListing[]> {
  const out: LessonListing[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const folder = path.resolve(dir, name);
      const file = path.join(folder, LESSON_FILE);
      if (!(await isDirectory(folder)) || !(await isFile(file))) continue;
      let entry: LessonListing;
      try {
        const lesson = await readLessonFile(file);
        entry = { id: lesson.id, title: lesson.title, summary: lesson.summary, file };
      } catch (e) {
        entry = { id: name, title: '', summary: '', file, error: (e as Error).message };
      }
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      out.push(entry);
    }
  }
  return out;
}

/**
 * Loads a lesson by reference:
 * - a path (it contains a slash, ends in `.md`, or is `.`/`..`): a lesson file,
 *   or a folder holding `lesson.md`;
 * - otherwise a lesson id, looked up in `extraDirs` and then the bundled
 *   lessons (by folder name first, then by the id in the front matter); as a
 *   last resort, a folder of that name in the working directory.
 * Throws a `LessonError` for a broken lesson and a user error (an Error with
 * `userError = true`) for a lesson that cannot be found.
 */
export async function loadLesson(ref: string, extraDirs: string[] = []): Promise<Lesson> {
  const looksLikePath = ref.includes('/') || ref.includes(path.sep) || ref.toLowerCase().endsWith('.md') || ref === '.' || ref === '..';
  if (looksLikePath) return loadPath(ref);

  const dirs = [...extraDirs, bundledLessonsDir()];
  for (const dir of dirs) {
    const file = path.resolve(dir, ref, LESSON_FILE);
    if (await isFile(file)) return readLessonFile(file);
  }
  const listing = await findLessons(dirs);
  const match = listing.find((l) => l.id === ref);
  if (match) return readLessonFile(match.file);
  if (await isFile(path.resolve(ref, LESSON_FILE))) return loadPath(ref);

  const found = listing.map((l) => (l.error ? `${l.id} (broken)` : l.id));
  throw userError(
    found.length > 0
      ? `unknown lesson "${ref}" (lessons found: ${found.join(', ')})`
      : `unknown lesson "${ref}" (no lessons found in ${dirs.join(', ')})`,
  );
}

async function loadPath(ref: string): Promise<Lesson> {
  const abs = path.resolve(ref);
  if (await isDirectory(abs)) {
    const file = path.join(abs, LESSON_FILE);
    if (!(await isFile(file))) throw userError(`no ${LESSON_FILE} in ${abs}`);
    return readLessonFile(file);
  }
  if (await isFile(abs)) return readLessonFile(abs, true);
  throw userError(`no lesson at ${ref}: no such file or folder`);
}
