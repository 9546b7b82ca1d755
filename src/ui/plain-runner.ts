/**
 * The lesson as plain lines, for `--plain` and when there is no TTY: each
 * step's text and commands as it becomes current, then its checks whenever
 * their outcome changes. The learner runs the commands in their own shell.
 */
import type { Writable } from 'node:stream';
import type { Session } from '../engine/session.js';
import { renderMarkdown, lineText } from './markdown.js';
import { displayText } from '../text/display-text.js';
import { t } from '../i18n/index.js';
import { commandOrder, eraAware, otherTag, shortTag, thisCluster, contextOf } from './era-marks.js';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

export async function runPlain(session: Session, out: Writable, width = 80): Promise<number> {
  // Everything it prints may quote the cluster, a process or the lesson file: display text (lines kept).
  const write = (s = '') => out.write(displayText(s, { lines: true }) + '\n');
  const { lesson } = session;
  write(`kubetutor · ${lesson.title}`);
  write(t('plain.target', { label: session.target.label }));
  write(t('plain.kubeconfig', { path: session.target.kubeconfigPath }));
  if (lesson.intro.trim()) for (const l of renderMarkdown(lesson.intro, width)) write(lineText(l));
  let shownStep = -1;
  let lastReport = '';
  let lastFound = '';
  let lastNotice: string | null = null;
  let lastTrouble = '';
  return new Promise<number>((resolve) => {
    const report = () => {
      const v = session.view;
      // What the screen shows on its notice line (saved progress rebuilt, a forward that died,
      // a lesson not trusted yet…), and a cluster that cannot be reached: once each, as they change.
      if (v.notice && v.notice !== lastNotice) write(t('plain.note', { notice: v.notice }));
      lastNotice = v.notice;
      const trouble = v.clusterTrouble
        ? t(v.clusterTrouble.kind === 'unreachable' ? 'plain.unreachable' : 'plain.unauthorized', { time: new Date(v.clusterTrouble.since).toLocaleTimeString(), message: v.clusterTrouble.message.split('\n')[0] })
        : '';
      if (trouble !== lastTrouble) {
        if (trouble) write(trouble);
        else if (lastTrouble) write(t('plain.answersAgain'));
        lastTrouble = trouble;
      }
      // What the runner found, with the line to paste into the learner's own shell.
      const found = [v.found.era ? `Istio ${v.found.version ?? v.found.era}` : '', v.found.gatewayUrl ? `GATEWAY_URL=${v.found.gatewayUrl}` : ''].filter(Boolean).join('; ');
      if (found && found !== lastFound) {
        lastFound = found;
        write(v.found.gatewayUrl ? t('plain.foundGateway', { found, url: v.found.gatewayUrl }) : t('plain.found', { found }));
      }
      const cur = v.engine.current;
      // Report the checks of the step that was current when they ran.
      const reportStep = Math.min(shownStep, v.lesson.steps.length - 1);
      if (reportStep >= 0) {
        const st = v.engine.steps[reportStep];
        if (st.results.length && !st.evaluating) {
          const text = st.results.map((r) => `  ${r.ok ? '✓' : '✗'} ${r.summary}`).join('\n');
          const key = `${reportStep}:${text}`;
          if (key !== lastReport) {
            lastReport = key;
            write(text);
            if (st.status === 'passed') write(t('plain.stepPassed', { n: reportStep + 1 }));
          }
        }
      }
      if (cur !== shownStep && cur < v.lesson.steps.length) {
        shownStep = cur;
        const step = v.lesson.steps[cur];
        write();
        write(t('plain.stepHeading', { n: cur + 1, total: v.lesson.steps.length, title: step.title }));
        if (eraAware(step.commands)) write(t('plain.commandsFor', { cluster: thisCluster(contextOf(v.eraContext)) }));
        const applies = new Map(commandOrder(step, v.eraContext).map((c) => [c.index, c.applies]));
        // The step as it reads: each command right after the prose that introduces it.
        for (const b of step.blocks) {
          if (b.kind === 'prose') {
            const lines = renderMarkdown(b.markdown, width);
            if (b.when && Object.keys(b.when).length) write(`[${shortTag(b.when, v.eraContext)}]`);
            for (const l of lines) write(lineText(l));
          } else if (b.kind === 'callout') for (const l of renderMarkdown(`**${b.label}:** ${b.markdown}`, width)) write(lineText(l));
          else if (b.kind === 'image') write(b.src ? t('screen.plain.figureFile', { alt: b.alt, src: b.src }) : t('screen.plain.figure', { alt: b.alt }));
          else if (b.kind === 'command') {
            const c = step.commands[b.index];
            write(`$ ${c.run}${c.background ? t('plain.background') : ''}${applies.get(b.index) === false ? `   # ${otherTag(c.when, v.eraContext)}` : ''}`);
          } else {
            const q = step.checks[b.check];
            if (q?.kind === 'quiz') write(`${t('screen.plain.quiz', { question: q.question })}\n${q.options.map((o, i) => `  ${i + 1}. ${o}`).join('\n')}\n${t('screen.plain.quizElsewhere')}`);
          }
          write();
        }
        write(t('plain.checks'));
      }
      if (v.finished) {
        write();
        write(t('plain.allPassed', { title: lesson.title }));
        finish(0);
      }
    };
    const unsubscribe = session.subscribe(report);
    const onSignal = () => finish(130);
    // SIGHUP: the terminal closed; the lesson ends as on Ctrl-C, stopping what it started.
    for (const sig of STOP_SIGNALS) process.once(sig, onSignal);
    function finish(code: number) {
      unsubscribe();
      for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
      resolve(code);
    }
    session.start();
  });
}
