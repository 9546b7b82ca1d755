/**
 * grep with the options tutorials use (-o -i -v -c -q -n -E -F -w -x -e -h
 * -H -l, combined like `-oE`), over stdin or files, GNU's exit statuses
 * (0 a line matched, 1 none, 2 trouble). Patterns are POSIX basic (default)
 * or extended (-E) regular expressions, translated to JavaScript's.
 */
import type { Command } from './command-types.js';

const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: 'A-Za-z0-9_',
};

export class PatternError extends Error {}

/** Translates a POSIX BRE (extended = false) or ERE to a JavaScript RegExp source. */
export function posixToJs(pattern: string, extended: boolean): string {
  let out = '';
  let i = 0;
  const n = pattern.length;
  let atStart = true;
  while (i < n) {
    const c = pattern[i]!;
    if (c === '[') {
      // Bracket expression: copied, with [:class:] expanded and a leading ] literal.
      let j = i + 1;
      let body = '';
      if (pattern[j] === '^') {
        body += '^';
        j++;
      }
      if (pattern[j] === ']') {
        body += '\\]';
        j++;
      }
      for (; j < n && pattern[j] !== ']'; j++) {
        const cls = /^\[:([a-z]+):\]/.exec(pattern.slice(j));
        if (cls) {
          const set = CLASSES[cls[1]!];
          if (set === undefined) throw new PatternError(`character class syntax is [[:space:]], not [:space:]`);
          body += set;
          j += cls[0].length - 1;
        } else if (pattern[j] === '\\') body += '\\\\';
        else body += pattern[j];
      }
      if (j >= n) throw new PatternError('Unmatched [, [^, [:, [., or [=');
      out += `[${body}]`;
      i = j + 1;
      atStart = false;
      continue;
    }
    if (c === '\\') {
      const d = pattern[i + 1];
      i += 2;
      if (d === undefined) throw new PatternError('Trailing backslash');
      if (!extended && '(){}|+?'.includes(d)) out += d; // BRE: \( \) \{ \} and GNU's \| \+ \?
      else if (d === '<' || d === '>') out += '\\b';
      else if ('wWsSbB'.includes(d)) out += `\\${d}`;
      else if (/[0-9]/.test(d)) out += `\\${d}`;
      else out += d.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      atStart = d === '(' && !extended;
      continue;
    }
    if (!extended && '(){}|+?'.includes(c)) {
      out += `\\${c}`;
    } else if (c === '*' && atStart) {
      out += '\\*';
    } else if (c === '{' && extended && !/^\{[0-9]+(,[0-9]*)?\}/.test(pattern.slice(i))) {
      out += '\\{';
    } else if (c === '/') {
      out += '\\/';
    } else {
      out += c;
    }
    atStart = c === '^' || (extended && (c === '(' || c === '|'));
    i++;
  }
  return out;
}

interface GrepOptions {
  only: boolean;
  ignoreCase: boolean;
  invert: boolean;
  count: boolean;
  quiet: boolean;
  lineNumbers: boolean;
  extended: boolean;
  fixed: boolean;
  word: boolean;
  line: boolean;
  listFiles: boolean;
  withName: boolean | null;
  patterns: string[];
  files: string[];
}

function parseArgs(args: string[]): GrepOptions | string {
  const o: GrepOptions = { only: false, ignoreCase: false, invert: false, count: false, quiet: false, lineNumbers: false, extended: false, fixed: false, word: false, line: false, listFiles: false, withName: null, patterns: [], files: [] };
  const rest: string[] = [];
  const long: Record<string, keyof GrepOptions> = { '--only-matching': 'only', '--ignore-case': 'ignoreCase', '--invert-match': 'invert', '--count': 'count', '--quiet': 'quiet', '--silent': 'quiet', '--line-number': 'lineNumbers', '--extended-regexp': 'extended', '--fixed-strings': 'fixed', '--word-regexp': 'word', '--line-regexp': 'line', '--files-with-matches': 'listFiles' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      if (a.startsWith('--color') || a.startsWith('--colour')) continue;
      if (a.startsWith('--regexp=')) {
        o.patterns.push(a.slice(9));
        continue;
      }
      const key = long[a];
      if (!key) return `unrecognized option '${a}'`;
      (o[key] as boolean) = true;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k]!;
        if (f === 'e') {
          const p = a.slice(k + 1) || args[++i];
          if (p === undefined) return "option requires an argument -- 'e'";
          o.patterns.push(p);
          break;
        }
        const map: Record<string, () => void> = {
          o: () => (o.only = true), i: () => (o.ignoreCase = true), v: () => (o.invert = true), c: () => (o.count = true),
          q: () => (o.quiet = true), s: () => {}, n: () => (o.lineNumbers = true), E: () => (o.extended = true),
          F: () => (o.fixed = true), G: () => (o.extended = false), w: () => (o.word = true), x: () => (o.line = true),
          l: () => (o.listFiles = true), h: () => (o.withName = false), H: () => (o.withName = true), a: () => {}, I: () => {},
        };
        const fn = map[f];
        if (!fn) return `invalid option -- '${f}'`;
        fn();
      }
      continue;
    }
    rest.push(a);
  }
  if (o.patterns.length === 0) {
    const p = rest.shift();
    if (p === undefined) return 'usage';
    o.patterns.push(p);
  }
  o.files = rest;
  return o;
}

export const grep: Command = async (ctx) => {
  const o = parseArgs(ctx.argv.slice(1));
  if (typeof o === 'string') {
    if (o !== 'usage') ctx.stderr(`grep: ${o}\n`);
    ctx.stderr("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
    return 2;
  }
  let re: RegExp;
  try {
    const sources = o.patterns.flatMap((p) => p.split('\n')).map((p) => (o.fixed ? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : posixToJs(p, o.extended)));
    let src = sources.map((s) => `(?:${s})`).join('|');
    if (o.word) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
    if (o.line) src = `^(?:${src})$`;
    // Lines are matched without their newline, so `.` may match anything (a \r too, as in grep).
    re = new RegExp(src, o.ignoreCase ? 'gis' : 'gs');
  } catch (e) {
    ctx.stderr(`grep: ${e instanceof PatternError ? e.message : 'Invalid regular expression'}\n`);
    return 2;
  }

  const files = o.files.length === 0 ? ['-'] : o.files;
  const showName = o.withName ?? files.length > 1;
  let matchedAny = false;
  let trouble = false;
  for (const f of files) {
    let lines: AsyncIterable<string> | Iterable<string>;
    const label = f === '-' ? '(standard input)' : f;
    if (f === '-') lines = ctx.stdin.lines();
    else {
      const data = ctx.fs.read(f);
      if (data === undefined || ctx.fs.isDirectory(f)) {
        ctx.stderr(`grep: ${f}: ${data === undefined ? 'No such file or directory' : 'Is a directory'}\n`);
        trouble = true;
        continue;
      }
      const text = data.toString('utf8');
      lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
      if (text === '') lines = [];
    }
    let count = 0;
    let n = 0;
    for await (const line of lines) {
      n++;
      re.lastIndex = 0;
      const hit = re.test(line);
      if (hit === o.invert) continue;
      count++;
      matchedAny = true;
      if (o.quiet) return 0;
      if (o.count || o.listFiles) continue;
      const prefix = `${showName ? `${label}:` : ''}${o.lineNumbers ? `${n}:` : ''}`;
      if (o.only && !o.invert) {
        re.lastIndex = 0;
        for (const m of line.matchAll(re)) if (m[0] !== '') ctx.stdout(`${prefix}${m[0]}\n`);
      } else ctx.stdout(`${prefix}${line}\n`);
    }
    if (o.count) ctx.stdout(`${showName ? `${label}:` : ''}${count}\n`);
    if (o.listFiles && count > 0) ctx.stdout(`${label}\n`);
  }
  if (trouble && !(o.quiet && matchedAny)) return 2;
  return matchedAny ? 0 : 1;
};
