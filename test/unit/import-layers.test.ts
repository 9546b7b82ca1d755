// The house plan of src/ (scripts/import-layers.mjs): imports point down, never round.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script, shared with `node scripts/import-layers.mjs`
import { importCircles, importEdges, layerViolations } from '../../scripts/import-layers.mjs';

type Edge = { from: string; to: string };

describe('the import graph of src/', () => {
  const edges = importEdges() as Edge[];

  it('is read (a checker that sees no imports would pass anything)', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual({ from: 'src/cli.ts', to: 'src/commands/table.ts' });
    // type-only imports count too
    expect(edges).toContainEqual({ from: 'src/traces/waterfall-layout.ts', to: 'src/traces/waterfall-state.ts' });
  });

  it('has no import from a lower floor to a higher one, nor past the sandbox entry', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(importCircles(edges)).toEqual([]);
  });

  it('catches what it is there to catch', () => {
    const bad: Edge[] = [
      { from: 'src/traces/x.ts', to: 'src/ui/screen.ts' },
      { from: 'src/cli.ts', to: 'src/sandbox/sandbox.ts' },
      { from: 'src/cluster/a.ts', to: 'src/processes/b.ts' },
    ];
    expect(layerViolations(bad)).toHaveLength(3);
    expect(importCircles([{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }, { from: 'c', to: 'd' }])).toEqual([['a', 'b', 'c']]);
  });
});

/** The sandbox's protocol code (HTTP API, streaming, port-forward, exec) may hold long modules. */
const PROTOCOL_CODE = /^src\/sandbox\/(api|streaming|portforward|exec)\//;
const MAX_LINES = 500;
/** Files allowed over the limit, each with the most lines it may have and why. */
const OVER_LIMIT: Record<string, { max: number; why: string }> = {
};

describe('the size of the modules in src/', () => {
  const root = join(import.meta.dirname, '..', '..');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
  const sizes = files(join(root, 'src')).map((f) => ({ file: relative(root, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }));

  it('no file outside the sandbox protocol code grows past 500 lines (or past its allowance)', () => {
    expect(sizes.length).toBeGreaterThan(100);
    const over = sizes
      .filter(({ file }) => !PROTOCOL_CODE.test(file))
      .filter(({ file, lines }) => lines > (OVER_LIMIT[file]?.max ?? MAX_LINES))
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(over).toEqual([]);
  });
});
