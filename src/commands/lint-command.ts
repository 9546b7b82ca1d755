/**
 * `kubetutor lint PATH`: validate a lesson (file or folder; a folder's translations, `lesson.zh.md`,
 * too, each against the original); exit non-zero on errors, warnings listed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from './args.js';
import { userError } from '../user-error.js';
import { lintLesson, lintTranslation, type LintFinding } from '../authoring/lint.js';
import { translationTag } from '../lesson/translations.js';
import { displayText } from '../text/display-text.js';
import { t } from '../i18n/index.js';

const read = (file: string) => {
  try {
    return readFileSync(file);
  } catch {
    throw userError(t('cmd.lint.noLesson', { file }));
  }
};

export async function lintCommand(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, {});
  if (positionals.length !== 1) throw userError(t('cmd.lint.usage'));
  let file = positionals[0];
  let folder = false;
  try {
    if (statSync(file).isDirectory()) {
      folder = true;
      file = join(file, 'lesson.md');
    }
  } catch {
    throw userError(t('cmd.lint.noLesson', { file }));
  }
  const byPlace = (a: { file: string; line: number }, b: { file: string; line: number }) => a.file.localeCompare(b.file) || a.line - b.line;
  const findings: LintFinding[] = [];
  const original = join(dirname(file), 'lesson.md');
  if (translationTag(basename(file))) {
    // A translation given by path: checked against the lesson.md beside it.
    findings.push(...lintTranslation({ text: read(original), file: original }, { text: read(file), file }));
  } else {
    const bytes = read(file);
    findings.push(...lintLesson(bytes, file));
    if (folder) {
      for (const name of readdirSync(dirname(file)).sort()) {
        if (!translationTag(name)) continue;
        const other = join(dirname(file), name);
        findings.push(...lintTranslation({ text: bytes, file }, { text: read(other), file: other }));
      }
    }
  }
  const errors = findings.filter((f) => f.severity === 'error').sort(byPlace);
  const warnings = findings.filter((f) => f.severity !== 'error').sort(byPlace);
  // Errors first, in file:line order, on stderr as every command reports a broken lesson; then the
  // warnings and the tally on stdout. Messages quote the lesson: display text.
  const say = (to: NodeJS.WriteStream, f: (typeof findings)[number]) => to.write(`${displayText(`${f.file}:${f.line}: ${f.severity === 'error' ? t('cmd.lint.error') : t('cmd.lint.warning')}: ${f.message}`)}\n`);
  for (const f of errors) say(process.stderr, f);
  for (const f of warnings) say(process.stdout, f);
  const e = errors.length;
  const w = warnings.length;
  process.stdout.write(`${displayText(t('cmd.lint.tally', { path: folder ? dirname(file) : file, errors: t('cmd.lint.errors', { count: e }), warnings: t('cmd.lint.warnings', { count: w }) }))}\n`);
  return e ? 1 : 0;
}
