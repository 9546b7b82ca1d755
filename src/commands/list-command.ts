/** `kubetutor list`: the lessons found, bundled and in --lessons folders, with their languages. */
import { parse } from './args.js';
import { bundledLessonsDir, findLessons } from '../lesson/load.js';
import { displayText } from '../text/display-text.js';
import { displayWidth } from '../text/display-width.js';
import { t } from '../i18n/index.js';

export async function listCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { lessons: { type: 'string', multiple: true } });
  const found = await findLessons([...(values.lessons ?? []), bundledLessonsDir()]);
  if (!found.length) {
    process.stdout.write(`${t('list.none')}\n`);
    return 1;
  }
  // id, then the languages it is written in (`[en, zh-CN]`: its own first), then its title and
  // summary in the run's language where it has a translation. Columns by terminal cells.
  const langs = (l: (typeof found)[number]) => (l.error ? t('list.broken') : `[${l.languages.join(', ')}]`);
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
  const w = Math.max(...found.map((l) => displayWidth(l.id)));
  const lw = Math.max(...found.map((l) => displayWidth(langs(l))));
  // Lessons in --lessons folders are anyone's files: their ids, titles and summaries are display text.
  for (const l of found) {
    if (l.error) process.stdout.write(`${displayText(`${pad(l.id, w)}  ${pad(langs(l), lw)}  ${l.error.split('\n')[0]}`)}\n`);
    else process.stdout.write(`${displayText(`${pad(l.id, w)}  ${pad(langs(l), lw)}  ${l.title}${l.summary ? ` — ${l.summary}` : ''}`)}\n`);
  }
  return 0;
}
