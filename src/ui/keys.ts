/**
 * Keys as the lesson screen understands them, from Ink's parsed key or from raw terminal bytes
 * (a burst that arrived as one string, keys typed before Ink was up, mouse wheel reports).
 * Pure.
 */

export type KeyName = 'up' | 'down' | 'left' | 'right' | 'pageup' | 'pagedown' | 'home' | 'end' | 'tab' | 'return' | 'escape' | 'backspace' | 'wheel-up' | 'wheel-down';

export interface KeyPress {
  /** The character typed ('' for a named key). */
  input: string;
  name?: KeyName;
  ctrl?: boolean;
  shift?: boolean;
}

/** What Ink's useInput hands over (the flags the screen uses). */
export interface InkKey {
  upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean;
  pageUp?: boolean; pageDown?: boolean; home?: boolean; end?: boolean;
  tab?: boolean; return?: boolean; escape?: boolean; backspace?: boolean; delete?: boolean;
  ctrl?: boolean; shift?: boolean; meta?: boolean;
}

const SEQUENCES: Array<[string, KeyPress]> = [
  ['\x1b[A', { input: '', name: 'up' }], ['\x1bOA', { input: '', name: 'up' }],
  ['\x1b[B', { input: '', name: 'down' }], ['\x1bOB', { input: '', name: 'down' }],
  ['\x1b[C', { input: '', name: 'right' }], ['\x1bOC', { input: '', name: 'right' }],
  ['\x1b[D', { input: '', name: 'left' }], ['\x1bOD', { input: '', name: 'left' }],
  ['\x1b[5~', { input: '', name: 'pageup' }], ['\x1b[6~', { input: '', name: 'pagedown' }],
  ['\x1b[H', { input: '', name: 'home' }], ['\x1bOH', { input: '', name: 'home' }], ['\x1b[1~', { input: '', name: 'home' }], ['\x1b[7~', { input: '', name: 'home' }],
  ['\x1b[F', { input: '', name: 'end' }], ['\x1bOF', { input: '', name: 'end' }], ['\x1b[4~', { input: '', name: 'end' }], ['\x1b[8~', { input: '', name: 'end' }],
  ['\x1b[Z', { input: '', name: 'tab', shift: true }],
];

// eslint-disable-next-line no-control-regex
const MOUSE_RE = /^\x1b?\[<(\d+);\d+;\d+[Mm]/;

/** Splits raw terminal input into key presses. */
export function parseRawKeys(raw: string): KeyPress[] {
  const out: KeyPress[] = [];
  let i = 0;
  while (i < raw.length) {
    const rest = raw.slice(i);
    const mouse = MOUSE_RE.exec(rest);
    if (mouse) {
      const b = Number(mouse[1]);
      if (b === 64) out.push({ input: '', name: 'wheel-up' });
      else if (b === 65) out.push({ input: '', name: 'wheel-down' });
      i += mouse[0].length;
      continue;
    }
    if (rest[0] === '\x1b') {
      const seq = SEQUENCES.find(([s]) => rest.startsWith(s));
      if (seq) {
        out.push({ ...seq[1] });
        i += seq[0].length;
        continue;
      }
      // Another escape sequence (a key we do not use): skip it whole; a lone ESC is Escape.
      const m = /^\x1b(\[[0-?]*[ -/]*[@-~]|O.)/.exec(rest);
      if (m) {
        i += m[0].length;
        continue;
      }
      out.push({ input: '', name: 'escape' });
      i++;
      continue;
    }
    const ch = String.fromCodePoint(raw.codePointAt(i)!);
    i += ch.length;
    if (ch === '\r' || ch === '\n') out.push({ input: '', name: 'return' });
    else if (ch === '\t') out.push({ input: '', name: 'tab' });
    else if (ch === '\x7f' || ch === '\b') out.push({ input: '', name: 'backspace' });
    else if (ch === '\x03') out.push({ input: 'c', ctrl: true });
    else if (ch.charCodeAt(0) < 0x20) out.push({ input: String.fromCharCode(ch.charCodeAt(0) + 96), ctrl: true });
    else out.push({ input: ch });
  }
  return out;
}

/** Ink's input and key as key presses (a burst of several keys comes as one string: each is taken in turn). */
export function decodeKeys(input: string, key?: InkKey): KeyPress[] {
  if (!key) return parseRawKeys(input);
  if (MOUSE_RE.test(input)) return parseRawKeys(input.startsWith('\x1b') ? input : `\x1b${input}`);
  const named: KeyName | undefined = key.upArrow ? 'up' : key.downArrow ? 'down' : key.leftArrow ? 'left' : key.rightArrow ? 'right'
    : key.pageUp ? 'pageup' : key.pageDown ? 'pagedown' : key.home ? 'home' : key.end ? 'end'
    : key.tab ? 'tab' : key.return ? 'return' : key.escape ? 'escape' : key.backspace || key.delete ? 'backspace' : undefined;
  if (named) return [{ input: '', name: named, shift: key.shift, ctrl: key.ctrl }];
  if (key.ctrl) return [{ input, ctrl: true }];
  if ([...input].length > 1 && !key.meta) return parseRawKeys(input);
  return [{ input }];
}
