import { afterAll, describe, expect, test } from 'vitest';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kubectlPath } from '../helpers/sandbox.js';
import { SCENARIO_NAMES } from '../../src/sandbox/scenarios/index.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const run = promisify(execFile);

describe('kubetutor sandbox (the built CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubetutor-cli-'));
  afterAll(() => undefined);

  test('--list-scenarios prints each scenario with one line of description', async () => {
    const { stdout } = await run('node', [CLI, 'sandbox', '--list-scenarios']);
    const lines = stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([...SCENARIO_NAMES]);
    for (const l of lines) expect(l).toMatch(/^\S+\s{2,}\S.{10,}$/);
  });

  test('an unknown scenario is one clear line, not a stack trace', async () => {
    const err = await run('node', [CLI, 'sandbox', '--scenario', 'nope']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/^kubetutor: unknown scenario "nope"; known scenarios: ready, fresh/);
    expect(err.stderr).not.toMatch(/\n\s+at /);
  });

  test('serves until SIGINT, prints the kubeconfig line, and kubectl works with the file', async () => {
    const kubeconfig = join(dir, 'sb.kubeconfig');
    const child = spawn('node', [CLI, 'sandbox', '--scenario', 'fresh', '--kubeconfig-out', kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => /kubeconfig: /.test(out) && (clearInterval(t), resolve()), 20);
      child.on('exit', (c) => reject(new Error(`exited ${c}`)));
    });
    expect(out).toBe(`kubeconfig: ${kubeconfig}\n`);
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    const { stdout } = await run(kubectlPath(), ['--kubeconfig', kubeconfig, 'get', 'namespaces', '-o', 'name']);
    expect(stdout.split('\n')).toEqual(expect.arrayContaining(['namespace/default', 'namespace/istio-system']));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(kubeconfig)).toBe(true); // a file the user named is theirs to keep
  });

  test('a port already in use says so and what to do', async () => {
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await run('node', [CLI, 'sandbox', '--port', String(port), '--kubeconfig-out', join(dir, 'x.kubeconfig')]).catch((e) => e);
      expect(err.code).toBe(2);
      expect(err.stderr).toBe(`kubetutor: port ${port} on 127.0.0.1 is already in use; pick another with --port, or 0 for any free port\n`);
    } finally {
      blocker.close();
    }
  });
});
