/**
 * A line of the screen as runs of styled text, and text measured the way the terminal draws it:
 * the one home of cell widths for every layout (the lesson screen in src/ui/, the trace list,
 * waterfall and tables in src/traces/; a leaf, so layouts below the UI need not import it).
 * In cells, by grapheme, with string-width (the
 * measurer Ink itself uses, so a line this module says fits is one Ink does not wrap). CJK and
 * emoji take two cells, combining marks none; tabs are expanded before measuring (string-width
 * counts a tab as 0).
 *
 * The wrapper is our own: wrap-ansi (Ink's) cuts a run of CJK text by columns mid-word and
 * measures with an older string-width whose table disagrees with Ink's for some symbols. Here a
 * line breaks at spaces and between wide characters (keeping closing punctuation off a line's
 * start); a single token longer than the line breaks after `/`, `-`, `=` or `,` where it can,
 * and only then by grapheme.
 */
import stringWidth from 'string-width';

/** A run of text in one style; a screen line is a row of them. */
export interface Cell {
  text: string;
  color?: 'green' | 'red' | 'yellow' | 'cyan' | 'blue' | 'magenta' | 'gray';
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
}
export type ScreenLine = Cell[];

// Made on first use: ICU's break data takes ≈ 12 ms to load, and most commands never need it.
let segmenter: Intl.Segmenter | undefined;

/**
 * Text that is one cell per UTF-16 unit: printable ASCII, Latin, Greek, Cyrillic, punctuation,
 * arrows, math, the control pictures that stand for control codes in text from outside (␛ ␡ …:
 * src/text/display-text.ts), box-drawing and block signs (the waterfall's bars) and the program's
 * own marks (● ○ ◌ ✓ ✗ ⏎ …), with no
 * combining mark, joiner, variation selector or wide character. string-width segments and
 * matches emoji regexps for every string (most of a layout's time, measured); for these it
 * would answer the length. test/unit/cells-narrow.test.ts checks every code point listed here.
 */
export const NARROW_TEXT = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0377\u037a-\u037f\u0384-\u038a\u038c\u038e-\u03a1\u03a3-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u2190-\u2319\u231c-\u2328\u232b-\u23e8\u2400-\u2426\u2500-\u259f\u25a0-\u25fc\u2713\u2717]*$/;

/** Widths of short strings (single graphemes, mostly) string-width was asked for: it costs ~15 µs a call. */
const shortWidths = new Map<string, number>();

/**
 * Widths of the longer strings: segmenting costs ≈ 3 µs a grapheme, so a 10 kB tag value cost a
 * frame of the trace viewer ≈ 35 ms for each time it was measured (measured); a layout measures
 * the same strings of a model on every frame. Keyed by the string (V8 keeps a string's hash).
 */
const longWidths = new Map<string, number>();

/** Width in terminal cells. */
export function cellWidth(s: string): number {
  if (NARROW_TEXT.test(s)) return s.length; // the common case, without segmenting
  const cache = s.length > 8 ? longWidths : shortWidths;
  let w = cache.get(s);
  if (w === undefined) {
    if (cache.size >= 4096) cache.clear();
    w = 0;
    for (const piece of pieces(s)) w += stringWidth(piece);
    cache.set(s, w);
  }
  return w;
}

export function graphemes(s: string): string[] {
  return NARROW_TEXT.test(s) ? s.split('') : [...eachGrapheme(s)];
}

/** The graphemes of `s` one by one, segmenting only as far as the caller reads. */
function* eachGrapheme(s: string): Generator<string> {
  const seg = (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' }));
  for (const piece of pieces(s)) for (const g of seg.segment(piece)) yield g.segment;
}

/** Escape codes, which string-width strips over the whole string (a piece may not cut one). */
const hasEscapes = (s: string) => s.includes('\x1b') || s.includes('\x9b');

/** Two code units between which a grapheme always breaks: printable ASCII, CJK ideographs, Hangul syllables (no rule of UAX #29 joins them). */
const plain = (c: number) => (c >= 0x20 && c <= 0x7e) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3);

/**
 * `s` in pieces of about 512 code units, cut only between graphemes. V8 segments a string in
 * time superlinear in its length (40k graphemes ≈ 460 ms whole, 23 ms in pieces; string-width
 * segments too: 100k ≈ 19 s, measured). Text with escape codes stays whole: string-width strips
 * them over the whole string.
 */
function* pieces(s: string): Generator<string> {
  const size = 512;
  if (s.length <= size * 2 || hasEscapes(s)) {
    yield s;
    return;
  }
  let from = 0;
  let at = size;
  while (at < s.length) {
    if (plain(s.charCodeAt(at - 1)) && plain(s.charCodeAt(at))) {
      yield s.slice(from, at);
      from = at;
      at += size;
    } else at++;
  }
  yield s.slice(from);
}

/**
 * Whether `s` fits in `w` cells, and its longest start at most `room` cells wide (`room` ≤ `w`),
 * segmenting only as far as `w` cells: measuring a long string whole first is superlinear in
 * string-width (10k graphemes ≈ 90 ms, 40k ≈ 400 ms, measured).
 */
function cut(s: string, w: number, room: number): [fits: boolean, head: string] {
  if (NARROW_TEXT.test(s)) return [s.length <= w, s.slice(0, Math.max(0, room))];
  // Measured whole when it has escape codes (string-width strips them); one by one, they count,
  // so a string that does not fit whole does not fit below either.
  if (hasEscapes(s) && cellWidth(s) <= w) return [true, s];
  let head = '';
  let used = 0;
  for (const g of eachGrapheme(s)) {
    const gw = cellWidth(g);
    if (used + gw > w) return [false, head];
    if (used + gw <= room) head += g;
    else room = -1; // the head ends at the first grapheme that does not fit
    used += gw;
  }
  return [true, s];
}

/** Tabs as spaces to the next multiple of 8 (terminal tab stops). */
export function expandTabs(s: string, stop = 8): string {
  if (!s.includes('\t')) return s;
  let out = '';
  let col = 0;
  for (const g of graphemes(s)) {
    if (g === '\t') {
      const n = stop - (col % stop);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += g;
      col += cellWidth(g);
    }
  }
  return out;
}

/** `s` cut to at most `w` cells, ending with `…` when cut. */
export function truncateCells(s: string, w: number, mark = '…'): string {
  if (w <= 0) return '';
  const room = w - cellWidth(mark);
  const [fits, head] = cut(s, w, room);
  if (fits) return s;
  return room >= 0 ? head + mark : '';
}

/** `s` cut (no mark) to at most `w` cells. */
export function sliceCells(s: string, w: number): string {
  const [fits, head] = cut(s, w, w);
  return fits ? s : head;
}

/**
 * `s` cut at a word boundary to fit `w` cells, with `…` when something was left out (a title in
 * a header: never cut inside a word, unless its first word alone is wider than `w`).
 */
export function fitWords(s: string, w: number): string {
  if (cellWidth(s) <= w) return s;
  const words = s.split(' ');
  let out = '';
  for (const word of words) {
    const next = out ? `${out} ${word}` : word;
    if (cellWidth(next) + 1 > w) break;
    out = next;
  }
  return out ? `${out.replace(/[\s,;:·—-]+$/, '')}…` : truncateCells(s, w);
}

export function padCells(s: string, w: number): string {
  const n = cellWidth(s);
  return n >= w ? s : s + ' '.repeat(w - n);
}

/** `s` right-aligned in `w` cells (as padStart, counting cells). */
export function padStartCells(s: string, w: number): string {
  const n = cellWidth(s);
  return n >= w ? s : ' '.repeat(w - n) + s;
}

/** Clips a line of cells to `w` columns and pads it to exactly `w` (a wide character that would straddle the edge is left out). */
export function fit(line: ScreenLine, w: number): ScreenLine {
  const out: ScreenLine = [];
  let used = 0;
  for (const c of line) {
    if (used >= w) break;
    const room = w - used;
    const cw = cellWidth(c.text);
    const text = cw > room ? truncateCells(c.text, room) : c.text;
    out.push({ ...c, text });
    used += cw > room ? cellWidth(text) : cw;
  }
  if (used < w) out.push({ text: ' '.repeat(w - used) });
  return out;
}

// ---------------------------------------------------------------------------
// Wrapping

/** Anything drawn with a style: the wrapper keeps each piece's style across breaks. */
export interface Piece { text: string }

interface Token<T extends Piece> {
  pieces: T[];
  width: number;
  /** A space stands before it (else it follows the previous token directly: CJK). */
  space: boolean;
  /** The piece the space before it belongs to (its style). */
  spacePiece?: T;
}
type Tok<T extends Piece> = Token<T> | 'break';

const CLOSING = new Set([...'、。，．・：；？！）」』】〕〉》〙〗〛｝］゛゜ー々〻ヽヾゝゞ…‥,.;:!?)]}%']);
const OPENING = new Set([...'（「『【〔〈《〘〖〚｛［([{']);
const BREAK_AFTER = new Set(['/', '-', '=', ',']);

/** Splits styled pieces into tokens: words between spaces, and each wide character on its own. */
function tokenize<T extends Piece>(pieces: T[], nonBreaking?: (piece: T, index: number) => boolean): Tok<T>[] {
  const toks: Tok<T>[] = [];
  let cur: Token<T> | null = null;
  let space = false;
  let spacePiece: T | undefined;
  let glueNext = false; // after an opening bracket: the next character stays with it
  const add = (piece: T, g: string, w: number) => {
    if (!cur) cur = { pieces: [], width: 0, space, spacePiece };
    const last: T | undefined = cur.pieces[cur.pieces.length - 1];
    if (last && (last as unknown as { __src?: T }).__src === piece) last.text += g;
    else cur.pieces.push(Object.assign({ ...piece, text: g }, { __src: piece }));
    cur.width += w;
    space = false;
    spacePiece = undefined;
  };
  const end = () => {
    if (cur) toks.push(cur);
    cur = null;
  };
  /** Closing punctuation right after a token (no space between): it continues that token. */
  const glueToPrevious = () => {
    const prev = toks[toks.length - 1];
    if (cur === null && !space && prev !== undefined && prev !== 'break') {
      toks.pop();
      cur = prev;
    }
  };
  pieces.forEach((piece, pi) => {
    const keep = nonBreaking?.(piece, pi) ?? false;
    for (const g of graphemes(piece.text)) {
      if (g === '\n') {
        end();
        toks.push('break');
        space = false;
        continue;
      }
      if ((g === ' ' || g === '\t') && !keep) {
        end();
        if (!space) spacePiece = piece;
        space = true;
        continue;
      }
      const w = cellWidth(g);
      if (w >= 2 && !keep) {
        // A wide character is a break opportunity on both sides (CJK has no spaces), but closing
        // punctuation stays with what it closes and opening punctuation with what it opens.
        if (CLOSING.has(g)) glueToPrevious();
        else if (!glueNext) end();
        add(piece, g, w);
        glueNext = OPENING.has(g);
        if (!glueNext) end();
        continue;
      }
      // `,` or `)` right after a wide character: glued to the previous token.
      if (!glueNext && CLOSING.has(g)) glueToPrevious();
      add(piece, g, w);
      glueNext = OPENING.has(g);
    }
  });
  end();
  return toks;
}

function strip<T extends Piece>(p: T): T {
  const { __src: _src, ...rest } = p as T & { __src?: T };
  return rest as unknown as T;
}

function merge<T extends Piece>(line: T[]): T[] {
  const out: T[] = [];
  for (const p of line) {
    if (p.text === '') continue;
    const prev = out[out.length - 1] as (T & { __src?: T }) | undefined;
    if (prev && prev.__src !== undefined && prev.__src === (p as T & { __src?: T }).__src) prev.text += p.text;
    else out.push({ ...p });
  }
  return out.map(strip);
}

/** A token's graphemes, measured: segmented once per long token, however many lines it is cut into. */
type Measured<T> = Array<{ g: string; w: number; piece: T }>;

/** What is left of a token after a cut: its graphemes from `from` on (its pieces built only when placed). */
interface Rest<T extends Piece> extends Token<T> {
  gs: Measured<T>;
  from: number;
}

function piecesOf<T extends Piece>(gs: Measured<T>, from: number, to: number): T[] {
  const pieces: T[] = [];
  for (let i = from; i < to; i++) {
    const x = gs[i];
    const last = pieces[pieces.length - 1] as (T & { __src?: T }) | undefined;
    if (last && last.__src === (x.piece as T & { __src?: T }).__src) last.text += x.g;
    else pieces.push({ ...x.piece, text: x.g });
  }
  return pieces;
}

/**
 * Where a token wider than `room` is best cut: after `/ - = ,` if one falls in the room, else at
 * the room. The rest keeps the measured graphemes and an index, so a token many lines long is
 * segmented once and each cut costs a line's width (re-segmenting the rest at every cut was
 * quadratic: seconds for a 10 kB run of one character).
 */
function splitToken<T extends Piece>(tok: Token<T> | Rest<T>, room: number): [Token<T>, Rest<T>] {
  const gs: Measured<T> = 'gs' in tok ? tok.gs : [];
  const from = 'gs' in tok ? tok.from : 0;
  if (!('gs' in tok)) for (const p of tok.pieces) for (const g of graphemes(p.text)) gs.push({ g, w: cellWidth(g), piece: p });
  let used = 0;
  let fit = from;
  while (fit < gs.length && used + gs[fit].w <= room) used += gs[fit++].w;
  let cut = fit;
  for (let k = fit; k > from; k--) {
    if (BREAK_AFTER.has(gs[k - 1].g) && k < gs.length) { cut = k; break; }
  }
  if (cut === from) cut = Math.max(from + 1, fit); // at least one grapheme per line
  let headWidth = 0;
  for (let i = from; i < cut; i++) headWidth += gs[i].w;
  const head: Token<T> = { pieces: piecesOf(gs, from, cut), width: headWidth, space: tok.space, spacePiece: tok.spacePiece };
  let built: T[] | undefined;
  const rest: Rest<T> = {
    gs,
    from: cut,
    width: tok.width - headWidth,
    space: false,
    get pieces() {
      return (built ??= piecesOf(gs, cut, gs.length));
    },
  };
  return [head, rest];
}

/** The space before a token, in the style of the piece it was typed in. */
function spaceOf<T extends Piece>(tok: Token<T>): T {
  const src = tok.spacePiece ?? (tok.pieces[0] as T & { __src?: T }).__src ?? tok.pieces[0];
  return Object.assign({ ...src, text: ' ' }, { __src: src });
}

export interface WrapOptions<T extends Piece> {
  /** Pieces whose spaces do not break (a quoted shell word). */
  nonBreaking?: (piece: T, index: number) => boolean;
  /** Cells the second and later lines lose to a continuation mark. */
  continuationIndent?: number;
}

/**
 * Greedy word wrap of styled pieces to `width` cells. No line is wider than `width`; a word is
 * broken only when it alone is wider than a line. Returns at least one (maybe empty) line.
 */
export function wrapPieces<T extends Piece>(pieces: T[], width: number, opts: WrapOptions<T> = {}): T[][] {
  width = Math.max(1, Math.floor(width));
  const cont = Math.min(opts.continuationIndent ?? 0, width - 1);
  const lines: T[][] = [];
  let cur: T[] = [];
  let used = 0;
  const room = () => (lines.length === 0 ? width : width - cont);
  const newLine = () => {
    lines.push(merge(cur));
    cur = [];
    used = 0;
  };
  const queue = tokenize(pieces, opts.nonBreaking);
  for (let qi = 0; qi < queue.length; qi++) {
    const q = queue[qi];
    if (q === 'break') { newLine(); continue; }
    let tok: Token<T> = q;
    for (;;) {
      const gap = used > 0 && tok.space ? 1 : 0;
      if (used + gap + tok.width <= room()) {
        if (gap) cur.push(spaceOf(tok));
        cur.push(...tok.pieces);
        used += gap + tok.width;
        break;
      }
      if (tok.width <= room()) { newLine(); continue; } // fits on a line of its own
      // Wider than a whole line: start it here when a fair part of the line is free, else on the next.
      const free = room() - used - gap;
      if (used > 0 && free < Math.max(8, Math.floor(room() / 3))) { newLine(); continue; }
      const [head, rest] = splitToken(tok, free);
      if (gap) cur.push(spaceOf(tok));
      cur.push(...head.pieces);
      used += gap + head.width;
      newLine();
      tok = rest;
      if (tok.width === 0) break;
    }
  }
  if (cur.length > 0 || lines.length === 0) lines.push(merge(cur));
  return lines;
}

/** Word-wraps plain text to `width` cells (paragraphs at `\n`), each line after `indent`. */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const w = Math.max(1, width - cellWidth(indent));
  return text.split('\n').flatMap((para) => wrapPieces([{ text: para }], w).map((l) => indent + l.map((p) => p.text).join('')));
}
