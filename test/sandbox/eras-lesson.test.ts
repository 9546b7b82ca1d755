/**
 * The Jaeger lesson's era blocks against the real sandbox: the session finds each world's era and
 * picks the solution that works there; on the Ingress world the dashboard is reached through the
 * tracing Ingress (no port-forward), and the later steps follow JAEGER_URL there.
 * Uses no fixed local port (the Ingress goes through the sandbox's own node port).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { FAST, eventually, movedDashboard } from '../helpers/sandbox.js';

const LESSON = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger');

let target: Target | undefined;
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  await target?.close();
  session = undefined;
  target = undefined;
});

async function open(scenario: string, ports?: Map<number, number>): Promise<Session> {
  target = await openTarget({ sandbox: scenario, sandboxTiming: FAST });
  session = new Session(await loadLesson(LESSON), target, { intervalMs: 200, trusted: true, ports });
  session.start();
  return session;
}

describe.each([
  ['ready', '1.1-pre', /app=istio-ingressgateway .* 15032:15032$/, /^detected: istio-pilot 1\.1\.4, a Gateway on 15032$/],
  ['istio-1.0', '1.0', /app=jaeger .* 15032:16686$/, /^detected: istio-pilot 1\.0\.9$/],
  ['istio-1.1', '1.1', /app=jaeger .* 15032:16686$/, /^detected: istio-pilot 1\.1\.4, no Gateway on 15032$/],
  ['modern', 'modern', /app=jaeger .* 15032:16686$/, /^detected: istiod 1\.29\.6$/],
])('on %s', (scenario, era, forward, why) => {
  test(`the era is ${era}, and step 2's solution is the forward that works there`, async () => {
    const s = await open(scenario);
    await eventually(() => s.view.eraContext?.era, 20_000, 'era detected');
    expect(s.view.eraContext?.era).toBe(era);
    expect(s.view.eraContext?.why).toMatch(why);
    const pf = s.lesson.steps.findIndex((x) => x.id === 'port-forward');
    expect(s.solutionFor(pf).map((x) => x.line.run)).toEqual([expect.stringMatching(forward)]);
    // The traces step asks the quiz of its era only.
    const traces = s.lesson.steps.find((x) => x.id === 'traces')!;
    const asked = traces.checks.filter((c) => c.kind === 'quiz' && (!c.when || c.when.eras?.includes(era as never))).map((c) => c.title);
    expect(asked).toEqual(['Client and server spans', era === 'modern' ? 'No istio-policy span' : 'The istio-policy span']);
  }, 60_000);
});

test('istio-1.1-ingress: the dashboard through the tracing Ingress passes step 2, and the traces follow JAEGER_URL', async () => {
  const s = await open('istio-1.1-ingress', (await movedDashboard()).ports); // whatever holds 15032 here is not the Ingress
  const step = (id: string) => s.lesson.steps.findIndex((x) => x.id === id);
  await eventually(() => s.view.engine.current >= 1, 20_000, 'prerequisites (Bookinfo is deployed in this world)');
  const pf = step('port-forward');
  const cmds = s.lesson.steps[pf].commands;
  // Nothing forwarded yet: the dashboard check fails and names the forward that works here.
  s.recheck();
  await eventually(() => s.view.engine.steps[pf].results.some((r) => (r.diagnosis ?? []).some((d) => /app=jaeger/.test(d))), 10_000, 'era diagnosis');
  for (const v of ['TRACING_HOST', 'TRACING_PORT', 'JAEGER_URL']) {
    const i = cmds.findIndex((c) => c.run.startsWith(`export ${v}=`));
    expect(cmds[i].when?.eras).toEqual(['1.1', '1.1-pre']);
    await s.runCommand(pf, i);
    expect(s.view.output?.exitCode).toBe(0);
  }
  expect(s.view.vars.JAEGER_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(s.view.vars.JAEGER_URL).not.toMatch(/15032/);
  await eventually(() => s.view.engine.current >= 2, 20_000, 'port-forward step passed through the Ingress');
  expect(s.view.engine.steps[pf].results[0].summary).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/jaeger\/ answered 200/);
  expect(s.view.processes.filter((p) => p.background)).toEqual([]); // no forward ran
  const traffic = step('traffic');
  for (let i = 0; i < 4; i++) await s.runCommand(traffic, i);
  await eventually(() => s.view.engine.current >= 3, 20_000, 'traffic: the traces found through the Ingress');
  expect(s.jaegerUrl()).toBe(s.view.vars.JAEGER_URL);
  const list = await s.traceSummaries();
  expect(list.length).toBeGreaterThan(0);
}, 90_000);

test('JAEGER_URL follows a moved dashboard port (--port 15032=P)', async () => {
  target = await openTarget({ sandbox: 'modern', sandboxTiming: FAST });
  session = new Session(await loadLesson(LESSON), target, { intervalMs: 200, trusted: true, ports: new Map([[15032, 15111]]) });
  expect(session.view.vars.JAEGER_URL).toBe('http://localhost:15111');
  session.start();
  await eventually(() => session!.view.eraContext?.era, 20_000, 'era detected');
  expect(session.view.vars.JAEGER_URL).toBe('http://localhost:15111');
  expect(session.solutionFor(1).map((x) => x.line.run)).toEqual([expect.stringMatching(/ 15111:16686$/)]);
}, 60_000);
