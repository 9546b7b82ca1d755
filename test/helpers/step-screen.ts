/**
 * Reading a lesson screen as text (a tmux capture, or an ink-testing-library frame without
 * colour) the way the step-screen tests judge it: which lines are the step's prose, where each
 * command's frame is and what it shows, and whether a line is wider than the terminal. Nothing
 * here uses the program's own layout code: the prose is compared with the lesson's Markdown
 * source, stripped of its marks by hand.
 */
import stringWidth from 'string-width';
import type { Step } from '../../src/lesson/types.js';

// eslint-disable-next-line no-control-regex
export const stripAnsi = (s: string) => s.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');

/** The screen's lines, colour removed. */
export const screenLines = (screen: string) => stripAnsi(screen).split('\n');

/**
 * The screen's lines with the steps sidebar (wide terminals) taken off: the header, then the
 * main pane's rows, then the footer. The sidebar ends in a `│` at the same column on every row.
 */
export function paneLines(screen: string): string[] {
  const lines = screenLines(screen);
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const body = lines.slice(1, -1);
  const col = body[0]?.indexOf('│') ?? -1;
  const sidebar = col > 0 && col < 60 && body.length > 2 && body.every((l) => l[col] === '│' && !/^\s*[┌┏└┗│┃]/.test(l.slice(0, col)));
  return sidebar ? [lines[0], ...body.map((l) => l.slice(col + 1)), lines[lines.length - 1]] : lines;
}

/** Lines wider than `width` terminal cells. */
export const tooWide = (screen: string, width: number) => screenLines(screen).filter((l) => stringWidth(l) > width);

/** Words only: Markdown marks, bullets, quotes and runs of spaces gone (both sides are compared so). */
export function norm(s: string): string {
  return s
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and pictures: their text
    .replace(/^\s{0,3}#{1,6}\s+/gm, '') // heading marks
    .replace(/^\s*(?:[-*+]|\d+\.)\s+/gm, '') // list marks
    .replace(/[`*_]/g, '')
    .replace(/[•│]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The step's prose (its prose blocks, in order) as words. */
export const proseWords = (step: Step) => norm(step.blocks.map((b) => (b.kind === 'prose' ? b.markdown : '')).join('\n\n'));

const FRAME_EDGE = /^\s*[┌┏│┃└┗]/;

/** The document rows of a screen: below the header, above the checks summary (and what follows it). */
export function documentRows(screen: string): string[] {
  const lines = paneLines(screen);
  const end = lines.findIndex((l, i) => i > 0 && /^ ?checks: /.test(l));
  return lines.slice(1, end < 0 ? lines.length - 1 : end);
}

/**
 * Runs of consecutive prose lines on the screen (the lines of a paragraph, a heading, a list
 * item), each as the list of its lines (trimmed). Frames, blank lines and the era line at the
 * top are not prose.
 */
export function proseRuns(screen: string, prose: string): string[][] {
  const rows = documentRows(screen);
  const runs: string[][] = [];
  let cur: string[] = [];
  let eraLine = /^\s*Commands for /.test(rows.find((r) => r.trim()) ?? '');
  for (const row of rows) {
    const t = row.trim();
    if (eraLine) {
      if (!t) eraLine = false;
      continue;
    }
    if (!t || FRAME_EDGE.test(row)) {
      if (cur.length) runs.push(cur);
      cur = [];
      continue;
    }
    // A new list item starts a new run.
    if (/^• /.test(t) && cur.length) {
      runs.push(cur);
      cur = [];
    }
    cur.push(t);
  }
  if (cur.length) runs.push(cur);
  // Only runs that are the lesson's prose (a quiz, a figure caption … are not).
  return runs.filter((r) => prose.includes(norm(r[0])) || prose.includes(norm(r[r.length - 1])) || prose.includes(norm(r.join(' '))));
}

/** Each run, its lines joined at single spaces, must be words of the prose as written: no word was cut across lines. */
export function brokenProse(screen: string, prose: string): string[] {
  return proseRuns(screen, prose)
    .map((r) => r.join(' '))
    .filter((joined) => !prose.includes(norm(joined)));
}

export const proseLineCount = (screen: string, prose: string) => proseRuns(screen, prose).reduce((n, r) => n + r.length, 0);

export interface ShownFrame {
  /** The frame's label, e.g. `› background command 1 of 3: jaeger-forward-pod · …`. */
  label: string;
  focused: boolean;
  /** Row index (in the screen's lines) of its top and bottom edges (-1: off screen). */
  top: number;
  bottom: number;
  /** The command's source lines as the frame shows them: continuation rows (`›`) joined back at one space. */
  command: string[];
}

/** The command frames on the screen, top edge first (a frame cut by the screen's edge has top or bottom -1). */
export function frames(screen: string): ShownFrame[] {
  const lines = paneLines(screen);
  const out: ShownFrame[] = [];
  let cur: ShownFrame | null = null;
  lines.forEach((l, i) => {
    const top = /^\s*([┌┏])[─━] (.*?)[─━\s]*$/.exec(l);
    if (top) {
      cur = { label: top[2], focused: top[1] === '┏', top: i, bottom: -1, command: [] };
      out.push(cur);
      return;
    }
    const side = /^\s*[│┃] (.*)$/.exec(l);
    if (side) {
      if (!cur) {
        cur = { label: '', focused: /^\s*┃/.test(l), top: -1, bottom: -1, command: [] };
        out.push(cur);
      }
      const row = side[1].trimEnd();
      // `› ` goes on with a new word (a space stood there), `›` inside a word cut for its length.
      const cont = /^\s*›( ?)(.*)$/.exec(row);
      if (row.startsWith('$ ')) cur.command.push(row.slice(2));
      else if (cont && cur.command.length) cur.command[cur.command.length - 1] += `${cont[1]}${cont[2]}`;
      else if (cur.command.length && /^\s{2,}\S/.test(row) && !cur.label.startsWith('output')) cur.command.push(row);
      return;
    }
    if (/^\s*[└┗]/.test(l) && cur) {
      cur.bottom = i;
      cur = null;
      return;
    }
    cur = null;
  });
  return out;
}

/** The command's source lines (after `$ ` on the first), tabs expanded: what a frame must show. */
export function sourceLines(run: string): string[] {
  return run.split('\n').map((l) => l.replace(/\t/g, '        ').trimEnd());
}
