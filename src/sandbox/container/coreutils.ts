/**
 * The small utilities a tutorial pipes exec output through: cat, echo,
 * printf, head, tail, wc, env, printenv, hostname, true, false, sleep and
 * which, with the options those lines use and GNU's messages.
 */
import type { Command, CommandContext } from './command-types.js';
import { commandName, commandPath, type CommandTable } from './shell.js';

/** The contents of each operand (`-` or none = stdin), reporting missing files. */
async function* operands(ctx: CommandContext, files: string[], name: string, status: { code: number }): AsyncGenerator<Buffer> {
  if (files.length === 0) files = ['-'];
  for (const f of files) {
    if (f === '-') {
      yield await ctx.stdin.readAll();
      continue;
    }
    if (ctx.fs.isDirectory(f)) {
      ctx.stderr(`${name}: ${f}: Is a directory\n`);
      status.code = 1;
      continue;
    }
    const data = ctx.fs.read(f);
    if (data === undefined) {
      ctx.stderr(`${name}: ${f}: No such file or directory\n`);
      status.code = 1;
      continue;
    }
    yield data;
  }
}

const cat: Command = async (ctx) => {
  const files = ctx.argv.slice(1).filter((a) => a === '-' || !a.startsWith('-'));
  const status = { code: 0 };
  if (files.length === 0) {
    // Stream stdin through as it arrives (`kubectl exec -i … -- cat` echoes while you type).
    for (let c = await ctx.stdin.next(); c; c = await ctx.stdin.next()) ctx.stdout(c);
    return 0;
  }
  for await (const data of operands(ctx, files, 'cat', status)) ctx.stdout(data);
  return status.code;
};

function unescape(s: string): string {
  return s.replace(/\\(0[0-7]{0,3}|[abefnrtv\\]|c)/g, (_m, e: string) => {
    if (e.startsWith('0')) return String.fromCharCode(parseInt(e.slice(1) || '0', 8));
    return ({ a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', c: '' } as Record<string, string>)[e] ?? e;
  });
}

const echo: Command = async (ctx) => {
  let args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args[0] && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) escapes = true;
    args = args.slice(1);
  }
  const text = args.join(' ');
  ctx.stdout((escapes ? unescape(text) : text) + (newline ? '\n' : ''));
  return 0;
};

/** printf FORMAT [ARGS…] with %s, %d, %%, and backslash escapes; the format is reused for extra arguments. */
const printf: Command = async (ctx) => {
  const [format, ...args] = ctx.argv.slice(1);
  if (format === undefined) {
    ctx.stderr('printf: missing operand\n');
    return 1;
  }
  let out = '';
  let k = 0;
  do {
    out += unescape(format).replace(/%(-?[0-9]*)([sdi%])/g, (_m, width: string, conv: string) => {
      if (conv === '%') return '%';
      const arg = args[k++] ?? '';
      const v = conv === 's' ? arg : String(Number.parseInt(arg, 10) || 0);
      const w = Number(width.replace('-', '')) || 0;
      return width.startsWith('-') ? v.padEnd(w) : v.padStart(w);
    });
  } while (k > 0 && k < args.length);
  ctx.stdout(out);
  return 0;
};

/** `-n N`, `-nN`, `-N`, `-c N`: a count and whether it counts bytes. */
function countOption(args: string[], name: string, ctx: CommandContext): { count: number; bytes: boolean; from: boolean; files: string[] } | null {
  let count = 10;
  let bytes = false;
  let from = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let value: string | undefined;
    if (a === '-n' || a === '-c' || a === '--lines' || a === '--bytes') {
      value = args[++i];
      bytes = a === '-c' || a === '--bytes';
    } else if (/^-[nc].+/.test(a)) {
      value = a.slice(2);
      bytes = a[1] === 'c';
    } else if (/^--(lines|bytes)=/.test(a)) {
      value = a.slice(a.indexOf('=') + 1);
      bytes = a.startsWith('--bytes');
    } else if (/^-[0-9]+$/.test(a)) {
      value = a.slice(1);
    } else if (a === '-q' || a === '-s' || a === '-f') {
      continue;
    } else {
      files.push(a);
      continue;
    }
    if (value === undefined || !/^[+-]?[0-9]+$/.test(value)) {
      ctx.stderr(`${name}: invalid number of ${bytes ? 'bytes' : 'lines'}: '${value ?? ''}'\n`);
      return null;
    }
    from = value.startsWith('+');
    count = Math.abs(Number(value));
  }
  return { count, bytes, from, files };
}

function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

const head: Command = async (ctx) => {
  const opt = countOption(ctx.argv.slice(1), 'head', ctx);
  if (!opt) return 1;
  const status = { code: 0 };
  if (!opt.bytes && opt.files.length === 0) {
    // Stop reading once enough lines arrived (`… | head -n 1` does not wait for the writer).
    let seen = 0;
    if (opt.count === 0) return 0;
    for await (const line of ctx.stdin.lines()) {
      ctx.stdout(`${line}\n`);
      if (++seen >= opt.count) break;
    }
    return 0;
  }
  for await (const data of operands(ctx, opt.files, 'head', status)) {
    if (opt.bytes) ctx.stdout(data.subarray(0, opt.count));
    else ctx.stdout(splitLines(data.toString('utf8')).slice(0, opt.count).join(''));
  }
  return status.code;
};

const tail: Command = async (ctx) => {
  const opt = countOption(ctx.argv.slice(1), 'tail', ctx);
  if (!opt) return 1;
  const status = { code: 0 };
  for await (const data of operands(ctx, opt.files, 'tail', status)) {
    if (opt.bytes) ctx.stdout(opt.from ? data.subarray(Math.max(0, opt.count - 1)) : data.subarray(Math.max(0, data.length - opt.count)));
    else {
      const lines = splitLines(data.toString('utf8'));
      ctx.stdout((opt.from ? lines.slice(Math.max(0, opt.count - 1)) : opt.count === 0 ? [] : lines.slice(-opt.count)).join(''));
    }
  }
  return status.code;
};

const wc: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  const flags = args.filter((a) => /^-[lwcm]+$/.test(a)).join('');
  const files = args.filter((a) => !/^-[lwcm]+$/.test(a));
  const want = { l: flags.includes('l'), w: flags.includes('w'), c: flags.includes('c') || flags.includes('m') };
  if (!want.l && !want.w && !want.c) want.l = want.w = want.c = true;
  const status = { code: 0 };
  const rows: number[][] = [];
  for await (const data of operands(ctx, files, 'wc', status)) {
    const text = data.toString('utf8');
    const row: number[] = [];
    if (want.l) row.push((text.match(/\n/g) ?? []).length);
    if (want.w) row.push(text.split(/\s+/).filter(Boolean).length);
    if (want.c) row.push(data.length);
    rows.push(row);
  }
  const names = files.length === 0 ? [''] : files;
  rows.forEach((row, i) => {
    const cells = row.length === 1 && files.length === 0 ? [String(row[0])] : row.map((n) => String(n).padStart(7));
    ctx.stdout(`${cells.join(' ')}${names[i] ? ` ${names[i]}` : ''}\n`);
  });
  return status.code;
};

const env: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.some((a) => !a.includes('=') || a.startsWith('-'))) {
    ctx.stderr("env: running a command from env is not simulated; use `VAR=value command` in sh -c\n");
    return 125;
  }
  const all = new Map(ctx.env);
  for (const a of args) all.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
  for (const [k, v] of all) ctx.stdout(`${k}=${v}\n`);
  return 0;
};

const printenv: Command = async (ctx) => {
  const names = ctx.argv.slice(1);
  if (names.length === 0) {
    for (const [k, v] of ctx.env) ctx.stdout(`${k}=${v}\n`);
    return 0;
  }
  let status = 0;
  for (const n of names) {
    const v = ctx.env.get(n);
    if (v === undefined) status = 1;
    else ctx.stdout(`${v}\n`);
  }
  return status;
};

const hostname: Command = async (ctx) => {
  const flag = ctx.argv[1];
  if (flag === '-i' || flag === '-I') ctx.stdout(`${ctx.info.podIp}${flag === '-I' ? ' ' : ''}\n`);
  else ctx.stdout(`${ctx.info.podName}\n`);
  return 0;
};

/** Longest sleep a simulated command waits (a learner's `sleep 3600` ends when they press Ctrl-C anyway). */
const MAX_SLEEP_S = 24 * 3600;

const sleep: Command = async (ctx) => {
  const arg = ctx.argv[1];
  const m = arg === 'infinity' ? ['', String(MAX_SLEEP_S), 's'] : /^([0-9]*\.?[0-9]+)([smhd]?)$/.exec(arg ?? '');
  if (!m) {
    ctx.stderr(arg === undefined ? 'sleep: missing operand\n' : `sleep: invalid time interval '${arg}'\n`);
    return 1;
  }
  const seconds = Math.min(MAX_SLEEP_S, Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2] ?? '']!);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, seconds * 1000);
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
  return ctx.signal.aborted ? 130 : 0;
};

export function whichCommand(table: () => CommandTable): Command {
  return async (ctx) => {
    let status = 0;
    for (const n of ctx.argv.slice(1)) {
      const found = commandName(table(), n);
      if (found) ctx.stdout(`${commandPath(found)}\n`);
      else status = 1;
    }
    return status;
  };
}

export const COREUTILS: ReadonlyArray<[string, Command]> = [
  ['cat', cat],
  ['echo', echo],
  ['printf', printf],
  ['head', head],
  ['tail', tail],
  ['wc', wc],
  ['env', env],
  ['printenv', printenv],
  ['hostname', hostname],
  ['true', async () => 0],
  ['false', async () => 1],
  ['sleep', sleep],
];
