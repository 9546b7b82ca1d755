/**
 * Target 3: what an idle learner costs the cluster. The lesson runs on the
 * sandbox and reaches step 2 (port-forward), where nothing happens; after the
 * first 10 s (initial lists, watches opening), the sandbox counts the API
 * requests the runner makes in one minute. Watches held open are not requests.
 */
import { openTarget } from '../../src/cluster/target.js';
import { bundledLessonsDir, loadLesson } from '../../src/lesson/load.js';
import { Session } from '../../src/engine/session.js';
import { sleep, type Figure } from './stats.js';

export async function idleMinute(): Promise<Figure[]> {
  const target = await openTarget({ sandbox: 'ready' });
  const session = new Session(await loadLesson(`${bundledLessonsDir()}/istio-jaeger`), target);
  try {
    session.start();
    const until = Date.now() + 30_000;
    while (session.view.engine.current < 1 && Date.now() < until) await sleep(50);
    await sleep(10_000);
    const stats = target.sandbox!.api.stats;
    const runner = () => stats.total - stats.fromKubectl;
    const before = runner();
    await sleep(60_000);
    const n = runner() - before;
    return [
      { name: 'idle learner: API requests per minute', value: n, unit: 'req/min', target: '<= 2', pass: n <= 2, detail: `on step ${session.view.engine.current + 1}, after the first 10 s; ${stats.watchesOpen} watches open` },
    ];
  } finally {
    await session.close();
    await target.close();
  }
}
