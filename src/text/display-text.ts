/**
 * Text from outside — cluster objects and events, traces, other learners' class records, lesson
 * files that are not kubetutor's own, server answers quoted in errors — becomes display text
 * here. Such text is data: every character that could steer the terminal is shown as a visible,
 * inert stand-in, never written as it is. The convention (README, "Text from outside"):
 *
 * - C0 controls U+0000–U+001F and DEL become their Unicode control pictures, one cell each:
 *   ESC → `␛`, BEL → `␇`, CR → `␍`, LF → `␊`, DEL → `␡` (U+2400 + code; DEL is U+2421).
 *   So `\x1b[31mred` shows as `␛[31mred`, and `\x1b]52;c;…\x07` as `␛]52;c;…␇`.
 * - A tab stays a tab (or becomes one space, `tabs: 'space'`, where cells are counted); a newline
 *   stays a newline where the surface keeps lines (`lines: true`; CRLF becomes LF there).
 * - C1 controls U+0080–U+009F (among them the 8-bit CSI U+009B, OSC U+009D and DCS U+0090) and
 *   the bidi overrides and isolates U+202A–U+202E, U+2066–U+2069, which have no pictures,
 *   become their code in angle brackets: `<U+009B>`, `<U+202E>`.
 *
 * A pure leaf with no dependencies (the CLI loads it at once); display-width.ts measures.
 */

export interface DisplayOptions {
  /** Keep newlines (the surface shows several lines); otherwise a newline shows as `␊`. */
  lines?: boolean;
  /** `space`: a tab becomes one space (a layout that counts cells); `keep` (default): it stays a tab. */
  tabs?: 'keep' | 'space';
}

/** Every character the convention replaces (tab and newline included: the options decide). */
const STEERING = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const STEERING_ALL = new RegExp(STEERING.source, 'g');

/** The visible stand-in for one steering character (tab and newline aside). */
export function standIn(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** `text` as it may be written to a terminal: shown, never obeyed (see the convention above). */
export function displayText(text: string, opts: DisplayOptions = {}): string {
  if (!STEERING.test(text)) return text;
  const source = opts.lines ? text.replace(/\r\n/g, '\n') : text;
  return source.replace(STEERING_ALL, (ch) => {
    if (ch === '\t') return opts.tabs === 'space' ? ' ' : '\t';
    if (ch === '\n' && opts.lines) return '\n';
    return standIn(ch);
  });
}

/** Whether `text` holds anything a terminal would obey rather than show (tabs and newlines aside). */
export function hasSteering(text: string): boolean {
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text);
}

/**
 * A copy of `value` in which every string (in plain objects and arrays, however deep) is display
 * text. What holds nothing to replace is returned as it is (the same object), so clean data costs
 * no copies and keeps its identity.
 */
export function inertStrings<T>(value: T, opts: DisplayOptions = {}): T {
  if (value && typeof value === 'object' && !mayHoldSteering(value, opts)) return value;
  return inert(value, opts) as T;
}

/**
 * A quick look before the walk: JSON.stringify (native, and several times faster than visiting a
 * 50,000-span trace object by object; measured) writes C0 controls as escapes and leaves the others
 * raw, so one regex over its text says whether anything may need replacing. A literal backslash
 * sequence can look like an escape: then the walk runs and finds nothing, which is only slower.
 */
function mayHoldSteering(value: object, opts: DisplayOptions): boolean {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return true; // a cycle or a BigInt: walk it
  }
  if (json === undefined) return true;
  const escapes = `u00[01][0-9a-fA-F]|[bfr${opts.lines ? '' : 'n'}${opts.tabs === 'space' ? 't' : ''}]`;
  return new RegExp(`\\\\(?:${escapes})|[\u007f-\u009f\u202a-\u202e\u2066-\u2069]`).test(json);
}

function inert(value: unknown, opts: DisplayOptions): unknown {
  if (typeof value === 'string') return displayText(value, opts);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const d = inert(v, opts);
      if (d !== v) (out ??= value.slice())[i] = d;
    }
    return out ?? value;
  }
  if (value && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value; // Maps, class instances…: not display data
    let out: Record<string, unknown> | undefined;
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      const d = inert(v, opts);
      if (d !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = d;
    }
    return out ?? value;
  }
  return value;
}

/**
 * `JSON.stringify`, exact data that no terminal obeys: JSON escapes C0 controls itself; DEL, the
 * C1 controls, the bidi controls and U+2028/U+2029, which it leaves raw, are written as `\uXXXX`
 * too (the parsed value is the same).
 */
export function inertJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
