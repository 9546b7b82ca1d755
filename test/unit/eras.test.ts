/** Era-aware lesson blocks: the `when` syntax, parsing into the model, matching, lint, and how the screen marks them. */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applies, lessonEra, parseWhen, whenText, type EraContext } from '../../src/lesson/eras.js';
import { parseLesson } from '../../src/lesson/parse.js';
import { LessonError } from '../../src/lesson/types.js';
import { lintLesson } from '../../src/authoring/lint.js';
import { commandOrder, hintTexts, proseLines, solutionView } from '../../src/ui/era-marks.js';
import { layoutStep } from '../../src/ui/step-document.js';
import { cellWidth } from '../../src/text/cells.js';
import { renderScreen } from '../../src/ui/screen.js';
import { startingView } from '../../src/ui/first-frame.js';
import { initialUi } from '../../src/ui/ui-state.js';
import { lineText } from '../../src/ui/markdown.js';

const LESSON = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger', 'lesson.md');
const ctx = (era: EraContext['era'], tools: string[] = []): EraContext => ({ ...(era ? { era } : {}), tools: new Set(tools), why: 'detected: test' });

const lesson = (body: string, front = 'eras: [1.0, 1.1-pre, "1.1", modern]') => `---\nid: t\ntitle: T\n${front}\n---\n${body}`;

const STEP = `## One {#one}

For everyone.

::: when era:modern
Only current Istio.

\`\`\`bash
$ echo inside-section
\`\`\`
:::

\`\`\`bash
$ echo everywhere
\`\`\`

\`\`\`bash {when=era:1.0,1.1}
$ echo old
\`\`\`

\`\`\`bash {background name=dash port=15032 when="era:modern tool:istioctl"}
$ istioctl dashboard jaeger --port 15032 --browser=false
\`\`\`

\`\`\`solution {when=era:1.1-pre}
$ echo gateway
\`\`\`

\`\`\`solution {when=era:1.0,1.1,modern}
$ echo pod
\`\`\`

\`\`\`hint {when=era:1.0}
old hint
\`\`\`

\`\`\`hint
any hint
\`\`\`

\`\`\`check {when=era:modern}
- kind: port-open
  port: 1
\`\`\`
`;

describe('the when syntax', () => {
  test('eras and tools, all of which must hold', () => {
    expect(parseWhen('era:1.0,1.1')).toEqual({ when: { eras: ['1.0', '1.1'] } });
    expect(parseWhen('era:modern tool:istioctl')).toEqual({ when: { eras: ['modern'], tools: ['istioctl'] } });
    expect(parseWhen('era=modern')).toEqual({ when: { eras: ['modern'] } });
    expect(parseWhen('era:1.2')).toEqual({ error: 'unknown era "1.2" (eras: 1.0, 1.1-pre, 1.1, modern, none)' });
    expect(parseWhen('colour:red')).toEqual({ error: 'unknown condition "colour" (conditions: era, tool)' });
    expect(parseWhen('')).toHaveProperty('error');
    const w = { eras: ['modern'] as const, tools: ['istioctl'] };
    expect(applies(w, ctx('modern', ['istioctl']))).toBe(true);
    expect(applies(w, ctx('modern'))).toBe(false);
    expect(applies(w, ctx('1.1', ['istioctl']))).toBe(false);
    expect(applies({ eras: ['modern'] }, ctx(undefined))).toBe(false); // era not known yet
    expect(applies(undefined, ctx(undefined))).toBe(true);
    expect(whenText({ eras: ['1.0', '1.1', 'modern'] })).toBe('for Istio 1.0, Istio 1.1 and current Istio');
  });

  test('the lesson era: 1.1 with the tracing Gateway is 1.1-pre only for lessons that name it', () => {
    const pre = { era: '1.1' as const, gatewayListens15032: true };
    expect(lessonEra(pre, ['1.0', '1.1-pre', '1.1', 'modern'])).toBe('1.1-pre');
    expect(lessonEra(pre, ['1.0', '1.1', 'modern'])).toBe('1.1');
    expect(lessonEra({ era: '1.1', gatewayListens15032: false }, ['1.1-pre', '1.1'])).toBe('1.1');
    expect(lessonEra({ era: null, gatewayListens15032: false }, [])).toBe('none');
    expect(lessonEra({ era: 'modern', gatewayListens15032: false }, ['modern'])).toBe('modern');
  });
});

describe('parsing era blocks', () => {
  const l = parseLesson(lesson(STEP), 'lesson.md');
  const step = l.steps[0];

  test('front matter eras are read as written (1.0 is not the number 1)', () => {
    expect(l.eras).toEqual(['1.0', '1.1-pre', '1.1', 'modern']);
  });

  test('fences carry their when; blocks inside a ::: when section inherit it', () => {
    expect(step.commands.map((c) => [c.run, c.when])).toEqual([
      ['echo inside-section', { eras: ['modern'] }],
      ['echo everywhere', undefined],
      ['echo old', { eras: ['1.0', '1.1'] }],
      ['istioctl dashboard jaeger --port 15032 --browser=false', { eras: ['modern'], tools: ['istioctl'] }],
    ]);
    expect(step.commands[3]).toMatchObject({ background: true, name: 'dash', readyPort: 15032 });
    expect(step.solution.map((c) => [c.run, c.when?.eras, c.name])).toEqual([
      ['echo gateway', ['1.1-pre'], 'one-solution-1'],
      ['echo pod', ['1.0', '1.1', 'modern'], 'one-solution-2'],
    ]);
    expect(step.hints).toEqual(['old hint', 'any hint']);
    expect(step.hintWhen).toEqual([{ eras: ['1.0'] }, undefined]);
    expect(step.checks[0].when).toEqual({ eras: ['modern'] });
  });

  test('prose: the body keeps all of it, and pieces say which era they are for', () => {
    expect(step.body).toBe('For everyone.\n\nOnly current Istio.');
    expect(step.prose).toEqual([{ text: 'For everyone.' }, { text: 'Only current Istio.', when: { eras: ['modern'] } }]);
  });

  test('mistakes are refused with their line', () => {
    const problems = (body: string, front?: string) => {
      try {
        parseLesson(lesson(body, front), 'lesson.md');
        return [];
      } catch (e) {
        return (e as LessonError).problems.map((p) => `${p.line}: ${p.message}`);
      }
    };
    expect(problems('## A\n\n::: when era:modern\ntext\n\n## B\n\ntext\n')).toEqual(['8: "::: when" section is not closed before the next step: end it with a ":::" line']);
    expect(problems('## A\n\n::: when era:2.0\ntext\n:::\n')).toEqual(['8: ::: when: unknown era "2.0" (eras: 1.0, 1.1-pre, 1.1, modern, none)']);
    expect(problems('## A\n\n:::\n')).toEqual(['8: ":::" closes a "::: when" section, but none is open']);
    expect(problems('## A\n\n::: note\nx\n:::\n')[0]).toMatch(/^8: unknown ":::" section "note"/);
    expect(problems('## A\n\n```solution {colour=red}\n$ x\n```\n')).toEqual(['8: solution blocks take one attribute, when=… (like {when=era:modern}), not "colour"']);
    expect(problems('## A\n', 'eras: [1.0, 2]')).toEqual(['4: front matter: "eras" lists "2", which is not an era (eras: 1.0, 1.1-pre, 1.1, modern, none)']);
    expect(problems('## A\n', 'eras: modern')[0]).toMatch(/^4: front matter: "eras" must be a list of Istio eras/);
  });
});

describe('lint and eras', () => {
  test('a step whose solution leaves a claimed era without a line is warned about', () => {
    const text = lesson('## A {#a}\n\n```bash\n$ echo x\n```\n\n```check\n- kind: port-open\n  port: 1\n```\n\n```solution {when=era:1.1-pre}\n$ echo gateway\n```\n');
    const warnings = lintLesson(text, 'lesson.md').filter((f) => /solution/.test(f.message));
    expect(warnings).toEqual([
      {
        file: 'lesson.md',
        line: 18,
        severity: 'warning',
        message: 'step "a": its solution has no line for Istio 1.0 (1.0), Istio 1.1 (1.1), current Istio (modern), which the lesson claims (eras: 1.0, 1.1-pre, 1.1, modern on line 4): add a solution block with when=era:1.0,1.1,modern',
      },
    ]);
  });

  test('a block for an unclaimed era, and era blocks without eras: in the front matter, are warned about', () => {
    const body = '## A {#a}\n\n```bash {when=era:none}\n$ echo x\n```\n\n```check\n- kind: port-open\n  port: 1\n```\n';
    expect(lintLesson(lesson(body, 'eras: [modern]'), 'l.md').map((f) => f.message)).toContain('this block is for era none, which the lesson does not claim (front matter eras: modern)');
    expect(lintLesson(lesson(body, 'summary: s'), 'l.md').map((f) => f.message)).toContain('blocks are marked for eras (none), but the front matter lists none: add eras: [...] so lint can check that every era has a solution');
  });

  test('the bundled Jaeger lesson claims four eras and covers each', () => {
    const text = readFileSync(LESSON, 'utf8');
    expect(parseLesson(text, LESSON).eras).toEqual(['1.0', '1.1-pre', '1.1', 'modern']);
    expect(lintLesson(text, LESSON)).toEqual([]);
  });
});

describe('the screen marks era blocks', () => {
  const jaeger = parseLesson(readFileSync(LESSON, 'utf8'), LESSON);
  const pf = jaeger.steps.find((s) => s.id === 'port-forward')!;

  test('the commands for this cluster come first; the solution is the forward that works here', () => {
    const names = (era: EraContext['era'], tools: string[] = []) => commandOrder(pf, ctx(era, tools)).filter((c) => c.command.background).map((c) => `${c.command.name}${c.applies ? '' : ' (other)'}`);
    expect(names('1.1-pre')).toEqual(['jaeger-forward-pod', 'jaeger-forward', 'jaeger-dashboard (other)']);
    expect(names('1.0')).toEqual(['jaeger-forward-pod', 'jaeger-forward (other)', 'jaeger-dashboard (other)']);
    expect(names('modern')).toEqual(['jaeger-forward-pod', 'jaeger-forward (other)', 'jaeger-dashboard (other)']);
    expect(names('modern', ['istioctl'])).toEqual(['jaeger-forward-pod', 'jaeger-dashboard', 'jaeger-forward (other)']);
    for (const era of ['1.0', '1.1', 'modern'] as const) {
      const sol = solutionView(pf, ctx(era));
      expect(sol.here.map((c) => c.run)).toEqual([expect.stringMatching(/--selector app=jaeger .* 15032:16686$/)]);
      expect(sol.others).toEqual([{ label: 'for Istio 1.1 pre-release', lines: [expect.objectContaining({ run: expect.stringMatching(/app=istio-ingressgateway .* 15032:15032$/) })] }]);
    }
    expect(solutionView(pf, ctx('1.1-pre')).here.map((c) => c.run)).toEqual([expect.stringMatching(/15032:15032$/)]);
  });

  test('prose for other eras is dimmed under a label; hints for this era first', () => {
    const traces = jaeger.steps.find((s) => s.id === 'traces')!;
    const lines = proseLines(traces, 70, ctx('modern'));
    const text = lines.map(lineText).join('\n');
    expect(text).toMatch(/▎ for Istio 1\.0, Istio 1\.1 and Istio 1\.1 pre-release — not this cluster \(current Istio\)/);
    expect(text).toMatch(/▎ for current Istio — this cluster\n▎ Istio's task, written for 1\.0 and 1\.1/);
    const policy = lines.find((l) => lineText(l).includes('asks Mixer'));
    expect(policy?.slice(1).every((s) => s.dim)).toBe(true);
    const noPolicy = lines.find((l) => lineText(l).includes('no istio-policy span'));
    expect(noPolicy?.slice(1).some((s) => !s.dim)).toBe(true);
    expect(hintTexts(pf, ctx('1.1-pre'))[0]).toMatch(/^\*\*Connection refused/);
    expect(hintTexts(pf, ctx('1.1-pre')).at(-1)).toMatch(/^\*\(for Istio 1\.0, Istio 1\.1 and current Istio — not this cluster \(Istio 1\.1 pre-release\)\)\*/);
  });

  test('the step screen (80x24) says why, and marks the others', () => {
    const view = { ...startingView(jaeger, { label: 'sandbox', kind: 'sandbox' }), eraContext: { era: 'modern' as const, tools: new Set<string>(), why: 'detected: istiod 1.29.6' } };
    const engine = { ...view.engine, current: 1, viewing: 1 };
    const screen = renderScreen({ ...view, engine }, initialUi, { width: 80, height: 24 }).map((l) => l.map((c) => c.text).join(''));
    const all = screen.join('\n');
    expect(all).toMatch(/Commands for current Istio \(istiod 1\.29\.6\)/);
    // Each command stays in the text; one for another era (or a missing tool) says whom it is for.
    const doc = layoutStep({ ...view, engine }, 1, { width: 78, height: 24, focus: -1, outputOpen: false }).lines.map((l) => l.map((c) => c.text).join(''));
    const text = doc.join('\n');
    expect(text).toMatch(/background command \d of \d: jaeger-forward-pod ─/);
    expect(text).toMatch(/background command \d of \d: jaeger-forward · for 1\.1-pre/);
    expect(text).toMatch(/jaeger-dashboard · needs istioctl/);
    for (const l of doc) expect(cellWidth(l)).toBeLessThanOrEqual(78);
    const sol = renderScreen({ ...view, engine }, { ...initialUi, showSolution: true }, { width: 80, height: 24 }).map((l) => l.map((c) => c.text).join('')).join('\n');
    expect(sol).toMatch(/Solution for current Istio — detected: istiod 1\.29\.6/);
    expect(sol).toMatch(/app=jaeger/);
    expect(sol).toMatch(/15032:16686/);
  });
});
