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
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleJaegerWebScript } from './jaeger-web-bundle.mjs';
import { inkFrameCachesEsbuild } from './ink-frame-caches.mjs';
import { stringWidthLazyEsbuild } from './string-width-lazy.mjs';
import { noticesText, runtimeImports } from './third-party-notices.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bench = process.argv[2] === 'bench';
const outdir = `${root}/${bench ? '.bench' : 'dist'}`;
rmSync(outdir, { recursive: true, force: true });
// The sandbox's Jaeger web page script, carried as a string (src/sandbox/workloads/jaeger-web/client-script.ts).
const jaegerWebScript = await bundleJaegerWebScript(root);

// ws's optional native speed-ups: required inside try/catch, absent here.
const OPTIONAL = ['bufferutil', 'utf-8-validate'];
const result = await build({
  absWorkingDir: root,
  metafile: true,
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
  // Node's own punycode module is deprecated (a warning on stderr from Node 21 on): the
  // URL code of the Kubernetes client gets the userland package of the same name instead.
  alias: { 'react-devtools-core': `${root}/scripts/empty-module.mjs`, punycode: `${root}/node_modules/punycode/punycode.js` },
  external: OPTIONAL,
  // Ink's line caches kept from frame to frame (scripts/ink-frame-caches.mjs); string-width's
  // segmenter and emoji expression built on first use (scripts/string-width-lazy.mjs).
  plugins: [inkFrameCachesEsbuild, stringWidthLazyEsbuild],
  // CommonJS packages bundled into ES modules still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __kubetutorCreateRequire } from 'node:module'; const require = __kubetutorCreateRequire(import.meta.url);" },
  // Smaller sources load faster and take less memory (V8 keeps every script's source).
  minify: true,
  logLevel: 'warning',
});

if (!bench) {
  // kubetutor has no runtime dependencies: everything it needs is in dist/. Refuse a bundle that
  // would load a package from node_modules, and ship the licences of what it bundles.
  // Also required only inside try/catch, and absent: node-fetch's `encoding`, debug's `supports-color`.
  const leaking = runtimeImports(result.metafile, [...OPTIONAL, 'encoding', 'supports-color']);
  if (leaking.length) throw new Error(`the bundle would load from node_modules at run time: ${leaking.join(', ')} (bundle them, or list them as optional in scripts/build.mjs)`);
  const own = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
  writeFileSync(`${outdir}/THIRD-PARTY-NOTICES.txt`, noticesText(result.metafile, root, own));
}
