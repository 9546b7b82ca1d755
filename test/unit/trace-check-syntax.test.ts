/** The `trace` check's syntax: the lesson parser's file:line errors, the linter's warnings, the path grammar. */
import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../src/lesson/parse.js';
import { LessonError } from '../../src/lesson/types.js';
import { lintLesson } from '../../src/authoring/lint.js';
import { parseTracePath } from '../../src/lesson/trace-path.js';

const lesson = (checks: string) => `---\nid: t\ntitle: T\n---\n\n## Step {#s}\n\nText.\n\n\`\`\`check\n${checks}\`\`\`\n`;
const problems = (text: string): string[] => {
  try {
    parseLesson(text, 'lesson.md');
    return [];
  } catch (e) {
    if (e instanceof LessonError) return e.problems.map((p) => `${p.line}: ${p.message}`);
    throw e;
  }
};

describe('trace check syntax', () => {
  it('parses a path of calls and child hops', () => {
    expect(parseTracePath('productpage -> reviews > istio-policy')).toEqual({
      services: ['productpage', 'reviews', 'istio-policy'],
      hops: [{ from: 'productpage', to: 'reviews', link: 'call' }, { from: 'reviews', to: 'istio-policy', link: 'child' }],
    });
    expect(parseTracePath('productpage.default->reviews.default')).toMatchObject({ services: ['productpage.default', 'reviews.default'] });
    expect(parseTracePath('productpage')).toMatchObject({ error: expect.stringMatching(/at least two services/) });
  });

  it('a valid check parses with its conditions; defaults give it a title', () => {
    const l = parseLesson(lesson('- kind: trace\n  url: http://localhost:15032\n  path: productpage -> reviews -> ratings\n  tags:\n    http.status_code: 200\n  maxDuration: 2s\n  eras: [1.0, 1.1]\n'), 'lesson.md');
    expect(l.steps[0].checks[0]).toMatchObject({
      kind: 'trace', path: 'productpage -> reviews -> ratings', tags: { 'http.status_code': '200' }, maxDuration: '2s', eras: ['1.0', '1.1'],
      title: 'a trace showing productpage -> reviews -> ratings', source: { file: 'lesson.md', line: 11 },
    });
  });

  it('bad parameters are refused at their line', () => {
    expect(problems(lesson('- kind: trace\n  url: http://x\n  path: productpage ->\n  maxDuration: soon\n  eras: [2.0]\n  tags: [a]\n  within: -1\n'))).toEqual([
      '13: trace check: "path" has an arrow with no service on one side: "productpage ->"',
      '14: trace check: "maxDuration" must be a duration like 250ms or 1.5s, not "soon"',
      '15: trace check: "eras" must list Istio eras among 1.0, 1.1, modern, not "2.0"',
      '16: trace check: "tags" must be a mapping of tag names to values, like {http.status_code: 200}',
      '17: trace check: "within" must be a whole number (0 or more), not -1',
    ]);
    expect(problems(lesson('- kind: trace\n  url: http://x\n'))).toEqual(['11: trace check is missing "path"']);
    expect(problems(lesson('- kind: trace\n  url: http://x\n  path: a -> b\n  pth: c\n'))[0]).toMatch(/^14: trace check: unknown parameter "pth" \(did you mean "path"\?\)/);
  });

  it('lint warns about -> istio-policy and istio-policy paths without eras', () => {
    const text = lesson('- kind: trace\n  url: http://x\n  path: productpage -> reviews -> istio-policy\n- kind: trace\n  url: http://x\n  path: reviews > istio-policy\n  eras: [1.0, 1.1]\n');
    expect(lintLesson(text, 'lesson.md').map((f) => `${f.line} ${f.severity}: ${f.message}`)).toEqual([
      '11 warning: trace check: "reviews -> istio-policy": istio-policy\'s Check span has no client span above it (the sidecar\'s Mixer filter makes the call); write "reviews > istio-policy"',
      '11 warning: trace check: istio-policy spans exist only on Istio 1.0 and 1.1 (Mixer); add eras: [1.0, 1.1] (or put it in a check {when=era:1.0,1.1} block) so the check passes on modern Istio',
    ]);
  });
});
