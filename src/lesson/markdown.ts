/**
 * A small Markdown renderer for the terminal: Markdown in, lines of styled
 * segments out, wrapped to a width. Pure: no ANSI escapes; the UI decides how
 * each style looks.
 *
 * Blocks: ATX and setext headings, paragraphs (word-wrapped, hard breaks),
 * bullet and numbered lists (hanging indent, nesting), block quotes (`│ `),
 * fenced and indented code (not wrapped, indented 2), thematic breaks, simple
 * pipe tables; HTML comments are dropped. Inline: `**bold**`, `*em*`/`_em_`,
 * `` `code` ``, `[text](url)`, `<https://autolinks>`, backslash escapes.
 */

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

const STYLE_KEYS = ['bold', 'italic', 'code', 'link', 'heading', 'dim'] as const;

/** The plain text of a rendered line. */
export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

export function renderMarkdown(md: string, width: number): Line[] {
  return renderBlocks(md.replace(/\r\n?/g, '\n').split('\n'), Math.max(1, Math.floor(width)));
}

// ---------------------------------------------------------------------------
// Blocks

const BLANK_RE = /^[ \t]*$/;
const ATX_RE = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const HR_RE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE_RE = /^ {0,3}> ?/;
const LIST_RE = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const SETEXT_RE = /^ {0,3}(=+|-+)[ \t]*$/;
const TABLE_SEP_RE = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

interface Fence { char: string; len: number }

function fenceOpen(line: string): Fence | null {
  const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
  if (!m || (m[1][0] === '`' && m[2].includes('`'))) return null;
  return { char: m[1][0], len: m[1].length };
}

function isFenceClose(line: string, f: Fence): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!m && m[1][0] === f.char && m[1].length >= f.len;
}

function isBlank(line: string): boolean {
  return BLANK_RE.test(line);
}

/** Leading indentation in columns (a tab counts to the next multiple of 4). */
function indentWidth(line: string): number {
  let col = 0;
  for (const ch of line) {
    if (ch === ' ') col++;
    else if (ch === '\t') col += 4 - (col % 4);
    else break;
  }
  return col;
}

/** Removes `n` columns of leading indentation. */
function dedent(line: string, n: number): string {
  let col = 0;
  let i = 0;
  while (i < line.length && col < n) {
    if (line[i] === ' ') col++;
    else if (line[i] === '\t') col += 4 - (col % 4);
    else break;
    i++;
  }
  return ' '.repeat(Math.max(0, col - n)) + line.slice(i);
}

function expandTabs(line: string): string {
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(4 - (out.length % 4)) : ch;
  return out;
}

/** Lines that end a paragraph without a blank line. */
function startsBlock(line: string): boolean {
  return ATX_RE.test(line) || fenceOpen(line) !== null || HR_RE.test(line) || QUOTE_RE.test(line) || LIST_RE.test(line) || /^ {0,3}<!--/.test(line);
}

/** Renders block-level Markdown; `tight` puts no blank line between blocks (the items of a tight list). */
function renderBlocks(lines: string[], width: number, tight = false): Line[] {
  width = Math.max(1, width);
  const blocks: Line[][] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) { i++; continue; }

    if (/^ {0,3}<!--/.test(line)) {
      while (i < lines.length && !lines[i].includes('-->')) i++;
      i++;
      continue;
    }

    const fence = fenceOpen(line);
    if (fence) {
      const indent = indentWidth(line);
      const code: string[] = [];
      i++;
      while (i < lines.length && !isFenceClose(lines[i], fence)) code.push(dedent(lines[i++], indent));
      i++; // the closing fence
      blocks.push(code.map(codeLine));
      continue;
    }

    const atx = ATX_RE.exec(line);
    if (atx) {
      blocks.push(renderHeading(atx[2] ?? '', width));
      i++;
      continue;
    }

    if (HR_RE.test(line)) {
      blocks.push([[{ text: '─'.repeat(width), dim: true }]]);
      i++;
      continue;
    }

    if (QUOTE_RE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE_RE.test(lines[i])) inner.push(lines[i++].replace(QUOTE_RE, ''));
      const rendered = renderBlocks(inner, width - 2);
      blocks.push(rendered.map((l) => (l.length === 0 ? [{ text: '│', dim: true }] : [{ text: '│ ', dim: true }, ...l])));
      continue;
    }

    if (LIST_RE.test(line)) {
      const list = parseList(lines, i);
      blocks.push(renderList(list, width));
      i = list.end;
      continue;
    }

    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP_RE.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      const rows: string[] = [line];
      i += 2;
      while (i < lines.length && !isBlank(lines[i]) && lines[i].includes('|')) rows.push(lines[i++]);
      blocks.push(renderTable(rows, width));
      continue;
    }

    if (indentWidth(line) >= 4) {
      const code: string[] = [];
      while (i < lines.length && (indentWidth(lines[i]) >= 4 || isBlank(lines[i]))) code.push(dedent(lines[i++], 4));
      while (code.length > 0 && isBlank(code[code.length - 1])) code.pop();
      blocks.push(code.map(codeLine));
      continue;
    }

    // A paragraph (or a setext heading).
    const para: string[] = [line];
    i++;
    let setext = false;
    while (i < lines.length && !isBlank(lines[i])) {
      if (SETEXT_RE.test(lines[i])) { setext = true; i++; break; }
      if (startsBlock(lines[i])) break;
      para.push(lines[i++]);
    }
    if (setext) blocks.push(renderHeading(para.map((l) => l.trim()).join(' '), width));
    else blocks.push(wrap(parseInline(joinParagraph(para), {}), width));
  }

  const out: Line[] = [];
  for (const b of blocks) {
    if (b.length === 0) continue;
    if (out.length > 0 && !tight) out.push([]);
    out.push(...b);
  }
  return out;
}

function codeLine(line: string): Line {
  const text = expandTabs(line).trimEnd();
  return text === '' ? [] : [{ text: '  ' }, { text, code: true }];
}

function renderHeading(text: string, width: number): Line[] {
  const clean = text.replace(/[ \t]*\{#[^}]*\}[ \t]*$/, '').trim();
  return wrap(parseInline(clean, { heading: true }), width);
}

/** Joins paragraph lines: soft breaks become spaces, hard breaks (two trailing spaces or `\`) newlines. */
function joinParagraph(lines: string[]): string {
  let out = '';
  lines.forEach((raw, k) => {
    const last = k === lines.length - 1;
    let line = raw.replace(/^[ \t]+/, '');
    let hard = false;
    if (!last && / {2,}$/.test(line)) hard = true;
    if (!last && /(^|[^\\])(\\\\)*\\$/.test(line)) { hard = true; line = line.slice(0, -1); }
    out += line.replace(/[ \t]+$/, '') + (last ? '' : hard ? '\n' : ' ');
  });
  return out;
}

// ---------------------------------------------------------------------------
// Lists

interface ParsedList { ordered: boolean; start: number; items: string[][]; loose: boolean; end: number }

function parseList(lines: string[], from: number): ParsedList {
  const first = LIST_RE.exec(lines[from])!;
  const ordered = /\d/.test(first[2]);
  const list: ParsedList = { ordered, start: ordered ? parseInt(first[2], 10) : 1, items: [], loose: false, end: from };
  let j = from;
  while (j < lines.length) {
    const m = LIST_RE.exec(lines[j]);
    if (!m || /\d/.test(m[2]) !== ordered || HR_RE.test(lines[j])) break;
    const spaces = m[4] === '' ? 1 : indentWidth(m[3]);
    const contentIndent = m[1].length + m[2].length + (spaces >= 1 && spaces <= 4 ? spaces : 1);
    const item: string[] = [m[4]];
    j++;
    let fence: Fence | null = fenceOpen(m[4]);
    while (j < lines.length) {
      const l = lines[j];
      if (fence) {
        // Inside a fenced block of this item: everything up to the closing fence belongs to it.
        item.push(dedent(l, contentIndent));
        if (isFenceClose(dedent(l, contentIndent), fence)) fence = null;
        j++;
        continue;
      }
      if (isBlank(l)) {
        let k = j;
        while (k < lines.length && isBlank(lines[k])) k++;
        if (k < lines.length && indentWidth(lines[k]) >= contentIndent) {
          for (; j < k; j++) item.push('');
          continue;
        }
        break;
      }
      if (indentWidth(l) >= contentIndent) {
        const d = dedent(l, contentIndent);
        item.push(d);
        fence = fenceOpen(d);
        j++;
        continue;
      }
      if (LIST_RE.test(l) || startsBlock(l)) break;
      const prev = item[item.length - 1];
      if (prev !== undefined && !isBlank(prev)) { item.push(l.trim()); j++; continue; } // lazy continuation
      break;
    }
    list.items.push(item);
    if (hasInnerBlank(item)) list.loose = true;
    list.end = j;
    let k = j;
    while (k < lines.length && isBlank(lines[k])) k++;
    const next = k < lines.length ? LIST_RE.exec(lines[k]) : null;
    if (!next || /\d/.test(next[2]) !== ordered || HR_RE.test(lines[k])) break;
    if (k > j) list.loose = true;
    j = k;
  }
  return list;
}

/** Whether an item's blocks are separated by blank lines (blank lines inside fenced code do not count). */
function hasInnerBlank(item: string[]): boolean {
  let fence: Fence | null = null;
  let blank = false;
  for (const l of item) {
    if (fence) {
      if (isFenceClose(l, fence)) fence = null;
      continue;
    }
    if (isBlank(l)) { blank = true; continue; }
    if (blank) return true;
    fence = fenceOpen(l);
  }
  return false;
}

function renderList(list: ParsedList, width: number): Line[] {
  const last = list.start + list.items.length - 1;
  const markerWidth = list.ordered ? `${last}.`.length + 1 : 2;
  const out: Line[] = [];
  list.items.forEach((item, n) => {
    if (n > 0 && list.loose) out.push([]);
    const marker = list.ordered ? `${list.start + n}.`.padStart(markerWidth - 1) + ' ' : '• ';
    const inner = renderBlocks(item, width - markerWidth, !list.loose);
    if (inner.length === 0) { out.push([{ text: marker.trimEnd() }]); return; }
    inner.forEach((l, k) => {
      if (k === 0) out.push([{ text: marker }, ...l]);
      else out.push(l.length === 0 ? [] : [{ text: ' '.repeat(markerWidth) }, ...l]);
    });
  });
  return out;
}

// ---------------------------------------------------------------------------
// Tables

function splitRow(row: string): string[] {
  let s = row.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  let inCode = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && s[i + 1] === '|') { cur += '|'; i++; continue; }
    if (ch === '`') inCode = !inCode;
    if (ch === '|' && !inCode) { cells.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

function renderTable(rows: string[], width: number): Line[] {
  const cells = rows.map(splitRow);
  const cols = Math.max(...cells.map((r) => r.length));
  const parsed = cells.map((r, ri) => Array.from({ length: cols }, (_, c) => parseInline(r[c] ?? '', ri === 0 ? { bold: true } : {})));
  const gap = 2;
  const natural = Array.from({ length: cols }, (_, c) => Math.max(1, ...parsed.map((r) => textWidth(r[c].map((s) => s.text).join('')))));
  const widths = [...natural];
  const available = Math.max(cols, width - gap * (cols - 1));
  // Narrow the widest columns until the table fits (cells then wrap inside their column).
  while (widths.reduce((a, b) => a + b, 0) > available) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest] <= 1) break;
    widths[widest]--;
  }
  const out: Line[] = [];
  const emitRow = (row: Segment[][]) => {
    const wrapped = row.map((segs, c) => wrap(segs, widths[c]));
    const height = Math.max(1, ...wrapped.map((w) => w.length));
    for (let k = 0; k < height; k++) {
      const line: Line = [];
      wrapped.forEach((w, c) => {
        const l = w[k] ?? [];
        line.push(...l);
        if (c < cols - 1) line.push({ text: ' '.repeat(widths[c] - textWidth(lineText(l)) + gap) });
      });
      out.push(mergeSegments(trimLineEnd(line)));
    }
  };
  emitRow(parsed[0]);
  out.push([{ text: widths.map((w) => '─'.repeat(w)).join(' '.repeat(gap)), dim: true }]);
  for (const row of parsed.slice(1)) emitRow(row);
  return out;
}

function trimLineEnd(line: Line): Line {
  const out = [...line];
  while (out.length > 0) {
    const lastSeg = out[out.length - 1];
    const t = lastSeg.text.replace(/ +$/, '');
    if (t === '') { out.pop(); continue; }
    out[out.length - 1] = { ...lastSeg, text: t };
    break;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Inline

const ESCAPABLE = /[!-/:-@[-`{-~]/;

/** Index of a closing backtick run of exactly `n` backticks at or after `from`, or -1. */
function findCodeClose(text: string, from: number, n: number): number {
  let j = from;
  while (j < text.length) {
    if (text[j] === '`') {
      let r = 0;
      while (text[j + r] === '`') r++;
      if (r === n) return j;
      j += r;
    } else j++;
  }
  return -1;
}

/** Skips a code span starting at `j` (a backtick); returns the index after it, or j + 1 when it is not closed. */
function skipCode(text: string, j: number): number {
  let r = 0;
  while (text[j + r] === '`') r++;
  const close = findCodeClose(text, j + r, r);
  return close < 0 ? j + r : close + r;
}

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/** Where the emphasis closed by `delim` (`*`, `_`, `**`, `__`) ends, or -1. */
function findDelim(text: string, from: number, delim: string): number {
  const ch = delim[0];
  let j = from;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') { j += 2; continue; }
    if (c === '`') { j = skipCode(text, j); continue; }
    if (c === ch) {
      let r = 0;
      while (text[j + r] === ch) r++;
      const fits = delim.length === 1 ? r === 1 || r >= 3 : r >= 2;
      const prev = text[j - 1];
      const after = text[j + r];
      if (fits && j > from && !/\s/.test(prev) && !(ch === '_' && isWordChar(after))) return j + r - delim.length;
      j += r;
      continue;
    }
    j++;
  }
  return -1;
}

/** Index of the `]` matching the `[` at `open`, or -1. */
function findBracket(text: string, open: number): number {
  let depth = 0;
  let j = open;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') { j += 2; continue; }
    if (c === '`') { j = skipCode(text, j); continue; }
    if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return j;
    j++;
  }
  return -1;
}

/** Index of the `)` matching the `(` at `open`, or -1. */
function findParen(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') { j++; continue; }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  return -1;
}

function parseInline(text: string, style: Style, out: Segment[] = []): Segment[] {
  let buf = '';
  const flush = () => {
    if (buf) out.push({ ...style, text: buf });
    buf = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length && ESCAPABLE.test(text[i + 1])) {
      buf += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      let r = 0;
      while (text[i + r] === '`') r++;
      const close = findCodeClose(text, i + r, r);
      if (close >= 0) {
        flush();
        let code = text.slice(i + r, close).replace(/\n/g, ' ');
        if (code.length >= 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
        out.push({ ...style, code: true, text: code });
        i = close + r;
      } else {
        buf += text.slice(i, i + r);
        i += r;
      }
      continue;
    }
    if (ch === '*' || ch === '_') {
      const delim = text[i + 1] === ch ? ch + ch : ch;
      const next = text[i + delim.length];
      const canOpen = next !== undefined && !/\s/.test(next) && !(ch === '_' && isWordChar(text[i - 1]));
      const close = canOpen ? findDelim(text, i + delim.length, delim) : -1;
      if (close >= 0) {
        flush();
        parseInline(text.slice(i + delim.length, close), delim.length === 2 ? { ...style, bold: true } : { ...style, italic: true }, out);
        i = close + delim.length;
      } else {
        buf += delim;
        i += delim.length;
      }
      continue;
    }
    if (ch === '[' || (ch === '!' && text[i + 1] === '[')) {
      const open = ch === '!' ? i + 1 : i;
      const close = findBracket(text, open);
      const end = close >= 0 && text[close + 1] === '(' ? findParen(text, close + 1) : -1;
      if (end >= 0) {
        const url = text
          .slice(close + 2, end)
          .trim()
          .replace(/\s+("[^"]*"|'[^']*')$/, '')
          .replace(/^<(.*)>$/, '$1');
        flush();
        parseInline(text.slice(open + 1, close), { ...style, link: url }, out);
        i = end + 1;
      } else {
        buf += ch;
        i++;
      }
      continue;
    }
    if (ch === '<') {
      const m = /^<((?:https?|mailto):[^\s<>]+)>/.exec(text.slice(i));
      if (m) {
        flush();
        out.push({ ...style, link: m[1], text: m[1] });
        i += m[0].length;
        continue;
      }
    }
    buf += ch;
    i++;
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------
// Wrapping

function textWidth(s: string): number {
  return [...s].length;
}

function sameStyle(a: Style, b: Style): boolean {
  return STYLE_KEYS.every((k) => a[k] === b[k]);
}

function styleOf(s: Segment): Style {
  const { text: _text, ...style } = s;
  return style;
}

function mergeSegments(line: Line): Line {
  const out: Line = [];
  for (const s of line) {
    if (s.text === '') continue;
    const prev = out[out.length - 1];
    if (prev && sameStyle(prev, s)) out[out.length - 1] = { ...prev, text: prev.text + s.text };
    else out.push({ ...s });
  }
  return out;
}

interface Word { pieces: Segment[]; space: Style }
type Token = Word | 'break';

/**
 * Splits segments into words (runs of non-space characters, possibly spanning
 * styles), each remembering the style of the space before it (so a space
 * inside a link or bold text keeps that style); `\n` is a forced break.
 */
function toWords(segments: Segment[]): Token[] {
  const words: Token[] = [];
  let cur: Segment[] = [];
  let space: Style = {};
  let spaceSeen = false;
  const end = () => {
    if (cur.length === 0) return;
    words.push({ pieces: cur, space });
    cur = [];
    space = {};
    spaceSeen = false;
  };
  for (const seg of segments) {
    for (const part of seg.text.split(/([ \t\n]+)/)) {
      if (part === '') continue;
      if (/^[ \t\n]+$/.test(part)) {
        end();
        if (part.includes('\n')) words.push('break');
        if (!spaceSeen) { space = styleOf(seg); spaceSeen = true; }
      } else cur.push({ ...seg, text: part });
    }
  }
  end();
  return words;
}

/** Greedy word wrap. Words never break unless one alone is wider than `width`. */
function wrap(segments: Segment[], width: number): Line[] {
  width = Math.max(1, width);
  const lines: Line[] = [];
  let cur: Line = [];
  let len = 0;
  const newLine = () => {
    lines.push(mergeSegments(cur));
    cur = [];
    len = 0;
  };
  for (const token of toWords(segments)) {
    if (token === 'break') { newLine(); continue; }
    const word = token.pieces;
    const w = word.reduce((n, s) => n + textWidth(s.text), 0);
    if (len > 0 && len + 1 + w > width) newLine();
    if (len > 0) {
      cur.push({ ...token.space, text: ' ' });
      len++;
    }
    if (w <= width - len) {
      cur.push(...word);
      len += w;
    } else {
      // Wider than a whole line: cut it into line-sized pieces.
      for (const seg of word) {
        let chars = [...seg.text];
        while (chars.length > 0) {
          if (len >= width) newLine();
          const take = chars.slice(0, width - len);
          cur.push({ ...seg, text: take.join('') });
          len += take.length;
          chars = chars.slice(take.length);
        }
      }
    }
  }
  if (cur.length > 0) lines.push(mergeSegments(cur));
  return lines;
}
