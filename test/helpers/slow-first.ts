/**
 * The order test files start in: the longest first, so that the last minute is not one long file
 * running alone. vitest knows durations from its cache of an earlier run; a clean checkout (CI)
 * has none and would go by file size, which puts the short files that call a shared suite (the
 * tmux play tests, the kubectl-create versions) last. test/durations.json holds the seconds each
 * file took on a 2-core machine (regenerate: `npx vitest run --reporter=json --outputFile=F`,
 * then `node scripts/test-durations.mjs F`); the cache wins when there is one.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const ROOT = join(import.meta.dirname, '..', '..');
const estimates: Record<string, number> = JSON.parse(readFileSync(join(ROOT, 'test', 'durations.json'), 'utf8'));

export default class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const weight = (f: TestSpecification) => {
      const file = relative(ROOT, f.moduleId);
      const seen = cache.getFileTestResults(`${f.project.name}:${file}`);
      // Failed last time: first, as vitest does.
      if (seen?.failed) return Number.POSITIVE_INFINITY;
      return seen?.duration ?? (estimates[file] ?? 1) * 1000;
    };
    const w = new Map(files.map((f) => [f, weight(f)]));
    return [...files].sort((a, b) => w.get(b)! - w.get(a)!);
  }
}
