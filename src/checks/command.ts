/**
 * command: a shell command exits 0 (the escape hatch). It runs under
 * `bash -c` through the process supervisor (src/processes/supervisor.ts:
 * its own process group, recorded, stopped at exit), so a timeout (or
 * cancel) stops it with everything it started; so does finishing while
 * children linger.
 */
import { Supervisor } from '../processes/supervisor.js';
import { clip, failed, passed } from './common.js';
import type { CheckKindModule, CheckOf } from './types.js';

export interface CommandFacts {
  run: string;
  /** null when it was killed or never started. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  timeoutMs: number;
  cancelled: boolean;
  durationMs: number;
  /** The tail of stdout and stderr, interleaved. */
  output: string;
  /** Why it could not be started (bash missing, bad cwd). */
  spawnError?: string;
  /** Not run at all: the lesson is not trusted to run commands. */
  untrusted?: boolean;
}

export const COMMAND_TIMEOUT_MS = 20_000;
const KILL_GRACE_MS = 1500;

/** Where a command check runs without a runner's own supervisor (`kubetutor check`, tests): one per process, stopped at exit. */
let ownSupervisor: Supervisor | undefined;

export interface RunOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The supervisor that starts it (and records it). @default one of this module's own */
  supervisor?: Supervisor;
}

/** Runs `bash -c script` through the process supervisor (its own process group, recorded); resolves once it is over. Never throws. */
export async function runShell(script: string, opts: RunOptions): Promise<CommandFacts> {
  const supervisor = opts.supervisor ?? (ownSupervisor ??= new Supervisor());
  const outcome = await supervisor.run('command check', script, { cwd: opts.cwd, env: opts.env, timeoutMs: opts.timeoutMs, signal: opts.signal, graceMs: KILL_GRACE_MS });
  return { run: script, timeoutMs: opts.timeoutMs, ...outcome };
}

function lastLines(output: string, n = 8): string {
  const lines = output.replace(/\r/g, '').split('\n').filter((l) => l.trim() !== '');
  return lines.slice(-n).join('\n');
}

export const commandCheck: CheckKindModule<CheckOf<'command'>, CommandFacts> = {
  kind: 'command',
  gather(check, env) {
    if (env.commandsAllowed === false) {
      return Promise.resolve({ run: check.run, exitCode: null, signal: null, timedOut: false, timeoutMs: 0, cancelled: false, durationMs: 0, output: '', untrusted: true });
    }
    // Variables reach the script through its environment, so bash expands ${VAR} itself, quoting intact.
    return runShell(check.run, { cwd: env.cwd, env: { ...process.env, ...env.env, ...env.vars }, timeoutMs: check.timeoutMs ?? COMMAND_TIMEOUT_MS, signal: env.signal, ...(env.supervisor ? { supervisor: env.supervisor } : {}) });
  },
  judge(check, f) {
    const cmd = `\`${clip(check.run, 60)}\``;
    const tail = lastLines(f.output);
    if (f.untrusted) {
      return failed(check, `${cmd} not run: this lesson is not trusted yet`, {
        expected: 'the lesson trusted (its source read first)',
        found: 'not trusted',
        diagnosis: ['press Enter on one of its commands to read the lesson and trust it (or start it with --trust)'],
      });
    }
    if (f.spawnError) return failed(check, `${cmd} could not start: ${f.spawnError}`, { expected: 'exit code 0', found: f.spawnError });
    if (!f.timedOut && !f.cancelled && f.exitCode === 0) return passed(`${cmd} exited 0`);
    const found = tail || '(no output)';
    if (f.cancelled) return failed(check, `${cmd} was cancelled`, { expected: 'exit code 0', found });
    if (f.timedOut) {
      return failed(check, `${cmd} did not finish within ${f.timeoutMs / 1000} s`, {
        expected: `exit code 0 within ${f.timeoutMs / 1000} s`,
        found,
        diagnosis: ['it was stopped: does it wait for input, or for something that never comes (use timeoutMs for slow commands)?'],
      });
    }
    const how = f.exitCode !== null ? `exited ${f.exitCode}` : `was killed by ${f.signal ?? 'a signal'}`;
    const diagnosis: string[] = [];
    if (f.exitCode === 127) diagnosis.push('exit code 127: a command in it was not found; is the tool installed and on PATH?');
    if (f.exitCode === 126) diagnosis.push('exit code 126: a file in it is not executable');
    return failed(check, `${cmd} ${how}`, { expected: 'exit code 0', found, ...(diagnosis.length ? { diagnosis } : {}) });
  },
};
