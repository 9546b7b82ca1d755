/** `kubetutor lint PATH`: validate a lesson (file or folder); exit non-zero on errors, warnings listed. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../cli.js';
import { userError } from '../cluster/target.js';
import { lintLesson } from '../authoring/lint.js';

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
  const findings = lintLesson(bytes, file);
  // Errors on stderr, as every command reports a broken lesson; warnings with the tally on stdout.
  for (const f of findings) (f.severity === 'error' ? process.stderr : process.stdout).write(`${f.file}:${f.line}: ${f.severity}: ${f.message}\n`);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  process.stdout.write(`${file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  return errors ? 1 : 0;
}
