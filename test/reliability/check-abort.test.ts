/**
 * CheckEnv.signal: the session owns one AbortController per step; quitting (or the step
 * changing) aborts the step's running checks, and the HTTP request of an `http` check is
 * cancelled: the server it was waiting on sees its socket close.
 *
 * The check is evaluated through the session's `evaluate` seam with the http kind's own client
 * (httpGet, which the kind calls with env.signal) but a two-minute deadline instead of its 3 s
 * one, so only the abort, not a timeout, can close the socket within the test.
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
