/**
 * Ink's line caches outlive a frame (scripts/ink-frame-caches.mjs): the patch applies to the Ink
 * installed, the Ink the tests load is the patched one, the caches are shared and bounded, and a
 * frame drawn from warm caches is the frame drawn from cold ones.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import chalk from 'chalk';
// @ts-expect-error: a plain .mjs build script, without types
import { patchInkOutput } from '../../scripts/ink-frame-caches.mjs';

const OUTPUT_JS = join(import.meta.dirname, '..', '..', 'node_modules', 'ink', 'build', 'output.js');

interface InkOutput {
  caches: { styledChars: Map<string, unknown> };
  write(x: number, y: number, text: string, options: { transformers: unknown[] }): void;
  get(): { output: string };
}
type OutputClass = new (size: { width: number; height: number }) => InkOutput;

const loadOutput = async (): Promise<OutputClass> => (await import(OUTPUT_JS)).default;

describe('Ink frame caches', () => {
  test('the patch applies to the installed Ink, and refuses code it does not know', () => {
    expect(patchInkOutput(readFileSync(OUTPUT_JS, 'utf8'))).toContain('caches = kubetutorFrameCaches();');
    expect(() => patchInkOutput('export default class Output {}')).toThrow(/not the code this patch knows/);
  });

  test('frames share one set of caches, replaced when it grows past its bound', async () => {
    const Output = await loadOutput();
    const a = new Output({ width: 40, height: 3 });
    const b = new Output({ width: 40, height: 3 });
    expect(b.caches).toBe(a.caches);
    for (let i = 0; i < 500; i++) {
      const o = new Output({ width: 40, height: 1 });
      o.write(0, 0, `line ${i}`, { transformers: [] });
      o.get();
    }
    const after = new Output({ width: 40, height: 1 });
    expect(after.caches).not.toBe(a.caches);
    expect(after.caches.styledChars.size).toBeLessThanOrEqual(400);
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
});
