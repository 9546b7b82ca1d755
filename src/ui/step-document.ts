/**
 * A step laid out as one document, the way its Markdown reads: prose word-wrapped to the width,
 * each command in a frame right where the author put it (its output and exit status, or its
 * background process's state, inside the frame), callouts, picture captions and quizzes in
 * place. Pure: the session's view and the UI state in, lines and the focus stops (where each
 * command or quiz option sits) out. Prose is laid out once per width (src/ui/markdown.ts keeps it).
 */
import type { SessionView } from '../engine/session.js';
import type { Block, Command, Step } from '../lesson/types.js';
import { renderMarkdown, type Line as MdLine } from './markdown.js';
import { cellWidth, expandTabs, fitWords, wrapPieces, type Cell, type ScreenLine } from '../text/cells.js';
import { displayText } from '../text/display-text.js';
import { commandOutputRuns } from '../text/command-output.js';
import { commandOrder, contextOf, eraAware, shortTag, thisClusterBrief } from './era-marks.js';
import { t } from '../i18n/index.js';

/** Something ↑/↓ (Tab) can focus: a command, or one option of a quiz. */
export type Stop =
  | { kind: 'command'; block: number; index: number }
  | { kind: 'quiz'; block: number; checkIndex: number; index: number };

/** Where a stop sits in the document (lines [top, bottom]) and where the prose introducing it starts. */
export interface PlacedStop { stop: Stop; top: number; bottom: number; introTop: number }

export interface StepDocument {
  lines: ScreenLine[];
  stops: PlacedStop[];
  /** The first line of each block. */
  blockTops: number[];
}

export interface DocumentOptions {
  width: number;
  /** Terminal rows: how many lines of output a frame shows. */
  height: number;
  /** The stop with the focus (index into `stops`), or -1. */
  focus: number;
  /** Show more of the latest output. */
  outputOpen: boolean;
  /** No box drawing (screen-reader text). */
  plainFrames?: boolean;
}

const plain = (text: string, style: Omit<Cell, 'text'> = {}): ScreenLine => [{ text, ...style }];

export function fromMarkdown(line: MdLine): ScreenLine {
  return line.map((seg) => ({
    text: seg.text,
    bold: seg.bold || seg.heading,
    underline: !!seg.link,
    color: seg.code ? 'cyan' : seg.link ? 'blue' : undefined,
    dim: seg.dim,
  }));
}

/** The stops of a step, in document order (the same list the layout places). */
export function stopsOf(step: Step): Stop[] {
  const out: Stop[] = [];
  step.blocks.forEach((b, block) => {
    if (b.kind === 'command') out.push({ kind: 'command', block, index: b.index });
    if (b.kind === 'quiz') {
      const c = step.checks[b.check];
      if (c?.kind === 'quiz') c.options.forEach((_, index) => out.push({ kind: 'quiz', block, checkIndex: b.check, index }));
    }
  });
  return out;
}

/** Prose is easiest to read at this width at most; code, commands and output take the whole pane. */
export const READING_WIDTH = 100;

export function layoutStep(view: SessionView, stepIndex: number, opts: DocumentOptions): StepDocument {
  const step = view.lesson.steps[stepIndex];
  const W = Math.max(10, opts.width);
  const proseW = Math.min(W, READING_WIDTH);
  const lines: ScreenLine[] = [];
  const stops: PlacedStop[] = [];
  const blockTops: number[] = [];
  const stopList = stopsOf(step);
  const commandCount = step.commands.length;
  let lastParagraphTop = 0;
  const output = matchOutput(view, stepIndex, step);
  // A step with commands for some eras only says which cluster this is, once, at its top.
  // (Word-wrapped like the prose; the blank line under it comes with the first block.)
  if (eraAware(step.commands)) for (const l of wrapPieces([{ text: t('screen.doc.commandsFor', { cluster: thisClusterBrief(contextOf(view.eraContext)) }), dim: true }], proseW)) lines.push(l);

  step.blocks.forEach((b, bi) => {
    if (lines.length > 0) lines.push([]);
    blockTops.push(lines.length);
    const top = lines.length;
    switch (b.kind) {
      case 'prose': {
        const md = renderMarkdown(b.markdown, proseW);
        let k = md.length - 1;
        while (k > 0 && md[k - 1].length > 0) k--; // the last paragraph's first line
        lastParagraphTop = top + Math.max(0, k);
        for (const l of md) lines.push(fromMarkdown(l));
        break;
      }
      case 'callout': {
        const body = renderMarkdown(b.markdown, Math.max(10, proseW - 2 - cellWidth(b.label) - 2));
        const color: Cell['color'] = b.tone === 'warning' ? 'yellow' : 'cyan';
        lastParagraphTop = top;
        if (body.length === 0) lines.push([{ text: '│ ', dim: true }, { text: `${b.label}`, bold: true, color }]);
        body.forEach((l, k) => lines.push([{ text: '│ ', dim: true }, { text: k === 0 ? `${b.label}: ` : ' '.repeat(cellWidth(b.label) + 2), bold: true, color }, ...fromMarkdown(l)]));
        break;
      }
      case 'image': {
        lastParagraphTop = top;
        const text = b.src ? t('screen.doc.figureFile', { alt: b.alt, src: b.src }) : t('screen.doc.figure', { alt: b.alt });
        for (const l of wrapPieces([{ text, dim: true, italic: true } as Cell & { italic?: boolean }], proseW)) lines.push(l.map(({ text: t }) => ({ text: t, dim: true })));
        break;
      }
      case 'command': {
        const si = stopList.findIndex((s) => s.kind === 'command' && s.block === bi);
        const cmd = step.commands[b.index];
        const focused = si >= 0 && si === opts.focus;
        const frame = commandFrame(view, cmd, b.index, commandCount, W, focused, opts, output?.index === b.index ? output : undefined, b);
        lines.push(...frame);
        stops.push({ stop: stopList[si], top, bottom: lines.length - 1, introTop: Math.min(lastParagraphTop, top) });
        lastParagraphTop = top;
        break;
      }
      case 'quiz': {
        const check = step.checks[b.check];
        if (check?.kind !== 'quiz') break;
        const key = `${step.id}#${b.check}`;
        const chosen = view.engine.answers[key];
        const result = view.engine.steps[stepIndex]?.results[b.check];
        const mark = result?.ok ? '✓' : chosen === undefined ? '?' : '✗';
        const q = wrapPieces([{ text: t('screen.doc.quiz', { question: check.question }) }], proseW - 2);
        q.forEach((l, k) => lines.push([{ text: k === 0 ? `${mark} ` : '  ', color: result?.ok ? 'green' : chosen === undefined ? 'yellow' : 'red' }, { text: l.map((p) => p.text).join(''), bold: true }]));
        const quizTop = top;
        check.options.forEach((opt, j) => {
          const si = stopList.findIndex((s) => s.kind === 'quiz' && s.checkIndex === b.check && s.index === j);
          const focused = si === opts.focus;
          const optTop = lines.length;
          const label = `${chosen === j ? '(•)' : '( )'} `;
          wrapPieces([{ text: opt }], proseW - 4 - label.length).forEach((l, k) => {
            const t = l.map((p) => p.text).join('');
            lines.push([{ text: k === 0 ? (focused ? '  › ' : '    ') : '        ', color: 'cyan' }, { text: k === 0 ? `${label}${t}` : t, inverse: focused }]);
          });
          stops.push({ stop: stopList[si], top: optTop, bottom: lines.length - 1, introTop: quizTop });
        });
        if (chosen !== undefined && result && !result.ok) lines.push(plain(`    ${displayText(result.summary.replace(/^[✓✗]\s*/, ''))}`, { color: 'red' }));
        if (result?.ok) lines.push(plain(`    ✓ ${t('screen.doc.right')}`, { color: 'green' }));
        lastParagraphTop = top;
        break;
      }
    }
  });
  // A solution line that is none of the step's commands (auto-play): its output at the end.
  if (output && output.index < 0) {
    lines.push([]);
    lines.push(...outputFrame(output, W, opts));
  }
  return { lines, stops, blockTops };
}

function commandApplies(view: SessionView, index: number): boolean {
  const step = view.lesson.steps[view.engine.viewing];
  return step ? commandOrder(step, view.eraContext).find((c) => c.index === index)?.applies !== false : true;
}

type Output = NonNullable<SessionView['output']> & { running: boolean };

/** The latest output, if it belongs on this step: under the command it came from (index -1: none of them). */
function matchOutput(view: SessionView, stepIndex: number, step: Step): Output | undefined {
  const o = view.output;
  if (!o || o.step !== stepIndex) return undefined;
  const running = !!view.running && view.running.step === stepIndex;
  const index = step.commands[o.index]?.run === o.command ? o.index : step.commands.findIndex((c) => c.run === o.command);
  return { ...o, index, running };
}

/** Edges of a frame: light for a command, heavy for the focused one (seen without colour too). */
function edges(focused: boolean, plainFrames?: boolean) {
  if (plainFrames) return { tl: '', bl: '', side: '', h: '' };
  return focused ? { tl: '┏', bl: '┗', side: '┃', h: '━' } : { tl: '┌', bl: '└', side: '│', h: '─' };
}

function rule(left: string, label: ScreenLine, fill: string, W: number, color?: Cell['color']): ScreenLine {
  const used = cellWidth(left) + label.reduce((n, c) => n + cellWidth(c.text), 0);
  const gap = label.length ? ' ' : '';
  return [{ text: left, color, dim: !color }, ...label, { text: fill ? `${gap}${fill.repeat(Math.max(0, W - used - gap.length))}` : '', color, dim: !color }];
}

function commandFrame(view: SessionView, cmd: Command, index: number, count: number, W: number, focused: boolean, opts: DocumentOptions, output: Output | undefined, _b: Block): ScreenLine[] {
  const e = edges(focused, opts.plainFrames);
  const color: Cell['color'] | undefined = focused ? 'cyan' : undefined;
  const lines: ScreenLine[] = [];
  // A command for another era (or a missing tool) says whom it is for (src/ui/era-marks.ts).
  const other = cmd.when && !commandApplies(view, index) ? ` · ${shortTag(cmd.when, view.eraContext)}` : '';
  const what = `${cmd.background ? t('screen.frame.background', { n: index + 1, total: count, name: cmd.name ?? '' }) : t('screen.frame.command', { n: index + 1, total: count })}${other}`;
  const keys = focused ? (cmd.background ? ` · ⏎ ${t('screen.frame.starts')} · c ${t('screen.frame.copies')} · x ${t('screen.frame.stops')}` : ` · ⏎ ${t('screen.frame.runs')} · c ${t('screen.frame.copies')}`) : '';
  const lead = `${e.h}${focused ? ' › ' : ' '}`;
  // The keys go first when the width is short, then the label is cut at a word.
  const withKeys = cellWidth(e.tl) + cellWidth(lead) + cellWidth(what) + cellWidth(keys) + 2 <= W;
  const label: ScreenLine = [{ text: lead, color, dim: !color }, { text: withKeys ? what : fitWords(what, Math.max(4, W - cellWidth(e.tl) - cellWidth(lead) - 2)), bold: focused }, { text: withKeys ? keys : '', color }];
  lines.push(fitRule(rule(e.tl, label, e.h, W, color), W));
  const inner = Math.max(8, W - cellWidth(e.side) - 1);
  for (const row of commandRows(cmd.run, inner)) lines.push([{ text: e.side ? `${e.side} ` : '', color, dim: !color }, { text: row.text, color: row.mark ? undefined : 'cyan', dim: row.mark, bold: false }, ...(row.rest ? [{ text: row.rest, color: 'cyan' as const }] : [])]);
  // What happened: the output's last lines, then the exit status or the process's state.
  let status: ScreenLine = [];
  if (output) {
    const tail = outputTail(output, inner, opts);
    for (const l of tail) lines.push([{ text: e.side ? `${e.side} ` : '', color, dim: !color }, ...l]);
    status = output.running ? [{ text: `◌ ${t('screen.frame.running')}`, color: 'yellow' }] : output.exitCode === undefined ? [] : output.exitCode === 0 ? [{ text: `✓ ${t('screen.frame.exit', { code: 0 })}`, color: 'green' }] : [{ text: `✗ ${t('screen.frame.exit', { code: output.exitCode })}`, color: 'red' }];
  }
  if (cmd.background) status = backgroundState(view, cmd);
  const bottomLabel: ScreenLine = status.length ? [{ text: `${e.h} `, color, dim: !color }, ...status] : [];
  lines.push(fitRule(rule(e.bl, bottomLabel, e.h, W, color), W));
  return lines;
}

/** A rule never wider than the pane (its label is cut at a word when it must be). */
function fitRule(line: ScreenLine, W: number): ScreenLine {
  let used = 0;
  const out: ScreenLine = [];
  for (const c of line) {
    const w = cellWidth(c.text);
    if (used + w <= W) {
      out.push(c);
      used += w;
      continue;
    }
    const room = W - used;
    if (room > 1) {
      const words = wrapPieces([{ text: c.text }], room - 1)[0] ?? [];
      const t = words.map((p) => p.text).join('');
      if (t.trim() && !/^[─━ ]+$/.test(c.text)) out.push({ ...c, text: `${t.trimEnd()}…` });
      else out.push({ ...c, text: c.text.slice(0, room) });
    }
    break;
  }
  return out;
}

/** A background command's state, in the frame's bottom edge: starting / serving on :port / restarting / stopped. */
export function backgroundState(view: SessionView, cmd: Command): ScreenLine {
  const f = view.forwards.find((x) => x.name === cmd.name);
  const p = view.processes.find((x) => x.name === cmd.name);
  if (f && f.state !== 'stopped') {
    switch (f.state) {
      case 'healthy':
        return [{ text: `● ${t('screen.bg.serving', { port: f.port })}${f.restarts ? ` ${t('screen.bg.restarts', { count: f.restarts })}` : ''}`, color: 'green' }];
      case 'starting':
        return [{ text: `◌ ${t('screen.bg.starting', { port: f.port })}`, color: 'yellow' }];
      case 'restarting':
        return [{ text: `◌ ${t('screen.bg.restarting', { count: f.restarts })}`, color: 'yellow' }];
      case 'unhealthy':
        return [{ text: `✗ ${t('screen.bg.notAnswering', { port: f.port })}`, color: 'red' }];
      case 'port-taken':
        return [{ text: `✗ ${t('screen.bg.portTaken', { port: f.port })}${f.suggestedPort ? ` — ${t('screen.bg.moveOffer', { key: 'm', port: f.suggestedPort })}` : ''}`, color: 'red' }];
      case 'failed':
        return [{ text: `✗ ${f.message ? t('screen.bg.failedWhy', { message: displayText(f.message) }) : t('screen.bg.failed')}`, color: 'red' }];
    }
  }
  if (p?.state === 'running') return [{ text: `● ${t('screen.bg.runningPid', { pid: p.pid ?? '' })}`, color: 'green' }];
  if (f || p) return [{ text: `○ ${p?.exitCode !== undefined && p.exitCode !== 0 ? t('screen.bg.stoppedExit', { code: p.exitCode }) : t('screen.bg.stopped')}`, color: 'gray' }];
  return [{ text: `○ ${t('screen.bg.notStarted')}`, dim: true }];
}

// An output's lines wrapped to a frame's width, once per output and width: opened with o, all
// the kept lines (up to 200, some of them long) are drawn, and a frame is laid out at each check round.
const wrapped = new WeakMap<readonly string[], { inner: number; rows: ScreenLine[] }>();
function wrappedRows(lines: readonly string[], inner: number): ScreenLine[] {
  const had = wrapped.get(lines);
  if (had?.inner === inner) return had.rows;
  const rows: ScreenLine[] = [];
  // Outside text: its colours kept, its control over the terminal not (src/text/command-output.ts).
  for (const l of lines) rows.push(...wrapPieces(commandOutputRuns(expandTabs(l), { dim: true }) as Cell[], inner));
  wrapped.set(lines, { inner, rows });
  return rows;
}

/**
 * The output in its command's frame: its last lines, as many as fit the screen; opened with o,
 * all the lines kept, to be read as the step's text scrolls (PgUp, PgDn), as a pager would.
 */
function outputTail(o: Output, inner: number, opts: DocumentOptions): ScreenLine[] {
  const rows = wrappedRows(o.lines.length ? o.lines : [o.running ? t('screen.frame.noOutputYet') : t('screen.frame.noOutput')], inner);
  const dropped = o.dropped ?? 0;
  const most = opts.height >= 40 ? 8 : opts.height >= 30 ? 5 : 3;
  if (rows.length <= most && !dropped) return rows;
  if (opts.outputOpen) {
    const head: ScreenLine[] = dropped ? [[{ text: t('screen.frame.notKept', { count: dropped, kept: o.lines.length }), dim: true }]] : [];
    return [...head, ...rows, [{ text: `⋯ ${t('screen.frame.allShown', { key: 'o' })}`, dim: true }]];
  }
  const shown = rows.slice(-(most - 1));
  const hidden = rows.length - shown.length + dropped;
  return [[{ text: `${t('screen.frame.earlierLines', { count: hidden })}${t('screen.frame.keyShowsMore', { key: 'o' })}`, dim: true }], ...shown];
}

function outputFrame(o: Output, W: number, opts: DocumentOptions): ScreenLine[] {
  const e = edges(false, opts.plainFrames);
  const inner = Math.max(8, W - 2);
  const out: ScreenLine[] = [rule(e.tl, [{ text: `${e.h} ${t('screen.frame.outputOf')} `, dim: true }], '', W)];
  for (const r of commandRows(o.command, inner)) out.push([{ text: e.side ? `${e.side} ` : '', dim: true }, { text: r.text, dim: r.mark, color: r.mark ? undefined : 'cyan' }, ...(r.rest ? [{ text: r.rest, color: 'cyan' as const }] : [])]);
  for (const l of outputTail(o, inner, opts)) out.push([{ text: e.side ? `${e.side} ` : '', dim: true }, ...l]);
  const status = o.running ? `◌ ${t('screen.frame.running')}` : o.exitCode === undefined ? '' : o.exitCode === 0 ? `✓ ${t('screen.frame.exit', { code: 0 })}` : `✗ ${t('screen.frame.exit', { code: o.exitCode })}`;
  out.push(fitRule(rule(e.bl, status ? [{ text: `${e.h} ${status}`, color: o.exitCode ? 'red' : 'green' }] : [], e.h, W), W));
  return out;
}

/**
 * A command as rows of at most `width` cells: its own lines as written (the first after `$ `),
 * a line wider than that wrapped at shell-word boundaries (never inside a quoted word unless it
 * alone is wider than the row), each continuation row marked `›`.
 */
export function commandRows(run: string, width: number): Array<{ text: string; mark: boolean; rest?: string }> {
  const rows: Array<{ text: string; mark: boolean; rest?: string }> = [];
  run.split('\n').forEach((srcLine, k) => {
    const line = expandTabs(srcLine);
    const indent = k === 0 ? '$ ' : /^\s*/.exec(line)![0];
    const body = k === 0 ? line : line.slice(indent.length);
    const contIndent = cellWidth(indent) + 2;
    const pieces = shellPieces(body);
    const whole = pieces.map((p) => p.text).join('');
    const wrapped = wrapPieces(pieces, Math.max(4, width - cellWidth(indent)), { nonBreaking: (p) => p.text !== ' ', continuationIndent: 2 });
    // A row that starts a new shell word is marked `› ` (a space stood there); one that goes on
    // inside a word too long for a row (cut after / - = ,) is marked `›` with nothing between.
    let at = 0;
    wrapped.forEach((l, j) => {
      const text = l.map((p) => p.text).join('');
      const boundary = whole[at] === ' ';
      if (j > 0 && boundary) at++;
      at += text.length;
      if (j === 0) rows.push({ text: indent + text, mark: false });
      else rows.push({ text: `${' '.repeat(Math.max(0, contIndent - 2))}${boundary ? '› ' : '›'}`, mark: true, rest: text });
    });
  });
  return rows;
}

/** Shell words (quotes, `$(…)` and escapes kept whole) and the single spaces between them. */
function shellPieces(line: string): Array<{ text: string }> {
  const out: Array<{ text: string }> = [];
  let word = '';
  let quote: string | null = null;
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && quote !== "'" && i + 1 < line.length) {
      word += ch + line[++i];
      continue;
    }
    if (quote) {
      if (ch === quote) quote = null;
      word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    if (ch === '(' && line[i - 1] === '$') depth++;
    else if (ch === ')' && depth > 0) depth--;
    if ((ch === ' ' || ch === '\t') && depth === 0) {
      if (word) out.push({ text: word });
      word = '';
      if (out.length && out[out.length - 1].text !== ' ') out.push({ text: ' ' });
      continue;
    }
    word += ch;
  }
  if (word) out.push({ text: word });
  return out;
}
