/** `kubetutor test LESSON [--scenario S] [--junit FILE]`: self-test a lesson on a fresh sandbox. */
import { writeFileSync } from 'node:fs';
import { parse } from './args.js';
import { userError } from '../user-error.js';
import { loadLesson } from '../lesson/load.js';
import { isTrusted, trustLesson } from '../lesson/trust.js';
import { commandExitGuard } from '../processes/exit-guard.js';
import { displayText } from '../text/display-text.js';
import { movedPortsLine, portFlags, PORT_OPTIONS, refuseTakenForwardPorts } from './port-flags.js';
import { t } from '../i18n/index.js';

export async function testCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    scenario: { type: 'string' },
    eras: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '1' },
    junit: { type: 'string' },
    lessons: { type: 'string', multiple: true },
    timeout: { type: 'string', default: '60' },
    trust: { type: 'boolean', default: false },
    ...PORT_OPTIONS,
  });
  if (positionals.length !== 1) throw userError(t('test.usage'));
  if (values.eras && values.scenario !== undefined) throw userError(t('test.erasAndScenario'));
  const timeoutS = Number(values.timeout);
  if (!(timeoutS > 0)) throw userError(t('test.badTimeout', { value: values.timeout }));
  const lesson = await loadLesson(positionals[0], values.lessons ?? []);
  // A self-test runs every solution on this machine: a lesson that is not kubetutor's own must be trusted first.
  if (values.trust) trustLesson(lesson);
  else if (!isTrusted(lesson)) throw userError(t('test.untrusted', { file: lesson.file }));
  const ports = await portFlags(lesson, values.port);
  // Another program on a port the lesson forwards: said now, with its pid, not after a step times out.
  await refuseTakenForwardPorts(lesson, ports);
  const { selfTest, junitXml } = await import('../authoring/self-test.js');
  // Ctrl-C, SIGTERM, a closed terminal or an internal error: the solutions' processes stop too.
  const guard = commandExitGuard();
  try {
    const jobs = Number(values.jobs);
    if (!(jobs === 1 || jobs === 2)) throw userError(t('test.badJobs', { value: values.jobs }));
    if (values.eras) return await runEras(lesson, { ...values, ports, jobs }, selfTest);
    return await runSelfTest(lesson, { ...values, scenario: values.scenario ?? 'fresh', ports }, selfTest, junitXml);
  } finally {
    guard.dispose();
  }
}

async function runSelfTest(
  lesson: import('../lesson/types.js').Lesson,
  values: { scenario?: string; junit?: string; timeout?: string; ports: Map<number, number> },
  selfTest: typeof import('../authoring/self-test.js').selfTest,
  junitXml: typeof import('../authoring/self-test.js').junitXml,
): Promise<number> {
  const timeoutS = Number(values.timeout);
  process.stdout.write(`${t('test.start', { lesson: lesson.id, scenario: values.scenario! })}\n`);
  languageLine(lesson);
  const moved = movedPortsLine(values.ports);
  if (moved) process.stdout.write(`${moved}\n`);
  const reports = await selfTest(lesson, {
    scenario: values.scenario!,
    timeoutMs: timeoutS * 1000,
    ports: values.ports,
    onStep: (r) => {
      process.stdout.write(`${displayText(r.ok ? t('test.stepOk', { step: r.step, seconds: r.seconds.toFixed(1) }) : t('test.stepBad', { step: r.step, problem: r.problem ?? '' }))}\n`);
      for (const u of r.unmet ?? []) process.stdout.write(`${displayText(t('test.unmet', { check: u }))}\n`);
    },
  });
  const bad = reports.filter((r) => !r.ok).length;
  const notReached = lesson.steps.length - reports.length;
  const tally = { lesson: lesson.id, behave: reports.length - bad, total: lesson.steps.length };
  process.stdout.write(`${notReached ? t('test.summaryNotReached', { ...tally, missing: notReached }) : t('test.summary', tally)}\n`);
  if (values.junit) writeFileSync(values.junit, junitXml(lesson, values.scenario!, reports));
  return bad === 0 && notReached === 0 ? 0 : 1;
}

/**
 * `--eras`: the lesson on the fresh world of every era, one line per era with its time (in era
 * order), the unmet checks under a failing one. One era at a time by default; with `jobs` 2, two
 * at once, the second worker's forwards on free local ports of their own.
 */
async function runEras(
  lesson: import('../lesson/types.js').Lesson,
  values: { junit?: string; timeout?: string; ports: Map<number, number>; jobs: number },
  selfTest: typeof import('../authoring/self-test.js').selfTest,
): Promise<number> {
  const { ERA_FRESH_SCENARIOS } = await import('../sandbox/index.js');
  const { junitSuites } = await import('../authoring/self-test.js');
  const timeoutMs = Number(values.timeout) * 1000;
  process.stdout.write(`${t('test.startEras', { lesson: lesson.id, scenarios: ERA_FRESH_SCENARIOS.join(', ') })}\n`);
  languageLine(lesson);
  type Done = { scenario: string; reports: import('../authoring/self-test.js').StepReport[]; seconds: number };
  const done: Array<Done | undefined> = ERA_FRESH_SCENARIOS.map(() => undefined);
  let printed = 0;
  let bad = 0;
  const print = () => {
    for (; printed < done.length && done[printed]; printed++) {
      const { scenario, reports, seconds } = done[printed]!;
      const behave = reports.filter((r) => r.ok).length;
      const ok = behave === lesson.steps.length;
      if (!ok) bad++;
      process.stdout.write(`${t('test.eraLine', { mark: ok ? '✓' : '✗', scenario: scenario.padEnd(16), era: eraOf(scenario), behave, total: lesson.steps.length, seconds: seconds.toFixed(1) })}\n`);
      for (const r of reports.filter((x) => !x.ok)) {
        process.stdout.write(`    ${displayText(t('test.stepBad', { step: r.step, problem: r.problem ?? '' }))}\n`);
        for (const u of r.unmet ?? []) process.stdout.write(`    ${displayText(t('test.unmet', { check: u }))}\n`);
      }
    }
  };
  // Worker 0 uses the ports as given; another worker moves each forward port to a free one.
  const workerPorts = async (w: number): Promise<Map<number, number>> => {
    if (w === 0) return values.ports;
    const { lessonForwards } = await import('../lesson/port-remap.js');
    const { ephemeralPort } = await import('../processes/port-owner.js');
    const taken = new Set(values.ports.values());
    const map = new Map<number, number>();
    for (const { command } of lessonForwards(lesson)) {
      if (map.has(command.readyPort!)) continue;
      let p = await ephemeralPort();
      while (taken.has(p)) p = await ephemeralPort();
      taken.add(p);
      map.set(command.readyPort!, p);
    }
    return map;
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(values.jobs, ERA_FRESH_SCENARIOS.length) }, async (_, w) => {
      const ports = await workerPorts(w);
      for (let i = next++; i < ERA_FRESH_SCENARIOS.length; i = next++) {
        const scenario = ERA_FRESH_SCENARIOS[i];
        const t0 = Date.now();
        const reports = await selfTest(lesson, { scenario, timeoutMs, ports });
        done[i] = { scenario, reports, seconds: (Date.now() - t0) / 1000 };
        print();
      }
    }),
  );
  const runs = done.map((d) => ({ scenario: d!.scenario, reports: d!.reports }));
  process.stdout.write(`${t('test.erasSummary', { lesson: lesson.id, pass: ERA_FRESH_SCENARIOS.length - bad, total: ERA_FRESH_SCENARIOS.length })}\n`);
  if (values.junit) writeFileSync(values.junit, junitSuites(lesson, runs));
  return bad === 0 ? 0 : 1;
}

/** The era each fresh world stands for, as the line names it. */
const ERA_OF = { fresh: 'test.era.fresh', 'istio-1.0-fresh': 'test.era.istio-1.0-fresh', 'istio-1.1-fresh': 'test.era.istio-1.1-fresh', 'modern-fresh': 'test.era.modern-fresh' } as const;
const eraOf = (scenario: string) => (Object.hasOwn(ERA_OF, scenario) ? t(ERA_OF[scenario as keyof typeof ERA_OF]) : '');

/** A translation under test says so (its file), so an author knows which one ran. */
function languageLine(lesson: import('../lesson/types.js').Lesson) {
  if (lesson.lang && lesson.lang !== 'en') process.stdout.write(`${displayText(t('test.language', { language: lesson.lang, file: lesson.file }))}\n`);
}
