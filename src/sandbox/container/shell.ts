/**
 * The shell inside simulated containers: runs what shell-syntax.ts parses.
 * Commands of a pipeline run concurrently, joined by in-memory pipes; the
 * pipeline's status is its last command's. A name the container does not
 * have exits 127 with the shell's `not found` line (BusyBox/dash wording
 * for `sh`, bash's for `bash`).
 */
import { ByteSource, Pipe, type Output } from './byte-streams.js';
import type { Command, CommandContext } from './command-types.js';
import { ContainerFsError } from './container-fs.js';
import { parseShell, ShellSyntaxError, type AndOr, type Pipeline, type Script, type SimpleCommand, type Word } from './shell-syntax.js';

/** Directories a bare command name is looked up in, and where `which` says it is. */
const BIN_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export type CommandTable = ReadonlyMap<string, Command>;

/** The name under which a path names a command of the table (`/usr/bin/curl` → `curl`), or null. */
export function commandName(table: CommandTable, name: string): string | null {
  if (!name.includes('/')) return table.has(name) ? name : null;
  const slash = name.lastIndexOf('/');
  const dir = name.slice(0, slash);
  const base = name.slice(slash + 1);
  return BIN_DIRS.includes(dir) && table.has(base) ? base : null;
}

/** Where a command of the table lives (for `which` and `command -v`). */
export function commandPath(name: string): string {
  return ['sh', 'bash', 'cat', 'echo', 'hostname', 'sleep', 'true', 'false', 'grep', 'printenv', 'env'].includes(name) ? `/bin/${name}` : `/usr/bin/${name}`;
}

class ExitRequest {
  constructor(readonly code: number) {}
}

interface Streams {
  stdin: ByteSource;
  stdout: Output;
  stderr: Output;
  stdoutIsTerminal: boolean;
}

export class Shell {
  private readonly vars: Map<string, string>;
  private readonly exported: Set<string>;
  private status = 0;
  private errexit = false;
  /** `exit` ran: nothing more of the script runs. */
  exited = false;

  constructor(
    private base: CommandContext,
    private readonly table: CommandTable,
    private readonly name: 'sh' | 'bash',
    private readonly positional: string[],
  ) {
    this.vars = new Map(base.env);
    this.exported = new Set(base.env.keys());
  }

  /** Later commands see this signal (an interactive shell gives each line its own, for Ctrl-C). */
  useSignal(signal: AbortSignal): void {
    this.base = { ...this.base, signal };
  }

  private get prefix(): string {
    return this.name === 'bash' ? 'bash: line 1' : this.name;
  }

  /** Runs a whole script; syntax errors exit 2 with the shell's message. */
  async run(source: string, io: Streams): Promise<number> {
    let script: Script;
    try {
      script = parseShell(source);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      io.stderr(`${this.prefix}: ${e.message}\n`);
      return 2;
    }
    try {
      return await this.runScript(script, io);
    } catch (e) {
      if (!(e instanceof ExitRequest)) throw e;
      this.exited = true;
      return e.code;
    }
  }

  private async runScript(script: Script, io: Streams): Promise<number> {
    for (const list of script) {
      if (this.base.signal.aborted) return 130;
      this.status = await this.runAndOr(list, io);
      if (this.errexit && this.status !== 0) throw new ExitRequest(this.status);
    }
    return this.status;
  }

  private async runAndOr(list: AndOr, io: Streams): Promise<number> {
    let status = await this.runPipeline(list.first, io);
    for (const { op, pipeline } of list.rest) {
      if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      this.status = status;
      status = await this.runPipeline(pipeline, io);
    }
    return status;
  }

  private async runPipeline(p: Pipeline, io: Streams): Promise<number> {
    const n = p.commands.length;
    let status: number;
    if (n === 1) {
      status = await this.runSimple(p.commands[0]!, io);
    } else {
      const pipes = Array.from({ length: n - 1 }, () => new Pipe());
      const runs = p.commands.map(async (cmd, i) => {
        const streams: Streams = {
          stdin: i === 0 ? io.stdin : new ByteSource(pipes[i - 1]!, this.base.signal),
          stdout: i === n - 1 ? io.stdout : pipes[i]!.write,
          stderr: io.stderr,
          stdoutIsTerminal: i === n - 1 && io.stdoutIsTerminal,
        };
        try {
          return await this.runSimple(cmd, streams);
        } finally {
          if (i < n - 1) pipes[i]!.end();
          if (i > 0) pipes[i - 1]!.readerDone();
        }
      });
      const all = await Promise.all(runs);
      status = all[n - 1]!;
    }
    return p.negate ? (status === 0 ? 1 : 0) : status;
  }

  // ------------------------------------------------------------ expansion

  private param(name: string): string | undefined {
    if (name === '?') return String(this.status);
    if (name === '$') return '1';
    if (name === '#') return String(Math.max(0, this.positional.length - 1));
    if (name === '@' || name === '*') return this.positional.slice(1).join(' ');
    if (/^[0-9]+$/.test(name)) return this.positional[Number(name)];
    return this.vars.get(name);
  }

  /** Expands a word into fields (unquoted expansions are split on blanks). */
  private async expand(word: Word, io: Streams): Promise<string[]> {
    const fields: string[] = [];
    let cur = '';
    let have = false;
    const addSplit = (text: string): void => {
      const pieces = text.split(/[ \t\n]+/);
      pieces.forEach((piece, k) => {
        if (k > 0 && (have || cur)) {
          fields.push(cur);
          cur = '';
          have = false;
        }
        if (piece) {
          cur += piece;
          have = true;
        }
      });
    };
    for (const part of word.parts) {
      let text: string;
      if (part.t === 'lit') {
        cur += part.v;
        have = true;
        continue;
      }
      if (part.t === 'param') {
        const v = this.param(part.name);
        text = v === undefined || v === '' ? (part.fallback ? (await this.expand(part.fallback, io)).join(' ') : '') : v;
      } else {
        text = await this.capture(part.script, io);
      }
      if (part.quoted) {
        cur += text;
        have = true;
      } else addSplit(text);
    }
    if (have || cur) fields.push(cur);
    return fields;
  }

  private async expandOne(word: Word, io: Streams): Promise<string> {
    return (await this.expand(word, io)).join(' ');
  }

  /** `$(…)`: runs the script in a copy of this shell and returns its output without trailing newlines. */
  private async capture(script: Script, io: Streams): Promise<string> {
    const chunks: Buffer[] = [];
    const sub = new Shell({ ...this.base, env: this.exportedEnv() }, this.table, this.name, this.positional);
    for (const [k, v] of this.vars) sub.vars.set(k, v);
    try {
      this.status = await sub.runScript(script, {
        stdin: ByteSource.empty(),
        stdout: (d) => chunks.push(typeof d === 'string' ? Buffer.from(d) : d),
        stderr: io.stderr,
        stdoutIsTerminal: false,
      });
    } catch (e) {
      if (!(e instanceof ExitRequest)) throw e;
      this.status = e.code;
    }
    return Buffer.concat(chunks).toString('utf8').replace(/\n+$/, '');
  }

  private exportedEnv(extra?: Map<string, string>): Map<string, string> {
    const env = new Map<string, string>();
    for (const k of this.exported) {
      const v = this.vars.get(k);
      if (v !== undefined) env.set(k, v);
    }
    if (extra) for (const [k, v] of extra) env.set(k, v);
    return env;
  }

  // ------------------------------------------------------------ simple commands

  private async runSimple(cmd: SimpleCommand, io: Streams): Promise<number> {
    const argv: string[] = [];
    for (const w of cmd.words) argv.push(...(await this.expand(w, io)));
    const assigns = new Map<string, string>();
    for (const a of cmd.assigns) assigns.set(a.name, await this.expandOne(a.value, io));

    const streams = await this.applyRedirects(cmd, io);
    if (typeof streams === 'number') return streams;
    try {
      if (argv.length === 0) {
        for (const [k, v] of assigns) this.vars.set(k, v);
        return cmd.words.length > 0 ? 0 : this.status;
      }
      const builtin = await this.builtin(argv, streams.io);
      if (builtin !== null) return builtin;
      const name = commandName(this.table, argv[0]!);
      if (name === null) {
        streams.io.stderr(this.name === 'bash' ? `${this.prefix}: ${argv[0]}: command not found\n` : `${this.prefix}: ${argv[0]}: not found\n`);
        return 127;
      }
      const ctx: CommandContext = {
        ...this.base,
        argv,
        env: this.exportedEnv(assigns),
        stdin: streams.io.stdin,
        stdout: streams.io.stdout,
        stderr: streams.io.stderr,
        stdoutIsTerminal: streams.io.stdoutIsTerminal,
      };
      return await this.table.get(name)!(ctx);
    } finally {
      streams.flush();
    }
  }

  /** Applies `<`, `>`, `>>`, `N>&M`, `&>` left to right; a status when a file cannot be opened. */
  private async applyRedirects(cmd: SimpleCommand, io: Streams): Promise<{ io: Streams; flush: () => void } | number> {
    const fs = this.base.fs;
    const fds: Array<Output | undefined> = [undefined, io.stdout, io.stderr];
    let stdin = io.stdin;
    let terminal = io.stdoutIsTerminal;
    const files: Array<{ path: string; chunks: Buffer[]; append: boolean }> = [];
    const toFile = (path: string, append: boolean): Output => {
      const f = { path, chunks: [] as Buffer[], append };
      files.push(f);
      return (d) => void f.chunks.push(typeof d === 'string' ? Buffer.from(d) : d);
    };
    for (const r of cmd.redirects) {
      const target = await this.expandOne(r.target, io);
      if (r.op === '<') {
        const data = fs.read(target);
        if (data === undefined) {
          io.stderr(`${this.prefix}: can't open '${target}': No such file or directory\n`);
          return 1;
        }
        stdin = ByteSource.of(data);
      } else if (r.op === '>&') {
        if (target === '-') fds[r.fd] = () => {};
        else if (!/^[12]$/.test(target)) {
          io.stderr(`${this.prefix}: ${target}: bad file descriptor\n`);
          return 1;
        } else fds[r.fd] = fds[Number(target)];
        if (r.fd === 1) terminal = terminal && target === '1';
      } else {
        if (fs.isDirectory(target)) {
          io.stderr(`${this.prefix}: can't create ${target}: Is a directory\n`);
          return 1;
        }
        const out = toFile(target, r.op === '>>');
        if (r.op === '&>') {
          fds[1] = out;
          fds[2] = out;
        } else fds[r.fd] = out;
        if (r.fd === 1 || r.op === '&>') terminal = false;
      }
    }
    const flush = (): void => {
      for (const f of files) {
        try {
          fs.write(f.path, Buffer.concat(f.chunks), f.append);
        } catch (e) {
          if (e instanceof ContainerFsError) io.stderr(`${this.prefix}: ${e.message}\n`);
          else throw e;
        }
      }
    };
    return { io: { stdin, stdout: fds[1] ?? (() => {}), stderr: fds[2] ?? (() => {}), stdoutIsTerminal: terminal }, flush };
  }

  /** Shell builtins; null when argv is not one. */
  private async builtin(argv: string[], io: Streams): Promise<number | null> {
    const [name, ...args] = argv;
    switch (name) {
      case 'exit': {
        const code = args[0] === undefined ? this.status : Number(args[0]);
        if (!Number.isInteger(code)) {
          io.stderr(`${this.prefix}: exit: Illegal number: ${args[0]}\n`);
          throw new ExitRequest(2);
        }
        throw new ExitRequest(((code % 256) + 256) % 256);
      }
      case 'export':
        for (const a of args) {
          const eq = a.indexOf('=');
          const key = eq === -1 ? a : a.slice(0, eq);
          if (eq !== -1) this.vars.set(key, a.slice(eq + 1));
          this.exported.add(key);
        }
        return 0;
      case 'unset':
        for (const a of args) {
          this.vars.delete(a);
          this.exported.delete(a);
        }
        return 0;
      case 'set':
        for (const a of args) {
          if (/^[-+][a-z]+$/.test(a) && a.includes('e')) this.errexit = a.startsWith('-');
        }
        return 0;
      case ':':
        return 0;
      case 'cd': {
        const dir = args[0] ?? this.vars.get('HOME') ?? '/';
        if (!this.base.fs.changeDirectory(dir)) {
          io.stderr(`${this.prefix}: cd: can't cd to ${dir}: No such file or directory\n`);
          return 2;
        }
        this.vars.set('PWD', this.base.fs.workingDirectory);
        return 0;
      }
      case 'pwd':
        io.stdout(`${this.base.fs.workingDirectory}\n`);
        return 0;
      case 'command':
      case 'type':
        if ((name === 'command' && args[0] === '-v') || name === 'type') {
          const names = name === 'command' ? args.slice(1) : args;
          let status = 0;
          for (const n of names) {
            const found = commandName(this.table, n);
            if (found) io.stdout(name === 'type' ? `${n} is ${commandPath(found)}\n` : `${commandPath(found)}\n`);
            else {
              status = 1;
              if (name === 'type') io.stdout(`${n}: not found\n`);
            }
          }
          return status;
        }
        return null;
      default:
        return null;
    }
  }
}

/** `sh`/`bash` as a command: `-c SCRIPT [ARG0 ARGS…]`, or a script read from stdin. */
export function shellCommand(table: () => CommandTable): Command {
  return async (ctx) => {
    const name = ctx.argv[0]!.endsWith('bash') ? 'bash' : 'sh';
    const args = ctx.argv.slice(1);
    let i = 0;
    let script: string | null = null;
    let errexit = false;
    while (i < args.length && args[i]!.startsWith('-') && args[i] !== '-') {
      const flag = args[i++]!;
      if (flag === '--') break;
      if (flag.includes('c')) {
        script = args[i++] ?? null;
        if (script === null) {
          ctx.stderr(`${name}: -c requires an argument\n`);
          return 2;
        }
      }
      if (flag.includes('e')) errexit = true;
    }
    const positional = script !== null ? [args[i] ?? name, ...args.slice(i + 1)] : [name, ...args.slice(i)];
    const shell = new Shell(ctx, table(), name, positional);
    const io: Streams = { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, stdoutIsTerminal: ctx.stdoutIsTerminal };
    if (errexit) await shell.run('set -e', io);
    if (script !== null) return shell.run(script, io);
    if (args[i] !== undefined) {
      const file = ctx.fs.read(args[i]!);
      if (file === undefined) {
        ctx.stderr(`${name}: can't open '${args[i]}': No such file or directory\n`);
        return 2;
      }
      return shell.run(file.toString('utf8'), { ...io, stdin: ctx.stdin });
    }
    if (ctx.stdoutIsTerminal) return interactive(ctx, shell, io);
    // No -c: read the script from stdin (`kubectl exec -i … -- sh < script`), line by line.
    let status = 0;
    let pending = '';
    for await (const line of ctx.stdin.lines()) {
      pending += `${line}\n`;
      if (incomplete(pending)) continue;
      const run = pending;
      pending = '';
      status = await shell.run(run, { ...io, stdin: ByteSource.empty() });
      if (shell.exited) return status;
    }
    if (pending.trim()) status = await shell.run(pending, { ...io, stdin: ByteSource.empty() });
    return status;
  };
}

/** The text so far ends inside a quote or substitution: more lines are needed. */
function incomplete(text: string): boolean {
  try {
    parseShell(text);
    return false;
  } catch (e) {
    return e instanceof ShellSyntaxError && /unterminated|missing \}/.test(e.message);
  }
}

const PROMPT = '# ';
const CONTINUATION = '> ';

/**
 * `kubectl exec -it … -- sh`: a prompt, one line at a time from the
 * terminal; Ctrl-C stops the running line (or gives a fresh prompt), Ctrl-D
 * on an empty line or `exit` ends the session.
 */
async function interactive(ctx: CommandContext, shell: Shell, io: Streams): Promise<number> {
  let running: AbortController | null = null;
  let pending = '';
  ctx.onInterrupt?.(() => {
    if (running) running.abort();
    else {
      pending = '';
      ctx.stdout(PROMPT);
    }
  });
  const lines = ctx.stdin.lines()[Symbol.asyncIterator]();
  let status = 0;
  for (;;) {
    ctx.stdout(pending ? CONTINUATION : PROMPT);
    const next = await lines.next();
    if (next.done || ctx.signal.aborted) break;
    pending += `${next.value}\n`;
    if (incomplete(pending)) continue;
    const line = pending;
    pending = '';
    const controller: AbortController = new AbortController();
    running = controller;
    shell.useSignal(AbortSignal.any([ctx.signal, controller.signal]));
    status = await shell.run(line, { ...io, stdin: ByteSource.empty() });
    running = null;
    if (controller.signal.aborted && !ctx.signal.aborted) status = 130;
    if (shell.exited) return status;
  }
  return status;
}
