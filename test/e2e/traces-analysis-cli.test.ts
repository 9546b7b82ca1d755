/** `kubetutor traces --compare`, `--stats` and `--json --format otlp` through the built CLI (dist/cli.js), no TTY. */
import { describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildProductpageTrace } from '../../src/sandbox/workloads/istio-trace.js';
import { seededRng } from '../../src/kube/rng.js';
import { otlpToJaeger } from '../../src/traces/otlp.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const FIX = join(import.meta.dirname, '..', 'fixtures', 'jaeger');
const run = promisify(execFile);
const fail = (args: string[]) => run('node', [CLI, ...args]).then(() => { throw new Error('expected a failure'); }, (e: { code: number; stderr: string }) => e);

describe('kubetutor traces: compare, statistics, OTLP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-analysis-'));
  const write = (name: string, v: 'v1' | 'v3', seed: number) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify({ data: [buildProductpageTrace({ era: '1.1', reviewsVersion: v, nowMicros: 1_700_000_000_000_000, rng: seededRng(seed) })] }));
    return file;
  };
  const v1 = write('v1.json', 'v1', 1);
  const v3 = write('v3.json', 'v3', 2);

  test('--compare A B --plain: a reviews-v1 trace against a reviews-v3 one marks the ratings call +', async () => {
    const { stdout } = await run('node', [CLI, 'traces', '--compare', v1, v3, '--plain']);
    const lines = stdout.split('\n');
    expect(lines[2]).toMatch(/^B - A: [+-][\d.]+m?s \([+-][\d.]+% of A\) · 3 only in B \(\+\), 0 only in A \(-\), \d+ changed \(~\), \d+ alike$/);
    expect(lines).toContainEqual(expect.stringMatching(/^\+\s+└─ reviews\.default: ratings\.default\.svc\.cluster\.local:9080\/\*  only in B, [\d.]+ms$/));
    expect(lines).toContainEqual(expect.stringMatching(/^~\s+└─ reviews\.default: reviews\.default\.svc\.cluster\.local:9080\/\* .* · spans 2 → 5$/));
    expect(lines.filter((l) => l.startsWith('- '))).toEqual([]);
  });

  test('--compare A B --json: the aligned tree', async () => {
    const { stdout } = await run('node', [CLI, 'traces', '--compare', v1, v3, '--json']);
    const j = JSON.parse(stdout);
    expect(j.counts.onlyB).toBe(3);
    expect(j.tree).toHaveLength(1);
    const pp = j.tree[0].children[0];
    const reviews = pp.children.find((n: { operation: string }) => n.operation.startsWith('reviews')).children[0];
    expect(reviews.children.map((n: { mark: string; service: string }) => `${n.mark} ${n.service}`)).toEqual(['~ istio-policy', '+ reviews.default']);
  });

  test('--compare by trace id within --file, and clear errors', async () => {
    const { stdout } = await run('node', [CLI, 'traces', '--file', join(FIX, 'ui_01.v1.9.0.json'), '--compare', '1', '1', '--plain']);
    expect(stdout).toMatch(/0 only in B \(\+\), 0 only in A \(-\), 0 changed \(~\), 5 alike/);
    expect((await fail(['traces', '--compare', v1])).stderr).toMatch(/--compare needs two traces: --compare A B/);
    expect((await fail(['traces', '--file', v1, '--json', '--format', 'zipkin'])).stderr).toMatch(/--format must be jaeger or otlp/);
  });

  test('--stats: the table, grouped and sorted as asked; --json with µs and shares', async () => {
    const { stdout } = await run('node', [CLI, 'traces', '--file', v3, '--stats', '--plain']);
    const lines = stdout.split('\n');
    expect(lines[1]).toMatch(/^grouped by service; Self % and Crit\. path % are of the trace's wall time/);
    expect(lines[3]).toMatch(/^service\s+Count\s+Total ms/);
    const rows = lines.slice(4).filter(Boolean).map((l) => l.split(/\s+/));
    expect(rows.map((r) => r[0]).sort()).toEqual(['details.default', 'istio-ingressgateway', 'istio-policy', 'productpage.default', 'ratings.default', 'reviews.default']);
    const totals = rows.map((r) => Number(r[2]));
    expect(totals).toEqual([...totals].sort((a, b) => b - a)); // by total time, longest first
    expect(rows.find((r) => r[0] === 'istio-policy')?.[1]).toBe('4');
    const { stdout: asc } = await run('node', [CLI, 'traces', '--file', v3, '--stats', '--sort', 'count:asc', '--group-by', 'tag:http.status_code', '--json']);
    const j = JSON.parse(asc);
    expect(j.groupedBy).toBe('tag:http.status_code');
    expect(j.rows.map((r: { group: string; count: number }) => `${r.group} ${r.count}`)).toEqual(['(no http.status_code) 4', '200 8']);
    expect(j.rows.reduce((a: number, r: { self: number }) => a + r.self, 0)).toBe(j.traceDuration); // serial Bookinfo calls
    expect((await fail(['traces', '--file', v3, '--stats', '--sort', 'speed'])).stderr).toMatch(/--sort must be COLUMN or COLUMN:asc/);
  });

  test('--json --format otlp writes OTLP JSON that reads back as the same trace', async () => {
    const { stdout } = await run('node', [CLI, 'traces', '--file', v3, '--json', '--format', 'otlp']);
    const doc = JSON.parse(stdout);
    const span = doc.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.startTimeUnixNano).toMatch(/^\d{19}$/);
    expect(span.kind).toBe(3);
    expect(span.attributes).toContainEqual({ key: 'http.status_code', value: { stringValue: '200' } });
    const [back] = otlpToJaeger(doc);
    expect(back.spans).toHaveLength(12);
  });
});
