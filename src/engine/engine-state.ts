/**
 * The step state machine, as a pure reducer. A step is locked until every
 * step before it has passed; the current step is the first one not passed;
 * the learner may view any unlocked step.
 */
import type { CheckResult } from '../lesson/types.js';

export type StepStatus = 'locked' | 'current' | 'checking' | 'passed' | 'failed';

export interface StepState {
  id: string;
  status: StepStatus;
  /** Latest result per check, in the step's order; empty until first evaluated. */
  results: CheckResult[];
  /** A check run is in flight for this step. */
  evaluating: boolean;
  /** When the step passed (ms since epoch). */
  passedAt?: number;
  /** The learner ran one of its commands or asked for a check: failing checks now count as a failure. */
  attempted: boolean;
}

export interface EngineState {
  steps: StepState[];
  /** Index of the first step not passed (steps.length when all have). */
  current: number;
  /** The step the learner is looking at. */
  viewing: number;
  /** Quiz answers by check key. */
  answers: Record<string, number>;
}

export type EngineAction =
  | { type: 'checks-started'; step: string }
  | { type: 'attempted'; step: string }
  | { type: 'checks-finished'; step: string; results: CheckResult[]; at: number }
  /** The run in flight says nothing (the cluster was out of reach): the step keeps what it had. */
  | { type: 'checks-abandoned'; step: string }
  | { type: 'view'; step: number }
  | { type: 'view-next' }
  | { type: 'view-previous' }
  | { type: 'answer'; key: string; choice: number };

export function initialState(stepIds: string[]): EngineState {
  return {
    steps: stepIds.map((id, i) => ({ id, status: i === 0 ? 'checking' : 'locked', results: [], evaluating: false, attempted: false })),
    current: 0,
    viewing: 0,
    answers: {},
  };
}

export const isUnlocked = (s: EngineState, i: number): boolean => i >= 0 && i < s.steps.length && i <= s.current;
export const isFinished = (s: EngineState): boolean => s.current >= s.steps.length;

function withStep(s: EngineState, id: string, f: (st: StepState, i: number) => StepState): EngineState {
  const i = s.steps.findIndex((x) => x.id === id);
  if (i < 0) return s;
  const steps = s.steps.slice();
  steps[i] = f(steps[i], i);
  return { ...s, steps };
}

export function engineReducer(s: EngineState, a: EngineAction): EngineState {
  switch (a.type) {
    case 'attempted':
      return withStep(s, a.step, (st) => (st.attempted || st.status === 'locked' ? st : { ...st, attempted: true, status: st.status === 'current' && st.results.some((r) => !r.ok) ? 'failed' : st.status }));
    case 'checks-started':
      return withStep(s, a.step, (st) => (st.status === 'locked' ? st : { ...st, evaluating: true }));
    case 'checks-abandoned':
      return s.steps.find((x) => x.id === a.step)?.evaluating ? withStep(s, a.step, (st) => ({ ...st, evaluating: false })) : s;
    case 'checks-finished': {
      const i = s.steps.findIndex((x) => x.id === a.step);
      if (i < 0 || i > s.current) return s; // results for a locked step are ignored
      const ok = a.results.every((r) => r.ok);
      let next = withStep(s, a.step, (st) => ({
        ...st,
        results: a.results,
        evaluating: false,
        // Until the learner has tried the step, unmet checks just mean "not done yet".
        status: ok ? 'passed' : i === s.current ? (st.attempted ? 'failed' : 'current') : st.status,
        passedAt: ok ? (st.passedAt ?? a.at) : st.passedAt,
      }));
      if (ok && i === s.current) {
        // Unlock the next step; a learner watching this step stays put and is told it unlocked.
        const current = i + 1;
        next = { ...next, current };
        if (current < next.steps.length) {
          const steps = next.steps.slice();
          steps[current] = { ...steps[current], status: steps[current].results.length ? steps[current].status : 'checking' };
          next = { ...next, steps };
        }
      }
      return next;
    }
    case 'view':
      return isUnlocked(s, a.step) && a.step !== s.viewing ? { ...s, viewing: a.step } : s;
    case 'view-next':
      return isUnlocked(s, s.viewing + 1) ? { ...s, viewing: s.viewing + 1 } : s;
    case 'view-previous':
      return s.viewing > 0 ? { ...s, viewing: s.viewing - 1 } : s;
    case 'answer':
      return s.answers[a.key] === a.choice ? s : { ...s, answers: { ...s.answers, [a.key]: a.choice } };
  }
}
