#!/usr/bin/env node
/**
 * `npm test` after the build: the type check and the test suite at the same time. The suite
 * keeps both cores busy but leaves gaps (files waiting on kubectl, tmux, timers); tsc runs at a
 * lower priority and fills them, instead of adding its ~15 s in front, and incrementally (after
 * the first run it checks what changed). Its output is printed
 * when it is done; the exit status is non-zero when either failed. Arguments go to vitest.
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}/node_modules/.bin/${name}`;

/** Runs a command; resolves with its exit status and, when `capture`, what it printed. */
function run(cmd, args, { capture = false, nice = 0 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    if (nice) {
      try {
        setPriority(child.pid, nice);
      } catch {
        /* not allowed here: it runs at the normal priority */
      }
    }
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ code: 1, out: `${cmd}: ${e.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

const typecheck = (async () => {
  for (const project of ['tsconfig.json', 'tsconfig.browser.json']) {
    // Incremental: what tsc learnt last time (node_modules/.cache) spares it the files that did not
    // change; a clean checkout checks everything.
    const info = `${root}/node_modules/.cache/kubetutor-tsc/${project.replace(/\.json$/, '')}.tsbuildinfo`;
    const r = await run(bin('tsc'), ['-p', project, '--noEmit', '--incremental', '--tsBuildInfoFile', info], { capture: true, nice: 10 });
    if (r.code !== 0) return { ...r, out: `tsc -p ${project}:\n${r.out}` };
  }
  return { code: 0, out: '' };
})();
const tests = await run(bin('vitest'), ['run', ...process.argv.slice(2)]);
const types = await typecheck;
if (types.code !== 0) process.stderr.write(`\ntype check failed:\n${types.out}`);
else process.stdout.write('type check: no errors (tsconfig.json, tsconfig.browser.json)\n');
process.exit(tests.code || types.code);
