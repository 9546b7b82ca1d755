/** Drives a program in a real terminal: tmux from Debian's packages, one private server per test. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ansiRegex from 'ansi-regex';

export class Tmux {
  readonly socket = `kubetutor-test-${randomBytes(4).toString('hex')}`;
  readonly session = 'main';
  private piped: string | undefined;

  constructor(command: string, opts: { width?: number; height?: number; env?: Record<string, string>; cwd?: string } = {}) {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    this.tmux(['new-session', '-d', '-s', this.session, '-x', String(opts.width ?? 100), '-y', String(opts.height ?? 30), ...(opts.cwd ? ['-c', opts.cwd] : []), `env ${env} ${command}; sleep 30`]);
  }

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  screen(): string {
    return this.tmux(['capture-pane', '-p', '-t', this.session]);
  }

  /** The screen with what scrolled off above it. */
  history(lines = 500): string {
    return this.tmux(['capture-pane', '-p', '-S', `-${lines}`, '-t', this.session]);
  }

  /** From now on, every byte the program writes to the terminal, raw, appended to `file`. */
  pipeTo(file: string): void {
    this.piped = file;
    this.tmux(['pipe-pane', '-o', '-t', this.session, `cat >> ${shellQuote(file)}`]);
  }

  resize(width: number, height: number): void {
    this.tmux(['resize-window', '-t', this.session, '-x', String(width), '-y', String(height)]);
  }

  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.session, ...keys]);
  }

  /** The screen once it shows `pattern` (a string, an expression, or a test of the whole screen). */
  async waitFor(pattern: RegExp | string | ((screen: string) => boolean), ms = 20_000): Promise<string> {
    const end = Date.now() + ms;
    let s = '';
    while (Date.now() < end) {
      s = this.screen();
      if (typeof pattern === 'string' ? s.includes(pattern) : typeof pattern === 'function' ? pattern(s) : pattern.test(s)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${pattern} on screen:\n${s}`);
  }

  /**
   * Like waitFor, and also finds text that was on screen only between two looks at it (a fast
   * auto-play shows a command for less than a poll): the bytes written since `pipeTo` are searched
   * too, escape sequences taken out.
   */
  async waitForShown(pattern: RegExp | string, ms = 20_000): Promise<string> {
    if (!this.piped) throw new Error('waitForShown needs pipeTo first');
    const end = Date.now() + ms;
    let s = '';
    const found = (text: string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
    while (Date.now() < end) {
      s = this.screen();
      if (found(s)) return s;
      let written = '';
      try {
        written = readFileSync(this.piped, 'utf8').replace(ansiRegex(), '');
      } catch {
        /* nothing written yet */
      }
      if (found(written)) return written;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${pattern} on screen:\n${s}`);
  }

  kill(): void {
    try {
      this.tmux(['kill-server']);
    } catch {
      /* already gone */
    }
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
