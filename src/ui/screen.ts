/**
 * The whole lesson screen as lines of styled cells: a pure function of the session view, the UI
 * state and the terminal size. The step is one document (src/ui/step-document.ts) in a window
 * that scrolls; around it one header line (which step of how many, how many passed, the
 * target), the checks (one line each, or folded into one at small heights), a notice, and the
 * keys that do something now. From 120 columns the steps stand in a sidebar beside the text.
 * Every state has a text marker, so it reads without colour; widths are terminal cells.
 */
import type { SessionView } from '../engine/session.js';
import type { ClusterTrouble } from '../cluster/watch-cache.js';
import type { StepStatus } from '../engine/engine-state.js';
import type { Check, CheckResult, Step } from '../lesson/types.js';
import { renderMarkdown } from './markdown.js';
import { cellWidth, fitWords, graphemes, padCells, sliceCells, truncateCells, wrapText, type Cell, type ScreenLine } from '../text/cells.js';
import { fromMarkdown, layoutStep, stopsOf, type PlacedStop, type Stop, type StepDocument } from './step-document.js';
import { displayText } from '../text/display-text.js';
import type { ScreenNav, UiState } from './ui-state.js';
import { solutionView } from './era-marks.js';
import { t } from '../i18n/index.js';

export type { Cell, ScreenLine } from '../text/cells.js';

export const STATUS_MARK: Record<StepStatus, string> = { passed: '✓', failed: '✗', current: '●', checking: '◌', locked: '○' };
const STATUS_COLOR: Record<StepStatus, Cell['color']> = { passed: 'green', failed: 'red', current: 'yellow', checking: 'yellow', locked: 'gray' };

/** The keys overlay (?): each row's keys (the key names as on the keyboard) and what they do. */
export function helpLines(): Array<[string, string]> {
  const or = t('screen.help.or');
  return [
    ['↑ ↓  Tab  Shift-Tab', t('screen.help.blocks')],
    ['Enter', t('screen.help.enter')],
    ['c', t('screen.help.copy')],
    [`PgDn PgUp  ${t('screen.help.space')}  u d`, t('screen.help.page')],
    ['Home End  g G', t('screen.help.ends')],
    ['o', t('screen.help.output')],
    ['r', t('screen.help.recheck')],
    [`n  ${or}  →`, t('screen.help.next')],
    [`p  ${or}  ←`, t('screen.help.previous')],
    ['l', t('screen.help.steps')],
    ['h', t('screen.help.hints')],
    ['s', t('screen.help.solution')],
    ['t', t('screen.help.traces')],
    ['x', t('screen.help.stop')],
    ['m', t('screen.help.move')],
    ['Esc', t('screen.help.close')],
    ['?', t('screen.help.help')],
    [`q  ${or}  Ctrl-C`, t('screen.help.quit')],
  ];
}

// ---------------------------------------------------------------------------
// Cell helpers (shared with the trace views and the trust screen)

export const width = cellWidth;

export function truncate(s: string, w: number): string {
  return truncateCells(s, w);
}

/** Clips a line of cells to `w` cells and pads it to exactly `w`. */
export function fit(line: ScreenLine, w: number): ScreenLine {
  const out: ScreenLine = [];
  let used = 0;
  for (const c of line) {
    if (used >= w) break;
    const room = w - used;
    // A screen line is one line: a newline in outside text (a diagnosis, a summary) shows as a space.
    const raw = c.text.includes('\n') ? c.text.replace(/\r?\n/g, ' ') : c.text;
    const cw = cellWidth(raw);
    const text = cw > room ? truncateCells(raw, room) : raw;
    out.push({ ...c, text });
    used += cw > room ? cellWidth(text) : cw;
  }
  if (used < w) out.push({ text: ' '.repeat(w - used) });
  return out;
}

/** Word-wraps plain text (for check messages); never wider than `w` cells. */
export function wrap(text: string, w: number, indent = ''): string[] {
  return wrapText(text, w, indent);
}

/** `text` cut (never re-spaced) into pieces of at most `w` cells; at least one piece. */
export function cutToWidth(text: string, w: number): string[] {
  const out: string[] = [];
  let cur = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const gw = cellWidth(g);
    if (used + gw > w && cur) {
      out.push(cur);
      cur = '';
      used = 0;
    }
    cur += g;
    used += gw;
  }
  out.push(cur);
  return out;
}

/** A command on one line: `\`-continued lines joined, as the shell reads them. */
export const oneLine = (cmd: string) => cmd.replace(/\s*\\\n\s*/g, ' ').replace(/\n/g, ' ; ');

/** Check summaries may start with their own mark; the screen draws its own. */
export const stripMark = (s: string) => s.replace(/^[✓✗]\s*/, '');

const plain = (text: string, style: Omit<Cell, 'text'> = {}): ScreenLine => [{ text, ...style }];

// ---------------------------------------------------------------------------
// Focus stops

export interface Selectable { kind: 'command' | 'quiz'; index: number; checkIndex?: number }

/** The items ↑/↓ move between on the viewed step, in the order the document shows them. */
export function selectables(view: SessionView): Selectable[] {
  const step = view.lesson.steps[view.engine.viewing];
  if (!step) return [];
  return stopsOf(step).map(toSelectable);
}

const toSelectable = (s: Stop): Selectable => (s.kind === 'command' ? { kind: 'command', index: s.index } : { kind: 'quiz', index: s.index, checkIndex: s.checkIndex });

// ---------------------------------------------------------------------------
// Layout

export interface ScreenSize { width: number; height: number }

export type { ScreenNav } from './ui-state.js';

export interface ScreenLayout { lines: ScreenLine[]; nav: ScreenNav }

/** Lays out the full screen: exactly `size.height` lines of exactly `size.width` cells. */
export function renderScreen(view: SessionView, ui: UiState, size: ScreenSize): ScreenLine[] {
  return layoutScreen(view, ui, size).lines;
}

/** The steps sidebar needs this many columns; below it the step list is on a key (l). */
export const SIDEBAR_FROM = 120;

export function layoutScreen(view: SessionView, ui: UiState, size: ScreenSize): ScreenLayout {
  const W = Math.max(20, size.width);
  const H = Math.max(6, size.height);
  const { lesson, engine } = view;
  const vi = Math.min(engine.viewing, lesson.steps.length - 1);
  const step = lesson.steps[vi];
  const st = engine.steps[vi];

  const sideW = W >= SIDEBAR_FROM ? Math.min(36, Math.max(26, Math.floor(W * 0.22))) : 0;
  const mainW = sideW ? W - sideW - 1 : W;
  const docW = Math.max(10, mainW - 2); // a column of margin on each side

  const header = headerLine(view, vi, W, sideW > 0);
  const footerKeys = footer(view, ui, W, vi, sideW > 0);

  const notice = noticeShown(view, ui, vi) ? noticeLines(view.notice!, mainW - 2) : [];
  const trouble = view.clusterTrouble ? clusterTroubleLines(view.clusterTrouble, mainW - 2) : [];
  const checks = checksPanel(step, st, view, ui, mainW - 2, H);

  const fixedBelow = [...trouble, ...checks, ...notice];
  const docH = Math.max(1, H - 2 - fixedBelow.length); // header and footer

  // The document, or an overlay in its place.
  let doc: StepDocument;
  const overlay = overlayLines(view, ui, step, st, docW);
  if (overlay) doc = { lines: overlay, stops: [], blockTops: [] };
  else doc = layoutStep(view, vi, { width: docW, height: H, focus: ui.focus, outputOpen: ui.outputOpen });
  const maxScroll = Math.max(0, doc.lines.length - docH);
  const scroll = Math.max(0, Math.min(overlay ? ui.overlayScroll : ui.scroll, maxScroll));
  const shown = doc.lines.slice(scroll, scroll + docH);
  const below = doc.lines.length - scroll - shown.length;
  while (shown.length < docH) shown.push([]);

  const footerLine = footerKeys(below, scroll);
  const main: ScreenLine[] = [...shown, ...fixedBelow].map((l) => fit([{ text: ' ' }, ...l], mainW));
  const side = sideW ? sidebar(view, vi, sideW) : [];
  const lines: ScreenLine[] = [header];
  const bodyH = H - 2;
  for (let i = 0; i < bodyH; i++) {
    if (!sideW) lines.push(main[i] ?? fit([], W));
    else lines.push([...fit(side[i] ?? [], sideW), { text: '│', dim: true }, ...(main[i] ?? fit([], mainW))]);
  }
  lines.push(footerLine);
  return { lines, nav: { stops: overlay ? [] : doc.stops, height: docH, total: doc.lines.length, scroll, focus: ui.focus } };
}

function headerLine(view: SessionView, vi: number, W: number, wide: boolean): ScreenLine {
  const { lesson, engine } = view;
  const n = lesson.steps.length;
  const passed = engine.steps.filter((s) => s.status === 'passed').length;
  const step = lesson.steps[vi];
  const lead = `${wide ? ` kubetutor · ${lesson.title} ·` : ''} ${t('screen.header.step', { n: vi + 1, total: n })} · `;
  const tail = ` · ${passed === n ? t('screen.header.allPassed', { total: n }) : t('screen.header.passed', { passed })}`;
  // The counter first, then the target (always on screen, cut if it must be), then the title in what is left.
  const counterW = cellWidth(lead) + cellWidth(tail) - 3;
  const fullTarget = ` ${wide ? t('screen.header.target', { label: view.targetLabel }) : view.targetLabel} `;
  const targetRoom = Math.max(8, W - counterW - 1);
  const target = cellWidth(fullTarget) <= targetRoom ? fullTarget : `${truncateCells(fullTarget.trimEnd(), targetRoom - 1)} `;
  const room = W - cellWidth(lead) - cellWidth(tail) - cellWidth(target) - 1;
  const title = room >= 8 ? fitWords(step.title, room) : '';
  const left = `${lead}${title}${title ? tail : tail.slice(3)}`;
  const targetShown = cellWidth(left) + cellWidth(target) <= W ? target : truncateCells(target, Math.max(0, W - cellWidth(left)));
  return fit([{ text: padCells(left, W - cellWidth(targetShown)), bold: true }, { text: targetShown, color: view.targetKind === 'cluster' ? 'magenta' : 'cyan', bold: true }], W);
}

/** The keys that do something now, most useful first kept when the width is short; where the text goes on. */
function footer(view: SessionView, ui: UiState, W: number, vi: number, sidebar: boolean): (below: number, scroll: number) => ScreenLine {
  const step = view.lesson.steps[vi];
  const stops = stopsOf(step);
  const focused = stops[Math.min(Math.max(0, ui.focus), stops.length - 1)];
  const overlay = ui.showHelp || ui.showHint || ui.showSolution || ui.showSteps;
  const running = view.processes.some((p) => p.background && p.state === 'running');
  const taken = view.forwards.some((f) => f.state === 'port-taken' && f.suggestedPort);
  const nextOpen = vi + 1 < view.lesson.steps.length && vi + 1 <= view.engine.current;
  return (below, scroll) => {
    const hints: Array<[number, string, string]> = overlay
      ? [[0, 'Esc', t('screen.footer.back')], [1, '?', t('screen.footer.keys')], [0, 'q', t('screen.footer.quit')]]
      : [
          [1, stops.length ? '↑↓' : '', t('screen.footer.blocks')],
          [1, focused ? '⏎' : '', focused?.kind === 'quiz' ? t('screen.footer.answer') : t('screen.footer.run')],
          [3, focused?.kind === 'command' ? 'c' : '', t('screen.footer.copy')],
          [2, 'r', t('screen.footer.checks')],
          [1, nextOpen ? 'n' : '', t('screen.footer.next')],
          [4, vi > 0 ? 'p' : '', t('screen.footer.previous')],
          [4, sidebar ? '' : 'l', t('screen.footer.steps')],
          [5, step.hints.length ? 'h' : '', t('screen.footer.hints')],
          [5, step.solution.length ? 's' : '', t('screen.footer.solution')],
          [3, taken ? 'm' : '', t('screen.footer.move')],
          [4, running ? 'x' : '', t('screen.footer.stop')],
          [6, 't', t('screen.footer.traces')],
          [0, '?', t('screen.footer.keys')],
          [0, 'q', t('screen.footer.quit')],
        ];
    // The key as it is typed, then what it does in this language.
    const keys = hints.map(([prio, key, word]): [number, string] => [prio, key ? `${key} ${word}` : '']);
    const where = below > 0 ? t('screen.footer.more', { count: below }) : scroll > 0 ? t('screen.footer.end') : '';
    let items = keys.filter(([, k]) => k);
    const text = () => ` ${items.map(([, k]) => k).join('  ')}`;
    const room = () => W - (where ? cellWidth(where) + 3 : 1);
    for (let prio = 6; prio > 0 && cellWidth(text()) > room(); prio--) items = items.filter(([p]) => p < prio);
    const line = text();
    const shownWhere = cellWidth(line) + cellWidth(where) + 2 <= W ? where : '';
    return fit([{ text: padCells(sliceCells(line, W), W - (shownWhere ? cellWidth(shownWhere) + 1 : 0)), dim: true }, { text: shownWhere ? `${shownWhere} ` : '', color: 'cyan' }], W);
  };
}

/** A notice is about the moment it was given: gone once the learner pressed a key, after a few seconds, or on another step. */
export function noticeShown(view: SessionView, ui: UiState, vi = view.engine.viewing): boolean {
  return !!view.notice && view.noticeSeq > ui.noticeHidden && view.noticeStep === vi;
}

function noticeLines(notice: string, w: number): ScreenLine[] {
  const good = notice.startsWith('✓');
  return wrapText(displayText(notice), w).slice(0, 2).map((t) => plain(t, { color: good ? 'green' : 'yellow', bold: good }));
}

// ---------------------------------------------------------------------------
// Checks

function checkStateText(st: SessionView['engine']['steps'][number], step: Step, view: SessionView): string {
  const n = step.checks.length;
  const pass = st.results.filter((r) => r.ok).length;
  if (st.status === 'locked') return t('screen.checks.locked', { n: view.engine.current + 1 });
  if (!st.results.length) return n === 1 ? t('screen.checks.checkingOne') : t('screen.checks.checking', { count: n });
  if (st.status === 'passed' || pass === n) return t('screen.checks.allPass', { count: n });
  return t('screen.checks.some', { pass, total: n });
}

function checksPanel(step: Step, st: SessionView['engine']['steps'][number], view: SessionView, ui: UiState, w: number, H: number): ScreenLine[] {
  if (!step.checks.length) return [plain(t('screen.checks.none'), { dim: true })];
  const attempted = st.attempted || st.status === 'failed' || ui.checksOpen;
  const head = checkStateText(st, step, view);
  const failing = step.checks.map((c, i) => [c, st.results[i], i] as const).filter(([, r]) => r && !r.ok);
  const headColor: Cell['color'] = st.status === 'passed' ? 'green' : st.status === 'locked' ? 'gray' : failing.length && attempted ? 'red' : 'yellow';
  const folded = !ui.checksOpen && H < 30;
  if (folded || st.status === 'locked') {
    // The first failing check says why; before any is judged, the first one says what is awaited.
    const first = failing[0];
    const waiting = !st.results.length && st.status !== 'locked' ? step.checks.find((c) => c.kind !== 'quiz') ?? step.checks[0] : undefined;
    const why = first ? ` — ✗ ${stripMark(displayText(first[1]!.summary))}` : waiting ? ` — ◌ ${displayText(waiting.kind === 'quiz' ? t('screen.checks.quiz', { question: waiting.question }) : waiting.title)}` : '';
    const line = `${head}${why}`;
    const keyNote = (first || waiting) && H < 30 && step.checks.length > 1 ? ` ${t('screen.checks.allKey', { key: 'r' })}` : '';
    const text = cellWidth(line + keyNote) <= w ? line + keyNote : fitWords(line, w);
    return [plain(text, { color: headColor, bold: st.status === 'passed' })];
  }
  const budget = ui.checksOpen ? Math.max(4, Math.floor(H / 2)) : Math.max(3, Math.floor(H / 3));
  const blocks: Array<{ ok: boolean; lines: ScreenLine[] }> = step.checks.map((c, i) => ({ ok: !!st.results[i]?.ok, lines: checkLines(c, st.results[i], attempted, w, step, i) }));
  const all = blocks.flatMap((b) => b.lines);
  if (all.length + 1 <= budget) return [plain(head, { color: headColor, bold: true }), ...all];
  const failLines = blocks.filter((b) => !b.ok).flatMap((b) => b.lines);
  const passing = blocks.filter((b) => b.ok).length;
  const summary: ScreenLine[] = passing ? [[{ text: '  ✓ ', color: 'green' }, { text: failLines.length ? t('screen.checks.othersPass', { count: passing }) : t('screen.checks.allChecksPass', { count: passing }) }]] : [];
  const keep = Math.max(1, budget - 1 - summary.length - 1);
  const more = failLines.length - keep;
  const shownFailing = more > 0 ? [...failLines.slice(0, keep), plain(`    ${t('screen.checks.moreLines', { count: more })} ${ui.checksOpen ? t('screen.checks.tallerShows') : t('screen.checks.keyShows', { key: 'r' })}`, { dim: true })] : failLines;
  return [plain(head, { color: headColor, bold: true }), ...shownFailing, ...summary];
}

function checkLines(check: Check, result: CheckResult | undefined, attempted: boolean, w: number, step: Step, checkIndex: number): ScreenLine[] {
  if (check.kind === 'quiz') {
    const text = result?.ok ? t('screen.checks.quizAnswered', { question: check.question }) : t('screen.checks.quizOpen', { question: check.question });
    return [[{ text: result?.ok ? '  ✓ ' : '  ? ', color: result?.ok ? 'green' : 'yellow' }, { text: fitWords(text, w - 4) }]];
  }
  void step;
  void checkIndex;
  if (!result) return [[{ text: '  ◌ ', color: 'yellow' }, { text: fitWords(check.title, w - 4), dim: true }]];
  const summary = stripMark(displayText(result.summary));
  const lines: ScreenLine[] = [];
  const first = wrapText(summary, w - 4);
  lines.push([{ text: result.ok ? '  ✓ ' : '  ✗ ', color: result.ok ? 'green' : attempted ? 'red' : 'yellow' }, { text: result.ok ? fitWords(summary, w - 4) : first[0] }]);
  if (result.ok) return lines;
  for (const more of first.slice(1, 3)) lines.push(plain(`    ${more}`));
  if (attempted) {
    if (result.expected) lines.push(...wrapText(t('screen.checks.expected', { text: displayText(result.expected) }), w, '      ').map((t) => plain(t, { dim: true })));
    if (result.found) lines.push(...wrapText(t('screen.checks.found', { text: displayText(result.found) }), w, '      ').map((t) => plain(t, { dim: true })));
    for (const d of (result.diagnosis ?? []).slice(0, 4)) lines.push(...wrapText(`· ${displayText(d)}`, w, '      ').map((t) => plain(t, { color: 'yellow' })));
    if (check.hint || result.hint) lines.push(plain(`      ${t('screen.checks.hintKey', { key: 'h' })}`, { dim: true }));
  }
  return lines;
}

/**
 * The cluster is out of reach (or refuses the credentials): said above the checks, with the time it
 * began (local clock) and that the learner loses nothing. At most four lines.
 */
export function clusterTroubleLines(trouble: ClusterTrouble, w: number): ScreenLine[] {
  const at = new Date(trouble.since).toTimeString().slice(0, 8);
  if (trouble.kind === 'unreachable') return wrapText(t('screen.trouble.unreachable', { time: at }), w).slice(0, 2).map((l) => plain(l, { color: 'yellow', bold: true }));
  // Refused credentials need the learner: the client's full message (what to do) follows.
  const head = wrapText(t('screen.trouble.refused', { time: at }), w).slice(0, 2);
  return [...head.map((l) => plain(l, { color: 'red', bold: true })), ...wrapText(displayText(trouble.message), w, '  ').slice(0, 4 - head.length).map((l) => plain(l, { color: 'red' }))];
}

// ---------------------------------------------------------------------------
// Overlays and the sidebar

function overlayLines(view: SessionView, ui: UiState, step: Step, st: SessionView['engine']['steps'][number], w: number): ScreenLine[] | undefined {
  if (ui.showHelp) {
    const keyW = Math.min(24, Math.max(10, Math.floor(w / 3)));
    const out: ScreenLine[] = [plain(t('screen.help.title'), { bold: true })];
    for (const [k, d] of helpLines()) {
      const keys = wrapText(k, keyW - 2);
      const desc = wrapText(d, Math.max(10, w - keyW));
      for (let i = 0; i < Math.max(keys.length, desc.length); i++) out.push([{ text: padCells(keys[i] ? `  ${keys[i]}` : '', keyW), color: 'cyan' }, { text: desc[i] ?? '' }]);
    }
    return out;
  }
  if (ui.showSteps) return stepList(view, w);
  if (ui.showSolution) {
    // The era's own solution first, in full; those for other eras under their label (src/ui/era-marks.ts).
    const sv = solutionView(step, view.eraContext);
    const out: ScreenLine[] = [plain(sv.heading ? t('screen.solution.for', { cluster: sv.heading }) : t('screen.solution.title'), { bold: true })];
    for (const c of sv.here) out.push(...wrapCommand(c.run, w));
    if (!step.solution.length) out.push(plain(t('screen.solution.none'), { dim: true }));
    for (const o of sv.others) {
      out.push([], plain(`${o.label}:`, { dim: true }));
      for (const c of o.lines) out.push(...wrapCommand(c.run, w).map((l) => l.map((x) => ({ ...x, dim: true }))));
    }
    return out;
  }
  if (ui.showHint) {
    const hints = [...step.hints, ...step.checks.flatMap((c, i) => (st.results[i] && !st.results[i].ok && c.hint ? [c.hint] : []))];
    const out: ScreenLine[] = [plain(t('screen.hints.title'), { bold: true })];
    for (const h of hints.length ? hints : [t('screen.hints.none')]) out.push(...renderMarkdown(h, w).map(fromMarkdown), []);
    return out;
  }
  return undefined;
}

function wrapCommand(run: string, w: number): ScreenLine[] {
  return run.split('\n').flatMap((l, i) => wrapText(`${i ? '  ' : '$ '}${l}`, w).map((t, k) => plain(k ? `  ${t}` : t, { color: 'cyan' })));
}

function stepList(view: SessionView, w: number): ScreenLine[] {
  const out: ScreenLine[] = [plain(t('screen.steps.title'), { bold: true })];
  view.lesson.steps.forEach((s, i) => {
    const status = view.engine.steps[i].status;
    const viewing = i === view.engine.viewing;
    const lead = `${viewing ? '›' : ' '} ${STATUS_MARK[status]} ${i + 1}. `;
    wrapText(s.title, w - cellWidth(lead)).forEach((t, k) => out.push([{ text: k ? ' '.repeat(cellWidth(lead)) : lead, color: STATUS_COLOR[status] }, { text: t, bold: viewing, dim: status === 'locked' }]));
  });
  out.push([], plain(t('screen.steps.howTo', { next: 'n', previous: 'p', escape: 'Esc', list: 'l' }), { dim: true }));
  return out;
}

function sidebar(view: SessionView, vi: number, sideW: number): ScreenLine[] {
  const { lesson, engine } = view;
  const side: ScreenLine[] = [plain(` ${t('screen.steps.title')}`, { bold: true })];
  lesson.steps.forEach((s, i) => {
    const status = engine.steps[i].status;
    const viewing = i === vi;
    const lead = `${viewing ? '›' : ' '}${STATUS_MARK[status]} ${i + 1} `;
    wrapText(s.title, sideW - cellWidth(lead) - 1).forEach((t, k) =>
      side.push([{ text: k ? ' '.repeat(cellWidth(lead)) : lead, color: STATUS_COLOR[status] }, { text: t, inverse: viewing, dim: status === 'locked' }]),
    );
  });
  const procs = view.processes.filter((p) => p.background);
  const forwards = new Map(view.forwards.map((f) => [f.name, f]));
  if (procs.length || forwards.size) {
    side.push([], plain(` ${t('screen.side.processes')}`, { bold: true }));
    for (const f of view.forwards) {
      const good = f.state === 'healthy';
      const bad = f.state === 'failed' || f.state === 'port-taken' || f.state === 'unhealthy';
      side.push([{ text: f.state === 'stopped' ? ' ○ ' : good ? ' ● ' : bad ? ' ✗ ' : ' ◌ ', color: good ? 'green' : bad ? 'red' : 'yellow' }, { text: f.name, dim: f.state === 'stopped' }]);
      const detail = f.state === 'port-taken' ? t('screen.side.portTaken', { port: f.port }) : f.state === 'stopped' ? t('screen.state.stopped') : `${t('screen.side.forward', { state: t(`screen.state.${f.state}`), port: f.port })}${f.restarts ? t('screen.side.restarts', { count: f.restarts }) : ''}`;
      side.push(plain(`   ${detail}`, { dim: true }));
    }
    for (const p of procs) {
      if (forwards.has(p.name)) continue;
      const running = p.state === 'running';
      side.push([{ text: running ? ' ● ' : ' ○ ', color: running ? 'green' : 'gray' }, { text: p.name, dim: !running }]);
      side.push(plain(`   ${running ? t('screen.side.runningPid', { pid: p.pid ?? '' }) : t(`screen.state.${p.state}`)}`, { dim: true }));
    }
  }
  if (view.found.era || view.found.gatewayUrl) {
    side.push([], plain(` ${t('screen.side.found')}`, { bold: true }));
    if (view.found.era) side.push(plain(` Istio ${view.found.version ?? view.found.era}${view.found.era === 'modern' ? ' (istiod)' : ''}`, { dim: true }));
    if (view.found.gatewayUrl) side.push(plain(' GATEWAY_URL=', { dim: true }), plain(`  ${displayText(view.found.gatewayUrl)}`, { color: 'cyan' }));
  }
  return side;
}

/** Which selectable a stop index is (for the App's Enter and c). */
export function selectableAt(view: SessionView, focus: number): Selectable | undefined {
  const step = view.lesson.steps[view.engine.viewing];
  const stops = step ? stopsOf(step) : [];
  const s = stops[focus];
  return s && toSelectable(s);
}
