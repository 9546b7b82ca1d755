/**
 * What a command run by exec sees, whatever protocol carried the request:
 * stdin as a stream (null unless the client asked for it), writers for
 * stdout and stderr, whether a terminal was asked for, and a signal that
 * fires when the client goes away.
 */
import { PassThrough, type Readable } from 'node:stream';
import { LineDiscipline } from './line-discipline.js';
import type { ExecRequest } from './request.js';
import { exitCodeStatus, internalErrorStatus, successStatus, type ExecStatus } from './status.js';

export interface ExecIO {
  readonly stdin: Readable | null;
  readonly tty: boolean;
  writeStdout(data: string | Buffer): void;
  writeStderr(data: string | Buffer): void;
  readonly signal: AbortSignal;
  /** With a terminal: call `listener` on each Ctrl-C (the pty's interrupt). */
  onInterrupt(listener: () => void): void;
}

/** How a command ended: its exit code, or an error from the runtime before it could start. */
export type ExecOutcome = { exitCode: number } | { startError: string };

export type ExecRunner = (command: string[], io: ExecIO) => Promise<ExecOutcome>;

/** Where a transport delivers output; a missing sink drops what would go there. */
export interface ExecSinks {
  stdout?: (data: Buffer) => void;
  stderr?: (data: Buffer) => void;
}

/** A live exec: feed client stdin in, get the final Status out. */
export interface ExecSession {
  /** Client stdin bytes (ignored unless stdin was requested). */
  pushStdin(data: Buffer): void;
  /** The client closed its stdin. */
  endStdin(): void;
  /** The client went away: abort the command. */
  abort(): void;
  /** Resolves with the Status for the error channel once the command has ended. */
  readonly done: Promise<ExecStatus>;
}

const toBuffer = (d: string | Buffer): Buffer => (typeof d === 'string' ? Buffer.from(d, 'utf8') : d);
/** A terminal's line discipline turns each newline into CR LF. */
const onTerminal = (b: Buffer): Buffer => (b.includes(0x0a) ? Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1') : b);

export function startExecSession(req: ExecRequest, sinks: ExecSinks, run: ExecRunner): ExecSession {
  const stdin = req.stdin ? new PassThrough() : null;
  const controller = new AbortController();
  const out = (sink: ((d: Buffer) => void) | undefined) => (data: string | Buffer): void => {
    if (!sink || controller.signal.aborted) return;
    const b = toBuffer(data);
    if (b.length > 0) sink(req.tty ? onTerminal(b) : b);
  };
  const interrupts: Array<() => void> = [];
  const io: ExecIO = {
    stdin,
    tty: req.tty,
    onInterrupt: (listener) => void interrupts.push(listener),
    writeStdout: out(req.stdout ? sinks.stdout : undefined),
    // With a terminal, stderr goes to the same place as stdout.
    writeStderr: out(req.tty ? (req.stdout ? sinks.stdout : undefined) : req.stderr ? sinks.stderr : undefined),
    signal: controller.signal,
  };
  // A terminal's keystrokes go through its line discipline; without one, bytes pass as they are.
  const discipline = req.tty && stdin
    ? new LineDiscipline({
        echo: (d) => io.writeStdout(d),
        line: (d) => void (stdin.writableEnded || stdin.write(d)),
        end: () => void (stdin.writableEnded || stdin.end()),
        interrupt: () => interrupts.forEach((l) => l()),
      })
    : null;
  const done = run(req.command, io).then(
    (outcome) => ('startError' in outcome ? internalErrorStatus(outcome.startError) : outcome.exitCode === 0 ? successStatus() : exitCodeStatus(outcome.exitCode, req.command)),
    (err: unknown) => internalErrorStatus(err instanceof Error ? err.message : String(err)),
  );
  return {
    pushStdin: (data) => {
      if (discipline) discipline.input(data);
      else if (stdin && !stdin.writableEnded) stdin.write(data);
    },
    endStdin: () => {
      if (stdin && !stdin.writableEnded) stdin.end();
    },
    abort: () => {
      controller.abort();
      if (stdin && !stdin.writableEnded) stdin.end();
    },
    done,
  };
}
