/**
 * The package as a learner's `npx kubetutor` gets it: `npm pack`ed, installed into an empty
 * folder offline (from the npm cache; nothing else is needed, as it has no runtime
 * dependencies), then run from there. Uses the dist/ that `npm test` has just built.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

interface Run { code: number; stdout: string; stderr: string }
function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false', ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

let work: string;
let app: string;
let state: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kubetutor-pack-'));
  app = join(work, 'learner');
  state = join(work, 'state');
  // --ignore-scripts: the package's prepare would build again; dist/ is already built.
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  const [{ filename }] = JSON.parse(pack.stdout) as Array<{ filename: string }>;
  const { mkdirSync } = await import('node:fs');
  mkdirSync(app);
  const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', join(work, filename)], app);
  expect(install.code, install.stderr).toBe(0);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package, installed into an empty folder', () => {
  test('brings nothing but itself: no runtime dependency, its licences included', () => {
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['kubetutor']);
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules', 'kubetutor', 'package.json'), 'utf8')) as { dependencies?: object };
    expect(pkg.dependencies ?? {}).toEqual({});
    const notices = readFileSync(join(app, 'node_modules', 'kubetutor', 'dist', 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    for (const name of ['ink', 'react', '@kubernetes/client-node', 'yaml', 'ws']) expect(notices).toMatch(new RegExp(`^- ${name.replace('/', '\\/')} \\d+\\.\\d+\\.\\d+ \\(`, 'm'));
    expect(notices).toMatch(/Permission is hereby granted, free of charge/); // an MIT text, in full
    expect(notices).toMatch(/Apache License\s+Version 2\.0/); // client-node's
    expect(existsSync(join(app, 'node_modules', 'kubetutor', 'lessons', 'istio-jaeger', 'lesson.md'))).toBe(true);
  });

  test('npx kubetutor --version, list and check --sandbox=ready run from there', async () => {
    const env = { XDG_STATE_HOME: state };
    const version = await run('npx', ['--offline', '--no-install', 'kubetutor', '--version'], app, env);
    expect(version.stderr).toBe('');
    expect(version.stdout).toBe(`${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    const list = await run('npx', ['--offline', '--no-install', 'kubetutor', 'list'], app, env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/istio-jaeger/);
    const pre = await run('npx', ['--offline', '--no-install', 'kubetutor', 'check', 'istio-jaeger', '--sandbox=ready', '--step', 'prerequisites'], app, env);
    expect(pre.stderr).toBe('target: sandbox (scenario ready)\n');
    expect(pre.code).toBe(0);
    expect(pre.stdout).toMatch(/^\d+ of \d+ checks pass\n$/m);
    // Every step (nothing forwards the dashboard here: those checks fail, clearly, and the rest pass).
    const all = await run('npx', ['--offline', '--no-install', 'kubetutor', 'check', 'istio-jaeger', '--sandbox=ready', '--port', '15032=auto'], app, env);
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/^✓ prerequisites: /m);
    expect(all.stdout).toMatch(/^✗ port-forward: GET http:\/\/localhost:\d+\/: connection to localhost:\d+ refused$/m);
    expect(all.stderr).not.toMatch(/internal error|node_modules/);
  }, 120_000);
});
