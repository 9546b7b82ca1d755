/**
 * However the runner ends, the processes it started end with it. Node's
 * default for SIGINT, SIGTERM and SIGHUP is to die on the spot (no 'exit'
 * event, so no exit hook runs), and an uncaught exception exits before any
 * asynchronous clean-up: both would leave the runner's children — each in a
 * process group of its own, so the terminal's signals miss them — running.
 *
 * - A stop signal ends the command's normal flow (`onStop`: unmount the UI,
 *   finish the plain runner), which stops its processes; a watchdog makes
 *   sure the process exits even if that flow hangs; a second signal stops
 *   everything and exits at once.
 * - An uncaught exception or unhandled rejection stops every process group
 *   the runner started, hands the terminal back, writes the stack to a log
 *   file, prints one line, and exits 70. A terminal that went away (EIO on
 *   the tty after SIGHUP) is not an error: the runner just stops.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateDir } from '../state-dir.js';
import { stopAllSupervised, supervisedCount } from './live-supervisors.js';
import { t } from '../i18n/index.js';

export interface ExitGuardOptions {
  /** Where a fatal error's details go. */
  logFile: string;
  /** How long a signalled runner may take to wind down before it is made to. @default 10000 */
  watchdogMs?: number;
  /** How long the fatal path waits for the children to go. @default 4000 */
  fatalStopMs?: number;
  /** For the learner's one line. @default process.stderr */
  write?: (text: string) => void;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
const SIGNAL_NUMBER: Record<(typeof STOP_SIGNALS)[number], number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 };

/** Errors that only mean the terminal is gone (closed window, killed tmux). */
function terminalGone(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EIO' || code === 'EPIPE' || code === 'ENXIO' || code === 'EBADF';
}

export class ExitGuard {
  /** The stop signal received, if any. */
  signal: NodeJS.Signals | undefined;
  /** Set once a fatal error is being handled: the process is about to exit. */
  crashed = false;
  private stopFn: ((signal: NodeJS.Signals) => void) | undefined;
  private fatalFn: (() => void) | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private handlers = new Map<string, (...a: never[]) => void>();
  private write: (text: string) => void;

  constructor(private opts: ExitGuardOptions) {
    this.write = opts.write ?? ((t) => void process.stderr.write(t));
    for (const sig of STOP_SIGNALS) this.on(sig, () => this.stopSignal(sig));
    this.on('uncaughtException', (e: unknown) => this.fatal(e));
    this.on('unhandledRejection', (e: unknown) => this.fatal(e));
  }

  private on(event: string, fn: (...a: never[]) => void): void {
    this.handlers.set(event, fn);
    process.on(event as NodeJS.Signals, fn as () => void);
  }

  /** What a stop signal does now (e.g. unmount the UI); without it, the guard stops everything and exits. */
  onStop(fn: ((signal: NodeJS.Signals) => void) | undefined): void {
    this.stopFn = fn;
  }

  /** Run first on a fatal error, to hand the terminal back (e.g. Ink's unmount). */
  onFatal(fn: (() => void) | undefined): void {
    this.fatalFn = fn;
  }

  /** The exit status a stop signal calls for (128 + its number), or undefined. */
  get signalStatus(): number | undefined {
    return this.signal ? 128 + (SIGNAL_NUMBER[this.signal as (typeof STOP_SIGNALS)[number]] ?? 15) : undefined;
  }

  dispose(): void {
    for (const [event, fn] of this.handlers) process.off(event as NodeJS.Signals, fn as () => void);
    this.handlers.clear();
    if (this.watchdog) clearTimeout(this.watchdog);
  }

  private stopSignal(sig: NodeJS.Signals): void {
    if (this.signal || this.crashed) {
      // Asked twice: no more waiting.
      void stopAllSupervised();
      process.exit(this.signalStatus ?? 130);
    }
    this.signal = sig;
    const status = this.signalStatus!;
    this.watchdog = setTimeout(() => {
      void stopAllSupervised();
      process.exit(status);
    }, this.opts.watchdogMs ?? 10_000);
    this.watchdog.unref();
    if (this.stopFn) {
      try {
        this.stopFn(sig);
        return;
      } catch {
        /* fall through: stop here */
      }
    }
    void stopAllSupervised().finally(() => process.exit(status));
  }

  private fatal(e: unknown): void {
    if (this.crashed) return; // the first one is being handled; the process is on its way out
    this.crashed = true;
    const count = supervisedCount();
    // Synchronously, before anything else can fail: every group this runner started gets SIGTERM.
    const stopped = stopAllSupervised();
    const quiet = this.signal === 'SIGHUP' || terminalGone(e);
    try {
      this.fatalFn?.();
    } catch {
      /* the terminal is handed back as well as it can be */
    }
    if (!quiet) {
      if (process.stdin.isTTY) {
        try {
          process.stdin.setRawMode(false);
        } catch {
          /* not ours any more */
        }
      }
      const logged = this.log(e);
      const what = (e instanceof Error ? e.message : String(e)).split('\n')[0].replace(/\.$/, '');
      const children = count === 0 ? '' : t('proc.exit.children', { count });
      try {
        this.write(`\x1b[?25h\n${t('proc.exit.internal', { what, children, details: logged ? t('proc.exit.details', { file: this.opts.logFile ?? '' }) : '' })}\n`);
      } catch {
        /* no terminal to tell */
      }
    }
    const cap = new Promise((r) => setTimeout(r, this.opts.fatalStopMs ?? 4000));
    void Promise.race([stopped, cap]).finally(() => process.exit(quiet ? (this.signalStatus ?? 129) : 70));
  }

  private log(e: unknown): boolean {
    return writeErrorLog(this.opts.logFile, e) !== undefined;
  }
}

/** Where every command's failures are detailed: `errors.log` in the state directory. */
export function errorLogFile(): string {
  return join(stateDir(), 'errors.log');
}

/** Appends the error's stack (with the time, pid and command line) to `logFile`; its path, or undefined if it cannot be written. */
export function writeErrorLog(logFile: string, e: unknown): string | undefined {
  try {
    mkdirSync(dirname(logFile), { recursive: true });
    const stack = e instanceof Error ? (e.stack ?? e.message) : String(e);
    appendFileSync(logFile, `${new Date().toISOString()} pid ${process.pid} kubetutor ${process.argv.slice(2).join(' ')}\n${stack}\n\n`, { mode: 0o600 });
    return logFile;
  } catch {
    return undefined;
  }
}

/** The guard a command installs: fatal errors logged to `errors.log` in the state directory. */
export function commandExitGuard(): ExitGuard {
  return new ExitGuard({ logFile: errorLogFile() });
}
