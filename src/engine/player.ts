/**
 * Instructor auto-play: each step's solution shown as if typed, run, then the step's checks
 * awaited (never a fixed sleep), then a pause for narration — space to go on, or `pace` ms.
 * A failure stops the play with the step's diagnosis on screen.
 */
import type { Session } from './session.js';
import { checkKey } from '../checks/registry.js';
import { t } from '../i18n/index.js';

export type PlayPhase = 'typing' | 'running' | 'waiting' | 'paused' | 'failed' | 'done' | 'stopped';

export interface PlayState {
  phase: PlayPhase;
  step: number;
  /** The command being typed or run, and how much of it is shown. */
  command?: string;
  typed: number;
  message?: string;
}

export interface PlayerOptions {
  /** Go on by itself after this many ms; wait for `resume()` (space) when undefined. */
  pace?: number;
  /** Typing speed; 0 shows each line whole at once. @default 12 */
  msPerChar?: number;
  /** How long a step may take to pass after its commands. @default 120000 */
  stepTimeoutMs?: number;
}

export class Player {
  private s: PlayState = { phase: 'paused', step: 0, typed: 0 };
  private listeners = new Set<() => void>();
  private resumeWaiter: (() => void) | undefined;
  private stopped = false;

  constructor(private session: Session, private opts: PlayerOptions = {}) {}

  get state(): PlayState {
    return this.s;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(next: Partial<PlayState>): void {
    this.s = { ...this.s, ...next };
    for (const l of [...this.listeners]) l();
  }

  /** Space: go on to the next step. */
  resume(): void {
    const w = this.resumeWaiter;
    this.resumeWaiter = undefined;
    w?.();
  }

  stop(): void {
    this.stopped = true;
    this.set({ phase: 'stopped', message: t('session.playStopped') });
    this.resume();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms).unref());
  }

  private until(f: () => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const end = Date.now() + ms;
      const check = () => {
        if (f()) return done(true);
        if (Date.now() > end || this.stopped) return done(false);
      };
      const unsubscribe = this.session.subscribe(check);
      const timer = setInterval(check, 250);
      const done = (v: boolean) => {
        unsubscribe();
        clearInterval(timer);
        resolve(v);
      };
      check();
    });
  }

  async play(): Promise<void> {
    const lesson = this.session.lesson;
    await this.until(() => this.session.view.engine.steps[0].results.length > 0 || this.session.view.engine.current > 0, 30_000);
    for (let i = this.session.view.engine.current; i < lesson.steps.length && !this.stopped; i = this.session.view.engine.current) {
      const step = lesson.steps[i];
      this.session.view_(i);
      // Cleanup-like steps want the runner's processes stopped: the instructor's x.
      if (step.checks.some((c) => c.kind === 'process' && c.state === 'stopped')) await this.session.stopAllBackground();
      // The solution for this cluster: its era's lines (the runner detected the era before the step's first check).
      for (const { line, index: j } of this.session.solutionFor(i)) {
        if (this.stopped) return;
        // Typed out, a few characters per frame, so the room can read along.
        const text = line.run;
        this.set({ phase: 'typing', step: i, command: text, typed: 0, message: undefined });
        const per = this.opts.msPerChar ?? 12;
        // msPerChar 0: no typing, the whole line at once (a frame for every three characters otherwise).
        for (let n = 1; per > 0 && n <= text.length && !this.stopped; n += 3) {
          this.set({ typed: Math.min(n + 2, text.length) });
          await this.sleep(per * 3);
        }
        this.set({ phase: 'running', typed: text.length });
        const ok = await this.session.runSolutionLine(i, j);
        if (!ok) {
          this.session.recheck();
          this.set({ phase: 'failed', message: t('session.playLineFailed', { line: text.split('\n')[0] }) });
          return;
        }
        // A forward whose port another program holds: stop the play now, naming the holder.
        const taken = this.session.view.forwards.find((f) => f.state === 'port-taken');
        if (taken) {
          this.set({ phase: 'failed', message: t('session.playPortTaken', { name: taken.name, message: String(taken.message) }) });
          return;
        }
      }
      // What a learner would answer (the instructor's demo answers correctly).
      step.checks.forEach((c, j) => {
        if (c.kind === 'quiz') this.session.answer(checkKey(step.id, j), c.answer);
      });
      this.set({ phase: 'waiting', command: undefined, message: t('session.playWaiting', { n: i + 1 }) });
      const passed = await this.until(() => this.session.view.engine.current > i, this.opts.stepTimeoutMs ?? 120_000);
      if (this.stopped) return;
      if (!passed) {
        this.session.recheck();
        this.set({ phase: 'failed', message: t('session.playStepFailed', { n: i + 1 }) });
        return;
      }
      if (i + 1 >= lesson.steps.length) break;
      this.set({ phase: 'paused', message: t(this.opts.pace === undefined ? 'session.playStepPassedSpace' : 'session.playStepPassed', { n: i + 1 }) });
      if (this.opts.pace === undefined) await new Promise<void>((r) => (this.resumeWaiter = r));
      else await this.sleep(this.opts.pace);
    }
    if (!this.stopped) this.set({ phase: 'done', command: undefined, message: t('session.playDone') });
  }
}
