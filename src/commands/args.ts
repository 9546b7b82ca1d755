/**
 * Option parsing shared by every command; a command line that is wrong is a user error (exit
 * code 2, one line naming the command). A leaf of src/commands/: the commands import it, and so
 * does src/cli.ts; it imports neither.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { commandHelp } from './usage.js';
import { nearest } from './nearest.js';
import { t } from '../i18n/index.js';
import { userError } from '../user-error.js';


/** The command being run, for messages about its options (set once, before it starts). */
let running = 'start';
/** `--help` was asked for: the command's `parse` prints its usage (with the options it really takes) instead. */
let helpWanted = false;

/** Thrown by `parse` once the usage is printed: the command stops there, with status 0. */
export class HelpShown extends Error {}

/** Names the command about to run, and whether it is only to print its usage. */
export function setRunningCommand(name: string, help: boolean): void {
  running = name;
  helpWanted = help;
}

export const runningCommand = (): string => running;
export const helpIsWanted = (): boolean => helpWanted;

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  if (helpWanted) {
    process.stdout.write(commandHelp(running, Object.keys(options)));
    throw new HelpShown();
  }
  try {
    return parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw userError(optionProblem(e as Error & { code?: string }, options), { named: true });
  }
}

/** parseArgs' complaint, said for this command: an unknown option gets the nearest real one. */
function optionProblem(e: Error & { code?: string }, options: NonNullable<ParseArgsConfig['options']>): string {
  const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '([^']+)'/.exec(e.message) : null;
  if (unknown) {
    const given = unknown[1];
    // Long options only: a one-letter typo is as near to every other letter.
    const guess = given.startsWith('--') ? nearest(given.split('=')[0], Object.keys(options).map((long) => `--${long}`)) : undefined;
    return guess ? t('cli.unknownOptionGuess', { command: running, option: given, guess }) : t('cli.unknownOption', { command: running, option: given });
  }
  const first = e.message.replace(/^TypeError \[[A-Z_]+\]: /, '').split('. ')[0];
  // Node's own wording of the problem (English: it is Node's, not kubetutor's).
  return t('cli.optionProblem', { command: running, problem: `${first.charAt(0).toLowerCase()}${first.slice(1).replace(/\.$/, '')}` });
}
