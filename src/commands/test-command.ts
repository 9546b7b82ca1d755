/** `kubetutor test LESSON [--scenario S] [--junit FILE]`: self-test a lesson on a fresh sandbox. */
import { writeFileSync } from 'node:fs';
import { parse } from './args.js';
import { userError } from '../cluster/target.js';
import { loadLesson } from '../lesson/load.js';
import { isTrusted, trustLesson } from '../lesson/trust.js';
import { commandExitGuard } from '../processes/exit-guard.js';
import { displayText } from '../text/display-text.js';
import { movedPortsLine, portFlags, PORT_OPTIONS, refuseTakenForwardPorts } from './port-flags.js';

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
  if (positionals.length !== 1) throw userError('usage: kubetutor test LESSON [--scenario S | --eras] [--junit FILE] [--port 15032=PORT]');
  if (values.eras && values.scenario !== undefined) throw userError('--eras runs the fresh world of every era: give it or --scenario S, not both');
  const timeoutS = Number(values.timeout);
  if (!(timeoutS > 0)) throw userError(`--timeout must be a number of seconds, not "${values.timeout}"`);
  const lesson = await loadLesson(positionals[0], values.lessons ?? []);
  // A self-test runs every solution on this machine: a lesson that is not kubetutor's own must be trusted first.
  if (values.trust) trustLesson(lesson);
  else if (!isTrusted(lesson)) throw userError(`kubetutor test runs the solution commands of ${lesson.file} on this machine, and it is not one of kubetutor's own lessons: read it, then run again with --trust`);
  const ports = await portFlags(lesson, values.port);
  // Another program on a port the lesson forwards: said now, with its pid, not after a step times out.
  await refuseTakenForwardPorts(lesson, ports);
  const { selfTest, junitXml } = await import('../authoring/self-test.js');
  // Ctrl-C, SIGTERM, a closed terminal or an internal error: the solutions' processes stop too.
  const guard = commandExitGuard();
  try {
    const jobs = Number(values.jobs);
    if (!(jobs === 1 || jobs === 2)) throw userError(`--jobs must be 1 or 2 (eras tested at once), not "${values.jobs}"`);
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
  process.stdout.write(`testing ${lesson.id} on a fresh sandbox (scenario ${values.scenario}): each step must fail before its solution and pass after\n`);
  const moved = movedPortsLine(values.ports);
  if (moved) process.stdout.write(`${moved}\n`);
  const reports = await selfTest(lesson, {
    scenario: values.scenario!,
    timeoutMs: timeoutS * 1000,
    ports: values.ports,
    onStep: (r) => {
      process.stdout.write(`${displayText(`${r.ok ? '✓' : '✗'} ${r.step}: ${r.ok ? `failed before its solution, passed ${r.seconds.toFixed(1)} s after` : r.problem}`)}\n`);
      for (const u of r.unmet ?? []) process.stdout.write(`${displayText(`    unmet: ${u}`)}\n`);
    },
  });
  const bad = reports.filter((r) => !r.ok).length;
  const notReached = lesson.steps.length - reports.length;
  process.stdout.write(`${lesson.id}: ${reports.length - bad} of ${lesson.steps.length} steps behave${notReached ? ` (${notReached} not reached)` : ''}\n`);
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
  process.stdout.write(`testing ${lesson.id} on the fresh world of every era (${ERA_FRESH_SCENARIOS.join(', ')}): each step must fail before its solution and pass after\n`);
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
      process.stdout.write(`${ok ? '✓' : '✗'} ${scenario.padEnd(16)} ${ERA_OF[scenario] ?? ''}: ${behave} of ${lesson.steps.length} steps behave, ${seconds.toFixed(1)} s\n`);
      for (const r of reports.filter((x) => !x.ok)) {
        process.stdout.write(`    ✗ ${r.step}: ${r.problem}\n`);
        for (const u of r.unmet ?? []) process.stdout.write(`        unmet: ${u}\n`);
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
  process.stdout.write(`${lesson.id}: ${ERA_FRESH_SCENARIOS.length - bad} of ${ERA_FRESH_SCENARIOS.length} eras pass\n`);
  if (values.junit) writeFileSync(values.junit, junitSuites(lesson, runs));
  return bad === 0 ? 0 : 1;
}

/** The era each fresh world stands for, as the line names it. */
const ERA_OF: Record<string, string> = {
  fresh: '(Istio 1.1 pre-release)',
  'istio-1.0-fresh': '(Istio 1.0)',
  'istio-1.1-fresh': '(Istio 1.1)',
  'modern-fresh': '(current Istio)',
};
