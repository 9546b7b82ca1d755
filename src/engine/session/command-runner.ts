/**
 * Every shell a session starts: lesson commands (foreground, background, port-forwards) and the
 * `command` checks, which run through the same supervisor (CheckEnv.supervisor). Each runs under
 * bash through execa in its own process group (src/processes/supervisor.ts), is recorded while
 * it runs, and is stopped when the session closes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Command, Lesson } from '../../lesson/types.js';
import type { Target } from '../../cluster/target.js';
import { currentContextOf } from '../../cluster/target.js';
import { Supervisor, type ProcessInfo } from '../../processes/supervisor.js';
import { ForwardSupervisor } from '../../processes/forward-supervisor.js';
import type { ProcessRecords } from '../../processes/process-records.js';
import { shellLine } from '../../lesson/port-remap.js';
import { packageRoot } from '../../package-root.js';
import { contextDrift, isDestructive, type ContextInfo } from '../destructive.js';
import type { VariablesStore } from './variables.js';
import type { LocalPorts } from './local-ports.js';
import type { Notice } from './notices.js';
import type { CommandOutput, RunningCommand } from './view.js';

/** What the runner tells the session it belongs to. */
export interface RunnerHost {
  /** The lesson may run commands (bundled, or trusted). */
  trusted(): boolean;
  /** Gives a notice (or takes it away); the view is redrawn on `changed`. */
  notify(n: Notice | null): void;
  changed(): void;
  /** Re-check the current step now, or in a moment (a process just started). */
  kick(): void;
  kickSoon(): void;
  /** Variables were exported: keep them. */
  varsChanged(): void;
}

export class CommandRunner {
  /** The session's own folder: env dumps, the `kubetutor` shim, trace-opened marks. */
  readonly dir = mkdtempSync(join(tmpdir(), 'kubetutor-session-'));
  readonly supervisor = new Supervisor();
  /** Port-forwards (background commands with a port): health-checked, restarted, port conflicts reported. */
  readonly forwards = new ForwardSupervisor(this.supervisor);
  private current: RunningCommand | null = null;
  private lastOutput: CommandOutput | null = null;
  /** The context (and server) the lesson began on: destructive commands run only there. */
  private beganOn: ContextInfo;
  private shimDir: string | undefined;

  constructor(
    private lesson: Lesson,
    private target: Target,
    private vars: VariablesStore,
    private ports: LocalPorts,
    private host: RunnerHost,
    records?: ProcessRecords,
  ) {
    this.beganOn = currentContextOf(target.kubeconfigPath) ?? { context: target.context, server: '' };
    if (records) this.supervisor.recordProcesses((pid, name, command) => records.add(pid, { name, command, lesson: lesson.id, target: target.key }));
    this.supervisor.on('change', () => host.changed());
    this.forwards.on('change', (name: string) => {
      const f = this.forwards.get(name);
      if (f && (f.state === 'failed' || f.state === 'port-taken') && f.message) host.notify({ kind: 'forward-trouble', name, message: f.message, portTaken: f.state === 'port-taken' });
      host.changed();
      host.kick();
    });
    this.supervisor.on('exit', (name: string, state: string) => {
      const p = this.supervisor.get(name);
      // Forwards report through their supervisor (restarts are not failures).
      if (p?.background && state !== 'stopped' && !this.forwards.has(name)) {
        // A forwarder that dies on its own must be loud: say so, with its last words.
        host.notify({ kind: 'background-ended', name, exited: state === 'exited', lastWords: p.output.filter(Boolean).slice(-1)[0] });
        host.changed();
      }
      host.kick();
    });
  }

  /** The foreground command running now, if any. */
  get running(): RunningCommand | null {
    return this.current;
  }

  /** Output of the latest foreground command (last lines). */
  get output(): CommandOutput | null {
    return this.lastOutput;
  }

  /** Runs a lesson command; resolves with how it ended (foreground) or once started (background), undefined when it was not run. */
  async run(cmd: Command, step: number, index: number): Promise<ProcessInfo | undefined> {
    const host = this.host;
    // The gate for everything a lesson runs: an untrusted lesson runs nothing (the UI asks first).
    if (!host.trusted()) return this.refuse({ kind: 'untrusted' });
    // Cleanup deletes things: only on the cluster the lesson began on.
    if (isDestructive(cmd.run)) {
      const drift = contextDrift(this.beganOn, currentContextOf(this.target.kubeconfigPath));
      if (drift) return this.refuse({ kind: 'refused-destructive', command: shellLine(cmd.run).slice(0, 60), drift });
    }
    if (cmd.background) {
      if (this.supervisor.state(cmd.name) === 'running') return this.refuse({ kind: 'already-running', name: cmd.name });
      if (cmd.readyPort !== undefined) {
        const f = await this.forwards.start({ name: cmd.name, run: cmd.run, readyPort: cmd.readyPort }, { cwd: this.lesson.dir, env: this.env() }).catch((e: Error) => {
          host.notify({ kind: 'text', text: e.message });
          return undefined;
        });
        if (f?.state === 'port-taken') host.notify({ kind: 'forward-trouble', name: cmd.name, message: String(f.message), portTaken: true });
        else if (f) {
          this.ports.moved.delete(cmd.readyPort);
          host.notify({ kind: 'forward-started', name: cmd.name, pid: f.pid, port: f.port });
        }
        host.changed();
        host.kickSoon();
        return undefined;
      }
      const info = await this.supervisor.start(cmd.name, cmd.run, { cwd: this.lesson.dir, env: this.env(), background: true });
      host.notify({ kind: 'background-started', name: cmd.name, pid: info.pid });
      host.changed();
      host.kickSoon();
      return info;
    }
    if (this.current) return this.refuse({ kind: 'command-busy' });
    const name = `${this.lesson.steps[step].id}#${index + 1}`;
    const envFile = join(this.dir, `env-${Date.now()}`);
    const env = this.env();
    this.current = { step, index, name };
    this.lastOutput = { step, index, command: cmd.run, lines: [] };
    host.notify(null);
    const onOutput = (n: string) => {
      if (n === name) {
        const p = this.supervisor.get(name);
        this.lastOutput = { step, index, command: cmd.run, lines: p?.output ?? [], dropped: p?.dropped };
        host.changed();
      }
    };
    this.supervisor.on('output', onOutput);
    host.changed();
    try {
      // Variables the command exports are kept for later commands and checks.
      const info = await this.supervisor.start(name, cmd.run, { cwd: this.lesson.dir, env: { ...env, KT_ENV_FILE: envFile }, background: false, epilogue: 'env -0 > "$KT_ENV_FILE" 2>/dev/null' });
      if (this.vars.captureFrom(envFile, env)) host.varsChanged();
      this.lastOutput = { step, index, command: cmd.run, lines: info.output, dropped: info.dropped, exitCode: info.exitCode };
      return info;
    } finally {
      this.supervisor.off('output', onOutput);
      this.current = null;
      host.changed();
      host.kick();
    }
  }

  private refuse(n: Notice): undefined {
    this.host.notify(n);
    this.host.changed();
    return undefined;
  }

  /** The state of a process this runner started, by name. */
  processState(name: string): 'running' | 'stopped' | 'unknown' {
    const st = this.supervisor.state(name);
    return st === 'running' || st === 'unknown' ? st : 'stopped';
  }

  /** Every background process, with its state. */
  background(): Array<{ name: string; state: 'running' | 'stopped' }> {
    return this.supervisor.list().filter((p) => p.background).map((p) => ({ name: p.name, state: p.state === 'running' ? 'running' : 'stopped' }));
  }

  async stopProcess(name: string): Promise<void> {
    if (this.forwards.has(name)) await this.forwards.stop(name);
    else await this.supervisor.stop(name);
  }

  /** Stops every background process still running. */
  async stopAllBackground(): Promise<void> {
    await Promise.all(this.supervisor.list().filter((p) => p.background && p.state === 'running').map((p) => this.stopProcess(p.name)));
  }

  /** Moves a forward whose port is taken to the free port offered; what moved, or undefined when none waits. */
  async moveForward(): Promise<{ name: string; from: number; to: number } | undefined> {
    const f = this.forwards.list().find((x) => x.state === 'port-taken' && x.suggestedPort);
    if (!f) return undefined;
    const moved = await this.forwards.startOnPort(f.name, f.suggestedPort!);
    this.ports.moved.set(f.port, moved.port);
    return { name: f.name, from: f.port, to: moved.port };
  }

  /** The environment of lesson commands and `command` checks: the runner's, KUBECONFIG, the lesson's variables. */
  env(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    return { ...env, PATH: `${this.kubetutorShim()}${delimiter}${env.PATH ?? ''}`, KUBECONFIG: this.target.kubeconfigPath, ...(this.target.sandbox ? { KUBECACHEDIR: this.target.sandbox.kubectlCacheDir } : {}), KUBETUTOR_SESSION_DIR: this.dir, ...this.vars.all() };
  }

  /** A `kubetutor` on PATH for lesson commands, whether or not the package is installed globally. */
  private kubetutorShim(): string {
    if (!this.shimDir) {
      this.shimDir = join(this.dir, 'bin');
      mkdirSync(this.shimDir, { recursive: true });
      // The built CLI (under the test runner too: src/ has no runnable entry point).
      const cli = join(packageRoot(), 'dist', 'cli.js');
      writeFileSync(join(this.shimDir, 'kubetutor'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`, { mode: 0o755 });
    }
    return this.shimDir;
  }

  /** Stops everything it started (forwards first) and removes its folder. */
  async close(): Promise<void> {
    await this.forwards.stopAll();
    this.forwards.dispose();
    await this.supervisor.stopAll();
    this.supervisor.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
