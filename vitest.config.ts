import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain .mjs build script, without types
import { inkFrameCachesVite } from './scripts/ink-frame-caches.mjs';
// @ts-expect-error: a plain .mjs build script, without types
import { testDepAliases } from './scripts/test-deps.mjs';
import SlowFirst from './test/helpers/slow-first.js';

// Most test files wait on I/O (sandboxes over HTTPS, the real kubectl, tmux, child CLIs), not on
// the CPU: on a 2-core machine the default (cores - 1 = one file at a time) leaves it mostly idle.
// Files are independent (own sandboxes, free ports, own state folder: test/helpers/setup-state.ts),
// so several run at once. The longest files start first and mostly wait (tmux walks, signals,
// timeouts): with 4 workers the cores were a third idle for the first minute; 8 keep them busy
// (measured: 4 → 258 s, 6 → 238 s, 8 → 228 s). KT_TEST_WORKERS overrides the count.
const workers = Number(process.env.KT_TEST_WORKERS) || 8;

const CLUSTER = ['**/test/{e2e,sandbox,reliability,hostile}/**'];

export default defineConfig({
  // The Kubernetes client, Ink and string-width as one bundled file each, as the CLI ships them: a
  // worker loads the client in a third of the time its ~970 modules take (scripts/test-deps.mjs).
  resolve: { alias: await testDepAliases() },
  // Ink's line caches kept from frame to frame, as in the built CLI (scripts/ink-frame-caches.mjs).
  plugins: [
    inkFrameCachesVite,
    // Ink's files name source maps it does not ship: read without that line, or Vite warns for each.
    {
      name: 'ink-no-source-maps',
      load: (id: string) => (/[\\/]node_modules[\\/]ink(-testing-library)?[\\/].*\.js$/.test(id) ? { code: readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, ''), map: null } : undefined),
    },
  ],
  test: {
    // Inlined so that Vite loads Ink's files and its tokenizer's (and the plugin above patches them);
    // ink-testing-library too, or it would render with a second, unpatched Ink.
    server: { deps: { inline: [/[\\/]node_modules[\\/](ink(-testing-library)?|@alcalzone[\\/]ansi-tokenize)[\\/]/] } },
    setupFiles: ['test/helpers/setup-state.ts'],
    // Tests start sandboxes and run the real kubectl: give them room on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The longest files first, also on a clean checkout without vitest's cache (test/durations.json).
    sequence: { sequencer: SlowFirst },
    poolOptions: {
      // A larger young generation: the Ink frames and sandbox objects the tests make die young, and
      // with V8's default semi-space the workers spent a tenth of their CPU collecting them.
      forks: { execArgv: ['--max-semi-space-size=32'] },
      // The unit and screen tests share two threads and their loaded modules: a process of its own
      // per file cost each ≈ 0.3 s of CPU to start plus its imports again (test/unit and test/ui:
      // 78 → 49 CPU-s, measured).
      threads: { isolate: false, minThreads: 1, maxThreads: 2 },
    },
    maxWorkers: workers,
    minWorkers: 1,
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // test/unit and test/ui (the lesson model, layouts, reducers, Ink screens; some with an
    // in-process sandbox or a short child process, each closed by its file) in the shared threads;
    // the files that drive CLIs, tmux, signals and many sandboxes in a process of their own each
    // (in the threads, those left work running when a thread ended: "Terminating worker thread"). The threads are the default pool because a worker resets its modules before
    // each file when the default pool isolates. (vitest calls poolMatchGlobs deprecated in favour
    // of `projects`, but two projects transform every module twice: more CPU than was saved.)
    pool: 'threads',
    poolMatchGlobs: CLUSTER.map((glob) => [glob, 'forks']),
    // KT_HOLD_15032=1: the run holds the lesson's dashboard port itself, proving no test needs it.
    // own-tmpdir: one temporary folder per run, removed after it.
    globalSetup: ['test/helpers/own-tmpdir.ts', 'test/helpers/hold-15032.ts'],
  },
});
