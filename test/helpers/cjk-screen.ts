/**
 * What a screen of Chinese prose must hold to (test/ui/cjk-lesson.test.ts and the tmux test in
 * test/e2e/cjk-lesson-e2e.test.ts): no line wider than the terminal in cells; no closing
 * punctuation at a line's start, no opening one at its end; a Latin word inside CJK text never
 * cut in two; the sidebar's rule in one column on every row; the prose all there, in order.
 */
import { cellWidth } from '../../src/text/cells.js';

const HAN = /\p{Script=Han}/u;
const CLOSING = /^[，。、：；！？）」』】》]/;
const OPENING = /[（「『【《]$/;
const LATIN_RUN = /[A-Za-z0-9][A-Za-z0-9._/=:-]*/g;

/** The Latin words of a text (what a line may start or end with, whole). */
export function latinWords(text: string): Set<string> {
  return new Set(text.match(LATIN_RUN) ?? []);
}

/**
 * Problems found on a screen `width` cells wide; empty when it is right. `rule`: the cell column
 * of the sidebar's rule, when the screen has a sidebar (each side is read on its own).
 */
export function cjkScreenProblems(rows: string[], width: number, words: Set<string>, rule?: number): string[] {
  const bad: string[] = [];
  rows.forEach((row, i) => {
    const w = cellWidth(row.replace(/\s+$/, ''));
    if (w > width) bad.push(`row ${i + 1} is ${w} cells wide (terminal ${width}): ${row}`);
    const at = row.indexOf('│');
    const parts = rule !== undefined && at >= 0 && cellWidth(row.slice(0, at)) === rule ? [row.slice(0, at), row.slice(at + 1)] : [row];
    for (const part of i === 0 ? [] : parts) {
      // Row 1 is the header: its title is cut to fit (with …), checked for width only.
      const text = proseOf(part);
      if (!HAN.test(text)) continue;
      if (CLOSING.test(text)) bad.push(`row ${i + 1} starts with closing punctuation: ${row}`);
      if (OPENING.test(text)) bad.push(`row ${i + 1} ends with opening punctuation: ${row}`);
      const first = /^[A-Za-z0-9][A-Za-z0-9._/=:-]*/.exec(text)?.[0];
      const last = /[A-Za-z0-9][A-Za-z0-9._/=:-]*$/.exec(text)?.[0];
      for (const edge of [first, last]) if (edge && !words.has(edge)) bad.push(`row ${i + 1} cuts a word ("${edge}" is no word of the lesson): ${row}`);
    }
  });
  return bad;
}

/** A row's text: without the callout's bar and label, the step list's marks and number, or padding. */
export function proseOf(part: string): string {
  return part.replace(/^\s*(?:│\s*)?(?:Tip:\s*)?(?:[›◌✓✗●○]*\s*\d+\s)?/, '').replace(/\s+$/, '');
}

/** The cell column of the sidebar's rule on each row that has one (all equal when aligned). */
export function ruleColumns(rows: string[]): number[] {
  return rows.flatMap((r) => {
    const i = r.indexOf('│');
    return i > 0 && cellWidth(r.slice(0, i)) > 10 ? [cellWidth(r.slice(0, i))] : [];
  });
}

/** The prose of `paragraph` (Markdown, one paragraph) as it must read once rows are joined: no spaces. */
export const squeezed = (s: string) => s.replace(/\s+/g, '');
