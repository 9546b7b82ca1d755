// string-width builds its segmenter and emoji expression on first use (scripts/string-width-lazy.mjs):
// the patch applies to the string-width Ink and the app use, refuses code it does not know, and
// the patched copy the tests load measures as the original does.
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
// @ts-expect-error: a plain .mjs build script, without types
import { patchStringWidth } from '../../scripts/string-width-lazy.mjs';

const INDEX_JS = join(import.meta.dirname, '..', '..', 'node_modules', 'string-width', 'index.js');

test('the patch applies to the installed string-width and refuses code it does not know', () => {
  const patched = patchStringWidth(readFileSync(INDEX_JS, 'utf8'));
  expect(patched).toContain('kubetutorSegmenter ??= new Intl.Segmenter()');
  expect(patched).toContain('kubetutorRgiEmoji ??= /^\\p{RGI_Emoji}$/v');
  expect(patched).not.toMatch(/^const segmenter = new Intl\.Segmenter\(\);$/m);
  expect(() => patchStringWidth('export default function stringWidth() {}')).toThrow(/not the code this patch knows/);
});

test('the patched string-width the tests load measures what the original measures', async () => {
  // The original, loaded straight from node_modules by Node (not through the tests' alias).
  const original = (await import(/* @vite-ignore */ INDEX_JS)).default as typeof stringWidth;
  // Two modules: the tests' string-width is the patched bundle (scripts/test-deps.mjs), not this one.
  expect(stringWidth).not.toBe(original);
  for (const s of ['kubectl get pods', '✓ passed', '日本語のテキスト', '👍🏽 and 👨‍👩‍👧', 'e\u0301', '1\u20e3', '\u001b[31mred\u001b[39m', '한국어', 'ｈａｌｆ', '\u200b', '']) {
    expect(stringWidth(s)).toBe(original(s));
  }
  expect(stringWidth('日本語')).toBe(6);
  expect(stringWidth('👨‍👩‍👧')).toBe(2);
});
