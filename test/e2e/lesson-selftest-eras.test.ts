/**
 * End-to-end: `kubetutor test --eras` self-tests the bundled lesson on every era (alone in its
 * file: it is the longest test, and the others balance around it). The dashboard port (15032) is
 * moved to a free port of the test's own (`--port 15032=P`): nothing here needs 15032 free.
 */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { movedDashboard } from '../helpers/sandbox.js';
import { cli } from '../helpers/lesson-cli.js';

describe('kubetutor test (self-test of a lesson)', () => {
  test('the bundled lesson on every era (--eras): every step fails before its solution and passes after; JUnit written', async () => {
    // One after the other: the pre-release 1.1 (fresh), 1.0, 1.1 and current Istio.
    const junit = join(mkdtempSync(join(tmpdir(), 'kubetutor-junit-')), 'report.xml');
    const r = await cli(['test', 'istio-jaeger', '--eras', '--junit', junit, ...(await movedDashboard()).flag], {}, 400_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^[✓✗] /.test(l));
    expect(lines).toEqual([
      expect.stringMatching(/^✓ fresh +\(Istio 1\.1 pre-release\): 5 of 5 steps behave, [\d.]+ s$/),
      expect.stringMatching(/^✓ istio-1\.0-fresh +\(Istio 1\.0\): 5 of 5 steps behave, [\d.]+ s$/),
      expect.stringMatching(/^✓ istio-1\.1-fresh +\(Istio 1\.1\): 5 of 5 steps behave, [\d.]+ s$/),
      expect.stringMatching(/^✓ modern-fresh +\(current Istio\): 5 of 5 steps behave, [\d.]+ s$/),
    ]);
    expect(r.stdout).toMatch(/^istio-jaeger: 4 of 4 eras pass$/m);
    const xml = readFileSync(junit, 'utf8');
    for (const sc of ['fresh', 'istio-1.0-fresh', 'istio-1.1-fresh', 'modern-fresh']) expect(xml).toContain(`<testsuite name="kubetutor test istio-jaeger (sandbox ${sc})" tests="5" failures="0"`);
    expect(xml.match(/<testcase /g)).toHaveLength(20);
  }, 420_000);
});
