/**
 * `kubetutor test`: a lesson tested the way Instruqt's `track test` and rustlings' `dev check`
 * test theirs. On a fresh sandbox, step by step: the step's checks must fail before its solution
 * runs (else they do not test what the step teaches) and pass after it (else the step cannot be
 * done as written).
 */
import type { Lesson } from '../lesson/types.js';
import { openTarget } from '../cluster/target.js';
import { Session } from '../engine/session.js';
import { checkKey } from '../checks/registry.js';
import type { PortMap } from '../lesson/port-remap.js';
import { describeHolder } from '../processes/port-owner.js';
import { t } from '../i18n/index.js';
import { sleep } from '../retry.js';

export interface StepReport {
  step: string;
  title: string;
  ok: boolean;
  /** Seconds from running the solution to the step passing (or giving up). */
  seconds: number;
  /** What went wrong, in a sentence, when not ok. */
  problem?: string;
  /** The checks still unmet when it gave up. */
  unmet?: string[];
}

export interface SelfTestOptions {
  scenario: string;
  /** How long a step may take to pass after its solution. @default 60000 */
  timeoutMs?: number;
  onStep?: (r: StepReport) => void;
  /** Sandbox pace (tests make pods Ready faster). */
  sandboxTiming?: { podReadyMs?: number; backoffMs?: number; namespaceTerminationMs?: number };
  /** The lesson's local ports moved (`--port 15032=15099`). */
  ports?: PortMap;
}

const until = async (f: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await sleep(50);
  return f();
};

export async function selfTest(lesson: Lesson, opts: SelfTestOptions): Promise<StepReport[]> {
  const timeout = opts.timeoutMs ?? 60_000;
  const target = await openTarget({ sandbox: opts.scenario, sandboxTiming: opts.sandboxTiming });
  const session = new Session(lesson, target, { intervalMs: 250, trusted: true, ports: opts.ports }); // the test command asked for trust
  const reports: StepReport[] = [];
  const report = (r: StepReport) => {
    reports.push(r);
    opts.onStep?.(r);
  };
  try {
    session.start();
    for (const [i, step] of lesson.steps.entries()) {
      const base = { step: step.id, title: step.title };
      // Wait for the step's first verdict (it becomes current once the previous one passed).
      const evaluated = await until(() => session.view.engine.current > i || (session.view.engine.current === i && session.view.engine.steps[i].results.length > 0 && !session.view.engine.steps[i].evaluating), timeout);
      if (!evaluated) {
        report({ ...base, ok: false, seconds: 0, problem: t('selftest.neverCurrent') });
        break;
      }
      if (session.view.engine.current > i) {
        report({ ...base, ok: false, seconds: 0, problem: t('selftest.passedBefore') });
        continue;
      }
      // Do what a learner does: answer the quizzes, stop what the step wants stopped (x), run the solution.
      step.checks.forEach((c, j) => {
        if (c.kind === 'quiz') session.answer(checkKey(step.id, j), c.answer);
      });
      if (step.checks.some((c) => c.kind === 'process' && c.state === 'stopped')) await session.stopAllBackground();
      const t0 = Date.now();
      const finished = await Promise.race([session.runSolution(i).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeout).unref())]);
      if (!finished) {
        report({ ...base, ok: false, seconds: timeout / 1000, problem: t('selftest.solutionSlow', { seconds: Math.round(timeout / 1000), attr: '{background}' }) });
        break;
      }
      // A forward whose port another program holds will not start: say so now, not after the timeout.
      const taken = session.view.forwards.find((f) => f.state === 'port-taken');
      if (taken) {
        report({ ...base, ok: false, seconds: (Date.now() - t0) / 1000, problem: t('selftest.portTaken', { port: taken.port, holder: describeHolder(taken.holder), name: taken.name, lessonPort: lessonPortOf(lesson, taken.name) ?? taken.port, suggested: taken.suggestedPort ?? 'auto' }) });
        break;
      }
      const passed = await until(() => session.view.engine.current > i, timeout);
      const seconds = (Date.now() - t0) / 1000;
      if (passed) {
        report({ ...base, ok: true, seconds });
        continue;
      }
      const st = session.view.engine.steps[i];
      const unmet = st.results.filter((r) => !r.ok).map((r) => r.summary.replace(/^[✓✗]\s*/, ''));
      const out = session.view.output;
      const s = Math.round(timeout / 1000);
      const problem = out && out.step === i && out.exitCode ? t('selftest.stillFailingCommand', { seconds: s, code: out.exitCode, line: out.lines.slice(-1)[0] ?? '' }) : t('selftest.stillFailing', { seconds: s });
      report({ ...base, ok: false, seconds, problem, unmet });
      break; // later steps build on this one
    }
  } finally {
    await session.close();
    await target.close();
  }
  return reports;
}

/** The port the lesson itself gives the forward `name` (before any --port). */
function lessonPortOf(lesson: Lesson, name: string): number | undefined {
  return lesson.steps.flatMap((s) => s.commands).find((c) => c.name === name)?.readyPort;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML: one testcase per step. */
export function junitXml(lesson: Lesson, scenario: string, reports: StepReport[]): string {
  return junitSuites(lesson, [{ scenario, reports }]);
}

/** JUnit XML with one testsuite per scenario (`test --eras`), one testcase per step. */
export function junitSuites(lesson: Lesson, runs: Array<{ scenario: string; reports: StepReport[] }>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${runs.map((r) => junitSuite(lesson, r.scenario, r.reports)).join('\n')}\n</testsuites>\n`;
}

function junitSuite(lesson: Lesson, scenario: string, reports: StepReport[]): string {
  const failures = reports.filter((r) => !r.ok).length;
  const cases = lesson.steps.map((s) => {
    const r = reports.find((x) => x.step === s.id);
    const name = esc(`${s.id}: ${s.title}`);
    if (!r) return `    <testcase classname="${esc(lesson.id)}" name="${name}"><skipped message="not reached"/></testcase>`;
    const body = r.ok ? '' : `<failure message="${esc(r.problem ?? 'failed')}">${esc((r.unmet ?? []).join('\n'))}</failure>`;
    return `    <testcase classname="${esc(lesson.id)}" name="${name}" time="${r.seconds.toFixed(3)}">${body}</testcase>`;
  });
  const skipped = lesson.steps.length - reports.length;
  return `  <testsuite name="kubetutor test ${esc(lesson.id)} (sandbox ${esc(scenario)})" tests="${lesson.steps.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
}
