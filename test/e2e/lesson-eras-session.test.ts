/**
 * End-to-end: a Session walks the whole Jaeger lesson on each released era with the era's
 * commands. The dashboard port (15032) is moved to a free port of the test's own (the Session's
 * `ports`): nothing here needs 15032 free.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { FAST, eventually, movedDashboard } from '../helpers/sandbox.js';
import { LESSON } from '../helpers/lesson-cli.js';

/** The released eras: the seed's gateway forward cannot work there; the Jaeger pod forward does, and the whole lesson completes. */
describe.each([['istio-1.0'], ['istio-1.1'], ['modern']])('the whole lesson on %s, with the era\'s commands', (scenario) => {
  let target: Target | undefined;
  let session: Session | undefined;
  afterAll(async () => {
    await session?.close();
    await target?.close();
  });

  test('all five steps pass', async () => {
    target = await openTarget({ sandbox: scenario, sandboxTiming: FAST });
    session = new Session(await loadLesson(LESSON), target, { intervalMs: 200, ports: (await movedDashboard()).ports });
    const s = session;
    const until = (n: number, what: string) => eventually(() => s.view.engine.current >= n, 20_000, what);
    s.start();
    await until(1, 'prerequisites (Bookinfo is installed in this world)');
    // The runner found the era: the dashboard check explains the seed's command won't work here.
    expect(s.view.found.era).toBe(scenario === 'modern' ? 'modern' : scenario.slice(-3));
    s.recheck();
    await eventually(() => s.view.engine.steps[1].results.some((r) => (r.diagnosis ?? []).some((d) => /app=jaeger|istioctl dashboard jaeger/.test(d))), 10_000, 'era diagnosis on the port-forward step');
    const step = (id: string) => s.lesson.steps.findIndex((x) => x.id === id);
    const pf = step('port-forward');
    await s.runCommand(pf, s.lesson.steps[pf].commands.findIndex((c) => c.name === 'jaeger-forward-pod'));
    await until(2, 'port-forward with the Jaeger pod');
    const traffic = step('traffic');
    for (let i = 0; i < 4; i++) await s.runCommand(traffic, i);
    await until(3, 'traffic: Jaeger has productpage traces, under this era\'s base path and service name');
    const traces = step('traces');
    // The quizzes: the first for every era, then the istio-policy one (1.0, 1.1) or the current-Istio one.
    const quiz = (title: string) => `traces#${s.lesson.steps[traces].checks.findIndex((c) => c.title === title)}`;
    s.answer(quiz('Client and server spans'), 1);
    s.answer(quiz('The istio-policy span'), 2);
    s.answer(quiz('No istio-policy span'), 1);
    const list = await s.traceSummaries();
    expect(list.length).toBeGreaterThan(0);
    s.traceOpened(list[0].traceID);
    // The era's curl of the Jaeger API works too (JAEGER_BASE, PRODUCTPAGE_SERVICE found by the runner).
    await s.runCommand(traces, 1);
    expect(s.view.output?.lines.join('\n')).toMatch(/"traceID"/);
    await until(4, 'traces');
    await s.stopProcess('jaeger-forward-pod');
    await s.runCommand(step('cleanup'), 0);
    await eventually(() => s.view.finished, 20_000, 'cleanup');
  }, 120_000);
});
