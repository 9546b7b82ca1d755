/**
 * Markdown for the terminal: markdown-it's tokens (src/lesson/markdown-parser.ts) in, lines of
 * styled segments out, word-wrapped to a width in cells (src/ui/cells.ts). Pure: no ANSI; the
 * screen decides how each style looks. Results are kept per text and width (a lesson's prose is
 * laid out once per terminal width, not on every frame).
 *
 * Blocks: headings, paragraphs (hard breaks kept), bullet and numbered lists (hanging indent,
 * nesting, tight or loose), block quotes (`│ `), fenced and indented code (indented 2, wrapped
 * only where wider than the line), thematic breaks, tables; HTML comments are dropped.
 * Inline: strong, emphasis, code, links, images (as their caption), hard and soft breaks.
 */
import { parseMarkdown, type Token } from '../lesson/markdown-parser.js';
import { cellWidth, expandTabs, sliceCells, wrapPieces } from '../text/cells.js';
import { t as msg } from '../i18n/index.js';

export interface Segment {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  link?: string;
  heading?: boolean;
  dim?: boolean;
}
export type Line = Segment[];

type Style = Omit<Segment, 'text'>;

/** The plain text of a rendered line. */
export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

const cache = new Map<string, Map<number, Line[]>>();
const CACHE_TEXTS = 200;

/** `md` laid out `width` cells wide; the same text and width give the same (shared) lines. */
export function renderMarkdown(md: string, width: number): Line[] {
  width = Math.max(1, Math.floor(width));
  let byWidth = cache.get(md);
  if (!byWidth) {
    if (cache.size >= CACHE_TEXTS) cache.delete(cache.keys().next().value as string);
    byWidth = new Map();
    cache.set(md, byWidth);
  }
  let lines = byWidth.get(width);
  if (!lines) {
    lines = renderTokens(parseMarkdown(md.replace(/\r\n?/g, '\n')), width);
    if (byWidth.size > 4) byWidth.clear(); // a resize: the old widths are not coming back
    byWidth.set(width, lines);
  }
  return lines;
}

// ---------------------------------------------------------------------------
// Blocks

interface Ctx { width: number }

function renderTokens(tokens: Token[], width: number): Line[] {
  const { lines } = blocks(tokens, 0, tokens.length, { width }, false);
  return lines;
}

/** Renders the block tokens in [from, to): each block's lines, blank lines between them unless tight. */
function blocks(tokens: Token[], from: number, to: number, ctx: Ctx, tight: boolean): { lines: Line[] } {
  const parts: Line[][] = [];
  let i = from;
  while (i < to) {
    const t = tokens[i];
    const close = closing(tokens, i);
    switch (t.type) {
      case 'heading_open':
        parts.push(wrapInline(tokens[i + 1], ctx.width, { heading: true }, true));
        break;
      case 'paragraph_open':
        parts.push(wrapInline(tokens[i + 1], ctx.width, {}));
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        parts.push(list(tokens, i, close, ctx));
        break;
      case 'blockquote_open': {
        const inner = blocks(tokens, i + 1, close, { width: Math.max(1, ctx.width - 2) }, false).lines;
        parts.push(inner.map((l) => (l.length === 0 ? [{ text: '│', dim: true }] : [{ text: '│ ', dim: true }, ...l])));
        break;
      }
      case 'fence':
      case 'code_block':
        parts.push(code(t.content, ctx.width));
        break;
      case 'hr':
        parts.push([[{ text: '─'.repeat(ctx.width), dim: true }]]);
        break;
      case 'table_open':
        parts.push(table(tokens, i, close, ctx.width));
        break;
      case 'html_block':
        if (!/^\s*<!--/.test(t.content)) parts.push(code(t.content, ctx.width).map((l) => l.map((s) => ({ ...s, code: false, dim: true }))));
        break;
      default:
        break;
    }
    i = close + 1;
  }
  const out: Line[] = [];
  for (const p of parts) {
    if (p.length === 0) continue;
    if (out.length > 0 && !tight) out.push([]);
    out.push(...p);
  }
  return { lines: out };
}

/** Index of the token that closes the one at `i` (itself when it opens nothing). */
function closing(tokens: Token[], i: number): number {
  const t = tokens[i];
  if (t.nesting !== 1) return t.type === 'heading_open' || t.type === 'paragraph_open' ? i + 2 : i;
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    depth += tokens[j].nesting;
    if (depth === 0) return j;
  }
  return tokens.length - 1;
}

function code(content: string, width: number): Line[] {
  const rows = content.replace(/\n$/, '').split('\n');
  const out: Line[] = [];
  for (const raw of rows) {
    const text = expandTabs(raw, 4).trimEnd();
    if (text === '') { out.push([]); continue; }
    const room = Math.max(1, width - 2);
    if (cellWidth(text) <= room) { out.push([{ text: '  ' }, { text, code: true }]); continue; }
    // Wider than the line: keep its indentation, wrap the rest with a mark on each continuation.
    const indent = /^ */.exec(text)![0];
    const inner = Math.max(4, room - indent.length);
    wrapPieces([{ text: text.slice(indent.length), code: true } as Segment], inner - 2, {}).forEach((l, k) => {
      out.push([{ text: '  ' + sliceCells(indent, room - 4) }, ...(k ? [{ text: '› ', dim: true }] : []), ...l]);
    });
  }
  return out;
}

function list(tokens: Token[], open: number, close: number, ctx: Ctx): Line[] {
  const ordered = tokens[open].type === 'ordered_list_open';
  const start = ordered ? Number(tokens[open].attrGet('start') ?? 1) : 1;
  const items: Array<[number, number]> = [];
  for (let j = open + 1; j < close; j++) {
    if (tokens[j].type === 'list_item_open') {
      const end = closing(tokens, j);
      items.push([j, end]);
      j = end;
    }
  }
  // markdown-it hides the paragraphs of a tight list.
  const tight = tokens.slice(open, close).some((t) => t.type === 'paragraph_open' && t.hidden);
  const last = start + items.length - 1;
  const markerW = ordered ? `${last}.`.length + 1 : 2;
  const out: Line[] = [];
  items.forEach(([a, b], n) => {
    if (n > 0 && !tight) out.push([]);
    const marker = ordered ? `${start + n}.`.padStart(markerW - 1) + ' ' : '• ';
    const inner = blocks(tokens, a + 1, b, { width: Math.max(1, ctx.width - markerW) }, tight).lines;
    if (inner.length === 0) { out.push([{ text: marker.trimEnd() }]); return; }
    inner.forEach((l, k) => {
      if (k === 0) out.push([{ text: marker }, ...l]);
      else out.push(l.length === 0 ? [] : [{ text: ' '.repeat(markerW) }, ...l]);
    });
  });
  return out;
}

function table(tokens: Token[], open: number, close: number, width: number): Line[] {
  const rows: Segment[][][] = [];
  let row: Segment[][] | null = null;
  let head = false;
  for (let j = open; j < close; j++) {
    const t = tokens[j];
    if (t.type === 'thead_open') head = true;
    if (t.type === 'thead_close') head = false;
    if (t.type === 'tr_open') row = [];
    if (t.type === 'tr_close' && row) { rows.push(row); row = null; }
    if ((t.type === 'th_open' || t.type === 'td_open') && row) row.push(inline(tokens[j + 1], head ? { bold: true } : {}));
  }
  if (rows.length === 0) return [];
  const cols = Math.max(...rows.map((r) => r.length));
  const gap = 2;
  const textW = (segs: Segment[]) => cellWidth(segs.map((s) => s.text).join(''));
  const widths = Array.from({ length: cols }, (_, c) => Math.max(1, ...rows.map((r) => textW(r[c] ?? []))));
  const available = Math.max(cols, width - gap * (cols - 1));
  // Narrow the widest columns until the table fits (cells then wrap inside their column).
  while (widths.reduce((a, b) => a + b, 0) > available) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest] <= 1) break;
    widths[widest]--;
  }
  const out: Line[] = [];
  const emit = (r: Segment[][]) => {
    const wrapped = widths.map((w, c) => wrapPieces(r[c] ?? [], w));
    const height = Math.max(1, ...wrapped.map((w) => w.length));
    for (let k = 0; k < height; k++) {
      const line: Line = [];
      wrapped.forEach((w, c) => {
        const l = w[k] ?? [];
        line.push(...l);
        if (c < cols - 1) line.push({ text: ' '.repeat(Math.max(0, widths[c] - textW(l)) + gap) });
      });
      while (line.length && line[line.length - 1].text.trim() === '') line.pop();
      out.push(line);
    }
  };
  emit(rows[0]);
  out.push([{ text: widths.map((w) => '─'.repeat(w)).join(' '.repeat(gap)), dim: true }]);
  for (const r of rows.slice(1)) emit(r);
  return out;
}

// ---------------------------------------------------------------------------
// Inline

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;
/** CJK and full-width punctuation (、，。：（）): it carries its own space, and takes none beside it. */
const WIDE_PUNCT = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]/u;
/** A soft line break between these two characters is no space (both are CJK, or one is full-width punctuation). */
function joinsWithoutSpace(before: string | undefined, after: string | undefined): boolean {
  if (before === undefined || after === undefined) return false;
  return (CJK.test(before) && CJK.test(after)) || WIDE_PUNCT.test(before) || WIDE_PUNCT.test(after);
}

/** An inline token's children as styled segments; `\n` marks a hard break. */
function inline(t: Token | undefined, base: Style): Segment[] {
  const out: Segment[] = [];
  if (!t || !t.children) return out;
  const stack: Style[] = [base];
  const style = () => stack[stack.length - 1];
  for (const [i, c] of t.children.entries()) {
    switch (c.type) {
      case 'text':
        if (c.content) out.push({ ...style(), text: c.content });
        break;
      case 'code_inline':
        out.push({ ...style(), code: true, text: c.content });
        break;
      case 'softbreak':
        // Chinese and Japanese put no space between words: a line break between two such
        // characters joins them (as browsers and markdown-it-cjk-breaks do), else it is a space.
        out.push({ ...style(), text: joinsWithoutSpace(out.at(-1)?.text.at(-1), t.children[i + 1]?.content.at(0)) ? '' : ' ' });
        break;
      case 'hardbreak':
        out.push({ ...style(), text: '\n' });
        break;
      case 'strong_open':
        stack.push({ ...style(), bold: true });
        break;
      case 'em_open':
        stack.push({ ...style(), italic: true });
        break;
      case 'link_open':
        stack.push({ ...style(), link: String(c.attrGet('href') ?? '') });
        break;
      case 'strong_close':
      case 'em_close':
      case 'link_close':
        if (stack.length > 1) stack.pop();
        break;
      case 'image': {
        const alt = (c.children ?? []).map((k) => k.content).join('') || c.content || msg('author.ui.image');
        out.push({ ...style(), italic: true, text: msg('screen.doc.figure', { alt }) });
        break;
      }
      case 'html_inline':
        if (!/^<!--/.test(c.content)) out.push({ ...style(), text: c.content });
        break;
      default:
        if (c.content) out.push({ ...style(), text: c.content });
    }
  }
  return out;
}

function wrapInline(t: Token | undefined, width: number, base: Style, heading = false): Line[] {
  let segs = inline(t, base);
  if (heading && segs.length) {
    // `### Title {#id}`: the id is for links, not for the reader.
    const lastSeg = segs[segs.length - 1];
    segs = [...segs.slice(0, -1), { ...lastSeg, text: lastSeg.text.replace(/[ \t]*\{#[^}]*\}[ \t]*$/, '') }];
  }
  return wrapPieces(segs, width).filter((l, k, all) => l.length > 0 || all.length === 1);
}
