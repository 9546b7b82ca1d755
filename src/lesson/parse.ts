/**
 * Lesson file parser: Markdown with YAML front matter in, a validated `Lesson`
 * out (see docs/lesson-format.md). Every problem found is collected with its
 * 1-based line in the original file and thrown together as one `LessonError`,
 * so an author fixes a broken lesson in one pass.
 *
 * It knows no check kind: a check block is validated against the table of kind schemas it is
 * handed (src/lesson/kinds/, by default). Why the schemas sit here, on the lesson's floor,
 * and not with their gather/judge in src/checks/kinds/: see src/lesson/check-schema.ts.
 */

import path from 'node:path';
import { parseCheckBlock, type ProcessRef } from './check-block.js';
import type { CheckSchemas } from './check-schema.js';
import { ID_RE, parseFrontMatter } from './front-matter.js';
import { BUILTIN_SCHEMAS } from './kinds/index.js';
import { controlCharacterLines, decodeLessonBytes } from './lesson-text.js';
import { clipText } from './problem-text.js';
import { PROMPT_RE, splitCommands } from './shell-commands.js';
import { combineWhen, onlyWhenAttr, parseCommandAttrs, parseInfo } from './fence-info.js';
import { LessonError, type Block, type Check, type Command, type Lesson, type SourceRef, type Step } from './types.js';
import { parseWhen, type When } from './eras.js';
import type { Report } from './yaml-block.js';
import { proseBlocks } from './blocks.js';
import { t } from '../i18n/index.js';

export { decodeLessonBytes };

const COMMAND_LANGS = new Set(['bash', 'sh', 'shell', 'console']);
const STEP_ONLY_LANGS = new Set(['check', 'hint', 'solution']);

// ---------------------------------------------------------------------------
// Entry point

/**
 * `kinds`: the check kinds it knows (src/lesson/kinds/, by default); this parser knows none
 * itself, so a test may hand it one more.
 */
export function parseLesson(input: string | Uint8Array, file: string, kinds: CheckSchemas = BUILTIN_SCHEMAS): Lesson {
  const text = typeof input === 'string' ? input : decodeLessonBytes(input, file);
  const problems: Array<{ file: string; line: number; message: string }> = [];
  const report: Report = (line, message) => problems.push({ file, line, message: oneLine(message) });
  // (A CR at the very end is half a CRLF: the file was cut between the two.)
  const lines = text.replace(/^\uFEFF/, '').replace(/\r$/, '').split(/\r?\n/);

  // Control characters (NUL, ESC …) mean a binary or damaged file, and would reach the
  // terminal as they are: refuse the file before reading it as a lesson.
  const controls = controlCharacterLines(lines);
  if (controls.length > 0) {
    for (const c of controls.slice(0, MAX_CONTROL_REPORTS)) report(c.line, c.message);
    if (controls.length > MAX_CONTROL_REPORTS) report(controls[MAX_CONTROL_REPORTS].line, t('lesson.text.moreControls', { n: controls.length - MAX_CONTROL_REPORTS }));
    throw new LessonError(problems);
  }

  const front = parseFrontMatter(lines, report);
  const { intro, steps, pendingProcessRefs, processNames } = parseBody(lines, front.bodyStart, file, report, kinds);

  if (steps.length === 0) report(1, t('lesson.noSteps'));
  for (const ref of pendingProcessRefs) {
    if (processNames.has(ref.name) || ref.name === '*') continue; // `*`: every background process the runner started
    const known = [...processNames.keys()];
    report(
      ref.line,
      known.length ? t('lesson.noProcess', { kind: ref.kind, name: ref.name, names: known.join(', ') }) : t('lesson.noProcessNone', { kind: ref.kind, name: ref.name }),
    );
  }

  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line); // stable: same-line problems keep their order
    if (problems.length > MAX_PROBLEMS) {
      const rest = problems.length - MAX_PROBLEMS;
      problems.splice(MAX_PROBLEMS, rest, { file, line: problems[MAX_PROBLEMS].line, message: t('lesson.moreProblems', { n: rest }) });
    }
    throw new LessonError(problems);
  }
  return {
    id: front.id!,
    title: front.title!,
    summary: front.summary,
    requires: front.requires,
    intro,
    steps,
    ...(front.eras ? { eras: front.eras } : {}),
    ...(front.lang ? { lang: front.lang } : {}),
    file,
    dir: path.dirname(file),
  };
}

/** More problems than this are a damaged file, not a list an author works through. */
const MAX_PROBLEMS = 100;
const MAX_CONTROL_REPORTS = 5;
const MAX_MESSAGE = 500;

/** A problem message as one printable line of bounded length (it quotes the author's text, which may be anything). */
function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = message.replace(/\r?\n|\r/g, ' ').replace(/[\x00-\x1f\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}


// ---------------------------------------------------------------------------
// Body: intro, steps, fenced blocks

interface FenceOpen { indent: number; char: string; len: number; info: string }

function fenceOpen(line: string): FenceOpen | null {
  const m = /^([ \t]*)(`{3,}|~{3,})(.*)$/.exec(line);
  if (!m) return null;
  if (m[2][0] === '`' && m[3].includes('`')) return null;
  return { indent: m[1].length, char: m[2][0], len: m[2].length, info: m[3].trim() };
}

function isFenceClose(line: string, open: FenceOpen): boolean {
  const m = /^[ \t]*(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!m && m[1][0] === open.char && m[1].length >= open.len;
}

interface StepDraft {
  step: Step;
  /** The prose since the last block taken out of it (a command, check, hint or solution), and its first file line (1-based). */
  prose: string[];
  proseLine: number;
  /** The prose as one Markdown text (the era code reads it, cut into `segments`). */
  body: string[];
  /** After a removed block: drop blank lines until the next text, so removal leaves one blank line. */
  skipBlanks: boolean;
  commandCount: number;
  /** The prose cut at `::: when` sections (kept when the step has one). */
  segments: Array<{ lines: string[]; when?: When }>;
  hasSections: boolean;
  hintWhen: Array<When | undefined>;
}

interface BodyResult {
  intro: string;
  steps: Step[];
  pendingProcessRefs: ProcessRef[];
  processNames: Map<string, number>;
}

function parseBody(lines: string[], start: number, file: string, report: Report, kinds: CheckSchemas): BodyResult {
  const steps: StepDraft[] = [];
  const intro: string[] = [];
  const stepIds = new Map<string, number>();
  const processNames = new Map<string, number>();
  const pendingProcessRefs: ProcessRef[] = [];
  const src = (line: number): SourceRef => ({ file, line });
  let cur = null as StepDraft | null; // (a cast, so TS does not narrow it to null: startStep assigns it)

  /** The `::: when` section open now (prose, and the blocks in it, are for its eras). */
  let section: { when: When; line: number } | null = null;

  const push = (line: string, lineNo: number) => {
    if (!cur) { intro.push(line); return; }
    if (cur.prose.length === 0) cur.proseLine = lineNo;
    cur.prose.push(line);
    if (cur.skipBlanks && line.trim() === '') return;
    cur.skipBlanks = false;
    cur.body.push(line);
    const last = cur.segments[cur.segments.length - 1];
    if (last && last.when === section?.when) last.lines.push(line);
    else cur.segments.push({ lines: [line], ...(section ? { when: section.when } : {}) });
  };
  /** The prose gathered so far becomes the step's next blocks (a block or a section boundary ends it). */
  const flushProse = (d: StepDraft | null) => {
    if (!d || d.prose.length === 0) return;
    const when = section?.when;
    d.step.blocks.push(...proseBlocks(d.prose, d.proseLine, file).map((b) => (when && Object.keys(when).length ? { ...b, when } : b)));
    d.prose = [];
  };
  const closeSection = (why: 'lesson.section.notClosedBeforeStep' | 'lesson.section.notClosedAtEnd') => {
    if (section) report(section.line, t(why));
    flushProse(cur);
    section = null;
  };

  let i = start;
  while (i < lines.length) {
    const line = lines[i];
    const open = fenceOpen(line);
    if (open) {
      let close = i + 1;
      while (close < lines.length && !isFenceClose(lines[close], open)) close++;
      const fenceLine = i + 1;
      if (close >= lines.length) report(fenceLine, t('lesson.fence.notClosed', { fence: open.char.repeat(open.len) }));
      const content = lines.slice(i + 1, close).map((l) => stripIndent(l, open.indent));
      const block = lines.slice(i, Math.min(close + 1, lines.length));
      const consumed = handleFence(open, content, fenceLine);
      if (!consumed) block.forEach((l, k) => push(l, i + 1 + k));
      else if (cur) {
        // A removed block becomes a paragraph break: the prose on either side stays apart, with one blank line.
        const body = cur.body;
        if (body.length > 0 && body[body.length - 1].trim() !== '') {
          body.push('');
          cur.segments[cur.segments.length - 1]?.lines.push('');
        }
        cur.skipBlanks = true;
      }
      i = close + 1;
      continue;
    }
    const sectionLine = /^ {0,3}:::+[ \t]*(.*?)[ \t]*$/.exec(line);
    if (sectionLine) {
      const rest = sectionLine[1];
      if (rest === '') {
        if (!section) report(i + 1, t('lesson.section.noneOpen'));
        flushProse(cur);
        section = null;
      } else if (/^when(?:[ \t]|$)/.test(rest)) {
        if (!cur) report(i + 1, t('lesson.section.outsideStep'));
        else {
          if (section) report(i + 1, t('lesson.section.nested', { line: section.line }));
          flushProse(cur);
          const parsed = parseWhen(rest.slice(4));
          if ('error' in parsed) report(i + 1, t('lesson.section.when', { error: parsed.error }));
          // (Opened even when broken, so its ":::" does not count as a second mistake.)
          section = { when: 'error' in parsed ? {} : parsed.when, line: i + 1 };
          cur.hasSections = true;
        }
      } else {
        report(i + 1, t('lesson.section.unknown', { text: clipText(rest, 40) }));
        if (cur && !section) section = { when: {}, line: i + 1 };
      }
      i++;
      continue;
    }
    const heading = /^ {0,3}##(?=[ \t]|$)(.*)$/.exec(line);
    if (heading) {
      closeSection('lesson.section.notClosedBeforeStep');
      startStep(heading[1], i + 1);
      i++;
      continue;
    }
    push(line, i + 1);
    i++;
  }
  flushProse(cur);

  closeSection('lesson.section.notClosedAtEnd');
  return {
    intro: trimBlankLines(intro).join('\n'),
    steps: steps.map((d) => {
      const step: Step = { ...d.step, body: trimBlankLines(d.body).join('\n') };
      if (d.hasSections) {
        step.prose = d.segments
          .map((g) => ({ text: trimBlankLines(g.lines).join('\n'), ...(g.when ? { when: g.when } : {}) }))
          .filter((g) => g.text !== '');
      }
      if (d.hintWhen.some(Boolean)) step.hintWhen = d.hintWhen;
      return step;
    }),
    pendingProcessRefs,
    processNames,
  };

  function startStep(rest: string, lineNo: number) {
    let title = headingText(rest);
    let id: string | undefined;
    const idm = trailingId(title);
    if (idm) {
      title = title.slice(0, idm.index).trim();
      const explicit = idm.id.trim();
      if (!ID_RE.test(explicit)) report(lineNo, t('lesson.step.badId', { id: clipText(explicit, 40) }));
      else id = explicit;
    }
    if (title === '') report(lineNo, t('lesson.step.noTitle'));
    if (id === undefined) id = slugify(title) || `step-${steps.length + 1}`;
    flushProse(cur);
    const first = stepIds.get(id);
    if (first !== undefined) {
      report(lineNo, t('lesson.step.duplicateId', { id, line: first, idSyntax: '{#id}' }));
    } else stepIds.set(id, lineNo);
    cur = {
      step: { id, title, body: '', blocks: [], commands: [], checks: [], hints: [], solution: [], source: src(lineNo) },
      prose: [],
      proseLine: lineNo + 1,
      body: [],
      skipBlanks: false,
      commandCount: 0,
      segments: [],
      hasSections: false,
      hintWhen: [],
    };
    steps.push(cur);
  }

  /** Returns true when the block was taken out of the prose (a command, check, hint or solution). */
  function handleFence(open: FenceOpen, content: string[], fenceLine: number): boolean {
    const info = parseInfo(open.info);
    const lang = info.lang;
    if (!COMMAND_LANGS.has(lang) && !STEP_ONLY_LANGS.has(lang)) return false;
    if (!cur) {
      if (STEP_ONLY_LANGS.has(lang)) {
        report(fenceLine, t('lesson.block.outsideStep', { lang }));
        return true;
      }
      return false; // a shell block in the introduction is shown, not run
    }
    const step = cur.step;
    flushProse(cur); // the block ends the prose before it (it stays where the author put it)
    const blocks: Block[] = step.blocks;
    if (info.trailing) {
      report(fenceLine, t('lesson.block.trailing', { text: info.trailing, lang, example: '{background}' }));
    }
    const blockWhen = (): When | undefined => {
      const own = info.attrs !== undefined ? onlyWhenAttr(info.attrs, lang, fenceLine, report) : undefined;
      return combineWhen(section?.when, own);
    };
    if (lang === 'check') {
      const when = blockWhen();
      const parsed = parseCheckBlock(content, fenceLine, file, report, kinds);
      const checks = parsed.checks as Check[]; // (of `kinds`: the built-in ones unless a test adds its own)
      if (when) for (const c of checks) c.when = when;
      // A quiz is asked where its check block stands; the other checks gate the step from anywhere.
      checks.forEach((c, n) => {
        if (kinds.get(c.kind)?.askedInPlace) blocks.push({ kind: 'quiz', check: step.checks.length + n, source: c.source, ...(when ? { when } : {}) });
      });
      step.checks.push(...checks);
      pendingProcessRefs.push(...parsed.processRefs);
      return true;
    }
    if (lang === 'hint') {
      const when = blockWhen();
      const hint = trimBlankLines(content).join('\n');
      if (hint === '') report(fenceLine, t('lesson.block.hintEmpty'));
      else {
        step.hints.push(hint);
        cur.hintWhen.push(when);
      }
      return true;
    }
    if (lang === 'solution') {
      const when = blockWhen();
      const cmds = splitCommands(content, 'lines', lang, fenceLine + 1, report);
      if (cmds.length === 0) report(fenceLine, t('lesson.block.solutionEmpty'));
      const first = step.solution.length;
      cmds.forEach((c, n) => {
        step.solution.push({ run: c.run, background: false, name: `${step.id}-solution-${first + n + 1}`, ...(when ? { when } : {}), source: src(c.line) });
      });
      return true;
    }

    // A command block.
    const hasPrompt = content.some((l) => PROMPT_RE.test(l));
    if (lang === 'console' && !hasPrompt) return false; // sample output, shown as written
    const attrs = parseCommandAttrs(info.attrs, lang, fenceLine, report);
    const when = combineWhen(section?.when, attrs.when);
    let cmds: Array<{ run: string; line: number }>;
    if (hasPrompt) cmds = splitCommands(content, 'prompt', lang, fenceLine + 1, report);
    else {
      const first = content.findIndex((l) => l.trim() !== '');
      const text = trimBlankLines(content.map((l) => l.trimEnd())).join('\n');
      cmds = text === '' ? [] : [{ run: text, line: fenceLine + 1 + first }];
    }
    if (cmds.length === 0) {
      report(fenceLine, t('lesson.block.noCommand', { lang }));
      return true;
    }
    if (cmds.length > 1 && (attrs.background || attrs.name !== undefined)) {
      report(fenceLine, t(attrs.background ? 'lesson.block.oneBackground' : 'lesson.block.oneNamed', { lang, n: cmds.length }));
    }
    for (const c of cmds) {
      cur.commandCount++;
      const name = attrs.name ?? `${step.id}-${cur.commandCount}`;
      const cmd: Command = { run: c.run, background: attrs.background, name, ...(when ? { when } : {}), source: src(c.line) };
      if (attrs.port !== undefined) cmd.readyPort = attrs.port;
      if (attrs.background || attrs.name !== undefined) {
        const prev = processNames.get(name);
        if (prev !== undefined) report(fenceLine, t('lesson.block.duplicateProcess', { name, line: prev }));
        else processNames.set(name, c.line);
      }
      blocks.push({ kind: 'command', index: step.commands.length, source: cmd.source, ...(cmd.when ? { when: cmd.when } : {}) });
      step.commands.push(cmd);
    }
    return true;
  }
}

/*
 * Heading text without regular expressions that backtrack: a heading line is the author's
 * (or a damaged file's) and may be megabytes of blanks and braces.
 */

/** The text of a `## ` heading: trimmed, without a closing run of `#`s (`## Title ##`). */
function headingText(rest: string): string {
  const t = rest.trim();
  let k = t.length;
  while (k > 0 && t[k - 1] === '#') k--;
  if (k === t.length) return t;
  if (k === 0) return '';
  return t[k - 1] === ' ' || t[k - 1] === '\t' ? t.slice(0, k).trim() : t;
}

/** A `{#id}` that ends the (trimmed) title, and where it starts. */
function trailingId(title: string): { id: string; index: number } | undefined {
  if (!title.endsWith('}')) return undefined;
  const index = title.lastIndexOf('{#');
  if (index < 0) return undefined;
  const id = title.slice(index + 2, -1);
  return id.includes('}') ? undefined : { id, index };
}

function stripIndent(line: string, n: number): string {
  let k = 0;
  while (k < n && k < line.length && (line[k] === ' ' || line[k] === '\t')) k++;
  return line.slice(k);
}

function trimBlankLines(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}

export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\]\([^)]*\)/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
