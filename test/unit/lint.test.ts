import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintLesson } from '../../src/authoring/lint.js';

const lesson = (body: string) => `---\nid: t\ntitle: T\n---\n\n${body}`;

describe('lintLesson', () => {
  test('the bundled lesson is clean', () => {
    const file = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger', 'lesson.md');
    expect(lintLesson(readFileSync(file, 'utf8'), file)).toEqual([]);
  });

  test('schema errors come with file:line', () => {
    const f = lintLesson(lesson('## One {#one}\n\n```check\n- kind: pods-redy\n  namespace: x\n```\n'), 'l.md');
    expect(f).toEqual([expect.objectContaining({ file: 'l.md', line: 9, severity: 'error' })]);
    expect(f[0].message).toMatch(/unknown check kind "pods-redy"/);
  });

  test('a step with commands but no check, a kill by name, and a variable nobody sets are warnings', () => {
    const f = lintLesson(
      lesson('## One {#one}\n\n```bash\n$ killall kubectl\n```\n\n## Two {#two}\n\n```bash\n$ curl http://$GATEWAY/x\n```\n\n```check\n- kind: http\n  url: http://${NOPE}/x\n```\n'),
      'l.md',
    );
    const msgs = f.map((x) => `${x.line} ${x.severity}: ${x.message}`);
    expect(msgs).toContainEqual(expect.stringMatching(/^6 warning: step "one" has commands but no check/));
    expect(msgs).toContainEqual(expect.stringMatching(/^9 warning: unsafe: "killall kubectl" ends processes by name/));
    expect(msgs).toContainEqual(expect.stringMatching(/^\d+ warning: \$\{NOPE\} is read here, but no earlier step exports it/));
    expect(f.every((x) => x.severity === 'warning')).toBe(true);
    expect(f.length).toBe(3);
  });

  test('a variable exported by an earlier step is fine', () => {
    const f = lintLesson(lesson('## One {#one}\n\n```bash\n$ export URL=x\n```\n\n```check\n- kind: command\n  run: "true"\n```\n\n## Two {#two}\n\n```check\n- kind: http\n  url: http://${URL}/\n```\n'), 'l.md');
    expect(f).toEqual([]);
  });
});
