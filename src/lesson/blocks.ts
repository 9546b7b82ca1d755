/**
 * A step's prose cut into blocks: plain prose, callouts (`> **Tip:** …`, `> [!WARNING]`) and
 * pictures (`![caption](file)` alone in a paragraph). Top-level Markdown blocks are found with
 * the parser's source lines, so each block keeps the line it starts on in the lesson file.
 */
import { parseMarkdown, type Token } from './markdown-parser.js';
import type { Block, CalloutBlock } from './types.js';

const CALLOUT_LABEL_RE = /^\s*(?:\*\*|__)(tip|warning|note|idea|important|caution)\s*:?\s*(?:\*\*|__)\s*:?\s*/i;
const ALERT_RE = /^\s*\[!(tip|warning|note|important|caution)\]\s*/i;

function tone(word: string): CalloutBlock['tone'] {
  const w = word.toLowerCase();
  return w === 'warning' || w === 'caution' || w === 'important' ? 'warning' : w === 'note' ? 'note' : 'tip';
}

const capital = (w: string) => w[0].toUpperCase() + w.slice(1).toLowerCase();

/**
 * `lines` is a run of prose that starts at file line `firstLine` (1-based). Blank lines between
 * blocks are dropped; the blocks come back in order.
 */
export function proseBlocks(lines: string[], firstLine: number, file: string): Block[] {
  const text = lines.join('\n');
  if (text.trim() === '') return [];
  const tokens = parseMarkdown(text);
  const out: Block[] = [];
  let prose: [number, number] | null = null; // line range [start, end) of the prose gathered so far
  const flush = () => {
    if (!prose) return;
    const markdown = trimBlank(lines.slice(prose[0], prose[1])).join('\n');
    if (markdown.trim()) out.push({ kind: 'prose', markdown, source: { file, line: firstLine + prose[0] } });
    prose = null;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.level !== 0 || !t.map || t.nesting === -1) continue;
    const [a, b] = t.map;
    const special = t.type === 'blockquote_open' ? callout(lines.slice(a, b)) : t.type === 'paragraph_open' ? image(tokens[i + 1]) : undefined;
    if (special) {
      flush();
      out.push({ ...special, source: { file, line: firstLine + a } } as Block);
      continue;
    }
    prose = prose ? [prose[0], Math.max(prose[1], b)] : [a, b];
  }
  flush();
  return out;
}

function callout(quoted: string[]): Omit<CalloutBlock, 'source'> | undefined {
  const inner = quoted.map((l) => l.replace(/^ {0,3}> ?/, ''));
  const first = inner.findIndex((l) => l.trim() !== '');
  if (first < 0) return undefined;
  const m = ALERT_RE.exec(inner[first]) ?? CALLOUT_LABEL_RE.exec(inner[first]);
  if (!m) return undefined;
  inner[first] = inner[first].slice(m[0].length);
  const markdown = trimBlank(inner).join('\n');
  return { kind: 'callout', tone: tone(m[1]), label: capital(m[1]), markdown };
}

function image(inline: Token | undefined): { kind: 'image'; alt: string; src: string } | undefined {
  if (!inline || inline.type !== 'inline' || !inline.children) return undefined;
  const kids = inline.children.filter((c) => !(c.type === 'text' && c.content.trim() === '') && c.type !== 'softbreak');
  if (kids.length !== 1 || kids[0].type !== 'image') return undefined;
  const img = kids[0];
  const alt = (img.children ?? []).map((c) => c.content).join('') || img.content;
  return { kind: 'image', alt: alt.trim() || 'image', src: String(img.attrGet('src') ?? '') };
}

function trimBlank(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}
