import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { runPlain } from '../../src/ui/plain-runner.js';
import { FAST, eventually } from '../helpers/sandbox.js';

const LESSON_DIR = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger');

describe('a session on the sandbox', () => {
  let target: Target | undefined;
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    await target?.close();
  });

  test('resumes at the first unmet step, re-checked against the live cluster, and saves progress atomically', async () => {
    target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
    const file = join(mkdtempSync(join(tmpdir(), 'kt-progress-')), 'p.json');
    session = new Session(await loadLesson(LESSON_DIR), target, { intervalMs: 100, progressFile: file });
    session.start();
    // On `ready`, Bookinfo is already there: prerequisites pass by themselves; the port-forward is not running.
    await eventually(() => session!.view.engine.current === 1 && session!.view.engine.viewing === 1, 15_000, 'resume at step 2');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(saved.passed)).toEqual(['prerequisites']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test('variables a command exports are kept for later steps, and a background process is stopped on close', async () => {
    target = await openTarget({ sandbox: 'empty', sandboxTiming: FAST });
    session = new Session(await loadLesson(join(import.meta.dirname, '..', 'fixtures', 'lessons', 'session')), target, { intervalMs: 100, trusted: true });
    session.start();
    // Commands of a locked step do nothing.
    await session.runCommand(1, 0);
    expect(session.view.output).toBeNull();
    await session.runCommand(0, 0);
    expect(session.view.vars.GREETING).toBe('hello');
    await session.runCommand(0, 1);
    await eventually(() => session!.view.engine.current === 1, 10_000, 'setup passes');
    await session.runCommand(1, 0);
    expect(session.view.output?.lines).toEqual(['hello world']);
    const pid = session.view.processes.find((p) => p.name === 'sleeper')!.pid!;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await session.close();
    expect(() => process.kill(pid, 0)).toThrow(); // stopped with its process group
  });

  test('plain mode prints the step and its checks line by line', async () => {
    target = await openTarget({ sandbox: 'no-sidecar', sandboxTiming: FAST });
    session = new Session(await loadLesson(LESSON_DIR), target, { intervalMs: 100 });
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    const done = runPlain(session, out);
    await eventually(() => /✗ .*istio-proxy/.test(text), 15_000, 'plain check lines');
    process.emit('SIGINT');
    expect(await done).toBe(130);
    expect(text).toMatch(/^target: sandbox \(scenario no-sidecar\)$/m);
    expect(text).toMatch(/^== Step 1 of 5: /m);
    expect(text).toMatch(/^\$ kubectl apply -f bookinfo\.yaml$/m);
    expect(text).toMatch(/^found on the cluster: Istio 1\.1\.4; GATEWAY_URL=127\.0\.0\.1:\d+  \(in your shell: export GATEWAY_URL=127\.0\.0\.1:\d+\)$/m);
    expect(text).not.toMatch(/\u001b\[/); // no escape codes
  });
});
