import { expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'lessons');
const run = promisify(execFile);

test('kubetutor list shows the bundled lesson, and lessons from --lessons with broken ones marked', async () => {
  const bundled = await run('node', [CLI, 'list']);
  expect(bundled.stdout).toMatch(/^istio-jaeger\s+\[en, zh-CN\]\s+Distributed tracing with Jaeger — /m);
  const zh = await run('node', [CLI, 'list'], { env: { ...process.env, LANG: 'zh_CN.UTF-8', LC_ALL: '' } });
  expect(zh.stdout).toMatch(/^istio-jaeger\s+\[en, zh-CN\]\s+使用 Jaeger/m);
  const more = await run('node', [CLI, 'list', '--lessons', FIXTURES]);
  expect(more.stdout).toMatch(/^session-fixture\s+\[en\]\s+Session fixture/m);
  expect(more.stdout).toMatch(/\(broken\) .*lesson\.md:\d+: /);
  expect(more.stdout).toMatch(/^istio-jaeger /m);
});

test('a broken lesson names the file and line, without a stack trace', async () => {
  const err = await run('node', [CLI, 'start', join(FIXTURES, 'broken-kind'), '--plain']).catch((e) => e);
  expect(err.code).toBe(2);
  expect(err.stderr).toMatch(/^kubetutor: .*broken-kind\/lesson\.md:\d+: /);
  expect(err.stderr).not.toMatch(/\n\s+at /);
});
