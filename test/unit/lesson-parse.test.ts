import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../src/lesson/parse.js';
import { interpolate } from '../../src/lesson/interpolate.js';
import { LessonError, proseOf, type Check, type Lesson, type Step } from '../../src/lesson/types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => `test/fixtures/lessons/${name}/lesson.md`;
const readFixture = (name: string) => readFileSync(path.join(ROOT, fixture(name)), 'utf8');

/** The `file:line: message` lines of the LessonError that parsing `text` throws. */
function problemsOf(text: string, file = 'lesson.md'): string[] {
  try {
    parseLesson(text, file);
  } catch (e) {
    if (e instanceof LessonError) return e.message.split('\n');
    throw e;
  }
  throw new Error('expected a LessonError');
}

const FRONT = '---\nid: t\ntitle: T\n---\n';

describe('parseLesson on the sample lesson', () => {
  const file = path.join(ROOT, fixture('sample'));
  const lesson: Lesson = parseLesson(readFixture('sample'), file);
  const [deploy, dashboard, quiz] = lesson.steps;

  it('reads the front matter and the file location', () => {
    expect(lesson.id).toBe('sample');
    expect(lesson.title).toBe('A sample lesson');
    expect(lesson.summary).toBe('Deploy a tiny app, reach it, and trace it.');
    expect(lesson.requires).toEqual(['kubectl', 'curl']);
    expect(lesson.file).toBe(file);
    expect(lesson.dir).toBe(path.dirname(file));
  });

  it('keeps the Markdown before the first step as the intro', () => {
    expect(lesson.intro).toBe('# A sample lesson\n\nThis lesson is a **fixture** for the parser tests.');
  });

  it('takes step ids from {#id} or derives them from the title', () => {
    expect(lesson.steps.map((s) => s.id)).toEqual(['deploy', 'open-the-dashboard', 'quiz']);
    expect(lesson.steps.map((s) => s.title)).toEqual(['Deploy the app', 'Open the dashboard', 'Check your understanding']);
    expect(lesson.steps.map((s) => s.source.line)).toEqual([12, 58, 84]);
    expect(deploy.source.file).toBe(file);
  });

  it('strips the prompt from a command and keeps continued lines as written', () => {
    expect(deploy.commands.map((c) => c.run)).toEqual([
      'kubectl label namespace default istio-injection=enabled --overwrite',
      'kubectl apply \\\n  -f app.yaml',
    ]);
    expect(deploy.commands.map((c) => c.name)).toEqual(['deploy-1', 'deploy-2']);
    expect(deploy.commands.map((c) => c.source.line)).toEqual([17, 21]);
    expect(deploy.commands.every((c) => !c.background && c.readyPort === undefined)).toBe(true);
  });

  it('reads background, name and port from the braces after the language', () => {
    expect(dashboard.commands[0]).toEqual({
      run: 'kubectl -n istio-system port-forward svc/tracing 15032:80',
      background: true,
      name: 'jaeger-forward',
      readyPort: 15032,
      source: { file, line: 63 },
    });
  });

  it('treats each $ line of a console block as a command and skips its sample output', () => {
    expect(dashboard.commands.slice(1).map((c) => [c.run, c.name, c.source.line])).toEqual([
      ['export GATEWAY_URL=127.0.0.1:31380', 'open-the-dashboard-2', 67],
      ['curl -s http://${GATEWAY_URL}/productpage | head -1', 'open-the-dashboard-3', 68],
    ]);
  });

  it('keeps the step in order: prose, each command where it stands, other code in the prose; check, hint and solution blocks out of it', () => {
    const shape = (s: Step) => s.blocks.map((b) => (b.kind === 'prose' ? ['prose', b.markdown, b.source.line] : b.kind === 'command' ? ['command', s.commands[b.index].run, b.source.line] : [b.kind, b.source.line]));
    expect(shape(deploy)).toEqual([
      ['prose', 'Label the namespace, then apply the manifest:', 14],
      ['command', 'kubectl label namespace default istio-injection=enabled --overwrite', 17],
      ['command', 'kubectl apply \\\n  -f app.yaml', 21],
      ['prose', 'The manifest looks like this:\n\n```yaml\napiVersion: v1\nkind: Service\n```', 25],
    ]);
    expect(shape(dashboard).map((b) => b[0])).toEqual(['prose', 'command', 'command', 'command']);
    expect(dashboard.blocks[0]).toMatchObject({ kind: 'prose', markdown: 'Forward the Jaeger port and keep it running:' });
    expect(quiz.blocks.every((b) => b.kind === 'quiz')).toBe(true);
  });

  it('validates checks and records the line of each list item', () => {
    const summary = (c: Check) => [c.kind, c.source.line, c.title];
    expect(deploy.checks.map(summary)).toEqual([
      ['namespace', 33, 'namespace default labelled istio-injection=enabled exists'],
      ['pods-ready', 37, 'at least 2 pods app=productpage Ready in default'],
      ['container-present', 41, 'container istio-proxy in pods app=productpage in default'],
    ]);
    expect(dashboard.checks.map(summary)).toEqual([
      ['process', 73, 'process jaeger-forward running'],
      ['port-open', 76, 'port 15032 open'],
      ['http', 78, 'the product page answers'],
    ]);
    expect(quiz.checks.map(summary)).toEqual([
      ['quiz', 87, 'Which container records the spans?'],
      ['jaeger-traces', 91, 'at least 5 traces for productpage in Jaeger'],
    ]);
  });

  it('keeps check parameters with their YAML types, ${VAR}s untouched', () => {
    expect(deploy.checks[0]).toMatchObject({ kind: 'namespace', name: 'default', labels: { 'istio-injection': 'enabled' } });
    expect(deploy.checks[1]).toMatchObject({ kind: 'pods-ready', namespace: 'default', selector: 'app=productpage', min: 2 });
    expect(deploy.checks[2]).toMatchObject({ hint: 'Restart the pods after labelling the namespace.' });
    expect(dashboard.checks[2]).toMatchObject({ kind: 'http', url: 'http://${GATEWAY_URL}/productpage', contains: 'Bookinfo' });
    expect(quiz.checks[0]).toMatchObject({ options: ['productpage', 'istio-proxy', 'jaeger'], answer: 1 });
  });

  it('collects hints and solution commands', () => {
    expect(deploy.hints).toEqual(['Pods created before the label have no sidecar: delete them.']);
    expect(deploy.solution.map((c) => [c.run, c.name, c.background, c.source.line])).toEqual([
      ['kubectl label namespace default istio-injection=enabled --overwrite', 'deploy-solution-1', false, 53],
      ['kubectl apply \\\n  -f app.yaml', 'deploy-solution-2', false, 54],
    ]);
    expect(dashboard.hints).toEqual([]);
    expect(dashboard.solution).toEqual([]);
  });
});

describe('parseLesson on broken lessons', () => {
  const cases: Array<[string, string[]]> = [
    ['broken-yaml', ['15: invalid YAML in check block: Nested mappings are not allowed in compact mappings']],
    [
      'broken-kind',
      [
        '12: unknown check kind "pod-ready" (did you mean "pods-ready"?); known kinds: namespace, pods-ready, container-present, ' +
          'deployment-available, service, resource, no-leftovers, port-open, port-closed, http, jaeger-traces, process, quiz, trace-opened, trace, command',
      ],
    ],
    ['broken-param', ['15: service check is missing "name"', '19: http check: "status" must be an HTTP status code (100-599), not "ok"']],
    ['broken-duplicate', ['10: duplicate step id "deploy-the-app" (the step on line 6 has it too); give one of them another {#id}']],
    ['broken-front-matter', ['1: front matter is missing "id"']],
  ];
  for (const [name, expected] of cases) {
    it(`reports ${name} with file:line: message`, () => {
      expect(problemsOf(readFixture(name), fixture(name))).toEqual(expected.map((e) => `${fixture(name)}:${e}`));
    });
  }

  it('throws a LessonError that is a user error and lists its problems', () => {
    let err: unknown;
    try {
      parseLesson(readFixture('broken-param'), 'x.md');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LessonError);
    expect((err as LessonError).userError).toBe(true);
    expect((err as LessonError).problems).toEqual([
      { file: 'x.md', line: 15, message: 'service check is missing "name"' },
      { file: 'x.md', line: 19, message: 'http check: "status" must be an HTTP status code (100-599), not "ok"' },
    ]);
  });

  it('reports every problem in the file at once, in line order', () => {
    const text = [
      '---', //                                   1
      'id: Bad_Id', //                            2
      'title: Broken', //                         3
      'requires: kubectl', //                     4
      'tittle: x', //                             5
      '---', //                                   6
      '', //                                      7
      '```check', //                              8
      '- kind: port-open', //                     9
      '  port: 1', //                            10
      '```', //                                  11
      '', //                                     12
      '## One', //                               13
      '', //                                     14
      '```check', //                             15
      '- kind: pods-ready', //                   16
      '  namespace: default', //                 17
      '  selecter: app=x', //                    18
      '- kind: pods-ready', //                   19
      '  namespace: default', //                 20
      '  selector: "app in (a"', //              21
      '  min: -1', //                            22
      '-', //                                    23
      '  kind: quiz', //                         24
      '  question: Q?', //                       25
      '  options: [a, b]', //                    26
      '  answer: 2', //                          27
      '- kind: deployment-available', //         28
      '  namespace: x', //                       29
      '- namespace: x', //                       30
      '- just-a-string', //                      31
      '- kind: process', //                      32
      '  name: nope', //                         33
      '  state: running', //                     34
      '```', //                                  35
      '', //                                     36
      '```bash {background port=99999 colour=red}', // 37
      '$ a', //                                  38
      '$ b', //                                  39
      '```', //                                  40
      '', //                                     41
      '## Two {#Two Words}', //                  42
      '', //                                     43
      '```check', //                             44
      '```', //                                  45
      '', //                                     46
      '```hint', //                              47
      '```', //                                  48
      '', //                                     49
      '```solution', //                          50
      '# only a comment', //                     51
      '```', //                                  52
      '', //                                     53
      '```bash', //                              54
      'echo never closed', //                    55
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'lesson.md:2: front matter: "id" must be lowercase letters, digits and dashes (like istio-jaeger), not "Bad_Id"',
      'lesson.md:4: front matter: "requires" must be a list of command names (like [kubectl]), not "kubectl"',
      'lesson.md:5: front matter: unknown key "tittle" (did you mean "title"?) (known keys: id, title, summary, requires, eras, lang)',
      'lesson.md:8: check block is not inside a step (put it after a "## " heading)',
      'lesson.md:16: pods-ready check is missing "selector"',
      'lesson.md:18: pods-ready check: unknown parameter "selecter" (did you mean "selector"?) (known: namespace, selector, min, title, hint)',
      'lesson.md:21: pods-ready check: invalid label selector "app in (a": unable to parse requirement: found \'app in (a\', expected: in, notin, =, ==, !=, gt, lt',
      'lesson.md:22: pods-ready check: "min" must be a whole number (0 or more), not -1',
      'lesson.md:27: quiz check: "answer" is 2, but the options are numbered 0-1',
      'lesson.md:28: deployment-available check needs "name" or "selector"',
      'lesson.md:30: check has no "kind" (known kinds: namespace, pods-ready, container-present, deployment-available, service, resource, no-leftovers, port-open, port-closed, http, jaeger-traces, process, quiz, trace-opened, trace, command)',
      'lesson.md:31: each check must be a mapping with "kind:" and its parameters, not "just-a-string"',
      'lesson.md:33: process check: no background command is named "nope" (background commands: one-1, one-2)',
      'lesson.md:37: port must be a port number (1-65535), not "99999"',
      'lesson.md:37: unknown attribute "colour" on a bash block (known: background, name, port, when)',
      'lesson.md:37: a background bash block must hold exactly one command (found 2)',
      'lesson.md:42: invalid step id "Two Words": use lowercase letters, digits and dashes',
      'lesson.md:44: check block is empty',
      'lesson.md:47: hint block is empty',
      'lesson.md:50: solution block has no commands',
      'lesson.md:54: code block is not closed (no closing ``` line)',
    ]);
  });

  it('refuses a file without front matter and without steps', () => {
    expect(problemsOf('# Just a title\n\nSome prose.\n')).toEqual([
      'lesson.md:1: missing front matter: the file must start with a "---" line, then id: and title:, then another "---" line',
      'lesson.md:1: the lesson has no steps: start each step with a "## " heading',
    ]);
  });

  it('reports YAML errors in the front matter at their line', () => {
    expect(problemsOf('---\nid: t\ntitle: "unclosed\n---\n\n## S\n')).toEqual([
      'lesson.md:3: invalid YAML in front matter: Missing closing "quote',
    ]);
  });

  it('refuses front matter that is never closed', () => {
    expect(problemsOf('---\nid: t\ntitle: T\n\n## S\n')).toEqual(['lesson.md:1: front matter is not closed: add a "---" line after it']);
  });

  it('refuses a check block that is a mapping rather than a list', () => {
    expect(problemsOf(`${FRONT}\n## S\n\n\`\`\`check\nkind: port-open\nport: 80\n\`\`\`\n`)).toEqual([
      'lesson.md:9: a check block must be a YAML list of checks: start each one with "- kind: …"',
    ]);
  });

  it('checks parameter types, quiz options and name-or-selector rules', () => {
    const text = [
      FRONT.trimEnd(), // 1-4
      '', // 5
      '## S', // 6
      '```check', // 7
      '- kind: service', // 8
      '  namespace: default', // 9
      '  name: productpage', // 10
      '  ports: 9080', // 11
      '- kind: resource', // 12
      '  apiVersion: networking.istio.io/v1alpha3', // 13
      '  resourceKind: Gateway', // 14
      '  name: bookinfo-gateway', // 15
      '  selector: app=x', // 16
      '- kind: quiz', // 17
      '  question: Q', // 18
      '  options: [only]', // 19
      '  answer: 0', // 20
      '- kind: namespace', // 21
      '  name: ""', // 22
      '  absent: yes', // 23
      '- kind: command', // 24
      '  run: "true"', // 25
      '  timeoutMs: 0', // 26
      '```', // 27
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'lesson.md:11: service check: "ports" must be a list of port numbers, not 9080',
      'lesson.md:16: resource check takes "name" or "selector", not both',
      'lesson.md:19: quiz check needs at least 2 options',
      'lesson.md:22: namespace check: "name" must not be empty',
      'lesson.md:23: namespace check: "absent" must be true or false, not "yes"',
      'lesson.md:26: command check: "timeoutMs" must be a positive whole number of milliseconds, not 0',
    ]);
  });
});

describe('parseLesson commands', () => {
  const stepOf = (body: string) => parseLesson(`${FRONT}\n## S\n\n${body}\n`, 'lesson.md').steps[0];

  it('runs a block without prompts as one script', () => {
    const step = stepOf('```bash\n\nkubectl get ns\nkubectl get pods\n\n```');
    expect(step.commands.map((c) => [c.run, c.source.line])).toEqual([['kubectl get ns\nkubectl get pods', 10]]);
  });

  it('splits a block with several $ lines into several commands', () => {
    const step = stepOf('```sh\n$ kubectl get ns\n$ kubectl get pods \\\n    -A\n```');
    expect(step.commands.map((c) => c.run)).toEqual(['kubectl get ns', 'kubectl get pods \\\n    -A']);
    expect(step.commands.map((c) => c.name)).toEqual(['s-1', 's-2']);
  });

  it('keeps a heredoc body with the command that opens it', () => {
    const step = stepOf('```shell\n$ kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nEOF\n$ kubectl get ns\n```');
    expect(step.commands.map((c) => c.run)).toEqual(['kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nEOF', 'kubectl get ns']);
  });

  it('accepts tilde fences and longer backtick fences that contain ``` lines', () => {
    const step = stepOf('~~~bash\necho a\n~~~\n\n````bash\ncat <<X\n```\nX\n````');
    expect(step.commands.map((c) => c.run)).toEqual(['echo a', 'cat <<X\n```\nX']);
  });

  it('keeps a console block without prompts in the body as sample output', () => {
    const step = stepOf('Output:\n\n```console\nNAME   READY\n```');
    expect(step.commands).toEqual([]);
    expect(proseOf(step)).toBe('Output:\n\n```console\nNAME   READY\n```');
  });

  it('keeps the prose on both sides of a removed block apart', () => {
    const step = stepOf('Run this:\n```bash\necho hi\n```\nThen look.');
    expect(step.blocks.map((b) => b.kind)).toEqual(['prose', 'command', 'prose']);
    expect(proseOf(step)).toBe('Run this:\n\nThen look.');
  });

  it('makes callouts and lone pictures blocks of their own, each with its line', () => {
    const step = stepOf('Intro.\n\n> **Tip:** Add `-f`\n> to follow.\n\n![The dashboard](dash.svg)\n\n> [!WARNING]\n> Not in production.\n\n> a plain quote');
    expect(step.blocks).toMatchObject([
      { kind: 'prose', markdown: 'Intro.' },
      { kind: 'callout', tone: 'tip', label: 'Tip', markdown: 'Add `-f`\nto follow.' },
      { kind: 'image', alt: 'The dashboard', src: 'dash.svg' },
      { kind: 'callout', tone: 'warning', label: 'Warning', markdown: 'Not in production.' },
      { kind: 'prose', markdown: '> a plain quote' },
    ]);
    const lines = step.blocks.map((b) => b.source.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('keeps shell blocks in the intro as code, not commands', () => {
    const lesson = parseLesson(`${FRONT}\nSet up:\n\n\`\`\`bash\necho hi\n\`\`\`\n\n## S\n`, 'lesson.md');
    expect(lesson.intro).toBe('Set up:\n\n```bash\necho hi\n```');
    expect(lesson.steps[0].commands).toEqual([]);
  });

  it('does not start a step at a ## line inside a code block', () => {
    const lesson = parseLesson(`${FRONT}\n## S\n\n\`\`\`text\n## not a step\n\`\`\`\n`, 'lesson.md');
    expect(lesson.steps.map((s) => s.id)).toEqual(['s']);
  });

  it('slugifies titles with punctuation and accents', () => {
    const lesson = parseLesson(`${FRONT}\n## Café: \`kubectl\` & Istio's gateway!\n\n## 2. Next ##\n`, 'lesson.md');
    expect(lesson.steps.map((s) => [s.id, s.title])).toEqual([
      ['cafe-kubectl-istio-s-gateway', "Café: `kubectl` & Istio's gateway!"],
      ['2-next', '2. Next'],
    ]);
  });

  it('refuses a port on a command that is not in the background', () => {
    expect(problemsOf(`${FRONT}\n## S\n\n\`\`\`bash {port=8080}\nkubectl proxy\n\`\`\`\n`)).toEqual([
      'lesson.md:8: port= is only for background commands: add background',
    ]);
  });

  it('refuses duplicate background process names', () => {
    expect(problemsOf(`${FRONT}\n## S\n\n\`\`\`bash {background name=pf}\nsleep 1\n\`\`\`\n\n\`\`\`bash {background name=pf}\nsleep 2\n\`\`\`\n`)).toEqual([
      'lesson.md:12: duplicate process name "pf" (a command on line 9 has it too)',
    ]);
  });
});

describe('interpolate', () => {
  it('replaces known ${VAR}s and leaves unknown ones as written', () => {
    expect(interpolate('http://${GATEWAY_URL}/productpage?u=${USER}', { GATEWAY_URL: '127.0.0.1:31380' })).toBe(
      'http://127.0.0.1:31380/productpage?u=${USER}',
    );
  });

  it('leaves $VAR without braces and malformed references alone', () => {
    expect(interpolate('$HOME ${} ${1X} ${A-B}', { HOME: 'h', A: 'a' })).toBe('$HOME ${} ${1X} ${A-B}');
  });

  it('substitutes an empty value and does not re-expand substituted text', () => {
    expect(interpolate('[${A}][${B}]', { A: '', B: '${A}' })).toBe('[][${A}]');
  });
});
