/**
 * The runner's child processes: lesson commands and long-running ones such
 * as port-forwards. Each runs in its own process group so it can be stopped
 * with everything it spawned; only processes started here are ever signalled.
 */
import { userError } from '../user-error.js';
import { execa, type ResultPromise } from 'execa';
import { EventEmitter } from 'node:events';
import { registerSupervisor, unregisterSupervisor } from './live-supervisors.js';
import { procIdentity } from './process-records.js';
import { processTableKind } from './process-table.js';
import { t } from '../i18n/index.js';

export type ProcessState = 'running' | 'exited' | 'failed' | 'stopped';

export interface ProcessInfo {
  name: string;
  command: string;
  pid?: number;
  state: ProcessState;
  exitCode?: number;
  background: boolean;
  /** The last lines of combined output (at most MAX_LINES). */
  output: string[];
  /** Lines printed before those, no longer kept. */
  dropped?: number;
  startedAt: number;
}

const MAX_LINES = 200;

/** Called for each process once it has a pid; returns how to forget it again. */
export type ProcessRecorder = (pid: number, name: string, command: string) => (() => void) | undefined;

export interface StartOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  background: boolean;
  /** Extra shell run after the command (e.g. to capture exported variables). */
  epilogue?: string;
}

export interface RunOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL when stopped. @default 1500 */
  graceMs?: number;
}

/** How a one-shot run ended. */
export interface RunOutcome {
  /** null when it was killed or never started. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /** The tail of stdout and stderr, interleaved. */
  output: string;
  /** Why it could not be started (bash missing, bad cwd). */
  spawnError?: string;
}

const RUN_OUTPUT_MAX = 16 * 1024;

export class Supervisor extends EventEmitter {
  private procs = new Map<string, { info: ProcessInfo; child: ResultPromise; forget?: () => void; ended?: boolean }>();
  /** One-shot runs (`run`) still going, by name and pid: not listed, but stopped at exit like the rest. */
  private runs = new Map<string, { info: ProcessInfo; child: ResultPromise; forget?: () => void; ended?: boolean }>();
  private exitHook = () => this.killAllNow();
  private recorder: ProcessRecorder | undefined;

  constructor() {
    super();
    process.on('exit', this.exitHook);
    registerSupervisor(this);
  }

  /** Records each process started from now on (see process-records.ts), until it ends. */
  recordProcesses(recorder: ProcessRecorder): void {
    this.recorder = recorder;
  }

  list(): ProcessInfo[] {
    return [...this.procs.values()].map((p) => ({ ...p.info, output: p.info.output.slice() }));
  }

  get(name: string): ProcessInfo | undefined {
    const p = this.procs.get(name);
    return p && { ...p.info, output: p.info.output.slice() };
  }

  state(name: string): ProcessState | 'unknown' {
    return this.procs.get(name)?.info.state ?? 'unknown';
  }

  /** Starts a command under bash; resolves when it ends (foreground) or once spawned (background). */
  start(name: string, command: string, opts: StartOptions): Promise<ProcessInfo> {
    const existing = this.procs.get(name);
    if (existing?.info.state === 'running') throw userError(t('proc.alreadyRunning', { name, pid: existing.info.pid ?? '?' }));
    const script = opts.epilogue ? `${command}\n__kt_status=$?\n${opts.epilogue}\nexit $__kt_status` : command;
    const { child, forget } = this.spawnShell(name, command, script, opts, true);
    const info: ProcessInfo = { name, command, pid: child.pid, state: 'running', background: opts.background, output: [], startedAt: Date.now() };
    const entry: { info: ProcessInfo; child: ResultPromise; forget?: () => void; ended?: boolean } = { info, child, forget };
    this.procs.set(name, entry);
    let partial = '';
    // Every line goes in through here: the last MAX_LINES kept, the ones before them counted.
    const keep = (lines: string[]) => {
      info.output.push(...lines);
      const over = info.output.length - MAX_LINES;
      if (over > 0) info.dropped = (info.dropped ?? 0) + info.output.splice(0, over).length;
    };
    child.all?.on('data', (d: Buffer) => {
      const text = partial + d.toString('utf8');
      const lines = text.split(/\r?\n/);
      partial = lines.pop() ?? '';
      if (lines.length) {
        keep(lines);
        this.emit('output', name, lines);
        this.emit('change');
      }
    });
    const done = child.then((r) => {
      entry.ended = true;
      forget?.();
      if (partial) keep([partial]);
      if (info.state === 'running') {
        info.exitCode = r.exitCode ?? undefined;
        info.state = r.exitCode === 0 ? 'exited' : 'failed';
        if (r.failed && r.exitCode === undefined && !r.isTerminated) keep([String(r.shortMessage ?? r.message)]);
      }
      this.emit('exit', name, info.state);
      this.emit('change');
      return { ...info, output: info.output.slice() };
    });
    this.emit('change');
    return opts.background ? Promise.resolve({ ...info }) : done;
  }

  /**
   * Runs a command to its end under bash, in its own process group, recorded like every other
   * (the `command` checks run here): a deadline or `signal` stops the group (SIGTERM, then
   * SIGKILL after `graceMs`), and once bash has exited, children still holding its output are
   * ended too. Resolves with how it ended; never throws, and keeps no entry once it is over.
   */
  run(name: string, command: string, opts: RunOptions): Promise<RunOutcome> {
    const started = Date.now();
    const graceMs = opts.graceMs ?? 1500;
    return new Promise((resolve) => {
      let output = '';
      let child: ResultPromise;
      let forget: (() => void) | undefined;
      try {
        ({ child, forget } = this.spawnShell(name, command, command, opts, false));
      } catch (e) {
        resolve({ exitCode: null, signal: null, timedOut: false, cancelled: false, durationMs: 0, output: '', spawnError: (e as Error).message });
        return;
      }
      const key = `${name}#${child.pid ?? started}`;
      const info: ProcessInfo = { name, command, pid: child.pid, state: 'running', background: false, output: [], startedAt: started };
      this.runs.set(key, { info, child, forget });
      let timedOut = false;
      let cancelled = false;
      let finished = false;
      let exit: { code: number | null; signal: string | null } | undefined;
      let spawnError: string | undefined;
      const timers: NodeJS.Timeout[] = [];
      const append = (d: Buffer) => {
        output += d.toString('utf8');
        if (output.length > 2 * RUN_OUTPUT_MAX) output = output.slice(-RUN_OUTPUT_MAX);
      };
      const group = (sig: NodeJS.Signals) => child.pid !== undefined && signalGroup(child.pid, sig);
      const stop = () => {
        group('SIGTERM');
        timers.push(setTimeout(() => group('SIGKILL'), graceMs));
      };
      const onAbort = () => {
        cancelled = true;
        stop();
      };
      const finish = () => {
        if (finished) return;
        finished = true;
        for (const t of timers) clearTimeout(t);
        opts.signal?.removeEventListener('abort', onAbort);
        child.stdout?.destroy();
        child.stderr?.destroy();
        info.state = exit?.code === 0 ? 'exited' : 'failed';
        this.runs.delete(key);
        forget?.();
        resolve({
          exitCode: exit?.code ?? null,
          signal: exit?.signal ?? null,
          timedOut,
          cancelled,
          durationMs: Date.now() - started,
          output: output.slice(-RUN_OUTPUT_MAX),
          ...(spawnError ? { spawnError } : {}),
        });
      };
      child.stdout?.on('data', append);
      child.stderr?.on('data', append);
      child.on('error', (e) => {
        spawnError = e.message;
        finish();
      });
      child.on('exit', (code, sig) => {
        exit = { code, signal: sig };
        // Output may still be in flight, and background children may hold the pipes open: a moment, then they end.
        timers.push(
          setTimeout(() => {
            group('SIGKILL');
            finish();
          }, 300),
        );
      });
      child.on('close', finish);
      child.catch(() => undefined);
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

  /**
   * The one place a shell is started (`start` and `run` alike): bash in its own process group, so
   * stopping it stops what it spawned (kubectl under $(...) etc.), and recorded before anything
   * else can happen, so a runner killed outright leaves its record behind (foreground commands
   * too: a `kubectl wait --timeout 300s` would outlive a killed runner as well).
   */
  private spawnShell(name: string, command: string, script: string, opts: { cwd: string; env: Record<string, string | undefined> }, all: boolean): { child: ResultPromise; forget?: () => void } {
    const child = execa('bash', ['-c', script], { cwd: opts.cwd, env: opts.env, extendEnv: false, detached: true, reject: false, buffer: false, stdin: 'ignore', all });
    const forget = child.pid ? this.recorder?.(child.pid, name, command) : undefined;
    return { child, forget };
  }

  /** Stops a process this supervisor started (its whole group): SIGTERM, then SIGKILL after `graceMs`. */
  async stop(name: string, graceMs = 2000): Promise<void> {
    const p = this.procs.get(name);
    if (!p || !p.info.pid) return;
    if (p.info.state !== 'running') {
      // Ended already, or another caller is stopping it: either way, return once it is gone.
      await p.child.catch(() => undefined);
      return;
    }
    p.info.state = 'stopped';
    signalGroup(p.info.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(p.info.pid!, 'SIGKILL'), graceMs);
    await p.child.catch(() => undefined);
    clearTimeout(timer);
    this.emit('change');
  }

  async stopAll(): Promise<void> {
    for (const r of this.runs.values()) if (r.info.pid) signalGroup(r.info.pid, 'SIGTERM');
    await Promise.all([...this.procs.keys()].map((n) => this.stop(n)));
  }

  runningCount(): number {
    let n = 0;
    for (const p of this.procs.values()) if (p.info.state === 'running') n++;
    return n;
  }

  /** Last resort at process exit: signal every group still running (synchronously). */
  killAllNow(): void {
    const pending = [...this.procs.values(), ...this.runs.values()].filter((p) => p.info.pid && !p.ended);
    for (const p of pending) if (p.info.state === 'running') signalGroup(p.info.pid!, 'SIGTERM');
    // At exit nothing asynchronous runs again: wait briefly (synchronously) for each one to end,
    // then forget the records of those that did, so the next start offers only real leftovers.
    const until = Date.now() + 1000;
    for (const p of pending) {
      while (!processGone(p.info.pid!) && Date.now() < until) sleepSync(10);
      if (processGone(p.info.pid!)) p.forget?.();
    }
  }

  dispose(): void {
    process.off('exit', this.exitHook);
    unregisterSupervisor(this);
  }
}

/** Ended: no such process, or a zombie nobody has reaped yet (this process is exiting). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  // It exists: running, or a zombie (procIdentity reads /proc, or ps without it; undefined for a zombie).
  return processTableKind() !== 'none' && procIdentity(pid) === undefined;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}
