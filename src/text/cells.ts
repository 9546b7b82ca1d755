/**
 * A line of the screen as runs of styled text, and the measuring the layouts share (the lesson
 * screen in src/ui/, the trace list and waterfall in src/traces/): a leaf, so layouts below the
 * UI need not import it. Widths here count code points.
 */

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

export function width(s: string): number {
  return [...s].length;
}

export function truncate(s: string, w: number): string {
  if (w <= 0) return '';
  const chars = [...s];
  return chars.length <= w ? s : chars.slice(0, Math.max(0, w - 1)).join('') + '…';
}

export function pad(s: string, w: number): string {
  const n = width(s);
  return n >= w ? truncate(s, w) : s + ' '.repeat(w - n);
}

/** Clips a line of cells to `w` columns and pads it to exactly `w`. */
export function fit(line: ScreenLine, w: number): ScreenLine {
  const out: ScreenLine = [];
  let used = 0;
  for (const c of line) {
    if (used >= w) break;
    const room = w - used;
    const text = width(c.text) > room ? truncate(c.text, room) : c.text;
    out.push({ ...c, text });
    used += width(text);
  }
  if (used < w) out.push({ text: ' '.repeat(w - used) });
  return out;
}
