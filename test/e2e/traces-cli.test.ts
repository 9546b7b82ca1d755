import { describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildProductpageTrace } from '../../src/sandbox/workloads/istio-trace.js';
import { seededRng } from '../../src/kube/rng.js';
import { generateTrace } from '../../src/traces/generate.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const FIX = join(import.meta.dirname, '..', 'fixtures', 'jaeger');
const run = promisify(execFile);

describe('kubetutor traces (the built CLI, no TTY)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-traces-'));

  test('--file with a Jaeger API envelope prints the newest trace as a tree', async () => {
    const { stdout } = await run('node', [CLI, 'traces', '--file', join(FIX, 'otlp2jaeger-out.api-envelope.json')]);
    expect(stdout).toMatch(/^trace [0-9a-f]+ · /);
    expect(stdout.split('\n').length).toBeGreaterThan(2);
  });

  test('--file with a single trace object (ui_01) and --json prints the model', async () => {
    const { stdout } = await run('node', [CLI, 'traces', '--file', join(FIX, 'ui_01.v1.9.0.json'), '--json']);
    const model = JSON.parse(stdout);
    expect(model).toHaveProperty('traceID');
    expect(Array.isArray(model.tree)).toBe(true);
    expect(Array.isArray(model.pairs)).toBe(true);
    expect(Array.isArray(model.criticalPath)).toBe(true);
  });

  test('an Istio 1.0 productpage trace: every RPC annotated as a client/server pair with the gap', async () => {
    const trace = buildProductpageTrace({ era: '1.0', reviewsVersion: 'v2', nowMicros: 1_700_000_000_000_000, rng: seededRng(7) });
    const file = join(dir, 'pp.json');
    writeFileSync(file, JSON.stringify({ data: [trace] }));
    const { stdout } = await run('node', [CLI, 'traces', '--file', file, '--plain']);
    expect(stdout).toMatch(/productpage → reviews: client [\d.]+ms, server [\d.]+ms, [\d.]+(ms|µs) between the sidecars/);
    expect(stdout).toMatch(/reviews → ratings: client/);
    expect(stdout).toMatch(/├─ .*istio-policy: \/istio\.mixer\.v1\.Mixer\/Check/);
    expect(stdout).toMatch(/⇄ client of reviews/);
  });

  test('a 50,000-span trace prints in one go', async () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, JSON.stringify(generateTrace(50_000, { seed: 3 })));
    const { stdout } = await run('node', [CLI, 'traces', '--file', file], { maxBuffer: 256 * 1024 * 1024 });
    expect(stdout.split('\n').filter((l) => l.includes(': ')).length).toBeGreaterThanOrEqual(50_000);
  }, 60_000);

  test('unreachable Jaeger and bad files are one clear line each', async () => {
    const a = await run('node', [CLI, 'traces', '--jaeger', 'http://127.0.0.1:9']).catch((e) => e);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^kubetutor: cannot reach Jaeger at http:\/\/127\.0\.0\.1:9.*\n$/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '<html>not json</html>');
    const b = await run('node', [CLI, 'traces', '--file', bad]).catch((e) => e);
    expect(b.code).toBe(2);
    expect(b.stderr).not.toMatch(/\n\s+at /);
    const c = await run('node', [CLI, 'traces', '--file', join(dir, 'missing.json')]).catch((e) => e);
    expect(c.stderr).toMatch(/cannot read .*missing\.json: no such file/);
  });
});
