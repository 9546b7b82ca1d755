/** `kubetutor import PAGE.md [--out DIR]`: turn an istio.io Hugo page into a lesson skeleton to fill with checks. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from './args.js';
import { userError } from '../user-error.js';
import { importSkeleton } from '../lesson/hugo.js';
import { parseLesson } from '../lesson/parse.js';
import { displayText } from '../text/display-text.js';
import { t } from '../i18n/index.js';

export async function importCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse(argv, { out: { type: 'string' } });
  if (positionals.length !== 1) throw userError(t('cmd.usage', { synopsis: 'kubetutor import PAGE.md [--out DIR]' }));
  const page = positionals[0];
  let text: string;
  try {
    text = readFileSync(page, 'utf8');
  } catch {
    throw userError(t('cmd.import.cannotRead', { file: page }));
  }
  const skeleton = importSkeleton(text, resolve(page));
  // Parse once so a page that cannot become a lesson fails here (file:line against the converted text), not at lint.
  const lesson = parseLesson(skeleton, resolve(page));
  const dir = values.out ?? join('.', lesson.id);
  const file = join(dir, 'lesson.md');
  if (existsSync(file)) throw userError(t('cmd.import.exists', { file }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, skeleton, { flag: 'wx' });
  const n = lesson.steps.length;
  process.stdout.write(displayText(`${file}\n${t('cmd.import.written', { count: n, command: `kubetutor lint ${dir}` })}\n`, { lines: true }));
  return 0;
}
