/**
 * Supervised port-forwards: a background lesson command with a `readyPort`
 * (e.g. `kubectl port-forward … 15032:16686`) run as the runner's child.
 *
 * - Before it starts, a local port that is already taken is reported with
 *   what holds it and a free port nearby; the holder is never signalled.
 * - While it runs, its local port is health-checked over HTTP every 2 s.
 * - "lost connection to pod" (and kubectl's other forwarding errors) or an
 *   unexpected exit restart it with backoff, up to a limit.
 * - It is stopped (its process group) on `stop`, `stopAll` and on exit (the
 *   Supervisor's exit hook).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { Supervisor } from './supervisor.js';
import { describeHolder, freePortNear, portInUse, processGroupOf, whoHolds, type PortHolder } from './port-owner.js';
import { rewriteLocalPort } from '../lesson/port-remap.js';
import { retryDelay } from '../retry.js';
import { userError } from '../user-error.js';
import { t } from '../i18n/index.js';

export { rewriteLocalPort };

export type ForwardState = 'port-taken' | 'starting' | 'healthy' | 'unhealthy' | 'restarting' | 'failed' | 'stopped';

export interface ForwardInfo {
  name: string;
  /** The local port it serves (or, when `port-taken`, the one it wanted). */
  port: number;
  state: ForwardState;
  /** The pid (and process group) of the running command. */
  pid?: number;
  /** Automatic restarts since it was last started by hand. */
  restarts: number;
  /** One line for the UI: what is happening, or what went wrong. */
  message?: string;
  /** `port-taken`: the process listening on the port, when we may see it. */
  holder?: PortHolder;
  /** `port-taken`: a free port to run this forward on instead. */
  suggestedPort?: number;
  /** The command text it runs (with the local port rewritten after `startOnPort`). */
  command: string;
}

export interface ForwardCommand {
  name: string;
  run: string;
  readyPort: number;
}

export interface ForwardStartOptions {
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface ForwardSupervisorOptions {
  /** Between health checks. @default 2000 */
  healthIntervalMs?: number;
  /** How long one health check waits for an answer. @default 1500 */
  healthTimeoutMs?: number;
  /** Consecutive failed checks before `unhealthy`. @default 2 */
  unhealthyAfter?: number;
  /** First restart delay; it doubles per recent restart. @default 1000 */
  backoffMs?: number;
  /** @default 30000 */
  maxBackoffMs?: number;
  /** Restarts allowed within `restartWindowMs` before giving up. @default 5 */
  maxRestarts?: number;
  /** @default 120000 */
  restartWindowMs?: number;
  /** The path the health check GETs. @default '/' */
  healthPath?: string;
}

/** Output lines that mean the forward no longer reaches the pod. */
export const FORWARD_BROKEN = /lost connection to pod|error forwarding port|an error occurred forwarding/i;
/** kubectl's line once it listens (`Forwarding from 127.0.0.1:15032 -> 16686`). */
const FORWARDING = /^Forwarding from /;

const LIVE: ReadonlySet<ForwardState> = new Set(['starting', 'healthy', 'unhealthy']);

interface Forward {
  /** It answered at least once since it was started by the learner. */
  everHealthy?: boolean;
  cmd: ForwardCommand;
  opts: ForwardStartOptions;
  port: number;
  command: string;
  state: ForwardState;
  pid?: number;
  restarts: number;
  /** When recent automatic restarts happened (for backoff and giving up). */
  recent: number[];
  message?: string;
  holder?: PortHolder;
  suggestedPort?: number;
  /** Bumped on every start/stop/restart: async work of an older generation is dropped. */
  gen: number;
  failures: number;
  checking: boolean;
  healthTimer?: NodeJS.Timeout;
  restartTimer?: NodeJS.Timeout;
}

/** A klog line (`E1125 … portforward.go:424] "Unhandled Error" err="…"`) reduced to its message. */
export function forwardErrorText(line: string): string {
  const t = line.trim();
  const err = t.match(/\berr="(.*)"\s*$/);
  if (err) return err[1].replace(/\\"/g, '"');
  return t.replace(/^[EWI]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\]\s*/, '');
}


type Probe = { ok: true; status: number } | { ok: false; error: string };

/** One HTTP GET to 127.0.0.1:port: any status counts as an answer. */
export function probeHttp(port: number, timeoutMs: number, path = '/'): Promise<Probe> {
  return new Promise((resolve) => {
    let status: number | undefined;
    let done = false;
    const finish = (r: Probe) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close', 'user-agent': 'kubetutor-health-check' } }, (res) => {
      status = res.statusCode ?? 0;
      // Read the answer to its end so the forwarded connection closes cleanly.
      res.on('data', () => {});
      res.on('end', () => finish({ ok: true, status: status! }));
      res.on('error', () => finish({ ok: true, status: status! }));
    });
    const timer = setTimeout(() => finish(status !== undefined ? { ok: true, status } : { ok: false, error: t('proc.fwd.noAnswerWithin', { ms: timeoutMs }) }), timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (status !== undefined) return finish({ ok: true, status });
      const code = e.code;
      finish({ ok: false, error: code === 'ECONNREFUSED' ? t('proc.fwd.refused') : code === 'ECONNRESET' ? t('proc.fwd.reset') : (code ?? e.message) });
    });
  });
}

export class ForwardSupervisor extends EventEmitter {
  private forwards = new Map<string, Forward>();
  private o: Required<ForwardSupervisorOptions>;
  private onOutput = (name: string, lines: string[]) => this.output(name, lines);
  private onExit = (name: string, state: string) => this.exited(name, state);

  constructor(readonly supervisor: Supervisor, opts: ForwardSupervisorOptions = {}) {
    super();
    this.o = {
      healthIntervalMs: 2000,
      healthTimeoutMs: 1500,
      unhealthyAfter: 2,
      backoffMs: 1000,
      maxBackoffMs: 30_000,
      maxRestarts: 5,
      restartWindowMs: 120_000,
      healthPath: '/',
      ...opts,
    };
    supervisor.on('output', this.onOutput);
    supervisor.on('exit', this.onExit);
  }

  /** True when `name` is a forward this supervises (in any state). */
  has(name: string): boolean {
    return this.forwards.has(name);
  }

  get(name: string): ForwardInfo | undefined {
    const f = this.forwards.get(name);
    return f && this.info(f);
  }

  list(): ForwardInfo[] {
    return [...this.forwards.values()].map((f) => this.info(f));
  }

  /**
   * Starts a forward, unless its port is taken (then it is `port-taken`, with
   * the holder and a suggested port; see `startOnPort`). Throws a user error
   * when it is already running.
   */
  async start(cmd: ForwardCommand, opts: ForwardStartOptions): Promise<ForwardInfo> {
    const existing = this.forwards.get(cmd.name);
    if (existing && LIVE.has(existing.state)) throw userError(t('proc.alreadyRunning', { name: cmd.name, pid: existing.pid ?? '?' }));
    if (!existing && this.supervisor.state(cmd.name) === 'running') throw userError(t('proc.alreadyRunning', { name: cmd.name, pid: this.supervisor.get(cmd.name)?.pid ?? '?' }));
    const f: Forward = existing ?? { cmd, opts, port: cmd.readyPort, command: cmd.run, state: 'stopped', restarts: 0, recent: [], gen: 0, failures: 0, checking: false };
    Object.assign(f, { cmd, opts, port: cmd.readyPort, command: cmd.run, restarts: 0, recent: [] });
    f.everHealthy = false;
    this.forwards.set(cmd.name, f);
    return this.startFresh(f);
  }

  /** Starts a forward on another local port (after `port-taken`): its command's local port is rewritten. */
  async startOnPort(name: string, port: number): Promise<ForwardInfo> {
    const f = this.forwards.get(name);
    if (!f) throw userError(t('proc.fwd.noSuch', { name }));
    if (LIVE.has(f.state)) throw userError(t('proc.fwd.stopFirst', { name, pid: f.pid ?? '?' }));
    const command = rewriteLocalPort(f.cmd.run, f.cmd.readyPort, port);
    if (command === undefined) throw userError(t('proc.fwd.noPortArg', { name, port: f.cmd.readyPort }));
    Object.assign(f, { port, command, restarts: 0, recent: [] });
    return this.startFresh(f);
  }

  /** Stops a forward (its whole process group) and cancels any restart. */
  async stop(name: string): Promise<void> {
    const f = this.forwards.get(name);
    if (!f) return;
    f.gen++;
    this.clearTimers(f);
    f.state = 'stopped';
    f.pid = undefined;
    f.message = f.holder = f.suggestedPort = undefined;
    this.changed(name);
    await this.supervisor.stop(name);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.forwards.keys()].map((n) => this.stop(n)));
  }

  /** Stops listening to the Supervisor and cancels timers (the processes themselves are the Supervisor's). */
  dispose(): void {
    for (const f of this.forwards.values()) {
      f.gen++;
      this.clearTimers(f);
    }
    this.supervisor.off('output', this.onOutput);
    this.supervisor.off('exit', this.onExit);
  }

  // ---- internals -------------------------------------------------------------

  private info(f: Forward): ForwardInfo {
    const i: ForwardInfo = { name: f.cmd.name, port: f.port, state: f.state, restarts: f.restarts, command: f.command };
    if (f.pid !== undefined) i.pid = f.pid;
    if (f.message !== undefined) i.message = f.message;
    if (f.holder) i.holder = { ...f.holder };
    if (f.suggestedPort !== undefined) i.suggestedPort = f.suggestedPort;
    return i;
  }

  private changed(name: string): void {
    this.emit('change', name);
  }

  private clearTimers(f: Forward): void {
    if (f.healthTimer) clearTimeout(f.healthTimer);
    if (f.restartTimer) clearTimeout(f.restartTimer);
    f.healthTimer = f.restartTimer = undefined;
  }

  private async startFresh(f: Forward): Promise<ForwardInfo> {
    const gen = ++f.gen;
    this.clearTimers(f);
    f.holder = f.suggestedPort = undefined;
    // Not live, yet still running: our own process on its way out (stopped for a restart). Let it go first.
    if (this.supervisor.state(f.cmd.name) === 'running') await this.supervisor.stop(f.cmd.name);
    if (f.gen !== gen) return this.info(f);
    await this.launch(f, gen);
    return this.info(f);
  }

  /** Starts the command, unless the port is taken. */
  private async launch(f: Forward, gen: number): Promise<void> {
    if (await portInUse(f.port)) {
      if (f.gen === gen) await this.markTaken(f, gen);
      return;
    }
    if (f.gen !== gen) return;
    f.holder = f.suggestedPort = undefined;
    f.failures = 0;
    f.state = 'starting';
    f.message = t('proc.fwd.starting', { port: f.port });
    try {
      const info = await this.supervisor.start(f.cmd.name, f.command, { cwd: f.opts.cwd, env: f.opts.env, background: true });
      f.pid = info.pid;
    } catch (e) {
      f.state = 'failed';
      f.pid = undefined;
      f.message = (e as Error).message;
      this.changed(f.cmd.name);
      return;
    }
    this.changed(f.cmd.name);
    this.scheduleHealth(f, gen, this.o.healthIntervalMs);
  }

  private async markTaken(f: Forward, gen: number): Promise<void> {
    const [holder, suggested] = await Promise.all([whoHolds(f.port).catch(() => undefined), freePortNear(f.port)]);
    if (f.gen !== gen) return;
    this.clearTimers(f);
    f.state = 'port-taken';
    f.pid = undefined;
    f.holder = holder;
    f.suggestedPort = suggested;
    let who = describeHolder(holder);
    const ours = holder && (await this.ownForwardOf(holder.pid));
    if (ours) who += t('proc.fwd.ours', { name: ours });
    if (f.gen !== gen) return;
    f.message = t('proc.fwd.taken', { port: f.port, who, suggested });
    this.changed(f.cmd.name);
  }

  /** The name of the running process this program started whose group `pid` belongs to. */
  private async ownForwardOf(pid: number): Promise<string | undefined> {
    const running = this.supervisor.list().filter((p) => p.state === 'running' && p.pid);
    const direct = running.find((p) => p.pid === pid);
    if (direct) return direct.name;
    const pgrp = await processGroupOf(pid);
    return running.find((p) => p.pid === pgrp)?.name;
  }

  private scheduleHealth(f: Forward, gen: number, delayMs: number): void {
    if (f.healthTimer) clearTimeout(f.healthTimer);
    f.healthTimer = setTimeout(() => {
      f.healthTimer = undefined;
      void this.check(f, gen);
    }, delayMs);
    f.healthTimer.unref();
  }

  private async check(f: Forward, gen: number): Promise<void> {
    if (f.gen !== gen || !LIVE.has(f.state)) return;
    if (f.checking) return; // the one in flight schedules the next
    f.checking = true;
    let r: Probe;
    try {
      r = await probeHttp(f.port, this.o.healthTimeoutMs, this.o.healthPath);
    } finally {
      f.checking = false;
    }
    if (f.gen !== gen || !LIVE.has(f.state)) return;
    const before = `${f.state}|${f.message}`;
    if (r.ok) {
      f.failures = 0;
      f.state = 'healthy';
      f.everHealthy = true;
      f.message = t('proc.fwd.answers', { url: `http://127.0.0.1:${f.port}${this.o.healthPath}`, status: r.status });
    } else {
      f.failures++;
      if (f.failures >= this.o.unhealthyAfter) {
        f.state = 'unhealthy';
        f.message = t('proc.fwd.noAnswer', { port: f.port, why: r.error });
      } else if (f.state === 'starting') {
        f.message = t('proc.fwd.startingNotYet', { port: f.port, why: r.error });
      }
    }
    if (`${f.state}|${f.message}` !== before) this.changed(f.cmd.name);
    this.scheduleHealth(f, gen, this.o.healthIntervalMs);
  }

  private output(name: string, lines: string[]): void {
    const f = this.forwards.get(name);
    if (!f || !LIVE.has(f.state)) return;
    const broken = lines.find((l) => FORWARD_BROKEN.test(l));
    if (broken) {
      void this.restart(f, forwardErrorText(broken));
      return;
    }
    // kubectl says it listens: check now rather than at the next tick.
    if (f.state === 'starting' && lines.some((l) => FORWARDING.test(l))) this.scheduleHealth(f, f.gen, 0);
  }

  private exited(name: string, state: string): void {
    const f = this.forwards.get(name);
    if (!f || !LIVE.has(f.state)) return;
    if (state === 'stopped') {
      // Stopped through the Supervisor directly (e.g. the session's stop key): no restart.
      f.gen++;
      this.clearTimers(f);
      f.state = 'stopped';
      f.pid = undefined;
      f.message = undefined;
      this.changed(name);
      return;
    }
    const p = this.supervisor.get(name);
    const broken = p?.output.slice().reverse().find((l) => FORWARD_BROKEN.test(l));
    const last = p?.output.filter((l) => l.trim()).slice(-1)[0];
    const reason = broken ? forwardErrorText(broken) : last ? t('proc.fwd.exitedSaying', { code: p?.exitCode ?? '?', last: forwardErrorText(last) }) : t('proc.fwd.exited', { code: p?.exitCode ?? '?' });
    void this.restart(f, reason, true);
  }

  /** Restarts after `reason`, with backoff; gives up after too many recent restarts. */
  private async restart(f: Forward, reason: string, exited = false): Promise<void> {
    if (!LIVE.has(f.state)) return;
    const gen = ++f.gen;
    this.clearTimers(f);
    const now = Date.now();
    f.recent = f.recent.filter((t) => now - t < this.o.restartWindowMs);
    // A pod that refuses the port before the forward ever worked will refuse it again: say so now
    // instead of restarting (on released Istio, the gateway has no listener on 15032).
    if (!f.everHealthy && /connection refused|failed to connect/i.test(reason)) {
      f.state = 'failed';
      f.pid = undefined;
      f.message = t('proc.fwd.podNotListening', { reason });
      this.changed(f.cmd.name);
      if (!exited) await this.supervisor.stop(f.cmd.name);
      return;
    }
    if (f.recent.length >= this.o.maxRestarts) {
      f.state = 'failed';
      f.pid = undefined;
      f.message = t('proc.fwd.gaveUp', { reason, count: f.recent.length, seconds: Math.round(this.o.restartWindowMs / 1000) });
      this.changed(f.cmd.name);
      await this.supervisor.stop(f.cmd.name);
      return;
    }
    const delay = retryDelay({ initialMs: this.o.backoffMs, maxMs: this.o.maxBackoffMs }, f.recent.length);
    f.state = 'restarting';
    f.pid = undefined;
    f.message = t('proc.fwd.restarting', { reason, delay: formatSeconds(delay) });
    this.changed(f.cmd.name);
    if (!exited) await this.supervisor.stop(f.cmd.name); // our own child: it may linger after kubectl's error
    if (f.gen !== gen) return;
    f.restartTimer = setTimeout(() => {
      f.restartTimer = undefined;
      if (f.gen !== gen) return;
      f.recent.push(Date.now());
      f.restarts++;
      void this.launch(f, gen);
    }, delay);
    f.restartTimer.unref();
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
