/**
 * Output of a command the learner ran, for the output pane: its colours and weights survive, its
 * power over the terminal does not. The line is tokenized with ansi-regex (the tokenizer strip-ansi
 * and Ink use: 7-bit and 8-bit CSI, OSC ended by BEL or ST, DCS/SOS/PM/APC, two-byte escapes).
 * SGR sequences become styles of the runs that follow (written later by the program's own
 * styling, or not at all without colour); every other sequence — OSC (titles, clipboard,
 * links), cursor moves, clears, mode switches, DCS — and every stray control is shown inertly,
 * as display-text.ts does. A carriage return inside a line keeps what follows it (a progress bar
 * shows its last state), as the learner's own terminal would show it.
 */
import ansiRegex from 'ansi-regex';
import { displayText } from './display-text.js';

export type RunColor = 'green' | 'red' | 'yellow' | 'cyan' | 'blue' | 'magenta' | 'gray';

/** A stretch of output with one style; no control characters in `text`. */
export interface StyledRun {
  text: string;
  color?: RunColor;
  bold?: boolean;
  dim?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

type Style = Omit<StyledRun, 'text'>;

const SEQUENCE = ansiRegex();
const SGR = /^(?:\u001b\[|\u009b)([0-9;:]*)m$/;
const FOREGROUND: Record<number, RunColor | undefined> = { 30: 'gray', 31: 'red', 32: 'green', 33: 'yellow', 34: 'blue', 35: 'magenta', 36: 'cyan', 37: undefined, 90: 'gray', 91: 'red', 92: 'green', 93: 'yellow', 94: 'blue', 95: 'magenta', 96: 'cyan', 97: undefined };

/** The style after one SGR sequence's parameters (only what the screen can show; the rest is ignored). */
export function applySgr(style: Style, params: string): Style {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  let s: Style = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) s = {};
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 22) s.bold = s.dim = undefined;
    else if (c === 4) s.underline = true;
    else if (c === 24) s.underline = undefined;
    else if (c === 7) s.inverse = true;
    else if (c === 27) s.inverse = undefined;
    else if (c === 39) s.color = undefined;
    else if (c in FOREGROUND) s.color = FOREGROUND[c];
    else if (c === 38 || c === 48 || c === 58) {
      // Extended colours: 5;N or 2;R;G;B follow. Skipped (the screen keeps to its own palette).
      i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
    }
  }
  for (const k of Object.keys(s) as Array<keyof Style>) if (s[k] === undefined) delete s[k];
  return s;
}

/** One line of command output as styled runs: safe to draw anywhere, never moving the cursor. */
export function commandOutputRuns(line: string, base: Style = {}): StyledRun[] {
  let text = line.replace(/\r+$/, '');
  const cr = text.lastIndexOf('\r');
  if (cr >= 0) text = text.slice(cr + 1);
  const runs: StyledRun[] = [];
  let style: Style = {};
  const push = (t: string, st: Style) => {
    if (!t) return;
    const shown = Object.keys(st).length ? st : base;
    const last = runs[runs.length - 1];
    if (last && sameStyle(last, shown)) last.text += t;
    else runs.push({ text: t, ...shown });
  };
  let at = 0;
  for (const m of text.matchAll(SEQUENCE)) {
    push(displayText(text.slice(at, m.index), { tabs: 'space' }), style);
    const sgr = SGR.exec(m[0]);
    if (sgr) style = applySgr(style, sgr[1]);
    else push(displayText(m[0], { tabs: 'space' }), style); // shown as text, never obeyed
    at = m.index + m[0].length;
  }
  push(displayText(text.slice(at), { tabs: 'space' }), style);
  return runs.length ? runs : [{ text: '', ...base }];
}

/** The line's text alone (no styles), as it shows. */
export function commandOutputText(line: string): string {
  return commandOutputRuns(line).map((r) => r.text).join('');
}

function sameStyle(a: Style, b: Style): boolean {
  return a.color === b.color && a.bold === b.bold && a.dim === b.dim && a.underline === b.underline && a.inverse === b.inverse;
}
