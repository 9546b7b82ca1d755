/** `kubetutor [start] [LESSON]`: the interactive lesson (the TUI), or plain text without a TTY. */
import { parse } from './args.js';
import { loadLesson } from '../lesson/load.js';
import { openTarget, sandboxScenario, sandboxTarget, wantsCluster, type Target } from '../cluster/target.js';
import { userError } from '../user-error.js';
import { loadProgress, progressFile } from '../engine/progress.js';
import type { DrawnFrame } from '../ui/first-frame.js';
import { leanHeap } from '../lean-heap.js';
import { isTrusted, trustLesson } from '../lesson/trust.js';
import { normalizeSandboxFlag, TARGET_OPTIONS, targetOptions } from './target-flags.js';
import { portFlags, PORT_OPTIONS, refuseTakenForwardPorts } from './port-flags.js';
import { remapLessonPorts } from '../lesson/port-remap.js';
import { commandExitGuard, type ExitGuard } from '../processes/exit-guard.js';
import { describeRecord, leftoverHeadline, ProcessRecords, processRecordsDir, summarizeStops } from '../processes/process-records.js';
import { displayText } from '../text/display-text.js';
import { t } from '../i18n/index.js';

export async function startCommand(argv: string[], mode: { play?: boolean } = {}): Promise<number> {
  // From the first moment: signals and fatal errors stop every process the runner started.
  const guard = commandExitGuard();
  try {
    return await runStart(argv, mode, guard);
  } finally {
    recording?.stop();
    recording = undefined;
    guard.dispose();
  }
}

/** The --record of the running command, stopped when it ends. */
let recording: import('../ui/cast-recorder.js').CastRecorder | undefined;

async function runStart(argv: string[], mode: { play?: boolean }, guard: ExitGuard): Promise<number> {
  const { values, positionals } = parse(normalizeSandboxFlag(argv), {
    ...TARGET_OPTIONS,
    plain: { type: 'boolean', default: false },
    'screen-reader': { type: 'boolean', default: false },
    yes: { type: 'boolean', default: false },
    trust: { type: 'boolean', default: false },
    class: { type: 'string' },
    name: { type: 'string' },
    ...PORT_OPTIONS,
    record: { type: 'string' },
    ...(mode.play ? { pace: { type: 'string' } } : {}),
  } as typeof TARGET_OPTIONS & typeof PORT_OPTIONS & { record: { type: 'string' }; plain: { type: 'boolean'; default: false }; 'screen-reader': { type: 'boolean'; default: false }; yes: { type: 'boolean'; default: false }; trust: { type: 'boolean'; default: false }; class: { type: 'string' }; name: { type: 'string' }; pace: { type: 'string' } });
  const pace = values.pace === undefined ? undefined : Number(values.pace);
  if (pace !== undefined && !(pace >= 0)) throw userError(t('start.badPace', { value: values.pace! }));
  if (positionals.length > 1) throw userError(t('cli.unexpectedArgument', { arg: positionals[1] }));
  const lesson = await loadLesson(positionals[0] ?? 'istio-jaeger', values.lessons ?? []);
  const plain = values.plain || !process.stdout.isTTY || !process.stdin.isTTY;
  // A linear transcript instead of the framed screen: asked for, or what Ink's own detection says.
  const screenReader = values['screen-reader'] || process.env.INK_SCREEN_READER === 'true';
  // --trust: the learner has read this lesson (not one of kubetutor's own) and lets it run commands.
  if (values.trust) trustLesson(lesson);
  const trusted = values.trust || isTrusted(lesson);
  if (mode.play && plain) throw userError(t('start.playNeedsTerminal'));
  const ports = await portFlags(lesson, values.port);
  // In front of a room, a forward that cannot start is said before the play begins, with who holds its port.
  if (mode.play) await refuseTakenForwardPorts(lesson, ports);
  if (values.record !== undefined && plain) throw userError(t('start.recordNeedsTerminal'));
  leanHeap();
  // --record FILE: everything the terminal is sent from here on, as an asciicast v2 file.
  if (values.record !== undefined) recording = (await import('../ui/cast-recorder.js')).recordCast(values.record);
  const targetOpts = targetOptions(values);
  // chalk ignores NO_COLOR by itself; Ink's colours follow FORCE_COLOR, read when it loads.
  if (!plain && process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
  // On the sandbox, the lesson is on screen at once: its first frame is drawn before the
  // sandbox starts and before Ink and the cluster client load, in parallel, behind it.
  // (A real cluster asks for confirmation first; auto-play draws its own banner.)
  let frame: DrawnFrame | undefined;
  let ink: ReturnType<typeof loadInk> | undefined;
  if (!plain && !mode.play && !screenReader && !wantsCluster(targetOpts)) {
    frame = await drawLessonFrame(remapLessonPorts(lesson, ports), sandboxScenario(targetOpts), trusted);
    ink = loadInk();
    ink.catch(() => undefined); // awaited below; a failure surfaces there
  }
  const sessionModule = import('../engine/session.js');
  sessionModule.catch(() => undefined); // awaited below
  let target: Target;
  try {
    target = await openTarget(targetOpts);
  } catch (e) {
    frame?.erase();
    releaseKeys(frame);
    throw e;
  }
  const { Session } = await sessionModule;
  // The processes it starts are recorded while they run; those an earlier runner left behind
  // (it was killed before it could stop them) are offered to be stopped before the lesson starts.
  const records = new ProcessRecords(processRecordsDir());
  const leftovers = records.leftovers();
  const session = new Session(lesson, target, { progressFile: progressFile(lesson.id, target.key), trusted, processRecords: records, ports });
  armFault(process.env.KUBETUTOR_FAULT);
  // Class progress: this learner's state, recorded in a ConfigMap of the shared cluster as it changes.
  const reporter = values.class ? await startClassReporting(session, target.kubeconfigPath, values.class, values.name) : undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = () => (stopping ??= (reporter?.close() ?? Promise.resolve()).then(() => session.close()).then(() => target.close()));
  try {
    if (plain) {
      const { runPlain } = await import('../ui/plain-runner.js');
      if (leftovers.length) {
        process.stdout.write(displayText(`${leftoverHeadline(leftovers.length)}:\n${leftovers.map((r) => `  ${describeRecord(r)}   ${t('plain.leftoverLesson', { lesson: r.lesson, target: r.target })}\n`).join('')}${t('plain.leftoversStop')}\n\n`, { lines: true }));
      }
      guard.onStop(() => undefined); // the plain runner ends itself on a stop signal
      return await runPlain(session, process.stdout);
    }
    const { render, React, App } = await (ink ?? loadInk());
    // Keys the first frame answered (the help open, a scroll) carry over; the others are replayed.
    const early = frame?.handOver();
    frame?.erase();
    const player = mode.play ? new (await import('../engine/player.js')).Player(session, { pace }) : undefined;
    const earlier = leftovers.length
      ? { headline: leftoverHeadline(leftovers.length), lines: leftovers.map((r) => describeRecord(r)), stop: async () => summarizeStops(await records.stop(leftovers)) }
      : undefined;
    const app = render(
      React.createElement(App, { session, player, confirmTarget: target.kind === 'cluster' && !values.yes, color: !process.env.NO_COLOR, earlier, initialUiState: early?.ui, pendingKeys: early?.pending, screenReader }),
      { exitOnCtrlC: false, patchConsole: false, isScreenReaderEnabled: screenReader },
    );
    // A stop signal (SIGTERM, SIGHUP when the terminal closes, SIGINT from outside) ends the
    // lesson as q does; a fatal error hands the terminal back before the guard reports it.
    guard.onStop(() => app.unmount());
    guard.onFatal(() => app.unmount());
    await app.waitUntilExit();
    guard.onStop(undefined);
    guard.onFatal(undefined);
    if (guard.crashed) await new Promise(() => undefined); // the guard stops everything and exits
    const done = session.view.finished;
    await shutdown();
    process.stdout.write(`${done ? displayText(t('plain.allPassed', { title: lesson.title })) : t('run.progressSaved')}\n`);
    return guard.signalStatus ?? 0;
  } finally {
    frame?.erase(); // when something failed before Ink took over
    releaseKeys(frame);
    await shutdown();
  }
}

async function drawLessonFrame(lesson: import('../lesson/types.js').Lesson, scenario: string, trusted: boolean): Promise<DrawnFrame> {
  const { drawFirstFrame, startingView } = await import('../ui/first-frame.js');
  const { label, key } = sandboxTarget(scenario);
  const vars = loadProgress(progressFile(lesson.id, key))?.vars ?? {};
  // Keys pressed before Ink is ready wait in raw mode (no echo over the frame); Ink reads them.
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  const color = !process.env.NO_COLOR && process.stdout.hasColors();
  const untrusted = trusted ? null : { file: lesson.file, sha256: '', source: '' }; // only its notice is drawn
  const frame = drawFirstFrame(process.stdout, startingView(lesson, { label, kind: 'sandbox' }, vars, untrusted), color, process.stdin);
  // One turn of the event loop before the heavy modules load (compiling them blocks it): keys
  // typed while Node was starting are read and answered now, not after Ink and the sandbox.
  await new Promise((resolve) => setImmediate(resolve));
  return frame;
}

function releaseKeys(frame: DrawnFrame | undefined) {
  if (frame && process.stdin.isTTY) process.stdin.setRawMode(false);
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
    const [{ render }, react, { App }] = await Promise.all([import('ink'), import('react'), import('../ui/App.js')]);
    // React is CommonJS: bundled, its exports are the default export's.
    return { render, React: react.default ?? react, App };
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

/**
 * A fault switch for the tests of the exit paths: `KUBETUTOR_FAULT=crash-on-usr2` throws (an
 * uncaught exception) when the runner gets SIGUSR2, `reject-on-usr2` leaves a rejected promise
 * unhandled instead. A signal, not a timer: the test fires it once everything it wants running
 * runs, however slow the machine.
 */
function armFault(spec: string | undefined): void {
  const m = spec?.match(/^(crash|reject)-on-usr2$/);
  if (!m) return;
  // `on`, not `once`: signal-exit (under Ink) re-raises a signal that has no listener but its own,
  // and a `once` listener is gone by the time it looks.
  let fired = false;
  process.on('SIGUSR2', () => {
    if (fired) return;
    fired = true;
    const fault = new Error(`injected fault (KUBETUTOR_FAULT=${spec})`);
    if (m[1] === 'crash') throw fault;
    void Promise.reject(fault);
  });
}
