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
import { t } from '../i18n/index.js';

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

const show = (v: unknown) => (v === undefined ? t('lesson.tr.notSet') : JSON.stringify(v));

/**
 * What differs between a lesson and its translation where it must not: one problem per place,
 * at the translation's file:line, naming the original's line.
 */
export function translationProblems(original: Lesson, translation: Lesson): Array<{ file: string; line: number; message: string }> {
  const file = translation.file;
  const orig = path.basename(original.file);
  const out: Array<{ file: string; line: number; message: string }> = [];
  const say = (line: number, message: string) => out.push({ file, line, message });
  if (translation.id !== original.id) say(1, t('lesson.tr.id', { here: translation.id, there: original.id, orig }));
  if (JSON.stringify(translation.eras ?? []) !== JSON.stringify(original.eras ?? [])) say(1, t('lesson.tr.eras', { orig, here: show(translation.eras), there: show(original.eras) }));
  const ids = (l: Lesson) => l.steps.map((s) => s.id).join(', ');
  if (ids(translation) !== ids(original)) {
    // Name the first step that differs, where it is.
    const i = original.steps.findIndex((s, k) => translation.steps[k]?.id !== s.id);
    const at = translation.steps[i] ?? translation.steps[translation.steps.length - 1];
    say(at?.source.line ?? 1, t('lesson.tr.steps', { orig, here: ids(translation) || t('lesson.tr.none'), there: ids(original) }));
    return out;
  }
  original.steps.forEach((step, i) => {
    const here = translation.steps[i];
    if (here.checks.length !== step.checks.length) {
      say(here.checks[0]?.source.line ?? here.source.line, t('lesson.tr.checkCount', { step: step.id, here: here.checks.length, there: step.checks.length, orig, line: step.checks[0]?.source.line ?? step.source.line }));
    } else {
      step.checks.forEach((c, j) => {
        const diff = checkDifference(c, here.checks[j]);
        if (diff) say(here.checks[j].source.line, t('lesson.tr.checkDiffers', { n: j + 1, step: step.id, orig, line: c.source.line, diff }));
      });
    }
    const forwards = (cs: Lesson['steps'][number]['commands']) => cs.filter((c) => c.background).map((c) => `${c.name}${c.readyPort ? `:${c.readyPort}` : ''}`).sort().join(', ');
    if (forwards(here.commands) !== forwards(step.commands)) {
      say(here.source.line, t('lesson.tr.background', { step: step.id, orig, line: step.source.line, here: forwards(here.commands) || t('lesson.tr.none'), there: forwards(step.commands) || t('lesson.tr.none') }));
    }
  });
  return out;
}

/** The first parameter in which two checks differ (the translated texts aside), or undefined. */
function checkDifference(a: Check, b: Check): string | undefined {
  if (a.kind !== b.kind) return t('lesson.tr.kind', { here: b.kind, there: a.kind });
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (TRANSLATED_CHECK_FIELDS.has(k)) continue;
    const x = (a as unknown as Record<string, unknown>)[k];
    const y = (b as unknown as Record<string, unknown>)[k];
    if (JSON.stringify(x) !== JSON.stringify(y)) return t('lesson.tr.param', { param: k, here: show(y), there: show(x) });
  }
  if (a.kind === 'quiz' && b.kind === 'quiz' && a.options.length !== b.options.length) return t('lesson.tr.options', { here: b.options.length, there: a.options.length });
  return undefined;
}
