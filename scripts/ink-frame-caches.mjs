/**
 * Ink 6 turns every frame into text from scratch: each screen line is tokenized into styled
 * characters and each character measured, in caches that live for one frame only. On our screens
 * (one Ink text node per line, most lines unchanged from the frame before) that was most of a
 * frame's cost: measured on `kubetutor play` at 120×40, ≈ 25 ms a frame, half of it re-tokenizing
 * lines the previous frame had already done. Ink 7 and 8 still do it, and need Node 22.
 *
 * This patch keeps Ink's own caches from frame to frame, bounded: when they hold more than
 * LINES_KEPT lines (five 40-line screens of changes), a fresh set starts. The cached values are
 * only read by Ink (characters placed into the frame's grid, never modified), so sharing them
 * changes no output.
 *
 * Ink also measures the width of every text node on every frame before placing it
 * (render-node-to-output.js, `widestLine(text)`, uncached: string-width segments each line and
 * matches emoji expressions) — a fifth of the play's CPU after the change above. The same text
 * has the same width, so that measure is kept too, in a bounded map.
 *
 * And to turn a line's styled characters back into text, Ink's tokenizer (@alcalzone/ansi-tokenize)
 * works out the codes between each character and the next (`diffAnsiCodes`), making three Sets
 * and four arrays per character, even when both have the same style — nearly every character
 * of a screen. Most of the garbage a frame made. Two styles with the same codes in the same order
 * need no codes between them: that case returns at once (what the full computation returns too).
 *
 * Applied when the CLI is bundled (esbuild) and when the tests load Ink (a Vite plugin,
 * vitest.config.ts), so what is tested is what ships.
 */
import { readFile } from 'node:fs/promises';

const FILE = /[\\/]ink[\\/]build[\\/]output\.js$/;
const SITE = 'caches = new OutputCaches();';
const NODE_FILE = /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/;
const WIDTH_SITE = 'const currentWidth = widestLine(text);';
const WIDTH_CACHE = `
// kubetutor (scripts/ink-frame-caches.mjs): a text's width, kept from frame to frame, bounded.
const kubetutorWidths = new Map();
function kubetutorWidestLine(text) {
    let w = kubetutorWidths.get(text);
    if (w === undefined) {
        if (kubetutorWidths.size >= 2000) kubetutorWidths.clear();
        kubetutorWidths.set(text, (w = widestLine(text)));
    }
    return w;
}
`;

/**
 * A cached line holds its styled characters, ≈ 40 kB for a 120-cell line: at 400 lines the lesson
 * run's peak RSS grew by 12 MB, past its 150 MB target (`npm run bench`, whole lesson: 153 MB;
 * 200 lines: 143 MB, a frame at 120×40 ≈ 7.5 ms instead of ≈ 6.5; uncached ≈ 18 ms).
 */
export const LINES_KEPT = 200;

const SHARED = `
// kubetutor (scripts/ink-frame-caches.mjs): the caches outlive a frame, bounded.
let kubetutorSharedCaches;
function kubetutorFrameCaches() {
    const c = kubetutorSharedCaches;
    if (!c || c.styledChars.size > ${LINES_KEPT} || c.widths.size > ${LINES_KEPT * 12} || c.blockWidths.size > ${LINES_KEPT}) kubetutorSharedCaches = new OutputCaches();
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

/** Ink's render-node-to-output.js with text widths kept between frames; throws on code it does not know. */
export function patchInkRenderNode(source) {
  const at = source.indexOf(WIDTH_SITE);
  const firstExport = source.indexOf('const renderNodeToOutput');
  if (at < 0 || firstExport < 0 || firstExport > at || source.indexOf(WIDTH_SITE, at + 1) >= 0) {
    throw new Error(`scripts/ink-frame-caches.mjs: ink/build/render-node-to-output.js is not the code this patch knows (no single "${WIDTH_SITE}"): update the patch for this Ink version`);
  }
  const patched = source.slice(0, at) + 'const currentWidth = kubetutorWidestLine(text);' + source.slice(at + WIDTH_SITE.length);
  return patched.slice(0, firstExport) + WIDTH_CACHE + patched.slice(firstExport);
}

const DIFF_FILE = /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]diff\.js$/;
const DIFF_SITE = 'export function diffAnsiCodes(from, to) {';
const DIFF_SAME = `
    // kubetutor (scripts/ink-frame-caches.mjs): the same style on both sides needs no codes.
    if (from.length === to.length && from.every((code, i) => code.code === to[i].code && code.endCode === to[i].endCode)) return [];`;

/** ansi-tokenize's diff.js answering "no codes" at once for two equal styles; throws on code it does not know. */
export function patchAnsiDiff(source) {
  const at = source.indexOf(DIFF_SITE);
  if (at < 0 || source.indexOf(DIFF_SITE, at + 1) >= 0) {
    throw new Error(`scripts/ink-frame-caches.mjs: @alcalzone/ansi-tokenize/build/diff.js is not the code this patch knows (no single "${DIFF_SITE}"): update the patch for this version`);
  }
  const end = at + DIFF_SITE.length;
  return source.slice(0, end) + DIFF_SAME + source.slice(end);
}

/** Each patched file and its patch: the one list both plugins read. */
const PATCHES = [
  [FILE, patchInkOutput],
  [NODE_FILE, patchInkRenderNode],
  [DIFF_FILE, patchAnsiDiff],
];

/** The patch for an Ink file, or undefined for every other file. */
function patchFor(id) {
  return PATCHES.find(([file]) => file.test(id))?.[1];
}

/** The esbuild plugin (scripts/build.mjs). */
export const inkFrameCachesEsbuild = {
  name: 'ink-frame-caches',
  setup(build) {
    const filter = new RegExp(PATCHES.map(([file]) => file.source).join('|'));
    build.onLoad({ filter }, async (args) => ({ contents: patchFor(args.path)(await readFile(args.path, 'utf8')), loader: 'js' }));
  },
};

/** The Vite plugin (vitest.config.ts; Ink must be inlined for Vite to see its files). */
export const inkFrameCachesVite = {
  name: 'ink-frame-caches',
  enforce: 'pre',
  transform(code, id) {
    const patch = patchFor(id.split('?')[0]);
    return patch ? { code: patch(code), map: null } : undefined;
  },
};
