/**
 * Heavy dependencies bundled into one file each for the test workers, the way scripts/build.mjs
 * bundles them into the CLI. Every test file runs in a fresh worker, and a worker that imports
 * the Kubernetes client loads its ~970 modules one by one: 0.86 s of CPU a file, measured, against
 * 0.24 s for the same code as one minified file. Ink (with its reconciler, layout engine and
 * tokenizer) is the other one. vitest.config.ts points the imports at the bundles (aliases), so
 * the tests run these as the CLI ships them: bundled by esbuild, Ink with the patches of
 * scripts/ink-frame-caches.mjs, string-width with scripts/string-width-lazy.mjs. React stays outside, so that Ink and the app share one React.
 *
 * Bundles are kept in node_modules/.cache/kubetutor-test-deps/, named by a hash of what they are
 * made of (the packages' versions, esbuild's, these scripts), and written whole or not at all.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inkFrameCachesEsbuild } from './ink-frame-caches.mjs';
import { stringWidthLazyEsbuild } from './string-width-lazy.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const version = (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;

/**
 * What is bundled: the import a test or the app writes, the packages whose versions name the
 * bundle, and what stays outside it.
 */
const DEPS = [
  { name: '@kubernetes/client-node', versions: ['@kubernetes/client-node'], external: [] },
  { name: 'ink', versions: ['ink', '@alcalzone/ansi-tokenize', 'react-reconciler', 'yoga-layout', 'string-width'], external: ['react', 'react/*'] },
  { name: 'string-width', versions: ['string-width'], external: [], hasDefault: true },
];
const INPUTS = ['test-deps.mjs', 'ink-frame-caches.mjs', 'string-width-lazy.mjs'].map((f) => readFileSync(join(root, 'scripts', f), 'utf8'));

/** One dependency as a single ES module file (built once, then reused); its path. */
async function bundled({ name, versions, external, hasDefault = false }) {
  const hash = createHash('sha256')
    .update(JSON.stringify([name, versions.map(version), version('esbuild'), INPUTS]))
    .digest('hex')
    .slice(0, 16);
  const dir = join(root, 'node_modules', '.cache', 'kubetutor-test-deps');
  const stem = name.replace(/[@/]/g, '_');
  const file = join(dir, `${stem}-${hash}.mjs`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  // Bundles of older versions of this dependency go.
  for (const old of readdirSync(dir)) if (old.startsWith(`${stem}-`) && old.endsWith('.mjs')) rmSync(join(dir, old), { force: true });
  const result = await build({
    absWorkingDir: root,
    stdin: { contents: `export * from ${JSON.stringify(name)};${hasDefault ? ` export { default } from ${JSON.stringify(name)};` : ''}`, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // As in scripts/build.mjs: Node's deprecated punycode replaced by the package of that name,
    // and the devtools Ink loads only with DEV=true (not a dependency) left out.
    alias: { punycode: join(root, 'node_modules', 'punycode', 'punycode.js'), 'react-devtools-core': join(root, 'scripts', 'empty-module.mjs') },
    external: ['bufferutil', 'utf-8-validate', ...external],
    plugins: [inkFrameCachesEsbuild, stringWidthLazyEsbuild],
    banner: { js: "import { createRequire as __kubetutorCreateRequire } from 'node:module'; const require = __kubetutorCreateRequire(import.meta.url);" },
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, result.outputFiles[0].contents);
  renameSync(temp, file);
  return file;
}

/** Vite aliases from each bundled dependency's import to its bundle (vitest.config.ts). */
export async function testDepAliases() {
  return Promise.all(DEPS.map(async (dep) => ({ find: new RegExp(`^${dep.name.replace(/[/.]/g, '\\$&')}$`), replacement: await bundled(dep) })));
}
