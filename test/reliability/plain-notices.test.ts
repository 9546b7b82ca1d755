/** `--plain` says what the screen's notice line says: an unreachable cluster (and its return), an untrusted lesson. */
import { afterEach, expect, test } from 'vitest';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { Session } from '../../src/engine/session.js';
import { openTarget, type Target } from '../../src/cluster/target.js';
import { loadLesson } from '../../src/lesson/load.js';
import { runPlain } from '../../src/ui/plain-runner.js';
import { FAST, eventually } from '../helpers/sandbox.js';

const LESSON_DIR = join(import.meta.dirname, '..', '..', 'lessons', 'istio-jaeger');
let target: Target | undefined;
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  await target?.close();
});

test('plain mode reports an API outage while it lasts, and the cluster answering again', async () => {
  target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
  session = new Session(await loadLesson(LESSON_DIR), target, { intervalMs: 100 });
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const done = runPlain(session, out);
  await eventually(() => /== Step 2 of 5: /.test(text), 20_000, 'step 2 (step 1 is done on ready)');
  await target.sandbox!.faults.outage();
  await eventually(() => /⚠ cluster unreachable since .* — retrying; your place is kept/.test(text), 20_000, 'the outage reported');
  await target.sandbox!.faults.restore();
  await eventually(() => /✓ the cluster answers again/.test(text), 20_000, 'the return reported');
  process.emit('SIGINT');
  expect(await done).toBe(130);
  expect(text.match(/⚠ cluster unreachable/g)).toHaveLength(1); // once, not on every re-check
});

test('plain mode says a lesson from elsewhere runs nothing until trusted', async () => {
  target = await openTarget({ sandbox: 'ready', sandboxTiming: FAST });
  session = new Session(await loadLesson(join(import.meta.dirname, '..', 'fixtures', 'lessons', 'session')), target, { intervalMs: 100, trusted: false });
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const done = runPlain(session, out);
  await eventually(() => /^note: Not a bundled lesson: nothing runs until you trust it/m.test(text), 15_000, 'the trust note');
  process.emit('SIGINT');
  expect(await done).toBe(130);
});
