/**
 * The whole screen as lines of styled cells: a pure function of the session
 * view, the UI state and the terminal size. Only what fits is laid out, so a
 * frame costs the same whatever the lesson's length; every state also has a
 * text marker, so it reads without colour.
 */
import type { SessionView } from '../engine/session.js';
import type { ClusterTrouble } from '../cluster/watch-cache.js';
import type { StepStatus } from '../engine/engine-state.js';
import type { Check, CheckResult } from '../lesson/types.js';
import { renderMarkdown, type Line as MdLine } from '../lesson/markdown.js';
import type { UiState } from './ui-state.js';
import { commandOutputRuns } from '../text/command-output.js';
import { commandOrder, eraAware, hintTexts, proseLines, shortTag, solutionView, thisCluster, contextOf } from './era-marks.js';
import { applies, whenText } from '../lesson/eras.js';
import { fit, pad, truncate, width, type Cell, type ScreenLine } from '../text/cells.js';

export type { Cell, ScreenLine } from '../text/cells.js';
export { fit, truncate, width } from '../text/cells.js';

export const STATUS_MARK: Record<StepStatus, string> = { passed: '✓', failed: '✗', current: '●', checking: '◌', locked: '○' };
const STATUS_COLOR: Record<StepStatus, Cell['color']> = { passed: 'green', failed: 'red', current: 'yellow', checking: 'yellow', locked: 'gray' };
const STATUS_TEXT: Record<StepStatus, string> = { passed: 'passed', failed: 'not passing yet', current: 'in progress', checking: 'checking…', locked: 'locked' };

export const FOOTER_KEYS = '↑↓ select ⏎ run c copy r check t traces n/p step h hint s solution x stop ? q';

export const HELP_LINES: Array<[string, string]> = [
  ['↑ ↓  or  k j', 'select a command (or a quiz answer)'],
  ['Enter', 'run the selected command / choose the answer'],
  ['c', 'copy the selected command to the clipboard (OSC 52), to run it yourself'],
  ['r', 'check the current step again now (checks also re-run by themselves)'],
  ['t', 'open the trace viewer on the lesson\'s Jaeger (q goes back to the lesson)'],
  ['n  or  →', 'view the next step (once it is unlocked)'],
  ['p  or  ←', 'view the previous step'],
  ['h', 'show or hide the hints of this step'],
  ['s', 'show or hide the solution of this step'],
  ['x', 'stop the background processes kubetutor started (port-forwards)'],
  ['m', 'when a port-forward\'s port is taken: run it on the free port offered'],
  ['PgUp PgDn  or  u d', 'scroll the step text'],
  ['?', 'show or hide this help'],
  ['q  or  Ctrl-C', 'quit (stops every process kubetutor started)'],
];

const plain = (text: string, style: Omit<Cell, 'text'> = {}): ScreenLine => [{ text, ...style }];

function fromMarkdown(line: MdLine): ScreenLine {
  return line.map((seg) => ({
    text: seg.text,
    bold: seg.bold || seg.heading,
    underline: !!seg.link,
    color: seg.code ? 'cyan' : seg.link ? 'blue' : undefined,
    dim: seg.dim,
  }));
}

/** Word-wraps plain text (for check messages and output). */
export function wrap(text: string, w: number, indent = ''): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let cur = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (width(cur) + width(word) + (cur ? 1 : 0) > w - width(indent) && cur) {
        out.push(indent + cur);
        cur = word;
      } else cur = cur ? `${cur} ${word}` : word;
    }
    out.push(indent + cur);
  }
  return out;
}

/** `text` cut (never re-spaced) into pieces of `w` columns; at least one piece. */
export function cutToWidth(text: string, w: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let at = 0; at < chars.length || at === 0; at += w) out.push(chars.slice(at, at + w).join(''));
  return out;
}

/** A command as it will run: its own lines, each cut to `w` columns; the first starts with `$ `. */
export function fullCommandLines(cmd: string, w: number): string[] {
  return cmd.split('\n').flatMap((line, i) => cutToWidth(i ? `  ${line}` : `$ ${line}`, w));
}

/** A command on one line: `\`-continued lines joined, as the shell reads them. */
export const oneLine = (cmd: string) => cmd.replace(/\s*\\\n\s*/g, ' ').replace(/\n/g, ' ; ');

/** Check summaries may start with their own mark; the screen draws its own. */
export const stripMark = (s: string) => s.replace(/^[✓✗]\s*/, '');

export interface Selectable { kind: 'command' | 'quiz'; index: number; checkIndex?: number }

/** The items ↑/↓ move between on the viewed step: its commands, then the options of its quizzes. */
export function selectables(view: SessionView): Selectable[] {
  const step = view.lesson.steps[view.engine.viewing];
  if (!step) return [];
  const items: Selectable[] = commandOrder(step, view.eraContext).map(({ index }) => ({ kind: 'command', index }));
  step.checks.forEach((c, checkIndex) => {
    if (c.kind === 'quiz' && applies(c.when, contextOf(view.eraContext))) c.options.forEach((_, index) => items.push({ kind: 'quiz', index, checkIndex }));
  });
  return items;
}

function checkLines(check: Check, result: CheckResult | undefined, attempted: boolean, w: number, view: SessionView, stepId: string, checkIndex: number): ScreenLine[] {
  const lines: ScreenLine[] = [];
  if (check.kind === 'quiz') {
    const key = `${stepId}#${checkIndex}`;
    const chosen = view.engine.answers[key];
    const mark = result?.ok ? '✓' : chosen === undefined ? '?' : '✗';
    const q = wrap(`Quiz: ${check.question}`, w - 2);
    lines.push([{ text: `${mark} `, color: result?.ok ? 'green' : chosen === undefined ? 'yellow' : 'red' }, { text: q[0], bold: true }]);
    for (const more of q.slice(1)) lines.push([{ text: `  ${more}`, bold: true }]);
    if (chosen !== undefined && !result?.ok && result) lines.push(plain(`    ${stripMark(result.summary)}`, { color: 'red' }));
    return lines;
  }
  if (!result) {
    lines.push([{ text: '◌ ', color: 'yellow' }, { text: check.title, dim: true }]);
    return lines;
  }
  lines.push([{ text: result.ok ? '✓ ' : '✗ ', color: result.ok ? 'green' : attempted ? 'red' : 'yellow' }, { text: stripMark(result.summary) }]);
  if (!result.ok && attempted) {
    if (result.expected) lines.push(...wrap(`expected: ${result.expected}`, w, '    ').map((t) => plain(t, { dim: true })));
    if (result.found) lines.push(...wrap(`found: ${result.found}`, w, '    ').map((t) => plain(t, { dim: true })));
    for (const d of (result.diagnosis ?? []).slice(0, 4)) lines.push(...wrap(`· ${d}`, w, '    ').map((t) => plain(t, { color: 'yellow' })));
  }
  return lines;
}

export interface ScreenSize { width: number; height: number }

/** Lays out the full screen: exactly `size.height` lines of exactly `size.width` columns. */
export function renderScreen(view: SessionView, ui: UiState, size: ScreenSize): ScreenLine[] {
  const W = Math.max(40, size.width);
  const H = Math.max(12, size.height);
  const { lesson, engine } = view;
  const vi = Math.min(engine.viewing, lesson.steps.length - 1);
  const step = lesson.steps[vi];
  const st = engine.steps[vi];
  const done = engine.steps.filter((s) => s.status === 'passed').length;

  // Header: what, where (the target is always on screen), how far.
  const right = ` target: ${view.targetLabel}  ${done}/${lesson.steps.length} `;
  const left = ` kubetutor · ${lesson.title}`;
  const header: ScreenLine = fit([{ text: pad(left, Math.max(0, W - width(right))), bold: true }, { text: right, color: view.targetKind === 'cluster' ? 'magenta' : 'cyan', bold: true }], W);

  const sideW = W >= 70 ? Math.min(26, Math.max(18, Math.floor(W * 0.24))) : 0;
  const mainW = W - sideW - (sideW ? 1 : 0);

  // Sidebar: steps, then the processes this runner started.
  const side: ScreenLine[] = [];
  if (sideW) {
    side.push(plain(' Steps', { bold: true }));
    lesson.steps.forEach((s, i) => {
      const status = engine.steps[i].status;
      const viewing = i === vi;
      side.push([{ text: viewing ? '›' : ' ' }, { text: `${STATUS_MARK[status]} `, color: STATUS_COLOR[status] }, { text: `${i + 1} ${s.title}`, inverse: viewing, dim: status === 'locked' }]);
    });
    const procs = view.processes.filter((p) => p.background);
    const forwards = new Map(view.forwards.map((f) => [f.name, f]));
    if (procs.length || forwards.size) {
      side.push(plain(''));
      side.push(plain(' Processes', { bold: true }));
      for (const f of view.forwards) {
        const good = f.state === 'healthy';
        const bad = f.state === 'failed' || f.state === 'port-taken' || f.state === 'unhealthy';
        side.push([{ text: f.state === 'stopped' ? ' ○ ' : good ? ' ● ' : bad ? ' ✗ ' : ' ◌ ', color: good ? 'green' : bad ? 'red' : 'yellow' }, { text: f.name, dim: f.state === 'stopped' }]);
        const detail = f.state === 'port-taken' ? `port ${f.port} taken` : f.state === 'stopped' ? 'stopped' : `${f.state} :${f.port}${f.restarts ? `, ${f.restarts} restart${f.restarts === 1 ? '' : 's'}` : ''}`;
        side.push(plain(`   ${detail}`, { dim: true }));
      }
      for (const p of procs) {
        if (forwards.has(p.name)) continue;
        const running = p.state === 'running';
        side.push([{ text: running ? ' ● ' : ' ○ ', color: running ? 'green' : 'gray' }, { text: p.name, dim: !running }]);
        side.push(plain(`   ${running ? `running, pid ${p.pid}` : p.state}`, { dim: true }));
      }
    }
  }

  if (sideW && (view.found.era || view.found.gatewayUrl)) {
    side.push(plain(''));
    side.push(plain(' Found on the cluster', { bold: true }));
    if (view.found.era) side.push(plain(` Istio ${view.found.version ?? view.found.era}${view.found.era === 'modern' ? ' (istiod)' : ''}`, { dim: true }));
    if (view.found.gatewayUrl) {
      side.push(plain(' GATEWAY_URL=', { dim: true }));
      side.push(plain(`  ${view.found.gatewayUrl}`, { color: 'cyan' }));
    }
  }

  // Main pane, bottom-up: footer, notice, output, checks, commands; the text gets what is left.
  const bodyH = H - 2; // below the header, above the footer
  const footer: ScreenLine[] = [];
  const notice: ScreenLine[] = view.notice ? [plain(` ${view.notice}`, { color: view.notice.startsWith('✓') ? 'green' : 'yellow' })] : [];

  const title: ScreenLine = [
    { text: `Step ${vi + 1}/${lesson.steps.length} · ${step.title}`, bold: true },
    { text: `  ${STATUS_MARK[st.status]} ${STATUS_TEXT[st.status]}${st.evaluating ? ' (checking)' : ''}`, color: STATUS_COLOR[st.status] },
  ];

  const items = selectables(view);
  const sel = Math.min(ui.selected, Math.max(0, items.length - 1));
  const commands: ScreenLine[] = [];
  let extraCommandLines = 0;
  if (step.commands.length) {
    const byEra = eraAware(step.commands);
    let separators = 0;
    // Commands for some eras only: those for this cluster first, saying why; the others dimmed, marked.
    commands.push(byEra ? [{ text: 'Commands', bold: true }, { text: ` for ${thisCluster(contextOf(view.eraContext))}`, color: 'cyan' }] : plain('Commands', { bold: true }));
    commandOrder(step, view.eraContext).forEach(({ command: c, index: i, applies: here }, shownAt, all) => {
      if (byEra && !here && (shownAt === 0 || all[shownAt - 1].applies)) {
        commands.push(plain('  not for this cluster:', { dim: true }));
        separators++;
      }
      const selected = items[sel]?.kind === 'command' && items[sel].index === i;
      const proc = c.background ? view.processes.find((p) => p.name === c.name) : undefined;
      const fwd = c.background ? view.forwards.find((f) => f.name === c.name) : undefined;
      const tag = c.background ? `[${c.name}${fwd && fwd.state !== 'stopped' ? `: ${fwd.state}` : proc?.state === 'running' ? ': running' : ''}] ` : '';
      const running = view.running && view.running.step === vi && view.running.index === i ? '  [running…]' : '';
      const mark = here ? '' : `[${shortTag(c.when, view.eraContext)}] `;
      const head: ScreenLine = [{ text: selected ? '› ' : '  ', color: 'cyan' }, { text: mark, dim: true }, { text: tag, color: proc?.state === 'running' ? 'green' : 'magenta' }];
      // The selected command is shown in full, exactly as it will run (Enter runs it), however long.
      const room = mainW - 2 - width(mark) - width(tag) - width(running) - 2;
      const full = fullCommandLines(c.run, Math.max(10, room));
      if (selected && full.length > 1) {
        const most = Math.max(4, Math.floor(H / 2)); // a screen's worth at most
        const shown = full.length > most ? full.slice(0, most - 1) : full;
        commands.push([...head, { text: shown[0], inverse: true }, { text: running, color: 'yellow' }]);
        for (const l of shown.slice(1)) commands.push([{ text: ' '.repeat(2 + width(mark) + width(tag)) }, { text: l, inverse: true }]);
        if (shown.length < full.length) commands.push(plain(`${' '.repeat(2 + width(mark) + width(tag))}… ${full.length - shown.length} more lines: a taller or wider terminal shows them (s shows the solution)`, { dim: true }));
        extraCommandLines = commands.length - 2 - shownAt - separators; // lines beyond one per command (the header is line 0)
      } else if (!here) {
        commands.push([...head, { text: `$ ${oneLine(c.run)}`, inverse: selected, dim: !selected }, { text: running, color: 'yellow' }]);
      } else {
        commands.push([...head, { text: `$ ${oneLine(c.run)}`, inverse: selected, color: selected ? undefined : 'cyan' }, { text: running, color: 'yellow' }]);
      }
    });
  }

  // Each check is a block of lines; when they don't all fit, failing ones come first and passing ones fold into one line.
  const checkBlocks: Array<{ ok: boolean; lines: ScreenLine[] }> = [];
  const attempted = st.attempted || st.status === 'failed';
  step.checks.forEach((c, i) => {
    if (!applies(c.when, contextOf(view.eraContext))) {
      // A check for other eras: one dim line, saying it is not asked here.
      checkBlocks.push({ ok: true, lines: [plain(`– ${c.title}: not asked here (${whenText(c.when)})`, { dim: true })] });
      return;
    }
    const lines = checkLines(c, st.results[i], attempted, mainW - 2, view, step.id, i);
    if (c.kind === 'quiz') {
      c.options.forEach((opt, j) => {
        const selected = items[sel]?.kind === 'quiz' && items[sel].checkIndex === i && items[sel].index === j;
        const chosen = engine.answers[`${step.id}#${i}`] === j;
        lines.push([{ text: selected ? '  › ' : '    ', color: 'cyan' }, { text: `${chosen ? '(•)' : '( )'} ${opt}`, inverse: selected }]);
      });
    }
    const r = st.results[i];
    if (r && !r.ok && attempted && (c.hint || r.hint) && !ui.showHint) lines.push(plain('    press h for a hint', { dim: true }));
    checkBlocks.push({ ok: !!r?.ok && c.kind !== 'quiz', lines });
  });
  const checksHeader = plain(st.status === 'locked' ? 'Checks (locked)' : 'Checks', { bold: true });
  const trouble = view.clusterTrouble ? clusterTroubleLines(view.clusterTrouble, mainW - 2) : [];
  const output: ScreenLine[] = [];
  if (view.output && view.output.step === vi) {
    const status = view.running ? 'running…' : view.output.exitCode === undefined ? '' : view.output.exitCode === 0 ? 'exit 0' : `exit ${view.output.exitCode}`;
    output.push([{ text: '─ output ', dim: true }, { text: truncate(`$ ${oneLine(view.output.command)}`, mainW - 20), color: 'cyan' }, { text: ` ${status} `, color: view.output.exitCode ? 'red' : 'green' }]);
    const lines = view.output.lines.length ? view.output.lines : ['(no output yet)'];
    for (const l of lines.slice(-4)) output.push(commandOutputRuns(l, { dim: true }));
  }

  // Overlays replace the text: help, hints, solution.
  let text: ScreenLine[];
  if (ui.showHelp) {
    text = [plain('Keys', { bold: true })];
    for (const [k, d] of HELP_LINES) {
      wrap(d, Math.max(20, mainW - 26)).forEach((part, i) => text.push([{ text: pad(i ? '' : `  ${k}`, 24), color: 'cyan' }, { text: part }]));
    }
  } else if (ui.showSolution) {
    const sol = solutionView(step, view.eraContext);
    // Each line in full, cut (never wrapped at spaces) to the pane, as it will run.
    text = [plain(sol.heading ? `Solution for ${sol.heading}` : 'Solution — the commands that complete this step:', { bold: true })];
    for (const c of sol.here) text.push(...fullCommandLines(c.run, mainW - 2).map((l) => plain(l, { color: 'cyan' })));
    if (!sol.here.length) text.push(plain(step.solution.length ? '(no solution lines for this cluster)' : '(this step has no solution commands)', { dim: true }));
    for (const g of sol.others) {
      text.push(plain(''), plain(`Not for this cluster — ${g.label}:`, { dim: true }));
      for (const c of g.lines) text.push(...fullCommandLines(c.run, mainW - 2).map((l) => plain(l, { dim: true })));
    }
  } else if (ui.showHint) {
    const hints = [...hintTexts(step, view.eraContext), ...step.checks.flatMap((c, i) => (st.results[i] && !st.results[i].ok && c.hint ? [c.hint] : []))];
    text = [plain('Hints', { bold: true })];
    for (const h of hints.length ? hints : ['(no hints for this step)']) text.push(...renderMarkdown(h, mainW - 2).map(fromMarkdown), plain(''));
  } else {
    text = proseLines(step, mainW - 2, view.eraContext).map(fromMarkdown);
  }

  // Fit: commands, output, notice and footer keep their lines; checks get what is left above a few
  // lines of text (compacted when short of room); the text scrolls in the rest.
  const minText = 4;
  const room = bodyH - 1 - footer.length - notice.length; // minus the title line
  const gap = (xs: ScreenLine[]) => (xs.length ? [plain(''), ...xs] : []);
  const cmdPart = gap(commands.slice(0, 7 + extraCommandLines));
  const outPart = gap(output);
  let checkPart: ScreenLine[] = [];
  if (checkBlocks.length) {
    const most = Math.max(2, room - minText - cmdPart.length - outPart.length - 1 - trouble.length);
    // Before the learner has tried the step, the checks are a progress list: they leave room for the text.
    const hasQuiz = step.checks.some((c) => c.kind === 'quiz');
    const budget = attempted || hasQuiz ? most : Math.min(most, Math.max(4, Math.floor(room / 3)));
    const all = checkBlocks.flatMap((b) => b.lines);
    if (all.length + 1 <= budget) checkPart = [checksHeader, ...all];
    else {
      const failing = checkBlocks.filter((b) => !b.ok).flatMap((b) => b.lines);
      const passing = checkBlocks.filter((b) => b.ok).length;
      const summary: ScreenLine[] = passing ? [[{ text: '✓ ', color: 'green' }, { text: failing.length ? (passing === 1 ? '1 other check passes' : `${passing} other checks pass`) : `all ${passing} checks pass` }]] : [];
      const keep = Math.max(1, budget - 1 - summary.length - 1);
      const more = failing.length - keep;
      const shownFailing = more > 0 ? [...failing.slice(0, keep), plain(`  … ${more} more line${more === 1 ? '' : 's'} (press r for details)`, { dim: true })] : failing;
      checkPart = [checksHeader, ...shownFailing, ...summary];
    }
  }
  // The help takes the whole pane.
  const fixed = ui.showHelp ? [] : [...cmdPart, ...gap([...trouble, ...checkPart]), ...outPart];
  const textH = Math.max(0, room - fixed.length);
  const maxScroll = Math.max(0, text.length - textH);
  const scroll = Math.min(ui.scroll, maxScroll);
  const shown = text.slice(scroll, scroll + textH);
  if (maxScroll > 0 && shown.length) shown[shown.length - 1] = plain(`  ↓ ${text.length - scroll - textH + 1} more lines (PgDn)`, { dim: true });
  while (shown.length < textH) shown.push(plain(''));
  const main: ScreenLine[] = [title, ...shown, ...fixed, ...notice, ...footer].map((l) => fit([{ text: ' ' }, ...l], mainW));

  const lines: ScreenLine[] = [header];
  for (let i = 0; i < bodyH; i++) {
    if (!sideW) lines.push(main[i] ?? fit([], W));
    else lines.push([...fit(side[i] ?? [], sideW), { text: '│', dim: true }, ...(main[i] ?? fit([], mainW))]);
  }
  // The keys span the whole width, so they fit in 80 columns.
  lines.push(fit(plain(` ${FOOTER_KEYS}`, { dim: true }), W));
  return lines;
}

/**
 * The cluster is out of reach (or refuses the credentials): said above the checks, with the time it
 * began (local clock) and that the learner loses nothing. At most four lines.
 */
export function clusterTroubleLines(t: ClusterTrouble, w: number): ScreenLine[] {
  const at = new Date(t.since).toTimeString().slice(0, 8);
  if (t.kind === 'unreachable') return [plain(`⚠ cluster unreachable since ${at} — retrying; your place is kept`, { color: 'yellow', bold: true })];
  // Refused credentials need the learner: the client's full message (what to do) follows.
  return [plain(`⚠ the cluster refuses the credentials since ${at} — your place is kept`, { color: 'red', bold: true }), ...wrap(t.message, w, '  ').slice(0, 3).map((l) => plain(l, { color: 'red' }))];
}

/** How far the step text can scroll (for PgDn). */
export function textLength(view: SessionView, w: number): number {
  const step = view.lesson.steps[view.engine.viewing];
  return step ? proseLines(step, w, view.eraContext).length : 0;
}
