#!/usr/bin/env node
/**
 * Writes test/durations.json (seconds per test file, rounded) from a vitest JSON report, for the
 * slowest-first order of a clean checkout (test/helpers/slow-first.ts).
 * Usage: npx vitest run --reporter=json --outputFile=F && node scripts/test-durations.mjs F
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node scripts/test-durations.mjs VITEST_JSON_REPORT\n');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const out = Object.fromEntries(
  report.testResults
    .map((t) => [relative(root, t.name), Math.max(1, Math.round((t.endTime - t.startTime) / 1000))])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
);
writeFileSync(`${root}/test/durations.json`, `${JSON.stringify(out, null, 1)}\n`);
process.stdout.write(`test/durations.json: ${Object.keys(out).length} files\n`);
