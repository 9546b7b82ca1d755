/** `kubetutor [start] [LESSON]`: the interactive lesson (the TUI), or plain text without a TTY. */
import { parse } from '../cli.js';
import { loadLesson } from '../lesson/load.js';
import { openTarget, userError } from '../cluster/target.js';
import { progressFile } from '../engine/progress.js';
import { normalizeSandboxFlag, TARGET_OPTIONS, targetOptions } from './target-flags.js';

export async function startCommand(argv: string[], mode: { play?: boolean } = {}): Promise<number> {
  const { values, positionals } = parse(normalizeSandboxFlag(argv), {
    ...TARGET_OPTIONS,
    plain: { type: 'boolean', default: false },
    yes: { type: 'boolean', default: false },
    class: { type: 'string' },
    name: { type: 'string' },
    ...(mode.play ? { pace: { type: 'string' } } : {}),
  } as typeof TARGET_OPTIONS & { plain: { type: 'boolean'; default: false }; yes: { type: 'boolean'; default: false }; class: { type: 'string' }; name: { type: 'string' }; pace: { type: 'string' } });
  const pace = values.pace === undefined ? undefined : Number(values.pace);
  if (pace !== undefined && !(pace >= 0)) throw userError(`--pace must be a number of milliseconds, not "${values.pace}"`);
  if (positionals.length > 1) throw userError(`unexpected argument "${positionals[1]}"`);
  const lesson = await loadLesson(positionals[0] ?? 'istio-jaeger', values.lessons ?? []);
  const plain = values.plain || !process.stdout.isTTY || !process.stdin.isTTY;
  if (mode.play && plain) throw userError('kubetutor play needs a terminal (it drives the lesson screen)');
  const target = await openTarget(targetOptions(values));
  const { Session } = await import('../engine/session.js');
  const session = new Session(lesson, target, { progressFile: progressFile(lesson.id, target.key) });
  // Class progress: this learner's state, recorded in a ConfigMap of the shared cluster as it changes.
  const reporter = values.class ? await startClassReporting(session, target.kubeconfigPath, values.class, values.name) : undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = () => (stopping ??= (reporter?.close() ?? Promise.resolve()).then(() => session.close()).then(() => target.close()));
  try {
    if (plain) {
      const { runPlain } = await import('../ui/plain-runner.js');
      return await runPlain(session, process.stdout);
    }
    // chalk ignores NO_COLOR by itself; Ink's colours follow FORCE_COLOR, read when it loads.
    if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
    const { render, React, App } = await loadInk();
    const player = mode.play ? new (await import('../engine/player.js')).Player(session, { pace }) : undefined;
    const app = render(React.createElement(App, { session, player, confirmTarget: target.kind === 'cluster' && !values.yes, color: !process.env.NO_COLOR }), { exitOnCtrlC: false, patchConsole: false });
    const onSignal = () => app.unmount();
    process.once('SIGTERM', onSignal);
    process.once('SIGHUP', onSignal);
    await app.waitUntilExit();
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    const done = session.view.finished;
    await shutdown();
    process.stdout.write(done ? `✓ ${lesson.title}: all steps passed.\n` : `Progress saved; run the same command to resume.\n`);
    return 0;
  } finally {
    await shutdown();
  }
}

/**
 * Ink decides once, when it loads, that a CI environment (CI=true and the like) gets no live
 * frames. Here a real terminal is attached and the learner asked for the TUI, so hide those
 * variables while Ink loads, then put them back for the lesson's commands.
 */
export async function loadInk() {
  const saved: Record<string, string> = {};
  for (const k of Object.keys(process.env)) {
    if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) {
      saved[k] = process.env[k]!;
      delete process.env[k];
    }
  }
  try {
    const [{ render }, React, { App }] = await Promise.all([import('ink'), import('react'), import('../ui/App.js')]);
    return { render, React, App };
  } finally {
    Object.assign(process.env, saved);
  }
}

async function startClassReporting(session: import('../engine/session.js').Session, kubeconfig: string, namespace: string, name: string | undefined) {
  const { ClassReporter, progressFromView } = await import('../class/class-reporter.js');
  const { userInfo } = await import('node:os');
  const learner = name || process.env.USER || userInfo().username || 'learner';
  const reporter = new ClassReporter(kubeconfig, namespace, learner);
  const stepIds = session.lesson.steps.map((s) => s.id);
  let current = -1;
  let since = Date.now();
  let last = '';
  const report = () => {
    const engine = session.view.engine;
    if (engine.current !== current) {
      current = engine.current;
      since = Date.now();
    }
    const p = progressFromView(session.lesson.id, learner, stepIds, engine, since);
    const key = JSON.stringify({ ...p, updatedAt: '' });
    if (key === last) return; // only real changes reach the cluster
    last = key;
    reporter.report(p);
  };
  session.subscribe(report);
  report();
  return reporter;
}
