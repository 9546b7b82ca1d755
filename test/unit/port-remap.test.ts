import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { loadLesson } from '../../src/lesson/load.js';
import { checkUrl, lessonPortProblems, lessonPorts, localUrlPort, movedPortsLine, parsePortFlags, remapLessonPorts, remapLocalUrls, remapPorts, rewriteLocalPort, shellLine } from '../../src/lesson/port-remap.js';
import { parseLesson } from '../../src/lesson/parse.js';
import { describeHolder } from '../../src/processes/port-owner.js';

const LESSON = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger');

describe('--port values', () => {
  test('LESSON=LOCAL, several, and auto (0: any free port)', () => {
    expect([...parsePortFlags(['15032=15099', '8080:9090', '16686=auto'])]).toEqual([[15032, 15099], [8080, 9090], [16686, 0]]);
    expect(parsePortFlags([]).size).toBe(0);
  });

  test('a malformed value is one message saying what is wanted', () => {
    for (const bad of ['15032', '15032=', 'x=1', '0=15099', '15032=70000', '15032=15099=1']) {
      expect(() => parsePortFlags([bad])).toThrow(`--port wants LESSON_PORT=LOCAL_PORT (e.g. --port 15032=15099, or 15032=auto for any free port), not "${bad}"`);
    }
  });
});

describe('the Jaeger lesson with 15032 moved to 15099', async () => {
  const lesson = await loadLesson(LESSON);
  const moved = remapLessonPorts(lesson, new Map([[15032, 15099]]));
  const step = (l: typeof lesson, id: string) => l.steps.find((s) => s.id === id)!;

  test('the lesson uses local port 15032 only', () => {
    expect(lessonPorts(lesson)).toEqual([15032]);
    expect(lessonPorts(moved)).toEqual([15099]);
  });

  test('every forward listens on 15099; their remote ports are kept', () => {
    const forwards = step(moved, 'port-forward').commands.filter((c) => c.background);
    expect(forwards.map((c) => [c.name, c.readyPort])).toEqual([['jaeger-forward-pod', 15099], ['jaeger-forward', 15099], ['jaeger-dashboard', 15099]]);
    expect(shellLine(forwards[0].run)).toMatch(/ 15099:16686$/);
    expect(shellLine(forwards[1].run)).toMatch(/ 15099:15032$/);
    expect(forwards[2].run).toBe('istioctl dashboard jaeger --port 15099 --browser=false');
  });

  test('the solution line that repeats a forward moves with it (so it still runs as that forward)', () => {
    // One solution line per era: the gateway forward (1.1 pre-release), the Jaeger pod forward (the others).
    const [gateway, pod] = step(moved, 'port-forward').solution;
    const forward = (name: string) => step(moved, 'port-forward').commands.find((c) => c.name === name)!;
    expect(gateway.run).toMatch(/ 15099:15032$/);
    expect(shellLine(gateway.run)).toBe(shellLine(forward('jaeger-forward').run));
    expect(pod.run).toMatch(/ 15099:16686$/);
    expect(shellLine(pod.run)).toBe(shellLine(forward('jaeger-forward-pod').run));
  });

  test('checks and commands reach the dashboard through JAEGER_URL (the runner sets it on the moved port); other text is kept', () => {
    // The dashboard may also be reached through an Ingress, so the lesson names it by JAEGER_URL,
    // which the runner sets to http://localhost:<the moved port> (see test/sandbox/eras-lesson).
    const urls = moved.steps.flatMap((st) => st.checks).flatMap((c) => ('url' in c ? [c.url] : []));
    expect(urls.length).toBeGreaterThan(4);
    expect(urls.filter((u) => !u.startsWith('${JAEGER_URL}'))).toEqual([]);
    const traces = step(moved, 'traces').commands.map((c) => c.run).join('\n');
    expect(traces).toMatch(/curl --silent "\$\{JAEGER_URL\}\$\{JAEGER_BASE\}/);
    expect(traces).not.toMatch(/15032/);
    expect(step(moved, 'port-forward').body).toBe(step(lesson, 'port-forward').body);
  });

  test('nothing moved: the very same lesson', () => {
    expect(remapLessonPorts(lesson, new Map())).toBe(lesson);
  });

  test('a port the lesson does not use is refused, naming the ones it does', () => {
    expect(lessonPortProblems(lesson, new Map([[15032, 1]]))).toEqual([]);
    expect(lessonPortProblems(lesson, new Map([[8080, 1]]))).toEqual(['lesson istio-jaeger uses no local port 8080 (its ports: 15032)']);
  });

  test('a forward whose command does not name its port cannot be moved', () => {
    const odd = { ...lesson, steps: lesson.steps.map((s) => ({ ...s, commands: s.commands.map((c) => (c.readyPort ? { ...c, run: 'my-forwarder --default-port' } : c)) })) };
    const problems = lessonPortProblems(odd, new Map([[15032, 15099]]));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/lesson\.md:\d+: the forward "jaeger-forward-pod" does not name its local port 15032 in its command, so it cannot be moved$/);
  });
});

describe('small pieces', () => {
  test('local URLs: only localhost and 127.0.0.1 on a moved port', () => {
    const map = new Map([[15032, 15099]]);
    expect(remapLocalUrls('curl localhost:15032/x 127.0.0.1:15032 example.com:15032 localhost:150320', map)).toBe('curl localhost:15099/x 127.0.0.1:15099 example.com:15032 localhost:150320');
    expect(localUrlPort('http://localhost:15032/jaeger')).toBe(15032);
    expect(localUrlPort('http://example.com:15032/')).toBeUndefined();
  });

  test('a --port flag names the local port (istioctl dashboard)', () => {
    expect(rewriteLocalPort('istioctl dashboard jaeger --port 15032 --browser=false', 15032, 15099)).toBe('istioctl dashboard jaeger --port 15099 --browser=false');
  });

  test('the line saying what moved', () => {
    expect(movedPortsLine(new Map())).toBeUndefined();
    expect(movedPortsLine(new Map([[15032, 15099]]))).toBe("ports moved (--port): the lesson's 15032 is localhost:15099");
  });

  test('a holder, named for the learner: control characters of its command line never reach the terminal', () => {
    expect(describeHolder({ pid: 42, command: 'python3 -m http.server 15032' })).toBe('pid 42 (python3 -m http.server 15032)');
    expect(describeHolder({ pid: 42, command: 'evil \u001b]0;title\u0007 x' })).toBe('pid 42 (evil ?]0;title? x)');
    expect(describeHolder(undefined)).toBe('another process (one this user may not inspect)');
    expect(describeHolder({ pid: 1, command: 'x'.repeat(200) }).length).toBeLessThan(110);
  });
});

describe('the checks\' local ports move as their kinds\' schemas say', () => {
  const checks = parseLesson(`---\nid: p\ntitle: P\n---\n## S\n\n\`\`\`check
- kind: port-open
  port: 15032
- kind: port-closed
  port: 15032
- kind: http
  url: http://localhost:15032/api
- kind: jaeger-traces
  url: http://127.0.0.1:15032
  service: productpage
- kind: trace
  url: http://localhost:15032
  path: productpage -> reviews
- kind: command
  run: curl -s http://localhost:15032/ && echo 15032
  hint: open http://localhost:15032
- kind: service
  namespace: default
  name: productpage
  ports: [15032]
\`\`\`\n`, 'p.md').steps[0].checks;
  const map = new Map([[15032, 15099]]);

  test('port fields and URL fields (remapPorts), shell text and hints too when the lesson moves', () => {
    const moved = checks.map((c) => remapPorts(c, map));
    expect(moved.slice(0, 2).map((c) => ('port' in c ? c.port : undefined))).toEqual([15099, 15099]);
    expect(moved.slice(2, 5).map((c) => checkUrl(c))).toEqual(['http://localhost:15099/api', 'http://127.0.0.1:15099', 'http://localhost:15099']);
    expect(moved[5]).toBe(checks[5]); // a command's shell text moves with the lesson only (below)
    expect(moved[6]).toBe(checks[6]); // a service's ports are the cluster's, not local
    const lesson = parseLesson(`---\nid: p\ntitle: P\n---\n## S\n\n\`\`\`check\n- kind: command\n  run: curl -s http://localhost:15032/ && echo 15032\n  hint: open http://localhost:15032\n\`\`\`\n`, 'p.md');
    const cmd = remapLessonPorts(lesson, map).steps[0].checks[0];
    expect(cmd).toMatchObject({ run: 'curl -s http://localhost:15099/ && echo 15032', hint: 'open http://localhost:15099', title: 'command succeeds: curl -s http://localhost:15099/ && echo 15032' });
    expect(lessonPorts({ ...lesson, steps: [{ ...lesson.steps[0], checks }] })).toEqual([15032]);
    expect(checkUrl(checks[0])).toBeUndefined();
  });
});
