/**
 * The one error type for a mistake the user can fix (a wrong option, a missing file, a broken
 * lesson, a taken name): it carries the exit code the command line ends with and, when there is
 * one, a "what to do" line. src/cli.ts prints it as one line (no stack); anything else thrown is
 * a bug or a failed system call and is handled as such there.
 */
export interface UserErrorOptions {
  /** What the user can do about it; printed after the message (`what happened; what to do`). */
  whatToDo?: string;
  /** Exit status of the command line (2, a usage-like error, unless said otherwise). */
  exitCode?: number;
  /** The message already names kubetutor and the command (`kubetutor check: …`): no prefix. */
  named?: boolean;
}

export class UserError extends Error {
  /** Marks the error for code that only sees an Error (kept for callers that test the flag). */
  readonly userError = true;
  readonly exitCode: number;
  readonly whatToDo?: string;
  named: boolean;
  /** The message without its "what to do" line. */
  readonly what: string;

  constructor(what: string, opts: UserErrorOptions = {}) {
    super(opts.whatToDo ? `${what}; ${opts.whatToDo}` : what);
    this.what = what;
    this.exitCode = opts.exitCode ?? 2;
    this.named = opts.named ?? false;
    if (opts.whatToDo) this.whatToDo = opts.whatToDo;
  }
}

/** Shorthand for the common case. */
export const userError = (what: string, opts?: UserErrorOptions): UserError => new UserError(what, opts);

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
