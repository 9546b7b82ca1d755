/**
 * End-to-end: `kubetutor test` self-tests the lesson on one era, and reports a broken copy's
 * lesson bugs. The dashboard port (15032) is moved to a free port of the test's own
 * (`--port 15032=P`): nothing here needs 15032 free.
 */
import { describe, expect, test } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { movedDashboard } from '../helpers/sandbox.js';
import { LESSON, cli } from '../helpers/lesson-cli.js';

describe('kubetutor test (self-test of a lesson)', () => {
  test('one era: every step on its own line', async () => {
    const r = await cli(['test', 'istio-jaeger', '--scenario', 'modern-fresh', ...(await movedDashboard()).flag], {}, 120_000);
    expect(r.code).toBe(0);
    for (const id of ['prerequisites', 'port-forward', 'traffic', 'traces', 'cleanup']) expect(r.stdout).toMatch(new RegExp(`^✓ ${id}: failed before its solution, passed [\\d.]+ s after$`, 'm'));
    expect(r.stdout).toMatch(/^istio-jaeger: 5 of 5 steps behave$/m);
  }, 150_000);

  /** A copy of the lesson with one edit, in a folder of its own (its manifests beside it). */
  function brokenCopy(edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'kubetutor-broken-'));
    cpSync(LESSON, dir, { recursive: true });
    const file = join(dir, 'lesson.md');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    return dir;
  }

  test('a check that passes too early is reported as a lesson bug', async () => {
    // The port-forward step checking only that the namespace exists: true before anything is done.
    const dir = brokenCopy((t) => t.replace(/(## Open the Jaeger dashboard \{#port-forward\}[\s\S]*?```check\n)[\s\S]*?```/, '$1- kind: namespace\n  name: istio-system\n```'));
    const r = await cli(['test', dir, '--timeout', '20', '--trust', ...(await movedDashboard()).flag]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ port-forward: its checks passed before its solution ran: they do not test what the step teaches$/m);
  }, 180_000);

  test('a wrong selector is reported with the checks still unmet', async () => {
    const dir = brokenCopy((t) => t.replace('selector: app=productpage\n', 'selector: app=product-page\n'));
    const r = await cli(['test', dir, '--timeout', '10', '--trust', ...(await movedDashboard()).flag]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ prerequisites: still failing 10 s after its solution ran/m);
    expect(r.stdout).toMatch(/^    unmet: .*app=product-page/m);
    expect(r.stdout).toMatch(/^istio-jaeger: 0 of 5 steps behave \(4 not reached\)$/m);
  }, 120_000);
});
