import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { proseOf } from '../../src/lesson/types.js';
import { hugoToLesson, hugoToLessonMarkdown, importSkeleton, isHugoPage } from '../../src/lesson/hugo.js';
import { parseLesson } from '../../src/lesson/parse.js';
import { lintLesson } from '../../src/authoring/lint.js';
import { loadLesson } from '../../src/lesson/load.js';

const FILE = fileURLToPath(new URL('../fixtures/hugo/sample-task.md', import.meta.url));
const PAGE = readFileSync(FILE, 'utf8');

describe('isHugoPage', () => {
  it('spots istio.io shortcodes', () => {
    expect(isHugoPage(PAGE)).toBe(true);
    expect(isHugoPage('x\n{{< tip >}}\nhi\n{{< /tip >}}\n')).toBe(true);
    expect(isHugoPage('x\n{{< idea >}}\nhi\n{{< /idea >}}\n')).toBe(true);
    expect(isHugoPage('---\nid: a\ntitle: A\n---\n## One\n```bash\n$ kubectl get pods\n```\n')).toBe(false);
  });
});

describe('hugoToLessonMarkdown', () => {
  const md = hugoToLessonMarkdown(PAGE, FILE);

  it('writes kubetutor front matter', () => {
    expect(md.startsWith('---\nid: sample-task\ntitle: "Peek at the Echo Dashboard"\n')).toBe(true);
    expect(md).toContain('summary: "Deploy a tiny echo service and open its dashboard through a port-forward."');
    expect(md).toContain('requires: [kubectl]');
    expect(md).not.toContain('weight:');
    expect(md).not.toContain('keywords:');
  });

  it('turns ## headings into steps with ids and keeps ### sub-headings', () => {
    expect(md).toContain('## Before you begin {#before-you-begin}');
    expect(md).toContain('## Open the dashboard {#open-the-dashboard}');
    expect(md).toContain('\n### Check the logs\n');
  });

  it('keeps prompts, drops output, marks background commands', () => {
    expect(md).toContain('```bash\n$ kubectl create namespace echo-demo\n```');
    expect(md).not.toContain('namespace/echo-demo created');
    expect(md).not.toContain('Running');
    expect(md).toContain('```bash\n$ kubectl -n echo-demo get pods \\\n    -l app=echo\n```');
    expect(md).toContain('```bash {background name=open-the-dashboard-bg-1}\n$ kubectl -n echo-demo port-forward svc/echo 18080:8080\n```');
    expect(md).toContain('```yaml\napiVersion: v1\n');
  });

  it('renders images, boxes and links', () => {
    expect(md).toContain('![The echo dashboard, reached through a port-forward](./echo-dashboard.svg)');
    expect(md).toContain('> **Warning:** Do not run this in a production cluster: the dashboard has\n> no authentication.');
    expect(md).toContain('> **Tip:** Add `-f` to follow the logs.');
    expect(md).toContain('[http://localhost:18080](http://localhost:18080)');
    expect(md).not.toContain('{{<');
  });

  it('handles idea boxes, indented blocks, duplicate headings and text without prompts', () => {
    const page = [
      '---', 'title: T', '---',
      '## Go', '1. Run:', '', '    {{< text bash >}}', '    $ echo hi', '    hi', '    {{< /text >}}', '',
      '{{< idea >}}One line idea.{{< /idea >}}', '',
      '## Go', '{{< text json >}}', '{"a": 1}', '{{< /text >}}',
    ].join('\n');
    const out = hugoToLessonMarkdown(page, '/x/My Page.md');
    expect(out).toContain('id: my-page');
    expect(out).toContain('    ```bash\n    $ echo hi\n    ```');
    expect(out).toContain('> **Idea:** One line idea.');
    expect(out).toContain('## Go {#go-2}');
    expect(out).toContain('```json\n{"a": 1}\n```');
    const lesson = parseLesson(out, '/x/My Page.md');
    expect(lesson.steps[0].commands.map((c) => c.run)).toEqual(['echo hi']);
  });
});

describe('hugoToLesson', () => {
  const lesson = hugoToLesson(PAGE, FILE);

  it('gives the steps and their commands', () => {
    expect(lesson.id).toBe('sample-task');
    expect(lesson.title).toBe('Peek at the Echo Dashboard');
    expect(lesson.summary).toContain('echo service');
    expect(lesson.requires).toEqual(['kubectl']);
    expect(lesson.steps.map((s) => s.id)).toEqual(['before-you-begin', 'deploy-the-echo-service', 'open-the-dashboard']);
    expect(lesson.steps.every((s) => s.checks.length === 0)).toBe(true);
    expect(lesson.steps[0].commands.map((c) => c.run)).toEqual(['kubectl create namespace echo-demo']);
    expect(lesson.steps[1].commands.map((c) => c.run)).toEqual([
      'kubectl -n echo-demo apply -f echo.yaml',
      'kubectl -n echo-demo get pods \\\n    -l app=echo',
    ]);
  });

  it('marks the port-forward as a background command', () => {
    const [pf] = lesson.steps[2].commands;
    expect(pf).toMatchObject({ run: 'kubectl -n echo-demo port-forward svc/echo 18080:8080', background: true, name: 'open-the-dashboard-bg-1' });
  });

  it('keeps the image caption, and the warning and tip as callouts', () => {
    expect(lesson.intro).toContain('![The echo dashboard, reached through a port-forward](./echo-dashboard.svg)');
    expect(lesson.steps[0].blocks).toContainEqual(expect.objectContaining({ kind: 'callout', tone: 'warning', markdown: expect.stringContaining('Do not run this in a production cluster') }));
    expect(proseOf(lesson.steps[1])).toContain('```yaml');
    expect(lesson.steps[1].blocks.some((b) => b.kind === 'callout' && b.label === 'Tip')).toBe(true);
  });
});

describe('importSkeleton', () => {
  const skel = importSkeleton(PAGE, FILE);

  it('adds a check placeholder per step', () => {
    expect(skel.match(/<!-- check: TODO\(author\)/g)).toHaveLength(3);
    expect(skel).toContain('- kind: pods-ready');
  });

  it('parses, and lint reports only warnings', () => {
    const lesson = parseLesson(skel, FILE);
    expect(lesson.steps).toHaveLength(3);
    expect(lesson.steps.every((s) => s.checks.length === 0)).toBe(true); // the placeholder is not a live check
    const findings = lintLesson(skel, FILE);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(findings.some((f) => f.message.includes('has commands but no check'))).toBe(true);
  });

  it('an all-comment check block is refused by the parser (hence the HTML comment)', () => {
    const md = '---\nid: a\ntitle: A\n---\n## One\n```check\n# TODO\n```\n';
    expect(() => parseLesson(md, 'a.md')).toThrow(/check block is empty/);
  });
});

describe('loadLesson', () => {
  it('converts an istio.io page given by path', async () => {
    const lesson = await loadLesson(FILE);
    expect(lesson.id).toBe('sample-task');
    expect(lesson.steps).toHaveLength(3);
    expect(lesson.file).toBe(FILE);
  });
});
