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
import { t } from '../i18n/index.js';

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
      return failed(check, t('kinds.cmd.untrusted', { cmd }), {
        expected: t('kinds.cmd.trustExpected'),
        found: t('kinds.cmd.notTrusted'),
        diagnosis: [t('kinds.cmd.trustHow')],
      });
    }
    if (f.spawnError) return failed(check, t('kinds.cmd.cannotStart', { cmd, why: f.spawnError }), { expected: t('kinds.cmd.exitZero'), found: f.spawnError });
    if (!f.timedOut && !f.cancelled && f.exitCode === 0) return passed(t('kinds.cmd.exitedZero', { cmd }));
    const found = tail || t('kinds.cmd.noOutput');
    if (f.cancelled) return failed(check, t('kinds.cmd.cancelled', { cmd }), { expected: t('kinds.cmd.exitZero'), found });
    if (f.timedOut) {
      return failed(check, t('kinds.cmd.timedOut', { cmd, seconds: f.timeoutMs / 1000 }), {
        expected: t('kinds.cmd.exitZeroWithin', { seconds: f.timeoutMs / 1000 }),
        found,
        diagnosis: [t('kinds.cmd.stoppedWhy')],
      });
    }
    const summary = f.exitCode !== null ? t('kinds.cmd.exited', { cmd, code: f.exitCode }) : t('kinds.cmd.killed', { cmd, signal: f.signal ?? t('kinds.cmd.aSignal') });
    const diagnosis: string[] = [];
    if (f.exitCode === 127) diagnosis.push(t('kinds.cmd.exit127'));
    if (f.exitCode === 126) diagnosis.push(t('kinds.cmd.exit126'));
    return failed(check, summary, { expected: t('kinds.cmd.exitZero'), found, ...(diagnosis.length ? { diagnosis } : {}) });
  },
};
