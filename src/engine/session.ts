/**
 * A learner's session, the lifecycle root: the lesson, the target cluster, the engine state, and
 * the units that do the work, each with one job: the command runner (every shell it starts),
 * the check scheduler (when the current step is checked), the variables and progress stores,
 * the trace access for the viewer, and the notice board (notices worded from what happened).
 * It owns one AbortController per step: the step's checks run under its signal, aborted when the
 * current step changes or the session closes. The UI reads `view` and calls the intent methods.
 */
import type { CheckResult, Command, Lesson, Step } from '../lesson/types.js';
import type { Target } from '../cluster/target.js';
import type { CheckEnv } from '../checks/types.js';
import type { ProcessInfo } from '../processes/supervisor.js';
import type { ForwardSupervisor } from '../processes/forward-supervisor.js';
import type { Supervisor } from '../processes/supervisor.js';
import type { KubeClient } from '../cluster/kube-client.js';
import type { TraceSummary } from '../traces/model-types.js';
import type { JaegerTrace } from '../traces/jaeger-model.js';
import { DASHBOARD_PORT, dashboardUrlVars, istioFactsOnce } from '../cluster/era.js';
import { engineReducer, initialState, isFinished, type EngineAction, type EngineState } from './engine-state.js';
import { isTrusted, lessonSource, trustLesson } from '../lesson/trust.js';
import { movedPortsLine, remapLessonPorts, remapPorts, shellLine } from '../lesson/port-remap.js';
import { applies, namedTools, notAskedSummary, type EraContext } from '../lesson/eras.js';
import { onPath } from '../processes/on-path.js';
import { VariablesStore } from './session/variables.js';
import { ProgressStore } from './session/progress-store.js';
import { CommandRunner } from './session/command-runner.js';
import { CheckScheduler } from './session/check-scheduler.js';
import { LocalPorts } from './session/local-ports.js';
import { TraceAccess } from './session/trace-access.js';
import { readClusterFacts } from './session/cluster-facts.js';
import { NoticeBoard, noticeText, type Notice } from './session/notices.js';
import type { FoundFacts, SessionOptions, SessionView } from './session/view.js';

export type { CommandOutput, FoundFacts, RunningCommand, SessionOptions, SessionView } from './session/view.js';
export type { Notice } from './session/notices.js';

export class Session {
  private state: EngineState;
  private listeners = new Set<() => void>();
  private closed = false;
  /**
   * Cancels the checks running for the current step (CheckEnv.signal): aborted when the current
   * step changes or the session closes, so no HTTP request, Jaeger query or shell outlives it.
   */
  private stepChecks: { step: number; controller: AbortController } | undefined;
  /** The learner has not moved on their own: a passed step takes them to the next. */
  private following = true;
  private notices = new NoticeBoard();
  private vars: VariablesStore;
  private progress: ProgressStore;
  private ports: LocalPorts;
  private runner: CommandRunner;
  private scheduler: CheckScheduler;
  private traces: TraceAccess;
  private facts: Omit<FoundFacts, 'gatewayUrl'> = {};
  private eraCtx: EraContext;
  private evaluateFn: SessionOptions['evaluate'];
  private cachedView: SessionView | undefined;
  private untrusted: SessionView['untrusted'] = null;

  /** The lesson as it runs here: its local ports moved per `opts.ports`. */
  readonly lesson: Lesson;

  constructor(lesson: Lesson, readonly target: Target, opts: SessionOptions = {}) {
    this.lesson = remapLessonPorts(lesson, opts.ports ?? new Map());
    this.state = initialState(lesson.steps.map((s) => s.id));
    const tools = namedTools(lesson);
    this.eraCtx = { tools: tools.size ? onPath(tools) : new Set() };
    if (!(opts.trusted ?? isTrusted(lesson))) {
      let src = { text: '', sha256: '' };
      try {
        src = lessonSource(lesson);
      } catch {
        /* unreadable now: nothing to show, and it stays untrusted */
      }
      this.untrusted = { file: lesson.file, sha256: src.sha256, source: src.text };
      this.notify({ kind: 'untrusted' });
    }
    this.progress = new ProgressStore(opts.progressFile, lesson.id, target.key);
    if (this.progress.unreadable !== undefined) this.notifyUnlessShown({ kind: 'progress-unreadable', reason: this.progress.unreadable });
    const moved = movedPortsLine(opts.ports ?? new Map());
    if (moved !== undefined) this.notifyUnlessShown({ kind: 'text', text: moved });
    this.ports = new LocalPorts(opts.ports);
    this.vars = new VariablesStore(this.progress.savedVars);
    this.vars.setDiscovered(this.dashboardVars());
    this.evaluateFn = opts.evaluate;
    this.runner = new CommandRunner(this.lesson, target, this.vars, this.ports, {
      trusted: () => !this.untrusted,
      notify: (n) => this.notify(n),
      changed: () => this.changed(),
      kick: () => this.scheduler.kick(),
      kickSoon: () => this.scheduler.kickSoon(),
      varsChanged: () => this.save(),
    }, opts.processRecords);
    this.traces = new TraceAccess(this.lesson, () => this.vars.all(), this.ports.moved, this.runner.dir);
    this.scheduler = new CheckScheduler(target, {
      current: () => {
        const step = this.lesson.steps[this.state.current];
        return step && { step, index: this.state.current };
      },
      started: (step) => this.dispatch({ type: 'checks-started', step: step.id }),
      signal: (index) => this.stepSignal(index),
      evaluate: (step, index, cluster, signal) => this.evaluateStep(step, cluster, signal),
      abandoned: (step) => this.dispatch({ type: 'checks-abandoned', step: step.id }),
      finished: (step, index, results) => this.checksFinished(step, index, results),
      stayed: () => {
        this.following = false;
        this.settleRecovery();
      },
      troubleChanged: (trouble) => {
        if (trouble !== (this.cachedView?.clusterTrouble ?? null)) this.changed();
      },
    }, opts.intervalMs ?? 1000);
  }

  /** The supervisor of every process this session starts (lesson commands and `command` checks). */
  get supervisor(): Supervisor {
    return this.runner.supervisor;
  }

  /** Port-forwards (background commands with a port): health-checked, restarted, port conflicts reported. */
  get forwards(): ForwardSupervisor {
    return this.runner.forwards;
  }

  /** Starts checking: earlier steps are re-checked against the live cluster, and the learner resumes at the first unmet one. */
  start(): void {
    // A sandbox that has just started is still bringing pods up: judge it once it has settled,
    // so resuming lands on the right step.
    const settled = this.target.sandbox?.settled() ?? Promise.resolve();
    void settled.then(() => this.scheduler.kick());
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get view(): SessionView {
    const notice = this.notices.notice;
    return (this.cachedView ??= {
      lesson: this.lesson,
      targetLabel: this.target.label,
      targetKind: this.target.kind,
      engine: this.state,
      processes: this.runner.supervisor.list(),
      forwards: this.runner.forwards.list(),
      running: this.runner.running,
      output: this.runner.output,
      vars: this.vars.all(),
      found: { ...this.facts, gatewayUrl: this.vars.discovered.GATEWAY_URL },
      eraContext: this.eraCtx,
      notice: notice && noticeText(notice),
      noticeSeq: this.notices.seq,
      noticeStep: this.notices.step,
      clusterTrouble: this.scheduler.trouble ?? null,
      finished: isFinished(this.state),
      untrusted: this.untrusted,
    });
  }

  private changed(): void {
    this.cachedView = undefined;
    for (const l of [...this.listeners]) l();
  }

  private notify(n: Notice | null): void {
    this.notices.set(n, this.state?.viewing ?? 0);
  }

  /** Gives `n` unless a notice is up already (the first thing said at start-up stays). */
  private notifyUnlessShown(n: Notice): void {
    if (this.notices.notice === null) this.notify(n);
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
    this.scheduler.kick();
  }

  /** Re-evaluates the current step now (the learner asked). */
  recheck(): void {
    this.scheduler.resetBackoff();
    const cur = this.lesson.steps[this.state.current];
    if (cur) this.dispatch({ type: 'attempted', step: cur.id });
    this.scheduler.kick();
  }

  /** Runs command `index` of step `step` (only of an unlocked step). */
  async runCommand(step: number, index: number): Promise<void> {
    if (step > this.state.current) return;
    const s = this.lesson.steps[step];
    const cmd = s?.commands[index];
    if (!cmd) return;
    this.dispatch({ type: 'attempted', step: s.id });
    await this.runner.run(cmd, step, index);
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
    const info: ProcessInfo | undefined = await this.runner.run(cmd, step, index);
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
    if (this.notices.notice?.kind === 'untrusted') this.notify(null);
    this.changed();
    this.scheduler.kick();
  }

  /** Shows a one-line notice (for things the UI could not do). */
  note(text: string): void {
    this.notify({ kind: 'text', text });
    this.changed();
  }

  async stopProcess(name: string): Promise<void> {
    await this.runner.stopProcess(name);
    this.scheduler.kick();
  }

  /** Stops every background process this session started (the x key). */
  async stopAllBackground(): Promise<void> {
    await Promise.all(this.runner.supervisor.list().filter((p) => p.background && p.state === 'running').map((p) => this.stopProcess(p.name)));
  }

  /** Moves a forward whose port is taken to the free port offered; checks and the viewer follow it. */
  async moveForward(): Promise<void> {
    const moved = await this.runner.moveForward();
    if (!moved) return;
    this.vars.mergeDiscovered(this.dashboardVars());
    this.notify({ kind: 'forward-moved', name: moved.name, port: moved.to, lessonPort: moved.from });
    this.traces.reconnect();
    this.changed();
    this.scheduler.kickSoon();
  }

  /** What the watch caches cost so far (for tests and the bench). */
  get clusterRequests(): { lists: number; watches: number; informers: number } | undefined {
    return this.scheduler.stats;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.scheduler.close();
    this.abortStepChecks();
    await this.runner.close();
  }

  // ---- the trace viewer (effects for the UI) ---------------------------------------

  /** The Jaeger the lesson talks to: the URL of its first jaeger-traces check, variables filled in. */
  jaegerUrl(): string | undefined {
    return this.traces.jaegerUrl();
  }

  /** Recent traces of the lesson's service (productpage unless a trace-opened check names another). */
  traceSummaries(): Promise<TraceSummary[]> {
    return this.traces.summaries();
  }

  /** The call the lesson wants pointed out when a trace opens (`focus: caller -> callee` on its trace-opened check). */
  traceFocus(): { from: string; to: string } | undefined {
    return this.traces.focus();
  }

  loadTrace(id: string): Promise<JaegerTrace> {
    return this.traces.load(id);
  }

  /** The learner opened a trace in the viewer: the trace-opened check sees it. */
  traceOpened(id: string): void {
    this.traces.opened(id);
    this.scheduler.kick();
  }

  // ---- checking ------------------------------------------------------------------

  private save(): void {
    this.progress.save(this.state, this.vars.learners);
  }

  /** Unreadable saved progress: said (once the live cluster has shown where the learner is) and written afresh. */
  private settleRecovery(): void {
    const r = this.progress.takeRecovery();
    if (!r) return;
    const step = this.state.current < this.lesson.steps.length ? this.state.current : undefined;
    this.notify({ kind: 'progress-rebuilt', step, reason: r.reason, keptAs: r.keptAs });
    this.save();
    this.changed();
  }

  /**
   * JAEGER_URL: where the lesson's dashboard is, `http://localhost:15032` (on the port its forward
   * really uses, when moved); a learner who reaches it another way (an Ingress) exports their own.
   */
  private dashboardVars(): Record<string, string> {
    return dashboardUrlVars(this.ports.local(DASHBOARD_PORT));
  }

  private async evaluator() {
    if (!this.evaluateFn) this.evaluateFn = (await import('../checks/registry.js')).evaluateCheck;
    return this.evaluateFn;
  }

  /** One round of the step's checks (the scheduler decides when). */
  private async evaluateStep(step: Step, cluster: KubeClient | null, signal: AbortSignal): Promise<CheckResult[]> {
    const evaluate = await this.evaluator();
    const { checkKey } = await import('../checks/registry.js');
    const istio = istioFactsOnce(cluster);
    if (cluster) {
      // Era facts and GATEWAY_URL, found the way Istio's docs find them; read from the watch caches, so free.
      const found = await readClusterFacts(cluster, istio, this.lesson, this.eraCtx, this.dashboardVars());
      // What could not be read is no news: keep what was found.
      if (!this.scheduler.trouble) this.takeClusterFacts(found);
    }
    const runner = this.runner;
    const env: CheckEnv = {
      cluster,
      istio,
      vars: this.vars.all(),
      lessonStartMicros: this.progress.startedAt * 1000,
      processState: (name) => runner.processState(name),
      processes: () => runner.background(),
      quizAnswer: (key) => this.state.answers[key],
      commandsAllowed: !this.untrusted,
      // `command` checks run through the session's runner too: recorded, stopped at exit.
      supervisor: runner.supervisor,
      cwd: this.lesson.dir,
      env: runner.env(),
      dashboardPort: this.ports.local(DASHBOARD_PORT),
      signal,
    };
    // A check for other eras is not asked here: it counts as met, and says so.
    return Promise.all(
      step.checks.map((c, i) =>
        applies(c.when, this.eraCtx)
          ? evaluate(remapPorts(c, this.ports.moved), { ...env, checkKey: checkKey(step.id, i) })
          : Promise.resolve({ ok: true, summary: notAskedSummary(c.title, c.when, this.eraCtx) }),
      ),
    );
  }

  private takeClusterFacts(f: Awaited<ReturnType<typeof readClusterFacts>>): void {
    const eraChanged = f.eraContext !== this.eraCtx;
    this.eraCtx = f.eraContext;
    const varsChanged = this.vars.setDiscovered(f.vars);
    const factsChanged = JSON.stringify(f.found) !== JSON.stringify(this.facts);
    if (factsChanged) this.facts = f.found;
    if (eraChanged || varsChanged || factsChanged) this.changed();
  }

  /** The round's results; true when the step passed and the current step moved on. */
  private checksFinished(step: Step, idx: number, results: CheckResult[]): boolean {
    const wasCurrent = this.state.current;
    this.dispatch({ type: 'checks-finished', step: step.id, results, at: Date.now() });
    if (this.state.current <= wasCurrent) return false;
    this.save();
    const nextStep = this.lesson.steps[this.state.current];
    if (this.following) this.dispatch({ type: 'view', step: Math.min(this.state.current, this.lesson.steps.length - 1) });
    this.notify(!nextStep ? { kind: 'lesson-complete' } : { kind: 'step-passed', step: idx, next: this.state.current, following: this.following });
    if (!nextStep) this.settleRecovery();
    this.changed();
    return true;
  }
}
