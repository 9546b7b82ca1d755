/**
 * Ink 6 turns every frame into text from scratch: each screen line is tokenized into styled
 * characters and each character measured, in caches that live for one frame only. On our screens
 * (one Ink text node per line, most lines unchanged from the frame before) that was most of a
 * frame's cost: measured on `kubetutor play` at 120×40, ≈ 25 ms a frame, half of it re-tokenizing
 * lines the previous frame had already done. Ink 7 and 8 still do it, and need Node 22.
 *
 * This patch keeps Ink's own caches from frame to frame, bounded: when they hold more than a
 * few hundred lines (ten full screens of changes), a fresh set starts. The cached values are
 * only read by Ink (characters placed into the frame's grid, never modified), so sharing them
 * changes no output. Applied when the CLI is bundled (esbuild) and when the tests load Ink
 * (a Vite plugin, vitest.config.ts), so what is tested is what ships.
 */
import { readFile } from 'node:fs/promises';

const FILE = /[\\/]ink[\\/]build[\\/]output\.js$/;
const SITE = 'caches = new OutputCaches();';

const SHARED = `
// kubetutor (scripts/ink-frame-caches.mjs): the caches outlive a frame, bounded.
let kubetutorSharedCaches;
function kubetutorFrameCaches() {
    const c = kubetutorSharedCaches;
    if (!c || c.styledChars.size > 400 || c.widths.size > 4000 || c.blockWidths.size > 400) kubetutorSharedCaches = new OutputCaches();
    return kubetutorSharedCaches;
}
`;

/** Ink's output.js with frame-spanning caches; throws when Ink's code is not what this patch knows. */
export function patchInkOutput(source) {
  const at = source.indexOf(SITE);
  const classEnd = source.indexOf('export default class Output');
  if (at < 0 || classEnd < 0 || source.indexOf(SITE, at + 1) >= 0) {
    throw new Error(`scripts/ink-frame-caches.mjs: ink/build/output.js is not the code this patch knows (no single "${SITE}"): update the patch for this Ink version`);
  }
  const patched = source.slice(0, at) + 'caches = kubetutorFrameCaches();' + source.slice(at + SITE.length);
  return patched.slice(0, classEnd) + SHARED + patched.slice(classEnd);
}

/** The esbuild plugin (scripts/build.mjs). */
export const inkFrameCachesEsbuild = {
  name: 'ink-frame-caches',
  setup(build) {
    build.onLoad({ filter: FILE }, async (args) => ({ contents: patchInkOutput(await readFile(args.path, 'utf8')), loader: 'js' }));
  },
};

/** The Vite plugin (vitest.config.ts; Ink must be inlined for Vite to see its files). */
export const inkFrameCachesVite = {
  name: 'ink-frame-caches',
  enforce: 'pre',
  transform(code, id) {
    return FILE.test(id.split('?')[0]) ? { code: patchInkOutput(code), map: null } : undefined;
  },
};
