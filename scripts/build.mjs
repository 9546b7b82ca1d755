#!/usr/bin/env node
/**
 * Builds the CLI into dist/ with esbuild: one entry file plus chunks, every
 * dependency bundled in. Loading a few large files instead of hundreds of
 * small modules is most of what makes `kubetutor` start fast (Ink alone takes
 * ~0.4 s unbundled, ~0.08 s bundled). The commands stay separate chunks, loaded
 * only when chosen. `node scripts/build.mjs bench` builds the benchmark
 * (test/bench) into .bench/ instead.
 * Type checking is tsc's job (`npm run typecheck`).
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleJaegerWebScript } from './jaeger-web-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bench = process.argv[2] === 'bench';
const outdir = `${root}/${bench ? '.bench' : 'dist'}`;
rmSync(outdir, { recursive: true, force: true });
// The sandbox's Jaeger web page script, carried as a string (src/sandbox/workloads/jaeger-web/client-script.ts).
const jaegerWebScript = await bundleJaegerWebScript(root);

await build({
  absWorkingDir: root,
  entryPoints: bench ? { index: 'test/bench/index.ts' } : { cli: 'src/cli.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // React's production build: no development checks on every render.
  define: { 'process.env.NODE_ENV': '"production"', __KUBETUTOR_JAEGER_WEB_JS__: JSON.stringify(jaegerWebScript) },
  // Ink loads react-devtools-core only when DEV=true; it is not a dependency.
  alias: { 'react-devtools-core': `${root}/scripts/empty-module.mjs` },
  // ws's optional native speed-ups: required inside try/catch, absent here.
  external: ['bufferutil', 'utf-8-validate'],
  // CommonJS packages bundled into ES modules still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __kubetutorCreateRequire } from 'node:module'; const require = __kubetutorCreateRequire(import.meta.url);" },
  // Smaller sources load faster and take less memory (V8 keeps every script's source).
  minify: true,
  logLevel: 'warning',
});
