import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { startFastSandbox, kubectl, eventually, sleep } from '../helpers/sandbox.js';
import { ClassReporter } from '../../src/class/class-reporter.js';
// The command's own watch (class-command.ts imports cli.ts, which runs main() on import).
import { watchClass } from '../../src/class/class-watch.js';
import { summarizeClass } from '../../src/class/class-view.js';
import type { LearnerProgress } from '../../src/class/progress-record.js';

const NS = 'class-a';
const STEPS = ['deploy', 'expose', 'scale', 'trace'];
const LEARNERS = 100;

const progress = (learner: string, idx: number, t0: number, lastFailure?: string): LearnerProgress => {
  const now = new Date().toISOString();
  return {
    learner,
    lesson: 'demo',
    current: STEPS[idx] ?? 'done',
    currentIndex: idx,
    steps: STEPS.length,
    passed: Object.fromEntries(STEPS.slice(0, idx).map((s, i) => [s, new Date(t0 + i).toISOString()])),
    ...(lastFailure ? { lastFailure } : {}),
    updatedAt: now,
    stuckSince: now,
  };
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

describe('class progress in the shared cluster', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'empty' });
    // `kubectl create namespace` sends protobuf, which the sandbox does not read: apply JSON instead.
    const r = await kubectl(sb, ['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }) });
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => sb?.stop());

  test('100 learners report; the watched view converges to 100 rows and the right totals', async () => {
    let changes = 0;
    let latest: LearnerProgress[] = [];
    /** When the view first showed each probe marker (measured in the callback, not by polling). */
    const seenAt = new Map<string, number>();
    const view = watchClass(sb.kubeconfigPath, NS, (records) => {
      changes++;
      latest = records;
      const now = performance.now();
      for (const p of records) if (p.lastFailure?.startsWith('probe') && !seenAt.has(p.lastFailure)) seenAt.set(p.lastFailure, now);
    });
    await view.ready;
    const before = { total: sb.api.stats.total, byVerb: { ...sb.api.stats.byVerb } };
    const reporters = Array.from({ length: LEARNERS }, (_, i) => new ClassReporter(sb.kubeconfigPath, NS, `learner-${String(i).padStart(3, '0')}`));
    const t0 = Date.now();
    try {
      // Each learner: starts on step 1, fails once, then passes steps 1 and 2 (3 changes after the start).
      await Promise.all(
        reporters.map(async (r) => {
          await sleep(Math.random() * 200);
          r.report(progress(r.learner, 0, t0));
          await sleep(Math.random() * 300);
          r.report(progress(r.learner, 0, t0, 'no Deployment "web" yet'));
          await sleep(Math.random() * 300);
          r.report(progress(r.learner, 1, t0));
          await sleep(Math.random() * 300);
          r.report(progress(r.learner, 2, t0));
        }),
      );
      await Promise.all(reporters.map((r) => r.close()));
      const elapsedMs = Date.now() - t0;
      for (const r of reporters) expect(r.lastError, r.learner).toBeUndefined();
      await eventually(() => latest.length === LEARNERS && latest.every((p) => p.current === 'scale'), 15_000, 'the view to show every learner on step 3');
      const s = summarizeClass(latest, STEPS, Date.now());
      expect(s.rows).toHaveLength(LEARNERS);
      expect(s.perStep).toEqual({ deploy: { at: 0, passed: LEARNERS }, expose: { at: 0, passed: LEARNERS }, scale: { at: LEARNERS, passed: 0 }, trace: { at: 0, passed: 0 } });
      expect(s.rows.every((r) => r.lastFailure === undefined)).toBe(true);

      const requests = reporters.reduce((n, r) => n + r.requests, 0);
      const writes = reporters.reduce((n, r) => n + r.writes, 0);
      const reportsMade = LEARNERS * 4;
      const serverDelta = sb.api.stats.total - before.total;
      const verbs = Object.fromEntries(Object.entries(sb.api.stats.byVerb).map(([v, n]) => [v, n - (before.byVerb[v] ?? 0)]).filter(([, n]) => (n as number) > 0));
      console.log(
        `[class] ${LEARNERS} learners, ${reportsMade} report() calls in ${elapsedMs} ms → ${writes} writes, ${requests} requests ` +
          `(${(requests / LEARNERS).toFixed(2)}/learner for 4 state changes; ${((requests / LEARNERS) / (elapsedMs / 60_000)).toFixed(1)} requests/learner/minute at this compressed pace; ` +
          `coalescing allows at most one write per 500 ms, i.e. 120/learner/minute, plus the flush of close()). API server saw ${serverDelta} requests ${JSON.stringify(verbs)}; ` +
          `the view: ${view.stats.lists} LIST + ${view.stats.watches} WATCH, ${changes} change callbacks.`,
      );

      // Latency: a learner's report() → the view showing it (20 samples, one learner each, idle for > 500 ms).
      await sleep(600);
      const lat: number[] = [];
      for (let i = 0; i < 20; i++) {
        const r = reporters[i];
        const reopened = new ClassReporter(sb.kubeconfigPath, NS, r.learner);
        const marker = `probe-${i}`;
        const start = performance.now();
        reopened.report(progress(r.learner, 2, t0, marker));
        await eventually(() => seenAt.has(marker), 5000, `sample ${i}`);
        lat.push(seenAt.get(marker)! - start);
        await reopened.close();
        expect(reopened.requests).toBe(2); // create (409) then replace: a fresh reporter does not know the ConfigMap exists
      }
      console.log(`[class] report() → view latency over ${lat.length} samples: p50 ${pct(lat, 50).toFixed(1)} ms, p95 ${pct(lat, 95).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms`);
      // Latency for a reporter that has written before (steady state: one replace per write).
      const warm: number[] = [];
      for (let i = 0; i < 20; i++) {
        const r = reporters[20 + i];
        const w = new ClassReporter(sb.kubeconfigPath, NS, r.learner);
        w.report(progress(r.learner, 2, t0, `probe-warmup-${i}`));
        await eventually(() => seenAt.has(`probe-warmup-${i}`), 5000, `warm-up ${i}`);
        await sleep(510); // past the coalescing interval: the next report() writes at once
        const marker = `probe-warm-${i}`;
        const before = w.requests;
        const start = performance.now();
        w.report(progress(r.learner, 2, t0, marker));
        await eventually(() => seenAt.has(marker), 5000, `warm sample ${i}`);
        warm.push(seenAt.get(marker)! - start);
        await w.close();
        expect(w.requests - before).toBe(1); // steady state: one replace per write
      }
      console.log(`[class] steady-state report() → view latency over ${warm.length} samples: p50 ${pct(warm, 50).toFixed(1)} ms, p95 ${pct(warm, 95).toFixed(1)} ms`);
      expect(view.stats.lists).toBe(1);
      expect(view.stats.watches).toBe(1);
    } finally {
      await view.stop();
    }
  });

  test('`kubetutor class class-a --once --json` prints the class', async () => {
    const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
    expect(existsSync(cli), 'run npm run build first').toBe(true);
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [cli, 'class', NS, '--once', '--json'], { env: { ...process.env, KUBECONFIG: sb.kubeconfigPath }, timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
      ),
    );
    expect(r.code, r.stderr).toBe(0);
    const docs = r.stdout.trim().split('\n');
    expect(docs).toHaveLength(1);
    const doc = JSON.parse(docs[0]) as { namespace: string; rows: unknown[]; stepIds: string[]; perStep: Record<string, { at: number; passed: number }> };
    expect(doc.namespace).toBe(NS);
    expect(doc.rows).toHaveLength(LEARNERS);
    expect(doc.stepIds.slice(0, 3)).toEqual(['deploy', 'expose', 'scale']);
    expect(doc.perStep.scale).toEqual({ at: LEARNERS, passed: 0 });
    expect(doc.perStep.deploy).toEqual({ at: 0, passed: LEARNERS });

    const plain = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [cli, 'class', NS, '--once', '--plain'], { env: { ...process.env, KUBECONFIG: sb.kubeconfigPath }, timeout: 30_000 }, (err, stdout) =>
        resolve({ code: err ? 1 : 0, stdout: String(stdout) }),
      ),
    );
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/100 learners, 0 done/);
    // Without a lesson at hand the view knows the steps the learners have reached (no 'trace' yet).
    expect(plain.stdout).toMatch(/learner-\d{3}\s+✓\s+✓\s+●\s+\d+s/);
    expect(plain.stdout).toMatch(/passed\s+100\s+100\s+0/);
  });
});

describe('a learner runner with --class', () => {
  test('records its progress in the shared cluster, and the instructor view shows it', async () => {
    const sb = await startFastSandbox({ scenario: 'ready' });
    const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
    const { spawn } = await import('node:child_process');
    expect((await kubectl(sb, ['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'class-b' } }) })).code).toBe(0);
    // The shared cluster is this sandbox; the learner's runner reaches it through its kubeconfig.
    const learner = spawn('node', [cli, 'start', 'istio-jaeger', '--kubeconfig', sb.kubeconfigPath, '--plain', '--class', 'class-b', '--name', 'Ann'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_STATE_HOME: join(tmpdir(), `kt-class-${process.pid}`) } });
    try {
      // `ready` has Bookinfo: the runner passes prerequisites and stops at the port-forward step.
      const cm = await eventually(async () => {
        const r = await kubectl(sb, ['-n', 'class-b', 'get', 'configmap', '-l', 'app.kubernetes.io/managed-by=kubetutor', '-o', 'json']);
        const items = JSON.parse(r.stdout || '{"items":[]}').items as Array<{ data: Record<string, string> }>;
        const p = items[0] && JSON.parse(items[0].data['progress.json']);
        return p?.current === 'port-forward' ? p : undefined;
      }, 30_000, 'progress ConfigMap at port-forward');
      expect(cm.learner).toBe('Ann');
      expect(Object.keys(cm.passed)).toEqual(['prerequisites']);
      const view = await new Promise<{ code: number; out: string }>((resolve) =>
        execFile('node', [cli, 'class', 'class-b', '--kubeconfig', sb.kubeconfigPath, '--once', '--json'], (err, out) => resolve({ code: err ? 1 : 0, out: String(out) })),
      );
      expect(view.code).toBe(0);
      expect(view.out).toMatch(/"learner":\s*"Ann"/);
    } finally {
      learner.kill('SIGINT');
      await new Promise((r) => learner.once('exit', r));
      await sb.stop();
    }
  }, 60_000);
});
