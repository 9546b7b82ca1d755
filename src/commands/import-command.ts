/** `kubetutor import PAGE.md [--out DIR]`: turn an istio.io Hugo page into a lesson skeleton to fill with checks. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from './args.js';
import { userError } from '../user-error.js';
import { importSkeleton } from '../lesson/hugo.js';
import { parseLesson } from '../lesson/parse.js';
import { displayText } from '../text/display-text.js';

export async function importCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse(argv, { out: { type: 'string' } });
  if (positionals.length !== 1) throw userError('usage: kubetutor import PAGE.md [--out DIR]');
  const page = positionals[0];
  let text: string;
  try {
    text = readFileSync(page, 'utf8');
  } catch {
    throw userError(`cannot read ${page}`);
  }
  const skeleton = importSkeleton(text, resolve(page));
  // Parse once so a page that cannot become a lesson fails here (file:line against the converted text), not at lint.
  const lesson = parseLesson(skeleton, resolve(page));
  const dir = values.out ?? join('.', lesson.id);
  const file = join(dir, 'lesson.md');
  if (existsSync(file)) throw userError(`${file} already exists; not overwriting it (remove it or pick another --out)`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, skeleton, { flag: 'wx' });
  const n = lesson.steps.length;
  process.stdout.write(displayText(`${file}\n${n} step${n === 1 ? '' : 's'}; fill in the check blocks, then: kubetutor lint ${dir}\n`, { lines: true }));
  return 0;
}
