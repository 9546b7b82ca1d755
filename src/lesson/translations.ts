/**
 * Lesson translations: `lesson.<lang>.md` beside a lesson's `lesson.md` (`lesson.zh.md`,
 * `lesson.zh-CN.md`), the same lesson in another language. Its prose, titles, hints and quiz
 * texts are its own; what the runner acts on must be the original's: the same steps (ids, in
 * order), the same checks (kinds and parameters, `when`, quiz answers and option counts), the
 * same background commands (names and ports) and eras. Pure: which file is which, and the
 * comparison (src/lesson/load.ts reads the files).
 */
import path from 'node:path';
import type { Check, Lesson } from './types.js';
import { lessonLanguageTag } from '../i18n/language.js';

/** `lesson.zh.md` → its language tag as written (`zh`); undefined for any other name. */
export function translationTag(fileName: string): string | undefined {
  return /^lesson\.([A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*)\.md$/.exec(fileName)?.[1];
}

/** The language a lesson file is written in: front matter `lang:`, else its name, else en. */
export function lessonLanguage(lesson: Pick<Lesson, 'lang' | 'file'>): string {
  if (lesson.lang) return lesson.lang;
  const tag = translationTag(path.basename(lesson.file));
  return tag ? lessonLanguageTag(tag) : 'en';
}

/** The texts of a check that a translation writes in its own words; everything else must match. */
const TRANSLATED_CHECK_FIELDS = new Set(['title', 'hint', 'question', 'options', 'source']);

const show = (v: unknown) => (v === undefined ? '(not set)' : JSON.stringify(v));

/**
 * What differs between a lesson and its translation where it must not: one problem per place,
 * at the translation's file:line, naming the original's line.
 */
export function translationProblems(original: Lesson, translation: Lesson): Array<{ file: string; line: number; message: string }> {
  const file = translation.file;
  const orig = path.basename(original.file);
  const out: Array<{ file: string; line: number; message: string }> = [];
  const say = (line: number, message: string) => out.push({ file, line, message });
  if (translation.id !== original.id) say(1, `a translation keeps the lesson's id: "${translation.id}" here, "${original.id}" in ${orig}`);
  if (JSON.stringify(translation.eras ?? []) !== JSON.stringify(original.eras ?? [])) say(1, `a translation claims the same eras as ${orig}: ${show(translation.eras)} here, ${show(original.eras)} there`);
  const ids = (l: Lesson) => l.steps.map((s) => s.id).join(', ');
  if (ids(translation) !== ids(original)) {
    // Name the first step that differs, where it is.
    const i = original.steps.findIndex((s, k) => translation.steps[k]?.id !== s.id);
    const at = translation.steps[i] ?? translation.steps[translation.steps.length - 1];
    say(at?.source.line ?? 1, `the steps of a translation are those of ${orig}, with the same ids in the same order: here ${ids(translation) || 'none'}; in ${orig} ${ids(original)}`);
    return out;
  }
  original.steps.forEach((step, i) => {
    const here = translation.steps[i];
    const where = `step "${step.id}"`;
    if (here.checks.length !== step.checks.length) {
      say(here.checks[0]?.source.line ?? here.source.line, `${where} has ${here.checks.length} checks here and ${step.checks.length} in ${orig} (line ${step.checks[0]?.source.line ?? step.source.line}): a translation has the same checks`);
    } else {
      step.checks.forEach((c, j) => {
        const diff = checkDifference(c, here.checks[j]);
        if (diff) say(here.checks[j].source.line, `check ${j + 1} of ${where} differs from ${orig}:${c.source.line}: ${diff}`);
      });
    }
    const forwards = (cs: Lesson['steps'][number]['commands']) => cs.filter((c) => c.background).map((c) => `${c.name}${c.readyPort ? `:${c.readyPort}` : ''}`).sort().join(', ');
    if (forwards(here.commands) !== forwards(step.commands)) {
      say(here.source.line, `${where} starts other background commands than in ${orig}:${step.source.line}: ${forwards(here.commands) || 'none'} here, ${forwards(step.commands) || 'none'} there`);
    }
  });
  return out;
}

/** The first parameter in which two checks differ (the translated texts aside), or undefined. */
function checkDifference(a: Check, b: Check): string | undefined {
  if (a.kind !== b.kind) return `kind is ${b.kind} here, ${a.kind} there`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (TRANSLATED_CHECK_FIELDS.has(k)) continue;
    const x = (a as unknown as Record<string, unknown>)[k];
    const y = (b as unknown as Record<string, unknown>)[k];
    if (JSON.stringify(x) !== JSON.stringify(y)) return `${k} is ${show(y)} here, ${show(x)} there`;
  }
  if (a.kind === 'quiz' && b.kind === 'quiz' && a.options.length !== b.options.length) return `${b.options.length} options here, ${a.options.length} there`;
  return undefined;
}
