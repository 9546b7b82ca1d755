#!/usr/bin/env node
/**
 * kubetutor's command line: answers --help and --version, then loads only the
 * module the chosen command needs (start-up time matters in front of a room;
 * the commands are listed in src/commands/table.ts, their option parsing is in
 * src/commands/args.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';
import { COMMAND_NAMES, overview } from './commands/usage.js';
import { nearest } from './commands/nearest.js';
import { HelpShown, helpIsWanted, runningCommand, setRunningCommand } from './commands/args.js';
import { COMMANDS, startByDefault } from './commands/table.js';
import { displayText } from './text/display-text.js';
import { chooseLanguage, languageList, setLanguage, t, takeLangFlag } from './i18n/index.js';
import { UserError, userError } from './user-error.js';

const version = () => (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

/** `--help` or `-h` anywhere among a command's arguments. */
const asksHelp = (args: string[]) => args.some((a) => a === '--help' || a === '-h');

/**
 * The language of this run: --lang (any command, anywhere before `--`), else LC_ALL,
 * LC_MESSAGES, LANG, else English. Returns the command line without --lang.
 */
function chooseRunLanguage(argv: string[]): string[] {
  const { rest, lang, missingValue } = takeLangFlag(argv);
  const chosen = chooseLanguage(lang, process.env);
  setLanguage(chosen.lang ?? 'en');
  if (missingValue) throw userError(t('cli.langMissing', { languages: languageList() }));
  if (!chosen.lang) throw userError(t('cli.badLang', { value: lang!, languages: languageList() }));
  return rest;
}

async function main(args: string[]): Promise<number> {
  const argv = chooseRunLanguage(args);
  const [cmd, ...rest] = argv;
  if (cmd === undefined ? false : cmd === '--help' || cmd === '-h' || (cmd === 'help' && !rest.length)) {
    process.stdout.write(overview());
    return 0;
  }
  if (cmd === 'help') {
    const name = rest[0];
    if (!COMMAND_NAMES.includes(name)) {
      const guess = nearest(name, COMMAND_NAMES);
      throw userError(guess ? t('cli.noCommandGuess', { name, guess }) : t('cli.noCommand', { name }));
    }
    setRunningCommand(name, true);
    return run(name, []);
  }
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const running = cmd && COMMAND_NAMES.includes(cmd) ? cmd : 'start';
  setRunningCommand(running, asksHelp(running === cmd ? rest : argv));
  // For the tests of the top-level failure path: KUBETUTOR_FAULT=throw:COMMAND makes that command fail as a bug would.
  if (!helpIsWanted() && process.env.KUBETUTOR_FAULT === `throw:${running}`) throw new Error(`injected fault (KUBETUTOR_FAULT=throw:${running})`);
  return run(cmd, rest, argv);
}

/** Loads and runs one command (`argv`: the whole command line, for the default command). */
function run(cmd: string | undefined, rest: string[], argv: string[] = rest): Promise<number> {
  const command = cmd !== undefined && Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  // `kubetutor`, `kubetutor LESSON` and `kubetutor --sandbox …` all mean `start`.
  return command ? command(rest) : startByDefault(argv);
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
    if (e instanceof UserError) {
      process.stderr.write(`${e.named ? '' : 'kubetutor: '}${displayText(e.message, { lines: true })}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    const { writeErrorLog, errorLogFile } = await import('./processes/exit-guard.js');
    const logged = writeErrorLog(errorLogFile(), e);
    const what = displayText(String(e?.message ?? e).split('\n')[0].replace(/\.$/, ''));
    // A system call that failed (a file that cannot be written, a port taken…) is not a bug of kubetutor's.
    const system = typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!);
    const command = runningCommand();
    process.stderr.write(
      `${
        system
          ? logged ? t('cli.systemErrorLogged', { command, what, log: logged }) : t('cli.systemError', { command, what })
          : logged ? t('cli.internalErrorLogged', { command, what, log: logged }) : t('cli.internalError', { command, what })
      }\n`,
    );
    process.exitCode = system ? 1 : 70;
  },
);
