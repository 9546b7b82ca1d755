/**
 * The part of the POSIX shell language the sandbox's containers understand
 * (what `kubectl exec … -- sh -c '…'` lines in tutorials use): simple
 * commands with quoting ('…', "…", \), parameters ($X, ${X}, ${X:-d}, $?),
 * command substitution ($(…) and `…`), pipes, `&&`, `||`, `;`, newlines,
 * `!`, `#` comments, and the redirections `<`, `>`, `>>`, `N>`, `N>&M`,
 * `&>`. Compound commands (if, for, while, case, functions, subshells) are
 * refused with a clear message rather than misread.
 *
 * Hand-written: the npm shell parsers (shell-quote, bash-parser) either
 * only split words or are unmaintained; this subset is ~250 lines.
 */

export type WordPart =
  | { t: 'lit'; v: string; quoted: boolean }
  | { t: 'param'; name: string; quoted: boolean; fallback?: Word }
  | { t: 'subst'; script: Script; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

export interface Redirect {
  fd: number;
  op: '<' | '>' | '>>' | '>&' | '&>';
  /** File name, or the fd number for `>&`. */
  target: Word;
}

export interface SimpleCommand {
  assigns: Array<{ name: string; value: Word }>;
  words: Word[];
  redirects: Redirect[];
}

export interface Pipeline {
  negate: boolean;
  commands: SimpleCommand[];
}

export interface AndOr {
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }>;
}

export type Script = AndOr[];

export class ShellSyntaxError extends Error {}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', '{', '}', 'select']);

type Token =
  | { k: 'word'; word: Word; raw: string }
  | { k: 'op'; v: '|' | '||' | '&&' | ';' | '\n' | '&' | '(' | ')' | '!' }
  | { k: 'redir'; fd: number; op: Redirect['op'] };

const isNameStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isNameChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c);

class Lexer {
  private i = 0;
  constructor(private readonly src: string) {}

  tokens(): Token[] {
    const out: Token[] = [];
    for (;;) {
      this.skipBlanks();
      if (this.i >= this.src.length) return out;
      const c = this.src[this.i]!;
      if (c === '#') {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
        continue;
      }
      if (c === '\n') {
        this.i++;
        out.push({ k: 'op', v: '\n' });
        continue;
      }
      const two = this.src.slice(this.i, this.i + 2);
      if (two === '&&' || two === '||') {
        this.i += 2;
        out.push({ k: 'op', v: two });
        continue;
      }
      if (two === '&>') {
        this.i += 2;
        out.push({ k: 'redir', fd: 1, op: '&>' });
        continue;
      }
      if (c === '|' || c === ';' || c === '&' || c === '(' || c === ')') {
        this.i++;
        out.push({ k: 'op', v: c });
        continue;
      }
      const redir = this.redirect();
      if (redir) {
        out.push(redir);
        continue;
      }
      const start = this.i;
      const word = this.word();
      const raw = this.src.slice(start, this.i);
      if (raw === '!') out.push({ k: 'op', v: '!' });
      else out.push({ k: 'word', word, raw });
    }
  }

  private skipBlanks(): void {
    while (this.i < this.src.length) {
      const c = this.src[this.i]!;
      if (c === ' ' || c === '\t') this.i++;
      else if (c === '\\' && this.src[this.i + 1] === '\n') this.i += 2;
      else break;
    }
  }

  private redirect(): Token | null {
    const m = /^([0-9]?)(>>|>&|>|<)/.exec(this.src.slice(this.i, this.i + 3));
    if (!m) return null;
    this.i += m[0].length;
    const op = m[2] as Redirect['op'];
    const fd = m[1] ? Number(m[1]) : op === '<' ? 0 : 1;
    return { k: 'redir', fd, op };
  }

  private atWordEnd(): boolean {
    if (this.i >= this.src.length) return true;
    const c = this.src[this.i]!;
    return ' \t\n|&;()<>'.includes(c);
  }

  private word(): Word {
    const parts: WordPart[] = [];
    const lit = (v: string, quoted: boolean): void => {
      const last = parts[parts.length - 1];
      if (last && last.t === 'lit' && last.quoted === quoted) last.v += v;
      else parts.push({ t: 'lit', v, quoted });
    };
    while (!this.atWordEnd()) {
      const c = this.src[this.i]!;
      if (c === "'") {
        const end = this.src.indexOf("'", this.i + 1);
        if (end === -1) throw new ShellSyntaxError('unterminated quoted string');
        lit(this.src.slice(this.i + 1, end), true);
        this.i = end + 1;
      } else if (c === '"') {
        this.i++;
        this.doubleQuoted(parts, lit);
      } else if (c === '\\') {
        const next = this.src[this.i + 1];
        this.i += 2;
        if (next === undefined) lit('\\', false);
        else if (next !== '\n') lit(next, true);
      } else if (c === '$' || c === '`') {
        parts.push(this.dollar(false));
      } else {
        lit(c, false);
        this.i++;
      }
    }
    return { parts };
  }

  private doubleQuoted(parts: WordPart[], lit: (v: string, quoted: boolean) => void): void {
    const before = parts.length;
    for (;;) {
      if (this.i >= this.src.length) throw new ShellSyntaxError('unterminated quoted string');
      const c = this.src[this.i]!;
      if (c === '"') {
        this.i++;
        if (parts.length === before) lit('', true); // "" is still a word
        return;
      }
      if (c === '\\' && '$`"\\\n'.includes(this.src[this.i + 1] ?? '')) {
        const next = this.src[this.i + 1]!;
        if (next !== '\n') lit(next, true);
        this.i += 2;
      } else if (c === '$' || c === '`') {
        parts.push(this.dollar(true));
      } else {
        lit(c, true);
        this.i++;
      }
    }
  }

  /** `$…` or a backquoted substitution at the cursor. */
  private dollar(quoted: boolean): WordPart {
    const src = this.src;
    if (src[this.i] === '`') {
      const end = src.indexOf('`', this.i + 1);
      if (end === -1) throw new ShellSyntaxError('unterminated `…` substitution');
      const inner = src.slice(this.i + 1, end);
      this.i = end + 1;
      return { t: 'subst', script: parseShell(inner), quoted };
    }
    const next = src[this.i + 1] ?? '';
    if (next === '(') {
      const end = this.matchParen(this.i + 1);
      const inner = src.slice(this.i + 2, end);
      this.i = end + 1;
      if (inner.startsWith('(')) throw new ShellSyntaxError('arithmetic $((…)) is not supported');
      return { t: 'subst', script: parseShell(inner), quoted };
    }
    if (next === '{') {
      const end = src.indexOf('}', this.i + 2);
      if (end === -1) throw new ShellSyntaxError('missing }');
      const body = src.slice(this.i + 2, end);
      this.i = end + 1;
      const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*])(?::-(.*))?$/s.exec(body);
      if (!m) throw new ShellSyntaxError(`\${${body}}: bad substitution`);
      return { t: 'param', name: m[1]!, quoted, ...(m[2] !== undefined ? { fallback: new Lexer(m[2]).word() } : {}) };
    }
    if (isNameStart(next)) {
      let j = this.i + 1;
      while (j < src.length && isNameChar(src[j]!)) j++;
      const name = src.slice(this.i + 1, j);
      this.i = j;
      return { t: 'param', name, quoted };
    }
    if (/[0-9?$#@*!-]/.test(next) && next !== '') {
      this.i += 2;
      return { t: 'param', name: next, quoted };
    }
    this.i++;
    return { t: 'lit', v: '$', quoted };
  }

  /** Index of the `)` matching the `(` at `open`, skipping quotes. */
  private matchParen(open: number): number {
    let depth = 0;
    for (let j = open; j < this.src.length; j++) {
      const c = this.src[j]!;
      if (c === '\\') j++;
      else if (c === "'") {
        const end = this.src.indexOf("'", j + 1);
        if (end === -1) break;
        j = end;
      } else if (c === '"') {
        for (j++; j < this.src.length && this.src[j] !== '"'; j++) if (this.src[j] === '\\') j++;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j;
    }
    throw new ShellSyntaxError('unterminated $(…) substitution');
  }
}

/** Parses a script; throws ShellSyntaxError with a message in the shell's words. */
export function parseShell(src: string): Script {
  const toks = new Lexer(src).tokens();
  let i = 0;
  const peek = (): Token | undefined => toks[i];
  const isOp = (t: Token | undefined, ...v: string[]): boolean => t?.k === 'op' && v.includes(t.v);
  const skipNewlines = (): void => {
    while (isOp(peek(), '\n')) i++;
  };

  const simple = (): SimpleCommand => {
    const cmd: SimpleCommand = { assigns: [], words: [], redirects: [] };
    for (;;) {
      const t = peek();
      if (!t || t.k === 'op') break;
      i++;
      if (t.k === 'redir') {
        const target = peek();
        if (!target || target.k !== 'word') throw new ShellSyntaxError(`syntax error: unexpected ${describe(target)}`);
        i++;
        cmd.redirects.push({ fd: t.fd, op: t.op, target: target.word });
        continue;
      }
      if (cmd.words.length === 0) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(t.raw);
        if (m && t.word.parts[0]?.t === 'lit' && !t.word.parts[0].quoted) {
          const first = t.word.parts[0];
          const value: Word = { parts: [{ ...first, v: first.v.slice(m[0].length) }, ...t.word.parts.slice(1)] };
          cmd.assigns.push({ name: m[1]!, value });
          continue;
        }
        if (RESERVED.has(t.raw)) {
          throw new ShellSyntaxError(`'${t.raw}' is not supported: the sandbox's shell runs simple commands joined by |, &&, || and ;`);
        }
      }
      cmd.words.push(t.word);
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) {
      throw new ShellSyntaxError(`syntax error: unexpected ${describe(peek())}`);
    }
    return cmd;
  };

  const pipeline = (): Pipeline => {
    let negate = false;
    if (isOp(peek(), '!')) {
      negate = true;
      i++;
    }
    if (isOp(peek(), '(')) throw new ShellSyntaxError("'(' subshells are not supported: the sandbox's shell runs simple commands joined by |, &&, || and ;");
    const commands = [simple()];
    while (isOp(peek(), '|')) {
      i++;
      skipNewlines();
      commands.push(simple());
    }
    return { negate, commands };
  };

  const script: Script = [];
  skipNewlines();
  while (i < toks.length) {
    const first = pipeline();
    const rest: AndOr['rest'] = [];
    while (isOp(peek(), '&&', '||')) {
      const op = (toks[i++] as { v: '&&' | '||' }).v;
      skipNewlines();
      rest.push({ op, pipeline: pipeline() });
    }
    script.push({ first, rest });
    const t = peek();
    if (!t) break;
    if (isOp(t, ';', '\n', '&')) {
      i++;
      skipNewlines();
      while (isOp(peek(), ';')) i++;
      skipNewlines();
      continue;
    }
    throw new ShellSyntaxError(`syntax error: unexpected ${describe(t)}`);
  }
  return script;
}

function describe(t: Token | undefined): string {
  if (!t) return 'end of file';
  if (t.k === 'op') return t.v === '\n' ? 'newline' : `"${t.v}"`;
  if (t.k === 'redir') return `"${t.op}"`;
  return `"${t.raw}"`;
}
