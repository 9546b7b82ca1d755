#!/usr/bin/env node
/**
 * kubetutor's command line: parses the arguments, then loads only the
 * module the chosen command needs (start-up time matters in front of a room).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';
import { COMMAND_NAMES, commandHelp, overview } from './commands/usage.js';
import { nearest } from './commands/nearest.js';
import { displayText } from './text/display-text.js';

export class UsageError extends Error {
  /** The message already names kubetutor and the command (`kubetutor check: …`). */
  named = false;
}

/** The command being run, for messages about its options (set once, before it starts). */
let running = 'start';
/** `--help` was asked for: the command's `parse` prints its usage (with the options it really takes) instead. */
let helpWanted = false;

/** Thrown by `parse` once the usage is printed: the command stops there, with status 0. */
class HelpShown extends Error {}


const version = () => (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  if (helpWanted) {
    process.stdout.write(commandHelp(running, Object.keys(options)));
    throw new HelpShown();
  }
  try {
    return parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw Object.assign(new UsageError(optionProblem(e as Error & { code?: string }, options)), { named: true });
  }
}

/** parseArgs' complaint, said for this command: an unknown option gets the nearest real one. */
function optionProblem(e: Error & { code?: string }, options: NonNullable<ParseArgsConfig['options']>): string {
  const more = `(kubetutor ${running} --help lists its options)`;
  const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '([^']+)'/.exec(e.message) : null;
  if (unknown) {
    const given = unknown[1];
    // Long options only: a one-letter typo is as near to every other letter.
    const guess = given.startsWith('--') ? nearest(given.split('=')[0], Object.keys(options).map((long) => `--${long}`)) : undefined;
    return `kubetutor ${running}: unknown option ${given}${guess ? `; did you mean ${guess}?` : ''} ${more}`;
  }
  const first = e.message.replace(/^TypeError \[[A-Z_]+\]: /, '').split('. ')[0];
  return `kubetutor ${running}: ${first.charAt(0).toLowerCase()}${first.slice(1).replace(/\.$/, '')} ${more}`;
}

/** `--help` or `-h` anywhere among a command's arguments. */
const asksHelp = (args: string[]) => args.some((a) => a === '--help' || a === '-h');

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined ? false : cmd === '--help' || cmd === '-h' || (cmd === 'help' && !rest.length)) {
    process.stdout.write(overview());
    return 0;
  }
  if (cmd === 'help') {
    const name = rest[0];
    if (!COMMAND_NAMES.includes(name)) {
      const guess = nearest(name, COMMAND_NAMES);
      throw new UsageError(`no command "${name}"${guess ? `; did you mean ${guess}?` : ''} (kubetutor --help lists them)`);
    }
    running = name;
    helpWanted = true;
    return run(name, []);
  }
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  running = cmd && COMMAND_NAMES.includes(cmd) ? cmd : 'start';
  helpWanted = asksHelp(running === cmd ? rest : argv);
  // For the tests of the top-level failure path: KUBETUTOR_FAULT=throw:COMMAND makes that command fail as a bug would.
  if (!helpWanted && process.env.KUBETUTOR_FAULT === `throw:${running}`) throw new Error(`injected fault (KUBETUTOR_FAULT=throw:${running})`);
  return run(cmd, rest, argv);
}

/** Loads and runs one command (`argv`: the whole command line, for the default command). */
async function run(cmd: string | undefined, rest: string[], argv: string[] = rest): Promise<number> {
  switch (cmd ?? '') {
    case 'sandbox':
      return (await import('./commands/sandbox-command.js')).sandboxCommand(rest);
    case 'start':
      return (await import('./commands/start-command.js')).startCommand(rest);
    case 'check':
      return (await import('./commands/check-command.js')).checkCommand(rest);
    case 'list':
      return (await import('./commands/list-command.js')).listCommand(rest);
    case 'play':
      return (await import('./commands/start-command.js')).startCommand(rest, { play: true });
    case 'test':
      return (await import('./commands/test-command.js')).testCommand(rest);
    case 'lint':
      return (await import('./commands/lint-command.js')).lintCommand(rest);
    case 'import':
      return (await import('./commands/import-command.js')).importCommand(rest);
    case 'class':
      return (await import('./commands/class-command.js')).classCommand(rest);
    case 'traces':
      return (await import('./commands/traces-command.js')).tracesCommand(rest);
    case 'traffic':
      return (await import('./commands/traffic-command.js')).trafficCommand(rest);
    case 'cleanup':
      return (await import('./commands/cleanup-command.js')).cleanupCommand(rest);
    default:
      // `kubetutor`, `kubetutor LESSON` and `kubetutor --sandbox …` all mean `start`.
      return (await import('./commands/start-command.js')).startCommand(argv);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // The command is done: a watch or timer a library left behind must not keep the process alive.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  async (e: Error) => {
    if (e instanceof HelpShown) {
      process.exitCode = 0;
      return;
    }
    // User errors get one clear line. Anything else is one line too (what happened, where the
    // details are); its stack goes to the errors log, never to the terminal.
    if (e instanceof UsageError || e.name === 'UserError' || (e as { userError?: boolean }).userError) {
      process.stderr.write(`${e instanceof UsageError && e.named ? '' : 'kubetutor: '}${displayText(e.message, { lines: true })}\n`);
      process.exitCode = 2;
      return;
    }
    const { writeErrorLog, errorLogFile } = await import('./processes/exit-guard.js');
    const logged = writeErrorLog(errorLogFile(), e);
    const what = displayText(String(e?.message ?? e).split('\n')[0].replace(/\.$/, ''));
    // A system call that failed (a file that cannot be written, a port taken…) is not a bug of kubetutor's.
    const system = typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!);
    process.stderr.write(
      system
        ? `kubetutor ${running}: ${what}${logged ? ` (details: ${logged})` : ''}\n`
        : `kubetutor ${running}: internal error: ${what}. A bug in kubetutor: please report it${logged ? `, with the details from ${logged}` : ''}.\n`,
    );
    process.exitCode = system ? 1 : 70;
  },
);
