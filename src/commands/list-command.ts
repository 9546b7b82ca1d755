/** `kubetutor list`: the lessons found, bundled and in --lessons folders. */
import { parse } from './args.js';
import { bundledLessonsDir, findLessons } from '../lesson/load.js';
import { displayText } from '../text/display-text.js';

export async function listCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { lessons: { type: 'string', multiple: true } });
  const found = await findLessons([...(values.lessons ?? []), bundledLessonsDir()]);
  if (!found.length) {
    process.stdout.write('no lessons found\n');
    return 1;
  }
  const w = Math.max(...found.map((l) => l.id.length));
  // Lessons in --lessons folders are anyone's files: their ids, titles and summaries are display text.
  for (const l of found) {
    if (l.error) process.stdout.write(`${displayText(`${l.id.padEnd(w)}  (broken) ${l.error.split('\n')[0]}`)}\n`);
    else process.stdout.write(`${displayText(`${l.id.padEnd(w)}  ${l.title}${l.summary ? ` — ${l.summary}` : ''}`)}\n`);
  }
  return 0;
}
