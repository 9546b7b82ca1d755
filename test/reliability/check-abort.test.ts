/**
 * CheckEnv.signal: the session owns one AbortController per step; quitting (or the step
 * changing) aborts the step's running checks, and the HTTP request of an `http` check is
 * cancelled: the server it was waiting on sees its socket close.
 *
 * The check is evaluated through the session's `evaluate` seam with the http kind's own client
 * (httpGet, which the kind calls with env.signal) but a two-minute deadline instead of its 3 s
 * one, so only the abort, not a timeout, can close the socket within the test.
 *
 * The step-change case: a round of checks ends before the current step can change, so what the
 * step's signal cancels then is whatever of its checks is still running after their verdicts
 * (a request a check sent and judged without waiting for). Here step 1's check passes once its
 * request has reached the server, the request still open; the session moves the learner on to
 * step 2, and that must cancel it at once (the signal aborted as the step changes, before step
 * 2's checks run), not at quit.
 */
import { afterEach, expect, test } from 'vitest';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { FAST, eventually } from '../helpers/sandbox.js';
import { httpGet } from '../../src/checks/kinds/http.js';
import type { Check } from '../../src/lesson/types.js';
import type { HttpOutcome } from '../../src/checks/kinds/http.js';

let target: Target | undefined;
let session: Session | undefined;
let server: http.Server | undefined;
let dir: string | undefined;
afterEach(async () => {
  await session?.close();
  await target?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('quitting aborts the current step\'s http check: its request is cancelled, the server sees the socket close', async () => {
  // A server that takes the request and never answers (a dashboard that hangs).
  const sockets: Array<{ socket: Socket; closed: boolean }> = [];
  server = http.createServer(() => {});
  server.on('connection', (socket) => {
    const entry = { socket, closed: false };
    sockets.push(entry);
    socket.on('close', () => (entry.closed = true));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  dir = mkdtempSync(join(tmpdir(), 'kt-abort-'));
  writeFileSync(
    join(dir, 'lesson.md'),
    [
      '---',
      'id: abort-fixture',
      'title: Abort fixture',
      'summary: One step whose http check waits on a server that never answers.',
      '---',
      '',
      '## Wait {#wait}',
      '',
      'The check below hangs until it is cancelled.',
      '',
      '```check',
      '- kind: http',
      `  url: http://127.0.0.1:${port}/hang`,
      '```',
      '',
    ].join('\n'),
  );
  target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
  let signalled: AbortSignal | undefined;
  session = new Session(await loadLesson(dir), target, {
    intervalMs: 100,
    evaluate: async (check: Check, env) => {
      signalled = env.signal;
      const outcome = await httpGet((check as Extract<Check, { kind: 'http' }>).url, { signal: env.signal, timeoutMs: 120_000 });
      return { ok: false, summary: `http: ${outcome.kind}` };
    },
  });
  session.start();
  await eventually(() => sockets.length > 0, 20_000, 'the check\'s request reaching the server');
  expect(sockets.every((s) => !s.closed)).toBe(true); // still waiting: nothing answered it
  expect(signalled?.aborted).toBe(false);
  await session.close();
  expect(signalled?.aborted).toBe(true);
  session = undefined;
  await eventually(() => sockets.every((s) => s.closed), 5_000, 'the request cancelled (socket closed) after quitting');
});

test('the learner moving on to the next step aborts the last step\'s checks: its open request is cancelled, the server sees the socket close', async () => {
  const sockets: Array<{ socket: Socket; closed: boolean; url?: string }> = [];
  server = http.createServer((req) => {
    const entry = sockets.find((s) => s.socket === req.socket);
    if (entry) entry.url = req.url;
  });
  server.on('connection', (socket) => {
    const entry = { socket, closed: false } as { socket: Socket; closed: boolean; url?: string };
    sockets.push(entry);
    socket.on('close', () => (entry.closed = true));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  dir = mkdtempSync(join(tmpdir(), 'kt-abort-'));
  const step = (id: string, n: number) => [`## Step ${n} {#${id}}`, '', `Step ${n} of the fixture.`, '', '```check', '- kind: http', `  url: http://127.0.0.1:${port}/${id}`, '```', ''];
  writeFileSync(
    join(dir, 'lesson.md'),
    ['---', 'id: abort-step-fixture', 'title: Abort on step change', 'summary: Step 1 passes with its request still open; step 2 waits.', '---', '', ...step('one', 1), ...step('two', 2)].join('\n'),
  );
  target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
  let stepOne: { signal: AbortSignal | undefined; outcome: Promise<HttpOutcome> } | undefined;
  session = new Session(await loadLesson(dir), target, {
    intervalMs: 100,
    evaluate: async (check: Check, env) => {
      const url = (check as Extract<Check, { kind: 'http' }>).url;
      if (!url.endsWith('/one')) return { ok: false, summary: 'step 2 waits' };
      if (!stepOne) stepOne = { signal: env.signal, outcome: httpGet(url, { signal: env.signal, timeoutMs: 120_000 }) };
      await eventually(() => sockets.some((s) => s.url === '/one'), 20_000, 'step 1\'s request reaching the server');
      return { ok: true, summary: 'step 1: request sent' };
    },
  });
  // What the session shows at the moment the current step changes.
  let atChange: { aborted: boolean | undefined; open: boolean } | undefined;
  session.subscribe(() => {
    if (!atChange && session!.view.engine.current === 1) atChange = { aborted: stepOne?.signal?.aborted, open: sockets.some((s) => s.url === '/one' && !s.closed) };
  });
  session.start();
  await eventually(() => atChange, 30_000, 'step 1 passing');
  expect(atChange).toEqual({ aborted: true, open: true }); // aborted as the step changed, the request still open until then
  expect(session.view.engine.viewing).toBe(1); // the learner is on step 2 now
  // Cancelled while the session runs on (not by quitting): the server sees the socket close.
  await eventually(() => sockets.filter((s) => s.url === '/one').every((s) => s.closed), 5_000, 'step 1\'s request cancelled (socket closed) after the step changed');
  expect((await stepOne!.outcome).kind).toBe('error');
  expect(session.view.engine.current).toBe(1);
});
