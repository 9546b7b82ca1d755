/**
 * A program run in a real pseudo-terminal, for the benchmark: util-linux's
 * `script` allocates the PTY (no native addon needed), its output is timed as
 * it arrives, keys are written to it, and the program's peak memory is read
 * from /proc while it runs.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface PtyOptions {
  cols?: number;
  rows?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class PtyRun {
  readonly startedAt = performance.now();
  private out = '';
  private waiters: Array<{ re: RegExp | string; from: number; resolve: (t: number) => void }> = [];
  private child: ChildProcess;
  private peakKb = 0;
  private sampler: NodeJS.Timeout;
  readonly exited: Promise<number>;

  constructor(argv: string[], opts: PtyOptions = {}) {
    // The terminal size is set inside the PTY, then the program replaces the shell (exec),
    // so the program is the PTY's only process and its pid is the shell's.
    const cmd = `stty cols ${opts.cols ?? 120} rows ${opts.rows ?? 36} 2>/dev/null; exec ${argv.map(quote).join(' ')}`;
    this.child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: opts.cwd, env: { TERM: 'xterm-256color', ...(opts.env ?? process.env) }, stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (d: string) => {
      this.out += d;
      const now = performance.now();
      this.waiters = this.waiters.filter((w) => {
        const hit = typeof w.re === 'string' ? this.out.indexOf(w.re, w.from) >= 0 : w.re.test(this.out.slice(w.from));
        if (hit) w.resolve(now);
        return !hit;
      });
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code ?? -1)));
    this.sampler = setInterval(() => this.sample(), 20);
    void this.exited.then(() => clearInterval(this.sampler));
  }

  /** The program's own pid (the child of `script`). */
  programPid(): number | undefined {
    try {
      return Number(execFileSync('pgrep', ['-P', String(this.child.pid)], { encoding: 'utf8' }).trim().split('\n')[0]) || undefined;
    } catch {
      return undefined;
    }
  }

  private pid: number | undefined;
  private sample() {
    this.pid ??= this.programPid();
    if (!this.pid) return;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      if (m) this.peakKb = Math.max(this.peakKb, Number(m[1]));
    } catch {
      // gone
    }
  }

  /** Peak resident memory of the program so far (MB), from the kernel's high-water mark. */
  peakRssMb(): number {
    this.sample();
    return this.peakKb / 1024;
  }

  get output(): string {
    return this.out;
  }

  /** Output length so far: pass it to waitFor to look only at what comes after. */
  mark(): number {
    return this.out.length;
  }

  /** Resolves with the time (performance.now) the output first matched, looking from `from`. */
  waitFor(re: RegExp | string, timeoutMs = 30_000, from = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      const hit = typeof re === 'string' ? this.out.indexOf(re, from) >= 0 : re.test(this.out.slice(from));
      if (hit) return resolve(performance.now());
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${re} in the terminal; last output: ${JSON.stringify(this.out.slice(-400))}`)), timeoutMs);
      this.waiters.push({ re, from, resolve: (t) => (clearTimeout(timer), resolve(t)) });
    });
  }

  write(keys: string): void {
    this.child.stdin!.write(keys);
  }

  kill(): void {
    this.child.kill('SIGTERM');
  }
}

export function spawnPty(argv: string[], opts?: PtyOptions): PtyRun {
  return new PtyRun(argv, opts);
}
