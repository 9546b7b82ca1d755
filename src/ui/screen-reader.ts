/**
 * The lesson for a screen reader: a transcript written once, line by line, label first, instead
 * of a framed screen redrawn on every change. Each change of the session or of the focus is
 * announced once ("command 2 of 3: kubectl port-forward …", "check passed: …"); nothing
 * unchanged is said again; no box drawing, bars or spinners. Pure: the previous announcement
 * state and the view in, new lines and the next state out.
 */
import type { SessionView } from '../engine/session.js';
import { lineText, renderMarkdown } from './markdown.js';
import { stopsOf } from './step-document.js';
import { HELP_LINES, noticeShown, stripMark } from './screen.js';
import { displayText } from '../text/display-text.js';
import type { UiState } from './ui-state.js';

export interface Announced {
  viewing: number;
  focusKey: string;
  checks: string[];
  status: string;
  noticeSeq: number;
  outputKey: string;
  background: Record<string, string>;
  help: boolean;
  hint: boolean;
  solution: boolean;
  steps: boolean;
}

/** Markdown as plain sentences: no styles, list markers and quotes kept as text. */
function plainText(md: string, width: number): string[] {
  return renderMarkdown(md, width).map(lineText).filter((l, i, all) => l.trim() !== '' || (i > 0 && all[i - 1].trim() !== ''));
}

function oneLine(cmd: string): string {
  return cmd.replace(/\s*\\\n\s*/g, ' ').replace(/\n/g, '; ');
}

function stopLabel(view: SessionView, focus: number): string | undefined {
  const step = view.lesson.steps[view.engine.viewing];
  const stops = stopsOf(step);
  const s = stops[focus];
  if (!s) return undefined;
  if (s.kind === 'command') {
    const c = step.commands[s.index];
    return `${c.background ? 'background command' : 'command'} ${s.index + 1} of ${step.commands.length}${c.background ? `, named ${c.name}` : ''}: ${oneLine(c.run)}`;
  }
  const q = step.checks[s.checkIndex];
  const n = q.kind === 'quiz' ? q.options.length : 0;
  const chosen = view.engine.answers[`${step.id}#${s.checkIndex}`] === s.index;
  return `answer ${s.index + 1} of ${n}${chosen ? ', chosen' : ''}: ${q.kind === 'quiz' ? q.options[s.index] : ''}`;
}

/** The step read from the top: title, prose, and each block named by what it is. */
export function stepTranscript(view: SessionView, vi: number, width: number): string[] {
  const { lesson, engine } = view;
  const step = lesson.steps[vi];
  const passed = engine.steps.filter((s) => s.status === 'passed').length;
  const out = [`Step ${vi + 1} of ${lesson.steps.length}: ${step.title}. ${passed} of ${lesson.steps.length} steps passed.`];
  for (const b of step.blocks) {
    if (b.kind === 'prose') out.push(...plainText(b.markdown, width));
    else if (b.kind === 'callout') out.push(`${b.label}: ${plainText(b.markdown, width).join(' ')}`);
    else if (b.kind === 'image') out.push(`Figure: ${b.alt}${b.src ? ` (picture ${b.src})` : ''}`);
    else if (b.kind === 'command') {
      const c = step.commands[b.index];
      out.push(`${c.background ? 'Background command' : 'Command'} ${b.index + 1} of ${step.commands.length}${c.background ? `, named ${c.name}` : ''}: ${oneLine(c.run)}`);
    } else {
      const q = step.checks[b.check];
      if (q?.kind === 'quiz') out.push(`Quiz: ${q.question}`, ...q.options.map((o, i) => `  answer ${i + 1} of ${q.options.length}: ${o}`));
    }
  }
  out.push(`End of step ${vi + 1}. Keys: down and up arrows move between commands, Enter runs, n next step, r checks, question mark for all keys.`);
  return out;
}

function checkSentences(view: SessionView, vi: number): string[] {
  const step = view.lesson.steps[vi];
  const st = view.engine.steps[vi];
  return step.checks.map((c, i) => {
    const r = st.results[i];
    if (!r) return `check ${i + 1}: not checked yet: ${c.title}`;
    const summary = stripMark(displayText(r.summary));
    if (r.ok) return `check ${i + 1} of ${step.checks.length} passes: ${summary}.`;
    const parts = [`check ${i + 1} of ${step.checks.length} does not pass yet: ${summary}.`];
    if (st.attempted || st.status === 'failed') {
      if (r.expected) parts.push(`Expected: ${displayText(r.expected)}.`);
      if (r.found) parts.push(`Found: ${displayText(r.found)}.`);
      for (const d of (r.diagnosis ?? []).slice(0, 3)) parts.push(`${displayText(d)}.`);
    }
    return parts.join(' ');
  });
}

function backgroundStates(view: SessionView): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of view.forwards) out[f.name] = f.state === 'healthy' ? `serving on port ${f.port}` : f.state === 'port-taken' ? `port ${f.port} is taken` : f.state;
  for (const p of view.processes) if (p.background && !(p.name in out)) out[p.name] = p.state;
  return out;
}

export function announce(prev: Announced | undefined, view: SessionView, ui: UiState, width: number): { lines: string[]; state: Announced } {
  const vi = view.engine.viewing;
  const st = view.engine.steps[vi];
  const lines: string[] = [];
  const focusKey = `${vi}:${ui.focus}`;
  const checks = checkSentences(view, vi);
  const status = `${vi}:${st.status}`;
  const o = view.output;
  const outputKey = o ? `${o.step}:${o.index}:${o.exitCode ?? 'running'}:${view.running ? 'r' : ''}` : '';
  const background = backgroundStates(view);
  const state: Announced = { viewing: vi, focusKey, checks, status, noticeSeq: view.noticeSeq, outputKey, background, help: ui.showHelp, hint: ui.showHint, solution: ui.showSolution, steps: ui.showSteps };
  const newStep = !prev || prev.viewing !== vi;
  if (newStep) lines.push(...stepTranscript(view, vi, width));
  if (ui.showHelp && !prev?.help) lines.push('Keys:', ...HELP_LINES.map(([k, d]) => `${k}: ${d}`), 'Escape closes this list.');
  const step = view.lesson.steps[vi];
  if (ui.showHint && !prev?.hint) lines.push('Hints:', ...(step.hints.length ? step.hints.flatMap((h) => plainText(h, width)) : ['this step has no hints.']));
  if (ui.showSolution && !prev?.solution) lines.push('Solution:', ...(step.solution.length ? step.solution.map((c, i) => `solution command ${i + 1} of ${step.solution.length}: ${oneLine(c.run)}`) : ['this step has no solution commands.']));
  if (ui.showSteps && !prev?.steps) lines.push('Steps:', ...view.lesson.steps.map((s, i) => `step ${i + 1}: ${s.title}, ${view.engine.steps[i].status === 'current' ? 'in progress' : view.engine.steps[i].status}${i === vi ? ', viewing' : ''}`));
  if (!newStep && prev && prev.focusKey !== focusKey) {
    const label = stopLabel(view, ui.focus);
    if (label) lines.push(label);
  }
  // Checks: every one the first time the step is read with results, then only those that changed.
  checks.forEach((c, i) => {
    if (newStep || !prev || prev.checks[i] !== c) if (st.results[i] || newStep) lines.push(c);
  });
  if (prev && prev.status !== status && !newStep) {
    if (st.status === 'passed') lines.push(`Step ${vi + 1} passed.`);
    else if (st.status === 'failed') lines.push(`Step ${vi + 1} does not pass yet.`);
  }
  if (o && o.step === vi && prev?.outputKey !== outputKey) {
    const which = `command ${o.index + 1}`;
    if (view.running) lines.push(`${which} is running.`);
    else if (o.exitCode !== undefined) {
      lines.push(`${which} finished with exit status ${o.exitCode}.${o.lines.length ? ' Its last output:' : ' It printed nothing.'}`);
      lines.push(...o.lines.slice(-5).map((l) => `  ${displayText(l)}`));
    }
  }
  for (const [name, s] of Object.entries(background)) if (prev?.background[name] !== s) lines.push(`${name}: ${s}.`);
  if (view.notice && view.noticeSeq !== prev?.noticeSeq && noticeShown(view, ui)) lines.push(`Note: ${displayText(view.notice)}`);
  return { lines, state };
}
