/**
 * `kubetutor class NAMESPACE`: the instructor's live view of a class — learners × steps, who is
 * stuck longest and on what, totals per step — from the learners' progress ConfigMaps, through
 * one LIST and one WATCH (no polling). Redraws at most twice a second.
 */
import { parse } from './args.js';
import { userError } from '../user-error.js';
import { watchClass } from '../class/class-watch.js';
import { classToText, stepIdsOf, summarizeClass } from '../class/class-view.js';
import type { LearnerProgress } from '../class/progress-record.js';
import { displayText, inertJson, inertStrings } from '../text/display-text.js';
import { t } from '../i18n/index.js';

export { watchClass } from '../class/class-watch.js';

const REDRAW_MS = 500;
/** On a TTY, stuck times tick locally (no API request) this often. */
const TICK_MS = 5000;

export function classDocument(records: LearnerProgress[], now: number) {
  const stepIds = stepIdsOf(records);
  return summarizeClass(records, stepIds, now);
}

export async function classCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    plain: { type: 'boolean' },
    json: { type: 'boolean' },
    once: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw userError(t('cmd.usage', { synopsis: 'kubetutor class NAMESPACE [--kubeconfig F] [--context C] [--plain | --json] [--once]' }));
  const namespace = positionals[0];
  const out = process.stdout;
  const tty = !!out.isTTY && !values.plain && !values.json;

  const render = (records: LearnerProgress[]) => {
    if (values.json) {
      out.write(`${inertJson({ namespace, at: new Date().toISOString(), ...classDocument(records, Date.now()) })}\n`);
      return;
    }
    // Names and failure texts come from other learners' ConfigMaps: display text before the table is laid out.
    const summary = classDocument(inertStrings(records), Date.now());
    const lines = [displayText(t('cmd.class.title', { namespace, time: new Date().toLocaleTimeString() })), ...classToText(summary, out.columns || 100).map((l) => displayText(l))];
    if (tty) out.write(`\x1b[H\x1b[2J${lines.join('\n')}\n`);
    else out.write(`${lines.join('\n')}\n\n`);
  };

  const kubeconfig = values.kubeconfig ?? (process.env.KUBECONFIG ? process.env.KUBECONFIG.split(':').filter(Boolean)[0] : undefined);
  let latest: LearnerProgress[] = [];
  let lastDraw = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    lastDraw = Date.now();
    render(latest);
  };
  /** Changes before the first full render (the watch's initial list) are drawn by that render. */
  let live = false;
  const w = watchClass(
    kubeconfig,
    namespace,
    (records) => {
      latest = records;
      if (!live || timer) return;
      timer = setTimeout(draw, Math.max(0, lastDraw + REDRAW_MS - Date.now()));
    },
    { context: values.context },
  );
  try {
    await w.ready;
  } catch (e) {
    await w.stop();
    const msg = (e as { code?: number }).code === 403 ? t('cmd.class.forbidden', { namespace }) : (e as Error).message;
    throw userError(t('cmd.class.cannotRead', { namespace, why: msg }));
  }
  latest = w.records();
  render(latest);
  lastDraw = Date.now();
  if (values.once) {
    await w.stop();
    return 0;
  }
  live = true;
  const tick = tty ? setInterval(() => render(latest), TICK_MS) : undefined;
  return new Promise<number>((resolve) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      if (timer) clearTimeout(timer);
      if (tick) clearInterval(tick);
      void w.stop().then(() => resolve(0));
    };
    process.on('SIGINT', finish);
    process.on('SIGTERM', finish);
  });
}
