/**
 * Ink's line caches outlive a frame (scripts/ink-frame-caches.mjs): the patch applies to the Ink
 * installed, the Ink the tests load is the patched one, the caches are shared and bounded, and a
 * frame drawn from warm caches is the frame drawn from cold ones.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import chalk from 'chalk';
// @ts-expect-error: a plain .mjs build script, without types
import { LINES_KEPT, patchAnsiDiff, patchInkOutput, patchInkRenderNode } from '../../scripts/ink-frame-caches.mjs';
import { ansiCodesToString, diffAnsiCodes, styledCharsFromTokens, tokenize } from '@alcalzone/ansi-tokenize';
import React from 'react';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';

const OUTPUT_JS = join(import.meta.dirname, '..', '..', 'node_modules', 'ink', 'build', 'output.js');
const DIFF_JS = join(import.meta.dirname, '..', '..', 'node_modules', '@alcalzone', 'ansi-tokenize', 'build', 'diff.js');
const RENDER_NODE_JS = join(import.meta.dirname, '..', '..', 'node_modules', 'ink', 'build', 'render-node-to-output.js');

interface InkOutput {
  caches: { styledChars: Map<string, unknown> };
  write(x: number, y: number, text: string, options: { transformers: unknown[] }): void;
  get(): { output: string };
}
type OutputClass = new (size: { width: number; height: number }) => InkOutput;

const loadOutput = async (): Promise<OutputClass> => (await import(OUTPUT_JS)).default;

describe('Ink frame caches', () => {
  // The test files of the units share their modules (vitest.config.ts): chalk's level goes back.
  const level = chalk.level;
  afterEach(() => {
    chalk.level = level;
  });

  test('the patch applies to the installed Ink, and refuses code it does not know', () => {
    expect(patchInkOutput(readFileSync(OUTPUT_JS, 'utf8'))).toContain('caches = kubetutorFrameCaches();');
    expect(() => patchInkOutput('export default class Output {}')).toThrow(/not the code this patch knows/);
  });

  test('frames share one set of caches, replaced when it grows past its bound', async () => {
    const Output = await loadOutput();
    const a = new Output({ width: 40, height: 3 });
    const b = new Output({ width: 40, height: 3 });
    expect(b.caches).toBe(a.caches);
    const draw = (i: number) => {
      const o = new Output({ width: 40, height: 1 });
      o.write(0, 0, `line ${i}`, { transformers: [] });
      o.get();
      return o;
    };
    // Up to LINES_KEPT lines the set is kept (the bound is what keeps the lesson's RSS in budget);
    // past it, a fresh set starts.
    const first = draw(0).caches;
    for (let i = 1; i < LINES_KEPT - 8; i++) expect(draw(i).caches).toBe(first);
    for (let i = LINES_KEPT - 8; i < LINES_KEPT + 8; i++) draw(i);
    const after = new Output({ width: 40, height: 1 });
    expect(after.caches).not.toBe(first);
    expect(after.caches.styledChars.size).toBeLessThanOrEqual(LINES_KEPT);
  });

  test('a frame drawn from warm caches is the frame drawn from cold ones', async () => {
    const Output = await loadOutput();
    chalk.level = 1;
    const lines = [chalk.bold('Step 2 of 5'), `${chalk.green('✓')} namespace ${chalk.cyan('default')} 日本語`, chalk.inverse(' q quit ')];
    const draw = () => {
      const o = new Output({ width: 30, height: lines.length });
      lines.forEach((l, y) => o.write(0, y, l, { transformers: [] }));
      return o.get().output;
    };
    const cold = draw();
    expect(draw()).toBe(cold);
    expect(cold.split('\n')[1]).toContain('日本語');
  });

  test('text widths are kept between frames: the patch applies, and a text still wraps to the box it is in', () => {
    const patched = patchInkRenderNode(readFileSync(RENDER_NODE_JS, 'utf8'));
    expect(patched).toContain('const currentWidth = kubetutorWidestLine(text);');
    expect(patched).not.toContain('const currentWidth = widestLine(text);');
    expect(() => patchInkRenderNode('const renderNodeToOutput = () => {};')).toThrow(/not the code this patch knows/);
    const text = 'kubectl port-forward 日本語 ✓ across a narrow box';
    const at = (width: number) => React.createElement(Box, { width }, React.createElement(Text, null, text));
    const r = render(at(60));
    expect(r.lastFrame()).toBe(text);
    r.rerender(at(12));
    const narrow = r.lastFrame() ?? '';
    expect(narrow.split('\n').length).toBeGreaterThan(3);
    expect(narrow.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    r.rerender(at(60));
    expect(r.lastFrame()).toBe(text);
    r.unmount();
  });

  test('two equal styles need no codes between them: the patch applies, and answers what the full computation does', async () => {
    const source = readFileSync(DIFF_JS, 'utf8');
    const patched = patchAnsiDiff(source);
    expect(patched).toContain('kubetutor (scripts/ink-frame-caches.mjs)');
    expect(() => patchAnsiDiff('export function other() {}')).toThrow(/not the code this patch knows/);
    // The unpatched function, loaded from a copy the plugin does not touch, against the one Ink uses.
    const dir = mkdtempSync(join(tmpdir(), 'kt-ansi-diff-'));
    const build = pathToFileURL(dirname(DIFF_JS)).href;
    writeFileSync(join(dir, 'reference-diff.mjs'), source.replace(/from "\.\/(\w+)\.js"/g, `from "${build}/$1.js"`).replace(/^\/\/# sourceMappingURL=.*$/m, ''));
    const reference = (await import(pathToFileURL(join(dir, 'reference-diff.mjs')).href)).diffAnsiCodes as typeof diffAnsiCodes;
    rmSync(dir, { recursive: true, force: true });
    expect(String(diffAnsiCodes)).toContain('kubetutor'); // the tests' Ink uses the patched one
    chalk.level = 3;
    const line = [
      `${chalk.bold('Step 2')} ${chalk.dim('of 5')} plain ${chalk.red.bold('✗ failed')}${chalk.inverse(' q ')}`,
      chalk.green(`a ${chalk.bold('bold')} inside green, ${chalk.underline.dim('dim underline')} and back`),
      `${chalk.bgBlue.white('on blue')}${chalk.bgBlue.white.bold(' and bold')} 日本語 ${chalk.hex('#ff8800')('orange')}`,
    ].join('');
    const styles = [[], ...styledCharsFromTokens(tokenize(line)).map((c) => c.styles)];
    let same = 0;
    for (const from of styles) {
      for (const to of styles) {
        expect(ansiCodesToString(diffAnsiCodes(from, to))).toBe(ansiCodesToString(reference(from, to)));
        if (ansiCodesToString(reference(from, to)) === '') same++;
      }
    }
    expect(same).toBeGreaterThan(styles.length); // the fast case was among them
  });
});
