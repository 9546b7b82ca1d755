/**
 * The lesson for a screen reader: a transcript written once, line by line, label first, instead
 * of a framed screen redrawn on every change. Each change of the session or of the focus is
 * announced once ("command 2 of 3: kubectl port-forward …", "check 1 of 2 passes: …"); nothing
 * unchanged is said again; no box drawing, bars, spinners or glyph-only marks. Every line is
 * word-wrapped to the terminal's width in cells (src/ui/cells.ts), so the terminal never cuts a
 * word in two. Pure: the previous announcement state and the view in, new lines and the next
 * state out (ScreenReaderView.tsx writes them through Ink's <Static>).
 */
import type { SessionView } from '../engine/session.js';
import type { Step } from '../lesson/types.js';
import type { PlayState } from '../engine/player.js';
import { applies, conditional, notHereText, whenText, type When } from '../lesson/eras.js';
import { lineText, renderMarkdown } from './markdown.js';
import { stopsOf } from './step-document.js';
import { helpLines, noticeShown, oneLine } from './screen.js';
import { contextOf } from './era-marks.js';
import { wrapText } from '../text/cells.js';
import { displayText } from '../text/display-text.js';
import { t } from '../i18n/index.js';
import type { UiState } from './ui-state.js';

export interface Announced {
  viewing: number;
  focusKey: string;
  /** The check sentences said for the viewed step (undefined: no result said yet). */
  checks: Array<string | undefined>;
  checksOpen: boolean;
  status: string;
  noticeSeq: number;
  outputKey: string;
  background: Record<string, string>;
  trouble: string;
  play: string;
  help: boolean;
  hint: boolean;
  solution: boolean;
  steps: boolean;
}

/** Box drawing and block elements (U+2500–U+259F): never in the transcript. */
export const BOX_DRAWING = /[\u2500-\u259f]/;

/** The program's marks and arrows as words (a screen reader spells out or skips glyphs). */
const GLYPH_WORDS = (): Array<[RegExp, string]> => [
  [/^\s*[✓✔]\s*/, ''],
  [/^\s*[✗✘]\s*/, ''],
  [/⚠\s*/g, t('sr.key.warning')],
  [/↑/g, t('sr.key.up')],
  [/↓/g, t('sr.key.down')],
  [/→/g, t('sr.key.right')],
  [/←/g, t('sr.key.left')],
  [/⏎/g, t('sr.key.enter')],
  [/[▶⏸◌●○›▎▏]\s*/g, ''],
];

export function words(s: string): string {
  let out = s;
  for (const [re, w] of GLYPH_WORDS()) out = out.replace(re, w);
  return out.replace(BOX_DRAWING, '').replace(/\s+$/, '');
}

/** Markdown as plain sentences, wrapped to `width`: quote bars and rules dropped, blank runs kept to one. */
function plainText(md: string, width: number): string[] {
  const out: string[] = [];
  for (const l of renderMarkdown(md, width)) {
    const text = lineText(l);
    const rule = /^[\s\u2500-\u257f]+$/.test(text);
    const line = text.replace(/[\u2500-\u259f] ?/g, '').replace(/\s+$/, '');
    if (rule) continue;
    if (line.trim() === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/** One sentence word-wrapped to `width` cells (never a word cut in two), each line after `indent`. */
const say = (text: string, width: number, indent = ''): string[] => wrapText(text, width, indent);

/** A key of the help list in words: `Up Down, Tab, Shift-Tab`, `n or Right`. */
const keyWords = (k: string): string => {
  const parts = words(k).split(/\s{2,}/);
  return parts.includes(t('screen.help.or')) ? parts.join(' ') : parts.join(', ');
};

function commandLabel(step: Step, index: number, view: SessionView): string {
  const c = step.commands[index];
  const a = { n: index + 1, total: step.commands.length, run: oneLine(c.run) };
  const era = c.when && conditional(c.when) ? eraNote(c.when, view) : undefined;
  if (c.background) return era ? t('sr.backgroundEra', { ...a, name: c.name ?? '', ...era }) : t('sr.background', { ...a, name: c.name ?? '' });
  return era ? t('sr.commandEra', { ...a, ...era }) : t('sr.command', a);
}

function eraNote(when: When, view: SessionView): { when: string; where: string } {
  const ctx = contextOf(view.eraContext);
  return { when: whenText(when), where: applies(when, ctx) ? t('era.thisCluster') : notHereText(when, ctx) };
}

function stopLabel(view: SessionView, focus: number): string | undefined {
  const step = view.lesson.steps[view.engine.viewing];
  const s = stopsOf(step)[focus];
  if (!s) return undefined;
  if (s.kind === 'command') return commandLabel(step, s.index, view);
  const q = step.checks[s.checkIndex];
  if (q.kind !== 'quiz') return undefined;
  const chosen = view.engine.answers[`${step.id}#${s.checkIndex}`] === s.index;
  return t(chosen ? 'sr.answerChosen' : 'sr.answer', { n: s.index + 1, total: q.options.length, text: q.options[s.index] });
}

function stepStatusText(view: SessionView, vi: number): string {
  const st = view.engine.steps[vi];
  if (st.status === 'passed') return t('sr.status.passed');
  if (st.status === 'locked') return t('sr.status.locked', { n: view.engine.current + 1 });
  return t('sr.status.current');
}

/** The step read from the top: title, prose, and each block named by what it is. */
export function stepTranscript(view: SessionView, vi: number, width: number): string[] {
  const { lesson, engine } = view;
  const step = lesson.steps[vi];
  const passed = engine.steps.filter((s) => s.status === 'passed').length;
  const out: string[] = [];
  const add = (text: string) => out.push(...say(text, width));
  out.push('');
  add(t('sr.step', { n: vi + 1, total: lesson.steps.length, title: step.title, status: stepStatusText(view, vi), passed }));
  let lastWhen: string | undefined;
  for (const b of step.blocks) {
    // A block for some eras only says whom it is for, once per run of blocks for the same.
    const whenKey = b.when && conditional(b.when) && b.kind !== 'command' ? JSON.stringify(b.when) : undefined;
    if (whenKey && whenKey !== lastWhen) add(t('sr.section', eraNote(b.when!, view)));
    lastWhen = whenKey;
    if (b.kind === 'prose') out.push(...plainText(b.markdown, width));
    else if (b.kind === 'callout') add(t('sr.callout', { label: b.label, text: plainText(b.markdown, width).join(' ') }));
    else if (b.kind === 'image') add(b.src ? t('sr.figureFile', { alt: b.alt, src: b.src }) : t('sr.figure', { alt: b.alt }));
    else if (b.kind === 'command') add(commandLabel(step, b.index, view));
    else {
      const q = step.checks[b.check];
      if (q?.kind === 'quiz') {
        add(t('sr.quiz', { question: q.question }));
        q.options.forEach((o, i) => out.push(...say(t('sr.answer', { n: i + 1, total: q.options.length, text: o }), width, '  ')));
      }
    }
  }
  const n = step.checks.length;
  add(n ? t('sr.checksOfStep', { count: n, titles: step.checks.map((c) => c.title).join(t('sr.listSep')) }) : t('sr.noChecks'));
  const first = stopsOf(step)[0];
  if (!first) add(t('sr.endNoStops', { n: vi + 1 }));
  else add(t('sr.endWithStops', { n: vi + 1, selected: first.kind === 'command' ? t('sr.selectedCommand', { n: first.index + 1 }) : t('sr.selectedAnswer', { n: first.index + 1 }) }));
  return out;
}

function checkSentences(view: SessionView, vi: number): Array<string | undefined> {
  const step = view.lesson.steps[vi];
  const st = view.engine.steps[vi];
  const n = step.checks.length;
  return step.checks.map((_, i) => {
    const r = st.results[i];
    if (!r) return undefined;
    const summary = words(displayText(r.summary));
    const stop = (x: string) => x.replace(/[.。]$/, '');
    if (r.ok) return t('sr.checkPasses', { n: i + 1, total: n, summary: stop(summary) });
    const parts = [t('sr.checkFails', { n: i + 1, total: n, summary: stop(summary) })];
    if (st.attempted || st.status === 'failed') {
      if (r.expected) parts.push(t('sr.expected', { text: stop(displayText(r.expected)) }));
      if (r.found) parts.push(t('sr.found', { text: stop(displayText(r.found)) }));
      for (const d of (r.diagnosis ?? []).slice(0, 3)) parts.push(`${stop(words(displayText(d)))}.`);
    }
    return parts.join(' ');
  });
}

function backgroundStates(view: SessionView): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of view.forwards) out[f.name] = t(`sr.state.${f.state}`, { port: f.port });
  for (const p of view.processes) if (p.background && !(p.name in out)) out[p.name] = p.state === 'running' || p.state === 'stopped' ? t(`sr.state.${p.state}`) : p.state;
  return out;
}

/** What auto-play says, once per command or message (never its typing, letter by letter). */
function playLine(p: PlayState | undefined): string {
  if (!p) return '';
  const cmd = p.command ? oneLine(p.command) : '';
  switch (p.phase) {
    case 'typing':
    case 'running':
      return t('sr.playRuns', { command: cmd });
    case 'waiting':
      return t('sr.play', { message: p.message ?? '' });
    case 'paused':
      return p.message ? t('sr.playPaused', { message: p.message }) : t('sr.playPausedSpace');
    case 'done':
      return t('sr.play', { message: words(p.message ?? '') });
    default:
      return t('sr.playStopped', { message: words(p.message ?? '') });
  }
}

export function announce(prev: Announced | undefined, view: SessionView, ui: UiState, width: number, play?: PlayState): { lines: string[]; state: Announced } {
  width = Math.max(20, width);
  const vi = view.engine.viewing;
  const st = view.engine.steps[vi];
  const step = view.lesson.steps[vi];
  const out: string[] = [];
  const add = (text: string) => out.push(...say(text, width));
  const focusKey = `${vi}:${ui.focus}`;
  const checks = checkSentences(view, vi);
  const status = `${vi}:${st.status}`;
  const o = view.output;
  const outputKey = o ? `${o.step}:${o.index}:${o.exitCode ?? 'running'}:${view.running ? 'r' : ''}:${ui.outputOpen}` : '';
  const background = backgroundStates(view);
  const trouble_ = view.clusterTrouble;
  const trouble = trouble_ ? `${trouble_.kind}:${trouble_.kind === 'unreachable' ? '' : trouble_.message}` : '';
  const playText = playLine(play);
  const newStep = !prev || prev.viewing !== vi;
  const state: Announced = { viewing: vi, focusKey, checks, checksOpen: ui.checksOpen, status, noticeSeq: view.noticeSeq, outputKey, background, trouble, play: playText, help: ui.showHelp, hint: ui.showHint, solution: ui.showSolution, steps: ui.showSteps };

  if (!prev) add(t('sr.lesson', { title: view.lesson.title, target: view.targetLabel }));
  if (playText && playText !== prev?.play) add(playText);
  if (trouble !== (prev?.trouble ?? '')) {
    if (!trouble_) add(t('sr.clusterBack'));
    else if (trouble_.kind === 'unreachable') add(t('sr.unreachable'));
    else add(t('sr.refused', { message: displayText(trouble_.message) }));
  }
  if (newStep) out.push(...stepTranscript(view, vi, width));
  if (ui.showHelp && !prev?.help) {
    add(t('sr.keys'));
    for (const [k, d] of helpLines()) out.push(...say(`${keyWords(k)}: ${d}`, width, '  '));
    add(t('sr.keysEnd'));
  }
  if (ui.showHint && !prev?.hint) {
    add(t('sr.hints'));
    if (step.hints.length) for (const h of step.hints) out.push(...plainText(h, width));
    else add(t('sr.noHints'));
  }
  if (ui.showSolution && !prev?.solution) {
    add(t('sr.solution'));
    if (step.solution.length) step.solution.forEach((c, i) => add(t('sr.solutionCommand', { n: i + 1, total: step.solution.length, run: oneLine(c.run) })));
    else add(t('sr.noSolution'));
  }
  if (ui.showSteps && !prev?.steps) {
    add(t('sr.steps'));
    view.lesson.steps.forEach((s, i) => out.push(...say(t(i === vi ? 'sr.stepItemHere' : 'sr.stepItem', { n: i + 1, title: s.title, status: stepStatusText(view, i) }), width, '  ')));
  }
  const overlayOpen = ui.showHelp || ui.showHint || ui.showSolution || ui.showSteps;
  if (!newStep && prev && (prev.help || prev.hint || prev.solution || prev.steps) && !overlayOpen) add(t('sr.closed', { n: vi + 1 }));
  if (!newStep && prev && prev.focusKey !== focusKey) {
    const label = stopLabel(view, ui.focus);
    if (label) add(label);
  }
  // Checks: the first results of a step as a count and what fails; then each change; all on r.
  const said = newStep ? [] : prev!.checks;
  const firstResults = said.every((c) => c === undefined) && checks.some((c) => c !== undefined);
  if (ui.checksOpen && !prev?.checksOpen && !newStep) {
    if (!checks.some((c) => c !== undefined)) add(t('sr.checkingNow'));
    checks.forEach((c) => c && add(c));
  } else if (firstResults && checks.every((c) => c !== undefined)) {
    const pass = st.results.filter((r) => r?.ok).length;
    add(pass === checks.length ? t('sr.checksAll', { count: pass }) : t('sr.checksSome', { pass, total: checks.length }));
    checks.forEach((c, i) => c && !st.results[i]?.ok && add(c));
  } else {
    checks.forEach((c, i) => {
      if (c !== undefined && c !== said[i]) add(c);
    });
  }
  if (prev && prev.status !== status && !newStep) {
    if (st.status === 'passed') add(t('sr.stepPassed', { n: vi + 1 }));
    else if (st.status === 'failed') add(t('sr.stepFails', { n: vi + 1 }));
  }
  if (o && o.step === vi && prev?.outputKey !== outputKey) {
    const own = o.index >= 0; // a solution line that is none of the step's commands (auto-play) has no number
    const n = o.index + 1;
    if (view.running) add(own ? t('sr.commandRunning', { n }) : t('sr.solutionRunning'));
    else if (o.exitCode !== undefined) {
      const shown = ui.outputOpen ? o.lines : o.lines.slice(-5); // opened (o): every line kept
      const code = o.exitCode;
      if (!o.lines.length) add(own ? t('sr.commandSilent', { n, code }) : t('sr.solutionSilent', { code }));
      else add(own ? t('sr.commandDone', { n, code, count: shown.length }) : t('sr.solutionDone', { code, count: shown.length }));
      for (const l of shown) out.push(...say(displayText(l), width, '  '));
    }
  }
  for (const [name, s] of Object.entries(background)) if (prev?.background[name] !== s) add(t('sr.backgroundState', { name, state: s }));
  if (view.notice && view.noticeSeq !== prev?.noticeSeq && noticeShown(view, ui)) add(t('sr.note', { text: words(displayText(view.notice)) }));
  return { lines: out, state };
}
