/**
 * Issue 8, "acting only where it should": a lesson from outside the bundled set runs nothing
 * until the learner has read it and trusted it; the command Enter runs is shown in full first;
 * values read from the cluster reach commands as environment, never spliced into shell text;
 * cleanup that deletes things runs only on the context the lesson began on (and asks first on a
 * real cluster); the sandbox serves loopback only and refuses requests without its token; no
 * token or certificate appears in what kubetutor prints.
 */
import React from 'react';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { execFile } from 'node:child_process';
import { render } from 'ink-testing-library';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson, bundledLessonsDir } from '../../src/lesson/load.js';
import { isTrusted } from '../../src/lesson/trust.js';
import { App } from '../../src/ui/App.js';
import { renderScreen } from '../../src/ui/screen.js';
import { initialUi } from '../../src/ui/ui-state.js';
import { isDestructive } from '../../src/engine/destructive.js';
import { FAST, eventually } from '../helpers/sandbox.js';
import { frameMatching, pressUntil } from '../helpers/frames.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A lesson of one step in a temp folder: its commands and its check write marker files. */
function writeLesson(dir: string, commands: string[], check = 'true'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'lesson.md');
  writeFileSync(
    file,
    [
      '---',
      'id: outside',
      'title: A lesson from elsewhere',
      'summary: Not bundled with kubetutor.',
      '---',
      '',
      '## Do things {#do}',
      '',
      'Run the commands.',
      '',
      ...commands.flatMap((c) => ['```bash', `$ ${c}`, '```', '']),
      '```check',
      '- kind: command',
      `  run: ${JSON.stringify(check)}`,
      '```',
      '',
    ].join('\n'),
  );
  return file;
}

let state: string;
let savedState: string | undefined;
beforeEach(() => {
  savedState = process.env.XDG_STATE_HOME;
  state = mkdtempSync(join(tmpdir(), 'kt-trust-state-'));
  process.env.XDG_STATE_HOME = state; // the trust store and progress live here
});
afterEach(() => {
  if (savedState === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = savedState;
});

describe('a lesson from outside the bundled set', () => {
  let target: Target | undefined;
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    await target?.close();
    session = target = undefined;
  });

  test('runs nothing — commands or command checks — until it is trusted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-outside-'));
    writeLesson(dir, [`touch "${dir}/ran"`], `touch "${dir}/checked"`);
    target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
    session = new Session(await loadLesson(dir), target, { intervalMs: 100 });
    expect(session.view.untrusted?.file).toBe(join(dir, 'lesson.md'));
    session.start();
    await eventually(() => session!.view.engine.steps[0].results.length > 0, 15_000, 'checks evaluated');
    expect(session.view.engine.steps[0].results[0].summary).toMatch(/not run: .*not trusted/);
    await session.runCommand(0, 0);
    expect(session.view.notice).toMatch(/nothing runs until you trust it/);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    expect(existsSync(join(dir, 'checked'))).toBe(false);

    session.trust();
    await session.runCommand(0, 0);
    expect(existsSync(join(dir, 'ran'))).toBe(true);
    await eventually(() => existsSync(join(dir, 'checked')), 10_000, 'the command check to run once trusted');
  });

  test('in the app: Enter shows the whole source first; n runs nothing, y trusts it and runs the command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-outside-'));
    const file = writeLesson(dir, [`touch "${dir}/ran"`]);
    target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
    session = new Session(await loadLesson(dir), target, { intervalMs: 200 });
    const { lastFrame, stdin, unmount } = render(<App session={session} copy={() => undefined} />);
    try {
      await frameMatching(lastFrame, /Not a bundled lesson: nothing runs until you trust it/);
      const f = await pressUntil(stdin, '\r', lastFrame, /Read this lesson before it runs anything/);
      expect(f).toContain(file);
      expect(f).toMatch(/sha256 [0-9a-f]{16}/);
      expect(f).toContain(`touch "${dir}/ran"`); // the source itself, command included
      await pressUntil(stdin, 'n', lastFrame, /Step 1 of 1/);
      expect(existsSync(join(dir, 'ran'))).toBe(false);
      expect(isTrusted({ file })).toBe(false);

      await pressUntil(stdin, '\r', lastFrame, /Read this lesson before it runs anything/);
      await pressUntil(stdin, 'y', lastFrame, /Step 1 of 1/);
      await eventually(() => existsSync(join(dir, 'ran')), 10_000, 'the command to run after y');
      expect(isTrusted({ file })).toBe(true); // recorded: not asked again next time
    } finally {
      unmount();
    }
    // Trust is for the file as it was read: an edit asks again.
    writeFileSync(file, readFileSync(file, 'utf8').replace('Run the commands.', 'Run the commands, now changed.'));
    expect(isTrusted({ file })).toBe(false);
  });

  test('kubetutor test refuses an untrusted lesson, and kubetutor\'s own lessons are trusted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-outside-'));
    writeLesson(dir, ['true']);
    const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'test', dir], { env: { ...process.env, XDG_STATE_HOME: state } }, (err, _o, stderr) => resolve({ code: (err as { code?: number } | null)?.code ?? 0, stderr })),
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not one of kubetutor's own lessons: read it, then run again with --trust/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(isTrusted({ file: join(bundledLessonsDir(), 'istio-jaeger', 'lesson.md') })).toBe(true);
  });
});

describe('the command Enter runs is shown in full first', () => {
  test('a long command is laid out whole in its frame, wrapped at shell words with a continuation mark', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-long-'));
    const long = `kubectl get pods --all-namespaces -o custom-columns='NAMESPACE:.metadata.namespace,NAME:.metadata.name,NODE:.spec.nodeName,IP:.status.podIP,PHASE:.status.phase' --sort-by=.metadata.name   # end-${'x'.repeat(40)}`;
    writeLesson(dir, [long]);
    const lesson = await loadLesson(dir);
    const { startingView } = await import('../../src/ui/first-frame.js');
    const view = startingView(lesson, { label: 'sandbox (scenario ready)', kind: 'sandbox' });
    const screen = renderScreen(view, initialUi, { width: 100, height: 40 }).map((l) => l.map((c) => c.text).join(''));
    // The focused command is in a heavy frame, over as many rows as it needs; nothing of it is
    // left out, no row is wider than the terminal, and continuation rows are marked.
    const rows = screen.filter((l) => /^ ┃ /.test(l)).map((l) => l.replace(/^ ┃ /, '').trimEnd());
    expect(rows.length).toBeGreaterThan(2);
    // (`› ` goes on with a new word; `›` with no space goes on inside a word cut for its length.)
    expect(rows.slice(1).every((r) => /^ *›/.test(r))).toBe(true);
    expect(rows.map((r) => r.replace(/^ *› ?/, '')).join('').replace(/\s+/g, '')).toBe(`$${long}`.replace(/\s+/g, ''));
    for (const l of screen) expect(l.length).toBeLessThanOrEqual(100);
    // Words of the command are whole on each row (the one longer than a row breaks after a comma).
    const words = new Set(long.split(/\s+/));
    for (const r of rows.map((x) => x.replace(/^ *› ?/, '').replace(/^\$ /, ''))) for (const w of r.split(/\s+/).filter(Boolean)) expect(words.has(w) || [...words].some((x) => x.length > 90 && x.includes(w))).toBe(true);
  });
});

describe('values read from the cluster', () => {
  test('reach commands as environment variables: a hostile value is never run by the shell', async () => {
    const target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
    const dir = mkdtempSync(join(tmpdir(), 'kt-inject-'));
    const pwned = join(dir, 'pwned');
    try {
      // The gateway pod's host IP is where GATEWAY_URL comes from: make it a command substitution.
      const sb = target.sandbox!;
      const rt = sb.types.byKey('/pods')!;
      const pod = sb.store.list(rt, 'istio-system').find((p) => p.metadata.labels?.app === 'istio-ingressgateway')!;
      sb.store.update(rt, { ...pod, status: { ...(pod.status as object), hostIP: `$(touch ${pwned})` } }, { checkRv: false });
      writeLesson(dir, ['echo "url=$GATEWAY_URL" > url.txt']);
      const session = new Session(await loadLesson(dir), target, { intervalMs: 100, trusted: true });
      try {
        session.start();
        await eventually(() => session.view.found.gatewayUrl, 15_000, 'GATEWAY_URL found');
        expect(session.view.found.gatewayUrl).toContain('$(touch');
        await session.runCommand(0, 0);
        expect(readFileSync(join(dir, 'url.txt'), 'utf8')).toContain(`url=$(touch ${pwned})`);
        expect(existsSync(pwned)).toBe(false);
      } finally {
        await session.close();
      }
    } finally {
      await target.close();
    }
  });
});

describe('destructive cleanup', () => {
  test('recognises what deletes things', () => {
    expect(isDestructive('kubectl delete -f bookinfo.yaml')).toBe(true);
    expect(isDestructive('kubectl -n default delete pod x')).toBe(true);
    expect(isDestructive('helm uninstall istio')).toBe(true);
    expect(isDestructive('kubectl get pods')).toBe(false);
    expect(isDestructive('echo delete')).toBe(false);
  });

  test('refuses when the context changed since the lesson began, runs when it is back', async () => {
    const target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
    const dir = mkdtempSync(join(tmpdir(), 'kt-ctx-'));
    writeLesson(dir, [
      'kubectl config set-context elsewhere --cluster=nowhere --user=nobody && kubectl config use-context elsewhere',
      'kubectl delete configmap doomed -n default',
      'kubectl config use-context kubetutor-sandbox',
    ]);
    const sb = target.sandbox!;
    const cm = sb.types.byKey('/configmaps')!;
    sb.store.create(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'doomed', namespace: 'default' }, data: { a: '1' } });
    const session = new Session(await loadLesson(dir), target, { intervalMs: 100, trusted: true });
    try {
      await session.runCommand(0, 0);
      expect(session.view.output?.exitCode).toBe(0);
      await session.runCommand(0, 1);
      expect(session.view.notice).toMatch(/refused to run .*deletes things.*"elsewhere".*not "kubetutor-sandbox"/);
      expect(sb.store.get(cm, 'default', 'doomed')).toBeDefined();
      await session.runCommand(0, 2);
      await session.runCommand(0, 1);
      expect(session.view.output?.exitCode).toBe(0);
      expect(sb.store.get(cm, 'default', 'doomed')).toBeUndefined();
    } finally {
      await session.close();
      await target.close();
    }
  });

  test('on a real cluster, the app asks before a delete, naming the context', async () => {
    const sandboxTarget = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
    // The sandbox dressed as a real cluster: what matters is the kind the app sees.
    const target: Target = { ...sandboxTarget, kind: 'cluster', label: 'context prod-eu (https://203.0.113.7:6443)' };
    const dir = mkdtempSync(join(tmpdir(), 'kt-danger-'));
    writeLesson(dir, ['kubectl delete configmap doomed -n default']);
    const sb = sandboxTarget.sandbox!;
    const cm = sb.types.byKey('/configmaps')!;
    sb.store.create(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'doomed', namespace: 'default' } });
    const session = new Session(await loadLesson(dir), target, { intervalMs: 200, trusted: true });
    const { lastFrame, stdin, unmount } = render(<App session={session} copy={() => undefined} />);
    try {
      await frameMatching(lastFrame, /Step 1 of 1/);
      const f = await pressUntil(stdin, '\r', lastFrame, /deletes things from the cluster/);
      expect(f).toContain('context prod-eu (https://203.0.113.7:6443)');
      expect(f).toContain('$ kubectl delete configmap doomed -n default');
      await pressUntil(stdin, 'n', lastFrame, /Step 1 of 1/);
      expect(sb.store.get(cm, 'default', 'doomed')).toBeDefined();
      await pressUntil(stdin, '\r', lastFrame, /Run it there\? \(y\/N\)/);
      await pressUntil(stdin, 'y', lastFrame, /Step 1 of 1/);
      await eventually(() => !sb.store.get(cm, 'default', 'doomed'), 15_000, 'the delete to run after y');
    } finally {
      unmount();
      await session.close();
      await sandboxTarget.close();
    }
  });
});

describe('the sandbox and secrets', () => {
  test('serves on loopback only and refuses requests without its token, or with a wrong one', async () => {
    const target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
    try {
      const sb = target.sandbox!;
      const url = new URL(sb.url);
      expect(url.hostname).toBe('127.0.0.1');
      const get = (auth?: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = request({ host: url.hostname, port: url.port, path: '/api/v1/namespaces', rejectUnauthorized: false, headers: auth ? { authorization: auth } : {} }, (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          req.end();
        });
      expect((await get()).status).toBe(401);
      const wrong = await get('Bearer not-the-token');
      expect(wrong.status).toBe(401);
      expect(wrong.body).not.toContain(sb.token);
      expect((await get(`Bearer ${sb.token}`)).status).toBe(200);
    } finally {
      await target.close();
    }
  });

  test('no token or certificate in what the CLI prints', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kt-secrets-')), 'kubeconfig');
    const child = execFile(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'sandbox', '--kubeconfig-out', out], { env: { ...process.env, XDG_STATE_HOME: state } });
    let printed = '';
    child.stdout!.on('data', (d) => (printed += d));
    child.stderr!.on('data', (d) => (printed += d));
    try {
      await eventually(() => /kubeconfig: /.test(printed) && existsSync(out), 20_000, 'the sandbox to serve');
      const kc = readFileSync(out, 'utf8');
      const token = /token: (\S+)/.exec(kc)![1];
      // Run a check and the plain runner against it: nothing they print may carry either secret.
      const run = (args: string[]) =>
        new Promise<string>((resolve) =>
          execFile(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { env: { ...process.env, XDG_STATE_HOME: state }, timeout: 60_000 }, (_e, o, e) => resolve(`${o}${e}`)),
        );
      const checked = await run(['check', 'istio-jaeger', '--kubeconfig', out, '--context', 'kubetutor-sandbox', '--step', 'prerequisites']);
      expect(checked).toMatch(/checks pass/);
      for (const text of [printed, checked]) {
        expect(text).not.toContain(token);
        expect(text).not.toMatch(/BEGIN (CERTIFICATE|PRIVATE KEY|EC PRIVATE KEY)/);
      }
    } finally {
      child.kill('SIGINT');
    }
  });
});
