/** The commands of a shell block: `$ ` prompts, `\`-continued lines, heredocs. Pure. */
import type { Report } from './yaml-block.js';
import { t } from '../i18n/index.js';

export const PROMPT_RE = /^[ \t]*\$(?:[ \t]|$)/;
const HEREDOC_RE = /(?<!<)<<(?!<)(-?)[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

function heredocEnds(text: string): Array<{ word: string; tabs: boolean }> {
  return [...text.matchAll(HEREDOC_RE)].map((m) => ({ word: m[3], tabs: m[1] === '-' }));
}

/**
 * Splits a block into commands. In 'prompt' mode a command starts at each
 * `$ ` line; other lines after a finished command are sample output and are
 * skipped. In 'lines' mode (solutions) every non-blank, non-comment line
 * starts a command. In both, `\`-continued lines and heredoc bodies belong to
 * the command they continue, and the text is kept as written (minus prompts).
 */
export function splitCommands(
  content: string[],
  mode: 'prompt' | 'lines',
  lang: string,
  firstLine: number,
  report: Report,
): Array<{ run: string; line: number }> {
  const out: Array<{ run: string; line: number }> = [];
  let cur: { lines: string[]; line: number } | null = null;
  let continued = false;
  let heredocs: Array<{ word: string; tabs: boolean }> = [];
  let reportedStray = false;

  const finish = () => {
    if (cur) out.push({ run: cur.lines.join('\n'), line: cur.line });
    cur = null;
    continued = false;
    heredocs = [];
  };

  content.forEach((raw, k) => {
    const lineNo = firstLine + k;
    if (cur && heredocs.length > 0) {
      cur.lines.push(raw);
      const body = heredocs[0].tabs ? raw.replace(/^\t+/, '') : raw;
      if (body === heredocs[0].word) heredocs.shift();
      if (heredocs.length === 0 && !continued) finish();
      return;
    }
    const line = raw.trimEnd();
    if (cur && continued) {
      const text = lang === 'console' ? line.replace(/^[ \t]*> ?/, '') : line;
      cur.lines.push(text);
      continued = text.endsWith('\\');
      heredocs.push(...heredocEnds(text));
      if (!continued && heredocs.length === 0) finish();
      return;
    }
    const prompt = PROMPT_RE.test(line);
    if (mode === 'prompt' && !prompt) {
      finish();
      if (line.trim() === '' || out.length > 0) return; // blank, or sample output after a command
      if (/^\s*#/.test(line)) return; // a comment before the first command
      if (!reportedStray) {
        report(lineNo, t('lesson.block.textBeforePrompt', { lang }));
        reportedStray = true;
      }
      return;
    }
    finish();
    const text = prompt ? line.replace(/^[ \t]*\$[ \t]?/, '') : line;
    if (text.trim() === '') return;
    if (mode === 'lines' && /^\s*#/.test(text)) return;
    cur = { lines: [text], line: lineNo };
    continued = text.endsWith('\\');
    heredocs = heredocEnds(text);
    if (!continued && heredocs.length === 0) finish();
  });
  finish();
  return out;
}

