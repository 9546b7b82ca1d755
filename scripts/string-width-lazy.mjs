/**
 * string-width builds, when it is loaded, a grapheme segmenter (ICU's break data, ≈ 12 ms) and
 * the RGI_Emoji expression (a class of several thousand strings, ≈ 20 ms): about a sixth of a
 * short command's run (`kubetutor lint`, `list`, `check --json`), measured, even when no text
 * it measures leaves printable ASCII, which it answers without either. This patch builds each on
 * first use instead; what string-width answers is unchanged. Applied when the CLI is bundled
 * (scripts/build.mjs) and to the bundles the tests load (scripts/test-deps.mjs).
 */
import { readFile } from 'node:fs/promises';

const FILE = /[\\/]string-width[\\/]index\.js$/;
const SITES = [
  ['const segmenter = new Intl.Segmenter();', 'let kubetutorSegmenter;\nconst segmenter = {segment: (text) => (kubetutorSegmenter ??= new Intl.Segmenter()).segment(text)};'],
  ['const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;', 'let kubetutorRgiEmoji;\nconst rgiEmojiRegex = {test: (text) => (kubetutorRgiEmoji ??= /^\\p{RGI_Emoji}$/v).test(text)};'],
];

/** string-width's index.js with both built on first use; throws when its code is not what this patch knows. */
export function patchStringWidth(source) {
  let out = source;
  for (const [site, lazy] of SITES) {
    const at = out.indexOf(site);
    if (at < 0 || out.indexOf(site, at + 1) >= 0) throw new Error(`scripts/string-width-lazy.mjs: string-width/index.js is not the code this patch knows (no single "${site}"): update the patch for this version`);
    out = out.slice(0, at) + lazy + out.slice(at + site.length);
  }
  // Nothing else may use them as what they were.
  if (/\b(segmenter|rgiEmojiRegex)\.(?!segment\(|test\()/.test(out)) throw new Error('scripts/string-width-lazy.mjs: string-width uses its segmenter or emoji expression in a way this patch does not know');
  return out;
}

/**
 * The esbuild plugin. Copies without the RGI_Emoji expression (wrap-ansi's string-width 7) are left
 * as they are; test/unit/string-width-lazy.test.ts checks that the one Ink and the app use is patched.
 */
export const stringWidthLazyEsbuild = {
  name: 'string-width-lazy',
  setup(build) {
    build.onLoad({ filter: FILE }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.includes(SITES[1][0]) ? patchStringWidth(source) : source, loader: 'js' };
    });
  },
};
