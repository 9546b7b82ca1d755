/**
 * A learner's session: the lesson, the target cluster, the engine state and
 * the processes it started. The UI reads `view` and calls the intent methods;
 * everything with effects (checks, commands, files) happens here.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Check, CheckResult, Command, Lesson } from '../lesson/types.js';
import type { Target } from '../cluster/target.js';
import type { CheckEnv } from '../checks/types.js';
import { Supervisor, type ProcessInfo } from '../processes/supervisor.js';
import { ForwardSupervisor, type ForwardInfo } from '../processes/forward-supervisor.js';
import { interpolate } from '../lesson/interpolate.js';
import { DASHBOARD_PORT, dashboardUrlVars, istioFactsOnce, istioVars, type IstioFacts } from '../cluster/era.js';
import { findGatewayUrl } from '../cluster/gateway-url.js';
import type { KubeClient } from '../cluster/kube-client.js';
import type { ClusterTrouble } from '../cluster/watch-cache.js';
import { recordOpened } from '../traces/opened-marker.js';
import type { TraceSummary } from '../traces/model-types.js';
import type { JaegerTrace } from '../traces/jaeger-model.js';
import { engineReducer, initialState, isFinished, type EngineAction, type EngineState } from './engine-state.js';
import { keepBroken, readProgress, saveProgress, type Progress } from './progress.js';
import { packageRoot } from '../package-root.js';
import { isTrusted, lessonSource, trustLesson, UNTRUSTED_NOTICE } from '../lesson/trust.js';
import { contextDrift, isDestructive, type ContextInfo } from './destructive.js';
import { currentContextOf } from '../cluster/target.js';
import { movedPortsLine, remapLessonPorts, remapPorts, shellLine, type PortMap } from '../lesson/port-remap.js';
import { applies, eraWhy, lessonEra, lessonEras, namedEras, namedTools, notAskedSummary, type EraContext } from '../lesson/eras.js';
import { onPath } from '../processes/on-path.js';

export interface RunningCommand { step: number; index: number; name: string }

export interface SessionView {
  lesson: Lesson;
  targetLabel: string;
  targetKind: 'sandbox' | 'cluster';
  engine: EngineState;
  processes: ProcessInfo[];
  /** The supervised port-forwards, with their health. */
  forwards: ForwardInfo[];
  /** The foreground command running now, if any. */
  running: RunningCommand | null;
  /** Output of the latest foreground command (last lines). */
  output: { step: number; index: number; command: string; lines: string[]; exitCode?: number } | null;
  vars: Record<string, string>;
  /** What the runner found out about the cluster, shown so the learner sees it. */
  found: { era?: string; version?: string; gatewayUrl?: string; gatewayHow?: string };
  /** The lesson era of this cluster and the tools on PATH, which `when` blocks are matched against. */
  eraContext?: EraContext;
  /** Set while the cluster cannot be reached or refuses the credentials; the step and progress are kept meanwhile. */
  clusterTrouble?: ClusterTrouble | null;
  /** A one-line notice (e.g. "step 2 passed: step 3 unlocked"). */
  notice: string | null;
  /** Counts the notices given, so the UI can tell a new notice from one it has dismissed. */
  noticeSeq: number;
  /** The step the learner was viewing when the notice was given (it is about that moment). */
  noticeStep: number;
  finished: boolean;
  /** Set while the lesson may not run commands: not bundled, not trusted yet. The UI shows `source` before asking. */
  untrusted: { file: string; sha256: string; source: string } | null;
}

export interface SessionOptions {
  /** How often the current step's checks re-run by themselves. @default 1000 */
  intervalMs?: number;
  /** Where progress is kept; none when undefined. */
  progressFile?: string;
  /**
   * Whether the lesson may run commands (its own, solutions, `command` checks). Default: bundled
   * lessons and lessons the learner trusted before (see lesson/trust.ts); others wait for `trust()`.
   */
  trusted?: boolean;
  /** Evaluates one check (injected so the UI tests can run against the real sandbox or a fake). */
  evaluate?: (check: Check, env: CheckEnv) => Promise<CheckResult>;
  /** Where the processes it starts are recorded while they run (so a later run finds them if this one is killed). */
  processRecords?: import('../processes/process-records.js').ProcessRecords;
  /**
   * The lesson's local ports moved before it starts (`--port 15032=15099`): its forwards,
   * commands and checks use the new ports, as after `m`.
   */
  ports?: PortMap;
}

/** Variables bash sets by itself: not the lesson's. */
const SHELL_VARS = new Set(['SHLVL', '_', 'PWD', 'OLDPWD', '__kt_status', 'BASH_EXECUTION_STRING']);

export class Session {
  private state: EngineState;
  private listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private evaluating: string | null = null;
  /**
   * Cancels the checks running for the current step (CheckEnv.signal): aborted when the current
   * step changes or the session closes, so no HTTP request, Jaeger query or shell outlives it.
   */
  private stepChecks: { step: number; controller: AbortController } | undefined;
  private watching: import('../cluster/watch-cache.js').WatchCache | undefined;
  private changeQueued = false;
  /** The self-rechecking interval grows while nothing changes (for probes: HTTP, ports, Jaeger). */
  private idleDelay = 0;
  private lastResults = '';
  private again = false;
  private following = true;
  private running: RunningCommand | null = null;
  private output: SessionView['output'] = null;
  private noticeText: string | null = null;
  private noticeSeq = 0;
  private noticeStep = 0;
  private get notice(): string | null {
    return this.noticeText;
  }
  private set notice(text: string | null) {
    if (text !== null) {
      this.noticeSeq++;
      this.noticeStep = this.state?.viewing ?? 0;
    }
    this.noticeText = text;
  }
  private vars: Record<string, string> = {};
  /** Found by the runner (Istio era, Jaeger base path, service name, GATEWAY_URL); the learner's own exports win. */
  private autoVars: Record<string, string> = {};
  private facts: { era?: string; version?: string; gatewayHow?: string } = {};
  private eraCtx: EraContext;
  private startedAt: number;
  private tmp = mkdtempSync(join(tmpdir(), 'kubetutor-session-'));
  readonly supervisor = new Supervisor();
  /** Port-forwards (background commands with a port): health-checked, restarted, port conflicts reported. */
  readonly forwards = new ForwardSupervisor(this.supervisor);
  /** Forwards moved to another local port: lesson port → the port it runs on now. */
  private portMap = new Map<number, number>();
  private evaluateFn: NonNullable<SessionOptions['evaluate']> | undefined;
  /** The saved progress could not be read: why, and where the file was put (until the resume settles). */
  private recovered: { reason: string; keptAs: string | undefined } | undefined;
  private cachedView: SessionView | undefined;

  private untrusted: SessionView['untrusted'] = null;
  /** The context (and server) the lesson began on: destructive commands run only there. */
  private beganOn: ContextInfo;

  /** The lesson as it runs here: its local ports moved per `opts.ports`. */
  readonly lesson: Lesson;

  constructor(lesson: Lesson, readonly target: Target, private opts: SessionOptions = {}) {
    this.lesson = remapLessonPorts(lesson, opts.ports ?? new Map());
    this.state = initialState(lesson.steps.map((s) => s.id));
    const tools = namedTools(lesson);
    this.eraCtx = { tools: tools.size ? onPath(tools) : new Set() };
    this.beganOn = currentContextOf(target.kubeconfigPath) ?? { context: target.context, server: '' };
    if (!(opts.trusted ?? isTrusted(lesson))) {
      let src = { text: '', sha256: '' };
      try {
        src = lessonSource(lesson);
      } catch {
        /* unreadable now: nothing to show, and it stays untrusted */
      }
      this.untrusted = { file: lesson.file, sha256: src.sha256, source: src.text };
      this.notice = UNTRUSTED_NOTICE;
    }
    const read = opts.progressFile ? readProgress(opts.progressFile) : undefined;
    const saved = read?.state === 'ok' ? read.progress : undefined;
    if (read?.state === 'broken') {
      // Kept aside, not deleted; the steps are re-checked on the cluster anyway (see settleRecovery).
      this.recovered = { reason: read.reason, keptAs: keepBroken(opts.progressFile!) };
      this.notice ??= `saved progress unreadable: re-checking every step on the cluster… (${read.reason})`;
    }
    this.notice ??= movedPortsLine(opts.ports ?? new Map()) ?? null;
    this.vars = { ...(saved?.vars ?? {}) };
    this.autoVars = this.dashboardVars();
    this.startedAt = saved?.startedAt ?? Date.now();
    this.evaluateFn = opts.evaluate;
    const records = opts.processRecords;
    if (records) this.supervisor.recordProcesses((pid, name, command) => records.add(pid, { name, command, lesson: lesson.id, target: target.key }));
    this.supervisor.on('change', () => this.changed());
    this.forwards.on('change', (name: string) => {
      const f = this.forwards.get(name);
      if (f && (f.state === 'failed' || f.state === 'port-taken') && f.message) this.notice = `${name}: ${f.message}${f.state === 'port-taken' ? ' (press m to move it there)' : ''}`;
      this.changed();
      this.kick();
    });
    this.supervisor.on('exit', (name: string, state: string) => {
      const p = this.supervisor.get(name);
      // Forwards report through their supervisor (restarts are not failures).
      if (p?.background && state !== 'stopped' && !this.forwards.has(name)) {
        // A forwarder that dies on its own must be loud: say so, with its last words.
        this.notice = `${name} ${state === 'exited' ? 'exited' : 'failed'}: ${p.output.filter(Boolean).slice(-1)[0] ?? 'no output'}`;
        this.changed();
      }
      this.kick();
    });
  }

  /** Starts checking: earlier steps are re-checked against the live cluster, and the learner resumes at the first unmet one. */
  start(): void {
    // A sandbox that has just started is still bringing pods up: judge it once it has settled,
    // so resuming lands on the right step.
    const settled = this.target.sandbox?.settled() ?? Promise.resolve();
    void settled.then(() => this.kick());
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get view(): SessionView {
    return (this.cachedView ??= {
      lesson: this.lesson,
      targetLabel: this.target.label,
      targetKind: this.target.kind,
      engine: this.state,
      processes: this.supervisor.list(),
      forwards: this.forwards.list(),
      running: this.running,
      output: this.output,
      vars: { ...this.autoVars, ...this.vars },
      found: { ...this.facts, gatewayUrl: this.autoVars.GATEWAY_URL },
      eraContext: this.eraCtx,
      notice: this.notice,
      noticeSeq: this.noticeSeq,
      noticeStep: this.noticeStep,
      clusterTrouble: this.watching?.trouble ?? null,
      finished: isFinished(this.state),
      untrusted: this.untrusted,
    });
  }

  private changed(): void {
    this.cachedView = undefined;
    for (const l of [...this.listeners]) l();
  }

  private dispatch(a: EngineAction): void {
    const next = engineReducer(this.state, a);
    if (next === this.state) return;
    const moved = next.current !== this.state.current;
    this.state = next;
    if (moved) this.abortStepChecks();
    this.changed();
  }

  /** The signal the checks of step `idx` run under (one controller per step, made when its checks first run). */
  private stepSignal(idx: number): AbortSignal {
    if (this.stepChecks?.step !== idx) {
      this.abortStepChecks();
      this.stepChecks = { step: idx, controller: new AbortController() };
    }
    return this.stepChecks.controller.signal;
  }

  private abortStepChecks(): void {
    this.stepChecks?.controller.abort();
    this.stepChecks = undefined;
  }

  // ---- intents -------------------------------------------------------------

  view_(step: number): void {
    this.following = false;
    this.dispatch({ type: 'view', step });
  }
  viewNext(): void {
    this.following = false;
    this.dispatch({ type: 'view-next' });
  }
  viewPrevious(): void {
    this.following = false;
    this.dispatch({ type: 'view-previous' });
  }

  answer(key: string, choice: number): void {
    this.dispatch({ type: 'answer', key, choice });
    this.kick();
  }

  /** Re-evaluates the current step now (the learner asked). */
  recheck(): void {
    this.idleDelay = 0;
    const cur = this.lesson.steps[this.state.current];
    if (cur) this.dispatch({ type: 'attempted', step: cur.id });
    this.kick();
  }

  /** Runs command `index` of step `step` (only of an unlocked step). */
  async runCommand(step: number, index: number): Promise<void> {
    if (step > this.state.current) return;
    const s = this.lesson.steps[step];
    const cmd = s?.commands[index];
    if (!cmd) return;
    this.dispatch({ type: 'attempted', step: s.id });
    await this.run(cmd, step, index);
  }

  /** The lines of a step's solution that apply to this cluster (its era, the tools on PATH), with their indices. */
  solutionFor(step: number): Array<{ line: Command; index: number }> {
    const s = this.lesson.steps[step];
    return (s?.solution ?? []).map((line, index) => ({ line, index })).filter((x) => applies(x.line.when, this.eraCtx));
  }

  /** Runs a step's solution commands for this cluster in order (what `test` and "show me" use). */
  async runSolution(step: number): Promise<void> {
    for (const { index } of this.solutionFor(step)) {
      const ok = await this.runSolutionLine(step, index);
      if (!ok) break;
    }
  }

  /**
   * Runs one line of a step's solution; false when a foreground line failed. A line that repeats
   * one of the step's background commands (as the shell reads it) runs as that process.
   */
  async runSolutionLine(step: number, index: number): Promise<boolean> {
    const s = this.lesson.steps[step];
    const line = s?.solution[index];
    if (!line) return false;
    this.dispatch({ type: 'attempted', step: s.id });
    const cmd = s.commands.find((c) => c.background && shellLine(c.run) === shellLine(line.run)) ?? line;
    const info = await this.run(cmd, step, index);
    return !(info && !cmd.background && info.state === 'failed');
  }

  /** The learner has read the lesson's source and trusts it: it may run commands from now on (and next time). */
  trust(): void {
    if (!this.untrusted) return;
    try {
      trustLesson(this.lesson);
    } catch {
      /* not recorded (read-only state dir): trusted for this run only */
    }
    this.untrusted = null;
    if (this.notice === UNTRUSTED_NOTICE) this.notice = null;
    this.changed();
    this.kick();
  }

  /** Shows a one-line notice (for things the UI could not do). */
  note(text: string): void {
    this.notice = text;
    this.changed();
  }

  async stopProcess(name: string): Promise<void> {
    if (this.forwards.has(name)) await this.forwards.stop(name);
    else await this.supervisor.stop(name);
    this.kick();
  }

  /** Stops every background process this session started (the x key). */
  async stopAllBackground(): Promise<void> {
    await Promise.all(this.supervisor.list().filter((p) => p.background && p.state === 'running').map((p) => this.stopProcess(p.name)));
  }

  /** Moves a forward whose port is taken to the free port offered; checks and the viewer follow it. */
  async moveForward(): Promise<void> {
    const f = this.forwards.list().find((x) => x.state === 'port-taken' && x.suggestedPort);
    if (!f) return;
    const moved = await this.forwards.startOnPort(f.name, f.suggestedPort!);
    this.portMap.set(f.port, moved.port);
    this.autoVars = { ...this.autoVars, ...this.dashboardVars() };
    this.notice = `${f.name} now forwards localhost:${moved.port}; the checks use that port (the lesson says ${f.port})`;
    this.jaeger = undefined;
    this.changed();
    this.kickSoon();
  }

  /** Where the lesson's local `port` is served now: moved by --port, then by m. */
  private localPort(port: number): number {
    const moved = this.opts.ports?.get(port) ?? port;
    return this.portMap.get(moved) ?? moved;
  }

  /** What the watch caches cost so far (for tests and the bench). */
  get clusterRequests(): { lists: number; watches: number; informers: number } | undefined {
    return this.watching?.stats;
  }

  private onClusterChange(): void {
    // The cluster went away or came back: the view says so now, not after the next evaluation.
    if ((this.watching?.trouble ?? null) !== (this.cachedView?.clusterTrouble ?? null)) this.changed();
    if (this.changeQueued) return;
    this.changeQueued = true;
    setImmediate(() => {
      this.changeQueued = false;
      this.idleDelay = 0;
      this.kick();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.abortStepChecks();
    this.watching?.stop();
    await this.forwards.stopAll();
    this.forwards.dispose();
    await this.supervisor.stopAll();
    this.supervisor.dispose();
    rmSync(this.tmp, { recursive: true, force: true });
  }

  // ---- effects ---------------------------------------------------------------

  private shimDir: string | undefined;

  /** A `kubetutor` on PATH for lesson commands, whether or not the package is installed globally. */
  private kubetutorShim(): string {
    if (!this.shimDir) {
      this.shimDir = join(this.tmp, 'bin');
      mkdirSync(this.shimDir, { recursive: true });
      // The built CLI (under the test runner too: src/ has no runnable entry point).
      const cli = join(packageRoot(), 'dist', 'cli.js');
      writeFileSync(join(this.shimDir, 'kubetutor'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`, { mode: 0o755 });
    }
    return this.shimDir;
  }

  private commandEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    return { ...env, PATH: `${this.kubetutorShim()}${delimiter}${env.PATH ?? ''}`, KUBECONFIG: this.target.kubeconfigPath, ...(this.target.sandbox ? { KUBECACHEDIR: this.target.sandbox.kubectlCacheDir } : {}), KUBETUTOR_SESSION_DIR: this.tmp, ...this.autoVars, ...this.vars };
  }

  // ---- the trace viewer (effects for the UI) ---------------------------------------

  private jaeger: Promise<import('../traces/jaeger-client.js').JaegerClient> | undefined;
  private traceCache = new Map<string, JaegerTrace>();

  /** The Jaeger the lesson talks to: the URL of its first jaeger-traces check, variables filled in. */
  jaegerUrl(): string | undefined {
    for (const step of this.lesson.steps) {
      for (const c of step.checks) if (c.kind === 'jaeger-traces') return interpolate((remapPorts(c, this.portMap) as typeof c).url, { ...this.autoVars, ...this.vars });
    }
    return undefined;
  }

  /** Recent traces of the lesson's service (productpage unless a trace-opened check names another). */
  async traceSummaries(): Promise<TraceSummary[]> {
    const url = this.jaegerUrl();
    if (!url) throw new Error('this lesson names no Jaeger (no jaeger-traces check)');
    const { JaegerClient } = await import('../traces/jaeger-client.js');
    const { summarizeTrace } = await import('../traces/trace-model.js');
    const client = await (this.jaeger ??= JaegerClient.connect(url).catch((e) => {
      this.jaeger = undefined;
      throw e;
    }));
    const wanted = this.lesson.steps.flatMap((s) => s.checks).find((c) => c.kind === 'trace-opened' && c.service);
    const short = (wanted && wanted.kind === 'trace-opened' && wanted.service) || 'productpage';
    const services = await client.services();
    const service = services.find((s) => s === short || s.startsWith(`${short}.`)) ?? services[0];
    if (!service) return [];
    const traces = await client.search({ service, limit: 20 });
    for (const t of traces) this.traceCache.set(t.traceID, t);
    return traces.map(summarizeTrace);
  }

  /** The call the lesson wants pointed out when a trace opens (`focus: caller -> callee` on its trace-opened check). */
  traceFocus(): { from: string; to: string } | undefined {
    for (const c of this.lesson.steps.flatMap((s) => s.checks)) {
      if (c.kind !== 'trace-opened' || !c.focus) continue;
      const [from, to] = c.focus.split(/\s*->\s*|\s*→\s*/);
      if (from && to) return { from, to };
    }
    return undefined;
  }

  async loadTrace(id: string): Promise<JaegerTrace> {
    const hit = this.traceCache.get(id);
    if (hit) return hit;
    const client = await this.jaeger;
    if (!client) throw new Error('no Jaeger connection');
    return client.trace(id);
  }

  /** The learner opened a trace in the viewer: the trace-opened check sees it. */
  traceOpened(id: string): void {
    const t = this.traceCache.get(id);
    if (t) recordOpened(this.tmp, t);
    this.kick();
  }

  private async run(cmd: Command, step: number, index: number) {
    // The gate for everything a lesson runs: an untrusted lesson runs nothing (the UI asks first).
    if (this.untrusted) {
      this.notice = UNTRUSTED_NOTICE;
      this.changed();
      return undefined;
    }
    // Cleanup deletes things: only on the cluster the lesson began on.
    if (isDestructive(cmd.run)) {
      const drift = contextDrift(this.beganOn, currentContextOf(this.target.kubeconfigPath));
      if (drift) {
        this.notice = `refused to run "${shellLine(cmd.run).slice(0, 60)}": it deletes things, and ${drift}`;
        this.changed();
        return undefined;
      }
    }
    if (cmd.background) {
      if (this.supervisor.state(cmd.name) === 'running') {
        this.notice = `${cmd.name} is already running`;
        this.changed();
        return undefined;
      }
      if (cmd.readyPort !== undefined) {
        const f = await this.forwards.start({ name: cmd.name, run: cmd.run, readyPort: cmd.readyPort }, { cwd: this.lesson.dir, env: this.commandEnv() }).catch((e: Error) => {
          this.notice = e.message;
          return undefined;
        });
        if (f?.state === 'port-taken') this.notice = `${cmd.name}: ${f.message} (press m to move it there)`;
        else if (f) {
          this.portMap.delete(cmd.readyPort);
          this.notice = `started ${cmd.name} (pid ${f.pid}) on localhost:${f.port}; kubetutor watches it and stops it when you quit`;
        }
        this.changed();
        this.kickSoon();
        return undefined;
      }
      const info = await this.supervisor.start(cmd.name, cmd.run, { cwd: this.lesson.dir, env: this.commandEnv(), background: true });
      this.notice = `started ${cmd.name} (pid ${info.pid}); it stops when you quit`;
      this.changed();
      this.kickSoon();
      return info;
    }
    if (this.running) {
      this.notice = 'a command is still running';
      this.changed();
      return undefined;
    }
    const name = `${this.lesson.steps[step].id}#${index + 1}`;
    const envFile = join(this.tmp, `env-${Date.now()}`);
    const env = this.commandEnv();
    this.running = { step, index, name };
    this.output = { step, index, command: cmd.run, lines: [] };
    this.notice = null;
    const onOutput = (n: string) => {
      if (n === name) {
        this.output = { step, index, command: cmd.run, lines: this.supervisor.get(name)?.output.slice(-50) ?? [] };
        this.changed();
      }
    };
    this.supervisor.on('output', onOutput);
    this.changed();
    try {
      // Variables the command exports are kept for later commands and checks.
      const info = await this.supervisor.start(name, cmd.run, { cwd: this.lesson.dir, env: { ...env, KT_ENV_FILE: envFile }, background: false, epilogue: 'env -0 > "$KT_ENV_FILE" 2>/dev/null' });
      this.captureVars(envFile, env);
      this.output = { step, index, command: cmd.run, lines: info.output.slice(-50), exitCode: info.exitCode };
      return info;
    } finally {
      this.supervisor.off('output', onOutput);
      this.running = null;
      this.changed();
      this.kick();
    }
  }

  private captureVars(file: string, before: Record<string, string>): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    let changed = false;
    for (const entry of text.split('\0')) {
      const eq = entry.indexOf('=');
      if (eq <= 0) continue;
      const k = entry.slice(0, eq);
      const v = entry.slice(eq + 1);
      if (SHELL_VARS.has(k) || k === 'KT_ENV_FILE' || before[k] === v) continue;
      this.vars[k] = v;
      changed = true;
    }
    if (changed) this.save();
  }

  private save(): void {
    if (!this.opts.progressFile) return;
    const passed: Record<string, string> = {};
    for (const s of this.state.steps) if (s.status === 'passed' && s.passedAt) passed[s.id] = new Date(s.passedAt).toISOString();
    const p: Progress = { lesson: this.lesson.id, target: this.target.key, startedAt: this.startedAt, passed, vars: this.vars, updatedAt: new Date().toISOString() };
    try {
      saveProgress(this.opts.progressFile, p);
    } catch {
      /* progress is a convenience: a read-only home must not stop the lesson */
    }
  }

  /** Unreadable saved progress: said (once the live cluster has shown where the learner is) and written afresh. */
  private settleRecovery(): void {
    if (!this.recovered) return;
    const { reason, keptAs } = this.recovered;
    this.recovered = undefined;
    const at = this.state.current < this.lesson.steps.length ? `resuming at step ${this.state.current + 1}` : 'every step is already done';
    const kept = keptAs ? `old file kept as ${keptAs.slice(keptAs.lastIndexOf('/') + 1)}` : 'the old file could not be moved aside';
    // What matters first, as a narrow screen cuts the line: unreadable, rebuilt, where the learner is.
    this.notice = `saved progress unreadable, rebuilt from the cluster: ${at} (${reason}; ${kept})`;
    this.save();
    this.changed();
  }

  private kickSoon(): void {
    setTimeout(() => this.kick(), 300).unref();
  }

  /** Evaluates the current step now, or right after the evaluation in flight. */
  private kick(): void {
    if (this.closed) return;
    if (this.evaluating) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    void this.evaluateCurrent();
  }

  /**
   * JAEGER_URL: where the lesson's dashboard is, `http://localhost:15032` (on the port its forward
   * really uses, when moved); a learner who reaches it another way (an Ingress) exports their own.
   */
  private dashboardVars(): Record<string, string> {
    return dashboardUrlVars(this.localPort(DASHBOARD_PORT));
  }

  /** Era facts and GATEWAY_URL, found the way Istio's docs find them; read from the watch caches, so free. */
  private async discover(cluster: KubeClient, istio: () => Promise<IstioFacts | undefined>): Promise<void> {
    const [facts, gw] = await Promise.all([istio(), findGatewayUrl(cluster).catch(() => undefined)]);
    if (this.watching?.trouble) return; // what could not be read is no news: keep what was found
    const next: Record<string, string> = { ...this.dashboardVars(), ...(facts ? istioVars(facts) : {}), ...(gw ? { GATEWAY_URL: gw.url } : {}) };
    const found = { era: facts?.era ?? undefined, version: facts?.version, gatewayHow: gw?.how };
    const era = facts ? lessonEra(facts, lessonEras(this.lesson.eras, namedEras(this.lesson))) : undefined;
    const why = facts && era ? eraWhy(facts, era) : undefined;
    const eraChanged = era !== this.eraCtx.era || why !== this.eraCtx.why;
    if (eraChanged) this.eraCtx = { ...this.eraCtx, ...(era ? { era } : {}), ...(why ? { why } : {}) };
    if (eraChanged || JSON.stringify(next) !== JSON.stringify(this.autoVars) || JSON.stringify(found) !== JSON.stringify(this.facts)) {
      this.autoVars = next;
      this.facts = found;
      this.changed();
    }
  }

  private async evaluator() {
    if (!this.evaluateFn) this.evaluateFn = (await import('../checks/registry.js')).evaluateCheck;
    return this.evaluateFn;
  }

  private async evaluateCurrent(): Promise<void> {
    const idx = this.state.current;
    const step = this.lesson.steps[idx];
    if (!step || this.closed) return;
    this.evaluating = step.id;
    this.dispatch({ type: 'checks-started', step: step.id });
    const signal = this.stepSignal(idx);
    let results: CheckResult[];
    try {
      const evaluate = await this.evaluator();
      const cluster = await this.target.client().catch(() => null);
      if (cluster && !this.watching) {
        // Cluster checks read watch-fed caches: a change re-evaluates at once, no polling of the API.
        this.watching = cluster.watch(() => this.onClusterChange());
      }
      const { checkKey } = await import('../checks/registry.js');
      const istio = istioFactsOnce(cluster);
      if (cluster) await this.discover(cluster, istio);
      const env: CheckEnv = {
        cluster,
        istio,
        vars: { ...this.autoVars, ...this.vars },
        lessonStartMicros: this.startedAt * 1000,
        processState: (name) => {
          const st = this.supervisor.state(name);
          return st === 'running' || st === 'unknown' ? st : 'stopped';
        },
        processes: () => this.supervisor.list().filter((p) => p.background).map((p) => ({ name: p.name, state: p.state === 'running' ? 'running' : 'stopped' })),
        quizAnswer: (key) => this.state.answers[key],
        commandsAllowed: !this.untrusted,
        supervisor: this.supervisor,
        cwd: this.lesson.dir,
        env: this.commandEnv(),
        dashboardPort: this.localPort(DASHBOARD_PORT),
        signal,
      };
      // A check for other eras is not asked here: it counts as met, and says so.
      results = await Promise.all(
        step.checks.map((c, i) =>
          applies(c.when, this.eraCtx)
            ? evaluate(remapPorts(c, this.portMap), { ...env, checkKey: checkKey(step.id, i) })
            : Promise.resolve({ ok: true, summary: notAskedSummary(c.title, c.when, this.eraCtx) }),
        ),
      );
    } catch (e) {
      results = [{ ok: false, summary: `could not evaluate: ${(e as Error).message}` }];
    }
    this.evaluating = null;
    if (this.closed) return;
    if (signal.aborted) {
      // The step changed under these checks: what they found is about a step no longer current.
      this.kick();
      return;
    }
    if (this.watching?.trouble && !results.every((r) => r.ok)) {
      // Failing while the cluster is out of reach says nothing about the learner's work: the step
      // keeps its results; the cluster's return re-checks at once (and this, every interval).
      this.dispatch({ type: 'checks-abandoned', step: step.id });
      this.timer = setTimeout(() => this.kick(), this.opts.intervalMs ?? 1000);
      this.timer.unref();
      return;
    }
    const wasCurrent = this.state.current;
    this.dispatch({ type: 'checks-finished', step: step.id, results, at: Date.now() });
    if (this.state.current > wasCurrent) {
      this.save();
      const nextStep = this.lesson.steps[this.state.current];
      if (this.following) this.dispatch({ type: 'view', step: Math.min(this.state.current, this.lesson.steps.length - 1) });
      this.notice = !nextStep
        ? '✓ all steps passed: lesson complete (press q to quit)'
        : this.following
          ? `✓ step ${idx + 1} is already done on this cluster — on to step ${this.state.current + 1}`
          : `✓ step ${idx + 1} passed — step ${this.state.current + 1} is unlocked (press n)`;
      if (!nextStep) this.settleRecovery();
      this.changed();
      this.kick(); // go straight on to the next step (this is how resume fast-forwards)
      return;
    }
    this.following = false;
    this.settleRecovery();
    if (this.again) {
      this.again = false;
      this.kick();
      return;
    }
    // Probes (HTTP, ports, Jaeger, commands) have no events: re-check them, backing off while
    // nothing changes (1 s, 1.5 s, … 5 s); cluster objects re-check on their watch events.
    const base = this.opts.intervalMs ?? 1000;
    const key = JSON.stringify(results.map((r) => [r.ok, r.summary]));
    this.idleDelay = key === this.lastResults ? Math.min(Math.max(base, this.idleDelay * 1.5), base * 5) : base;
    this.lastResults = key;
    this.timer = setTimeout(() => this.kick(), this.idleDelay);
    this.timer.unref();
  }
}
