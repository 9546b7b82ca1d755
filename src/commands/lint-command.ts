/** `kubetutor lint PATH`: validate a lesson (file or folder); exit non-zero on errors, warnings listed. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from './args.js';
import { userError } from '../cluster/target.js';
import { lintLesson } from '../authoring/lint.js';
import { displayText } from '../text/display-text.js';

export async function lintCommand(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, {});
  if (positionals.length !== 1) throw userError('usage: kubetutor lint PATH (a lesson.md, or the folder holding it)');
  let file = positionals[0];
  try {
    if (statSync(file).isDirectory()) file = join(file, 'lesson.md');
  } catch {
    throw userError(`no lesson at ${file}`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw userError(`no lesson at ${file}`);
  }
  const byPlace = (a: { file: string; line: number }, b: { file: string; line: number }) => a.file.localeCompare(b.file) || a.line - b.line;
  const findings = lintLesson(bytes, file);
  const errors = findings.filter((f) => f.severity === 'error').sort(byPlace);
  const warnings = findings.filter((f) => f.severity !== 'error').sort(byPlace);
  // Errors first, in file:line order, on stderr as every command reports a broken lesson; then the
  // warnings and the tally on stdout. Messages quote the lesson: display text.
  const say = (to: NodeJS.WriteStream, f: (typeof findings)[number]) => to.write(`${displayText(`${f.file}:${f.line}: ${f.severity}: ${f.message}`)}\n`);
  for (const f of errors) say(process.stderr, f);
  for (const f of warnings) say(process.stdout, f);
  const e = errors.length;
  const w = warnings.length;
  process.stdout.write(`${displayText(file)}: ${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}\n`);
  return e ? 1 : 0;
}
