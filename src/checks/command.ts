/**
 * command: a shell command exits 0 (the escape hatch). It runs under
 * `bash -c` in its own process group, so a timeout (or cancel) stops it
 * with everything it started; so does finishing while children linger.
 */
import { spawn } from 'node:child_process';
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
const MAX_OUTPUT = 16 * 1024;

export interface RunOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Runs `bash -c script` in a new process group; resolves once it is over. Never throws. */
export function runShell(script: string, opts: RunOptions): Promise<CommandFacts> {
  const started = Date.now();
  const base = { run: script, timeoutMs: opts.timeoutMs, timedOut: false, cancelled: false };
  return new Promise((resolve) => {
    let output = '';
    const append = (d: Buffer) => {
      output += d.toString('utf8');
      if (output.length > 2 * MAX_OUTPUT) output = output.slice(-MAX_OUTPUT);
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('bash', ['-c', script], { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ ...base, exitCode: null, signal: null, durationMs: 0, output: '', spawnError: (e as Error).message });
      return;
    }
    let timedOut = false;
    let cancelled = false;
    let finished = false;
    let exit: { code: number | null; signal: string | null } | undefined;
    let spawnError: string | undefined;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        /* the group is gone already */
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS));
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({
        ...base,
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        cancelled,
        durationMs: Date.now() - started,
        output: output.slice(-MAX_OUTPUT),
        ...(spawnError ? { spawnError } : {}),
      });
    };
    const onAbort = () => {
      cancelled = true;
      stop();
    };

    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    child.on('error', (e) => {
      spawnError = e.message;
      finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Output may still be in flight; background children may hold the pipes open: give them a moment, then end them.
      timers.push(
        setTimeout(() => {
          killGroup('SIGKILL');
          finish();
        }, 300),
      );
    });
    child.on('close', finish);
    timers.push(
      setTimeout(() => {
        timedOut = true;
        stop();
      }, opts.timeoutMs),
    );
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
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
    return runShell(check.run, { cwd: env.cwd, env: { ...process.env, ...env.env, ...env.vars }, timeoutMs: check.timeoutMs ?? COMMAND_TIMEOUT_MS, signal: env.signal });
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
