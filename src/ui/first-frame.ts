/**
 * The lesson's first frame, drawn straight to the terminal before Ink, React
 * and the cluster code have loaded (they take most of a second to load; this
 * takes a few milliseconds). It is the same layout the live screen draws
 * (screen.ts) for a session that has just begun, so when Ink takes over, it
 * erases these lines and draws the same picture in their place.
 */
import type { Lesson } from '../lesson/types.js';
import type { SessionView } from '../engine/session.js';
import { initialState } from '../engine/engine-state.js';
import { renderScreen, truncate, type Cell, type ScreenLine } from './screen.js';
import { initialUi } from './ui-state.js';
import { UNTRUSTED_NOTICE } from '../lesson/trust.js';
import { displayText } from '../text/display-text.js';
import { displayView } from './display-view.js';

/** What a Session's view is before anything has happened: every step still to be checked. */
export function startingView(lesson: Lesson, target: { label: string; kind: 'sandbox' | 'cluster' }, vars: Record<string, string> = {}, untrusted: SessionView['untrusted'] = null): SessionView {
  return {
    lesson,
    targetLabel: target.label,
    targetKind: target.kind,
    engine: initialState(lesson.steps.map((s) => s.id)),
    processes: [],
    forwards: [],
    running: null,
    output: null,
    vars,
    found: {},
    notice: untrusted ? UNTRUSTED_NOTICE : null,
    finished: false,
    untrusted,
  };
}

// The SGR codes chalk uses for the same styles, so both frames look alike.
const FG: Record<NonNullable<Cell['color']>, number> = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 };

export function ansiLine(line: ScreenLine, width: number, color: boolean): string {
  let out = '';
  let left = width;
  for (const c of line) {
    if (left <= 0) break;
    const text = truncate(displayText(c.text, { tabs: 'space' }), left);
    left -= [...text].length;
    const codes = color ? [c.bold && 1, c.dim && 2, c.underline && 4, c.inverse && 7, c.color && FG[c.color]].filter(Boolean) : c.inverse ? [7] : [];
    out += codes.length ? `\x1b[${codes.join(';')}m${text}\x1b[0m` : text;
  }
  return out;
}

export interface DrawnFrame {
  /** Erases the frame (the cursor ends where the frame began); idempotent. */
  erase(): void;
}

/** Writes the frame where the cursor is, as Ink would (its height is the terminal's less one line). */
export function drawFirstFrame(out: NodeJS.WriteStream, view: SessionView, color: boolean): DrawnFrame {
  const size = { width: out.columns || 80, height: Math.max(1, (out.rows || 24) - 1) };
  const lines = renderScreen(displayView(view), initialUi, size).map((l) => ansiLine(l, size.width, color));
  const text = `${lines.join('\n')}\n`;
  out.write(`\x1b[?25l${text}`); // cursor hidden, as Ink hides it
  let erased = false;
  return {
    erase() {
      if (erased) return;
      erased = true;
      // Ink's eraseLines: clear each line the frame wrote, moving up, then go to column 1.
      const count = text.split('\n').length;
      out.write(`\x1b[2K${'\x1b[1A\x1b[2K'.repeat(count - 1)}\x1b[G\x1b[?25h`);
    },
  };
}
