/** A check kind is a schema (src/lesson/kinds/) and a gather/judge module (src/checks/kinds/), registered: nothing else. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { field } from '../../src/lesson/check-fields.js';
import { checkSchema, schemaTable } from '../../src/lesson/check-schema.js';
import { kindTableMarkdown } from '../../src/lesson/kinds/doc-table.js';
import { CHECK_SCHEMAS } from '../../src/lesson/kinds/index.js';
import { parseLesson } from '../../src/lesson/parse.js';
import { LessonError, type AnyCheck } from '../../src/lesson/types.js';
import { failed, passed } from '../../src/checks/common.js';
import { CHECK_MODULES, checkEvaluator, evaluateCheck } from '../../src/checks/registry.js';
import type { CheckEnv, CheckKindModule } from '../../src/checks/types.js';

const DOC = join(import.meta.dirname, '..', '..', 'docs', 'lesson-format.md');

describe('the built-in kinds', () => {
  test('docs/lesson-format.md holds the table the schemas write (update the doc from kindTableMarkdown() when this fails)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const table = /<!-- check kinds:[^\n]*-->\n([\s\S]*?)\n<!-- end of check kinds -->/.exec(doc)?.[1];
    expect(table).toBe(kindTableMarkdown());
  });

  test('each row names every parameter of its kind', () => {
    for (const s of CHECK_SCHEMAS) {
      for (const p of [...Object.keys(s.required), ...Object.keys(s.optional)]) expect(s.doc.parameters, `${s.kind}: ${p}`).toContain(`\`${p}`);
    }
  });

  test('every kind with a schema has a gather/judge module, and no module is without one', () => {
    expect(CHECK_MODULES.map((m) => m.kind).sort()).toEqual(CHECK_SCHEMAS.map((s) => s.kind).sort());
  });
});

// A kind that exists only here: one schema and one module, handed to a parser and an evaluator.
interface EchoFacts { said: string }
const echoSchema = checkSchema({
  kind: 'echo',
  required: { word: field.string },
  optional: { times: field.count, loud: field.boolean },
  rules(c, at) {
    if (c.loud && c.times === 0) at.problem('echo check: "loud" needs "times" above 0', 'loud');
  },
  title: (c) => `echo ${c.word}${c.times !== undefined ? ` ×${c.times}` : ''}`,
  doc: { parameters: '`word`, `times?`, `loud?`', passes: 'the env says the word' },
});
type EchoCheck = AnyCheck & { kind: 'echo'; word: string; times?: number; loud?: boolean };
const echoModule: CheckKindModule<EchoCheck, EchoFacts> = {
  kind: 'echo',
  gather: async (_c, env) => ({ said: env.vars.SAID ?? '' }),
  judge: (c, f) => (f.said === c.word ? passed(`${c.title}: heard it`) : failed(c, `${c.title}: heard "${f.said}"`)),
};
const kinds = schemaTable([...CHECK_SCHEMAS, echoSchema]);
const evaluate = checkEvaluator([...CHECK_MODULES, echoModule], kinds);

const lesson = (checks: string) => `---\nid: e\ntitle: E\n---\n\n## Step {#s}\n\n\`\`\`check\n${checks}\`\`\`\n`;
const problems = (text: string, table = kinds): string[] => {
  try {
    parseLesson(text, 'e.md', table);
    return [];
  } catch (e) {
    if (e instanceof LessonError) return e.problems.map((p) => `${p.line}: ${p.message}`);
    throw e;
  }
};
const env = (vars: Record<string, string>): CheckEnv => ({
  cluster: null, vars, lessonStartMicros: 0, processState: () => 'unknown', quizAnswer: () => undefined, cwd: '.', env: {},
});

describe('a kind added by writing one schema and one module', () => {
  test('parses with its default title, beside the built-in kinds', () => {
    const [c] = parseLesson(lesson('- kind: echo\n  word: hi\n  times: 2\n'), 'e.md', kinds).steps[0].checks;
    expect(c).toEqual({ kind: 'echo', word: 'hi', times: 2, title: 'echo hi ×2', source: { file: 'e.md', line: 9 } });
  });

  test('is refused at the line of what is wrong, in the messages every kind gets', () => {
    expect(problems(lesson('- kind: echo\n  wordd: hi\n  times: -1\n- kind: echo\n  word: a\n  times: 0\n  loud: true\n'))).toEqual([
      '9: echo check is missing "word"',
      '10: echo check: unknown parameter "wordd" (did you mean "word"?) (known: word, times, loud, title, hint)',
      '11: echo check: "times" must be a whole number (0 or more), not -1',
      '15: echo check: "loud" needs "times" above 0',
    ]);
    expect(problems(lesson('- kind: echoo\n'))[0]).toMatch(/^9: unknown check kind "echoo" \(did you mean "echo"\?\); known kinds: namespace, .*, command, echo$/);
  });

  test('is unknown to a parser that was not handed it', () => {
    expect(problems(lesson('- kind: echo\n  word: hi\n'), schemaTable(CHECK_SCHEMAS))).toEqual([expect.stringMatching(/^9: unknown check kind "echo"; known kinds: /)]);
  });

  test('is evaluated by its module, with ${VAR}s substituted; the built-in evaluator does not know it', async () => {
    const [c] = parseLesson(lesson('- kind: echo\n  word: ${WORD}\n'), 'e.md', kinds).steps[0].checks;
    expect(await evaluate(c, env({ WORD: 'hi', SAID: 'hi' }))).toMatchObject({ ok: true, summary: '✓ echo hi: heard it' });
    expect(await evaluate(c, env({ WORD: 'hi', SAID: 'ho' }))).toMatchObject({ ok: false, summary: '✗ echo hi: heard "ho"' });
    expect(await evaluate(c, env({}))).toMatchObject({ ok: false, summary: '✗ echo ${WORD}: ${WORD} is not set' });
    expect(await evaluateCheck(c, env({ WORD: 'hi' }))).toMatchObject({ ok: false, summary: '✗ echo ${WORD}: unknown check kind "echo"' });
  });
});
