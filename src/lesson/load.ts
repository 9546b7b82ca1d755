/**
 * Finding and loading lesson files: the lessons bundled with the package,
 * extra lesson folders, or a lesson given by path.
 */

import { userError } from '../user-error.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeLessonBytes, parseLesson } from './parse.js';
import { hugoToLesson, isHugoPage } from './hugo.js';
import type { Lesson } from './types.js';
import { packageRoot } from '../package-root.js';
import { language } from '../i18n/language.js';
import { t } from '../i18n/index.js';
import { LessonError } from './types.js';
import { lessonLanguage, translationProblems, translationTag } from './translations.js';

export interface LessonListing {
  id: string;
  title: string;
  summary: string;
  /** Absolute path of the lesson's `lesson.md`. */
  file: string;
  /** The languages it is written in: its own first, then its translations' (`lesson.zh.md`). */
  languages: string[];
  /** Why the lesson cannot be loaded (its problems, one per line); the other fields are then best effort. */
  error?: string;
}

const LESSON_FILE = 'lesson.md';

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
    throw userError(t('lesson.cannotRead', { file, error: (e as Error).message }));
  }
  const text = decodeLessonBytes(bytes, file); // a LessonError (file:line) when it is not UTF-8
  // An istio.io page given by path (`kubetutor start PAGE.md`): converted on the fly.
  if (allowHugo && file.toLowerCase().endsWith('.md') && isHugoPage(text)) return hugoToLesson(text, file);
  return parseLesson(text, file);
}

/** The translations beside a lesson file: `lesson.<lang>.md` in its folder, by language. */
export async function lessonTranslations(lessonFile: string): Promise<Array<{ lang: string; file: string }>> {
  const dir = path.dirname(lessonFile);
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return [];
  }
  const out: Array<{ lang: string; file: string }> = [];
  for (const name of names) {
    if (!translationTag(name)) continue;
    const file = path.join(dir, name);
    if (!(await isFile(file))) continue;
    // The language it says it is in (front matter `lang:`), else the one its name says.
    let lang = lessonLanguage({ file });
    try {
      lang = lessonLanguage(await readLessonFile(file));
    } catch {
      /* a broken translation still counts as one, under its name's language */
    }
    out.push({ lang, file });
  }
  return out;
}

/** Whether a lesson written in `written` is the one for a learner reading `wanted` (zh-CN: zh, zh-CN). */
const sameLanguage = (written: string, wanted: string) => written.toLowerCase() === wanted.toLowerCase() || written.toLowerCase().split('-')[0] === wanted.toLowerCase() && !written.includes('-');

/**
 * The lesson in `lang`: the lesson itself if it is written in it (or has no translation into
 * it), else its translation, checked against it (same steps and checks: a LessonError at the
 * translation's file:line otherwise).
 */
export async function inLanguage(lesson: Lesson, lang: string): Promise<Lesson> {
  if (sameLanguage(lessonLanguage(lesson), lang)) return lesson;
  if (path.basename(lesson.file) !== LESSON_FILE) return lesson; // a translation (or a page) given by path is taken as it is
  const match = (await lessonTranslations(lesson.file)).find((x) => sameLanguage(x.lang, lang));
  if (!match) return lesson;
  const translation = await readLessonFile(match.file);
  const problems = translationProblems(lesson, translation);
  if (problems.length) throw new LessonError(problems);
  return { ...translation, lang: lessonLanguage(translation) };
}

/**
 * Lists the lessons in `dirs`: every subfolder holding a `lesson.md`, in
 * folder-name order within each dir. Missing dirs are skipped. A lesson that
 * fails to parse is listed with its `error` (id = folder name) instead of
 * throwing. When two dirs hold the same id, the earlier dir wins.
 */
export async function findLessons(dirs: string[], lang: string = language()): Promise<LessonListing[]> {
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
        const original = await readLessonFile(file);
        const translations = await lessonTranslations(file);
        const languages = [lessonLanguage(original), ...translations.map((x) => x.lang)];
        // Its title and summary in the run's language, where a translation has them.
        let lesson = original;
        try {
          lesson = await inLanguage(original, lang);
        } catch {
          /* a broken translation: the original's words */
        }
        entry = { id: original.id, title: lesson.title, summary: lesson.summary, file, languages };
      } catch (e) {
        entry = { id: name, title: '', summary: '', file, languages: [], error: (e as Error).message };
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
 * `userError = true`) for a lesson that cannot be found. `lang`: the lesson's translation into
 * that language is loaded instead where there is one (default: the run's language).
 */
export async function loadLesson(ref: string, extraDirs: string[] = [], lang: string = language()): Promise<Lesson> {
  return inLanguage(await findLesson(ref, extraDirs), lang);
}

async function findLesson(ref: string, extraDirs: string[]): Promise<Lesson> {
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

  const found = listing.map((l) => (l.error ? `${l.id} ${t('list.broken')}` : l.id));
  throw userError(found.length > 0 ? t('lesson.unknown', { ref, found: found.join(', ') }) : t('lesson.unknownNone', { ref, dirs: dirs.join(', ') }));
}

async function loadPath(ref: string): Promise<Lesson> {
  const abs = path.resolve(ref);
  if (await isDirectory(abs)) {
    const file = path.join(abs, LESSON_FILE);
    if (!(await isFile(file))) throw userError(t('lesson.noFile', { file: LESSON_FILE, dir: abs }));
    return readLessonFile(file);
  }
  if (await isFile(abs)) return readLessonFile(abs, true);
  throw userError(t('lesson.noPath', { ref }));
}
