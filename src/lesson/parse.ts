/**
 * Lesson file parser: Markdown with YAML front matter in, a validated `Lesson`
 * out (see docs/lesson-format.md). Every problem found is collected with its
 * 1-based line in the original file and thrown together as one `LessonError`,
 * so an author fixes a broken lesson in one pass.
 */

import path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { parseLabelSelector } from '../kube/selectors.js';
import { convertTraceParam, type TraceParamType } from './trace-path.js';
import { LessonError, type Check, type Block, type CheckKind, type Command, type Lesson, type SourceRef, type Step } from './types.js';
import { ERAS, isEra, parseWhen, type Era, type When } from './eras.js';
import { lessonLanguageTag } from '../i18n/language.js';
import { proseBlocks } from './blocks.js';

type Report = (line: number, message: string) => void;

const LANG_TAG_RE = /^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/;
const ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PROCESS_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const COMMAND_LANGS = new Set(['bash', 'sh', 'shell', 'console']);
const STEP_ONLY_LANGS = new Set(['check', 'hint', 'solution']);
const FRONT_MATTER_KEYS = ['id', 'title', 'summary', 'requires', 'eras', 'lang'];
const COMMAND_ATTRS = ['background', 'name', 'port', 'when'];

// ---------------------------------------------------------------------------
// Entry point

export function parseLesson(input: string | Uint8Array, file: string): Lesson {
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
    if (controls.length > MAX_CONTROL_REPORTS) report(controls[MAX_CONTROL_REPORTS].line, `… and ${controls.length - MAX_CONTROL_REPORTS} more lines with control characters`);
    throw new LessonError(problems);
  }

  const front = parseFrontMatter(lines, report);
  const { intro, steps, pendingProcessRefs, processNames } = parseBody(lines, front.bodyStart, file, report);

  if (steps.length === 0) report(1, 'the lesson has no steps: start each step with a "## " heading');
  for (const ref of pendingProcessRefs) {
    if (processNames.has(ref.name) || ref.name === '*') continue; // `*`: every background process the runner started
    const known = [...processNames.keys()];
    report(
      ref.line,
      `process check: no background command is named "${ref.name}" ` +
        (known.length ? `(background commands: ${known.join(', ')})` : '(this lesson has no background commands)'),
    );
  }

  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line); // stable: same-line problems keep their order
    if (problems.length > MAX_PROBLEMS) {
      const rest = problems.length - MAX_PROBLEMS;
      problems.splice(MAX_PROBLEMS, rest, { file, line: problems[MAX_PROBLEMS].line, message: `… and ${rest} more problems (fix these first)` });
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

/** `s` cut to `max` characters for quoting in a message. */
function clipText(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x00-\x08\x0b-\x1f\x7f]/;

/** Lines holding a control character other than tab (a CR that ends a line is part of the line break). */
function controlCharacterLines(lines: string[]): Array<{ line: number; message: string }> {
  const out: Array<{ line: number; message: string }> = [];
  lines.forEach((l, i) => {
    const m = CONTROL_RE.exec(l);
    if (!m) return;
    const code = m[0].charCodeAt(0);
    const col = m.index + 1;
    out.push({
      line: i + 1,
      message:
        code === 0
          ? `NUL byte at column ${col}: a lesson is a UTF-8 text file; is this a binary file?`
          : code === 0x0d
            ? `carriage return (CR) in the middle of the line at column ${col}: save the file with LF or CRLF line endings`
            : `control character U+${code.toString(16).toUpperCase().padStart(4, '0')} at column ${col}: a lesson is plain text; remove it`,
    });
  });
  return out;
}

/**
 * The text of a lesson file's bytes: UTF-8 (a BOM is allowed). Invalid UTF-8 is refused with
 * its line, rather than read with replacement characters the author never wrote.
 */
export function decodeLessonBytes(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const byte = bytes[at]?.toString(16).toUpperCase().padStart(2, '0') ?? '';
    const col = new TextDecoder().decode(bytes.subarray(lineStart, at)).length + 1;
    throw new LessonError([
      {
        file,
        line,
        message: at >= bytes.length
          ? 'the file ends in the middle of a UTF-8 character: is it truncated?'
          : `not UTF-8 text: a broken character (byte 0x${byte}) at column ${col}; save the file as UTF-8`,
      },
    ]);
  }
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (bytes.length if the text ends mid-character). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0; // no overlong forms
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return b.length;
      const x = b[i + k];
      if (x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}

// ---------------------------------------------------------------------------
// Front matter

interface FrontMatter { id?: string; title?: string; summary: string; requires: string[]; eras?: Era[]; lang?: string; bodyStart: number }

function parseFrontMatter(lines: string[], report: Report): FrontMatter {
  const out: FrontMatter = { summary: '', requires: [], bodyStart: 0 };
  if (lines[0]?.trimEnd() !== '---') {
    report(1, 'missing front matter: the file must start with a "---" line, then id: and title:, then another "---" line');
    return out;
  }
  let close = -1;
  for (let i = 1; i < lines.length; i++) {
    if (/^(---|\.\.\.)[ \t]*$/.test(lines[i])) { close = i; break; }
  }
  if (close < 0) {
    report(1, 'front matter is not closed: add a "---" line after it');
    out.bodyStart = 1;
    return out;
  }
  out.bodyStart = close + 1;

  // The YAML's line 1 is the file's line 2.
  const y = parseYaml(lines.slice(1, close), 1, 'front matter', report);
  if (!y) return out;
  const { doc, js: frontJs, src: frontSrc, lineOf } = y;
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    report(1, 'front matter is missing "id"');
    report(1, 'front matter is missing "title"');
    return out;
  }
  if (!isMap(contents)) {
    report(lineOf(contents.range?.[0] ?? 0), 'front matter must be a YAML mapping with id:, title:, summary: and requires:');
    return out;
  }
  const js = frontJs as Record<string, unknown>;
  const seen = new Set<string>();
  for (const pair of contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const keyLine = lineOf((pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0);
    const value = js[key];
    seen.add(key);
    switch (key) {
      case 'id':
        if (typeof value !== 'string' || !ID_RE.test(value)) {
          report(keyLine, `front matter: "id" must be lowercase letters, digits and dashes (like istio-jaeger), not ${describe(value)}`);
        } else out.id = value;
        break;
      case 'title':
        if (typeof value !== 'string' || value.trim() === '') report(keyLine, `front matter: "title" must be a non-empty string, not ${describe(value)}`);
        else out.title = value.trim();
        break;
      case 'summary':
        if (value === null || value === undefined) break;
        if (typeof value !== 'string') report(keyLine, `front matter: "summary" must be a string, not ${describe(value)}`);
        else out.summary = value.trim();
        break;
      case 'requires':
        if (value === null || value === undefined) break;
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) {
          report(keyLine, `front matter: "requires" must be a list of command names (like [kubectl]), not ${describe(value)}`);
        } else out.requires = value.map((v: string) => v.trim());
        break;
      case 'eras': {
        // Read as written: YAML would make 1.0 the number 1.
        const node = pair.value;
        const items = isSeq(node) ? node.items : [];
        const eras: Era[] = [];
        let ok = isSeq(node) && items.length > 0;
        for (const item of items) {
          const r = (item as { range?: [number, number, number] | null } | null)?.range;
          const raw = isScalar(item) && r ? frontSrc.slice(r[0], r[1]).trim().replace(/^(["'])(.*)\1$/, '$2') : '';
          if (!isEra(raw)) {
            report(r ? lineOf(r[0]) : keyLine, `front matter: "eras" lists ${raw ? `"${clipText(raw, 40)}"` : describe(isScalar(item) ? item.value : item)}, which is not an era (eras: ${ERAS.join(', ')})`);
            ok = false;
          } else if (!eras.includes(raw)) eras.push(raw);
        }
        if (!isSeq(node) || !items.length) report(keyLine, `front matter: "eras" must be a list of Istio eras (like [1.0, 1.1, modern]; eras: ${ERAS.join(', ')})`);
        else if (ok) out.eras = eras;
        break;
      }
      case 'lang':
        // The language the file is written in (a translation's name says it too: lesson.zh.md).
        if (typeof value !== 'string' || !LANG_TAG_RE.test(value.trim())) report(keyLine, `front matter: "lang" must be a language tag (like en or zh-CN), not ${describe(value)}`);
        else out.lang = lessonLanguageTag(value.trim());
        break;
      default:
        report(keyLine, `front matter: unknown key "${clipText(key, 40)}"${suggest(key, FRONT_MATTER_KEYS)} (known keys: ${FRONT_MATTER_KEYS.join(', ')})`);
    }
  }
  if (!seen.has('id')) report(1, 'front matter is missing "id"');
  if (!seen.has('title')) report(1, 'front matter is missing "title"');
  return out;
}

// ---------------------------------------------------------------------------
// YAML helpers

type YamlDoc = ReturnType<typeof parseDocument>;

/**
 * Parses YAML that sits in the file at `base + 1` onwards. Reports syntax
 * errors with file lines; returns the document and an offset → file line map,
 * or undefined when the YAML is broken.
 */
function parseYaml(
  srcLines: string[],
  base: number,
  what: string,
  report: Report,
): { doc: YamlDoc; js: unknown; src: string; lineOf: (offset: number) => number } | undefined {
  const src = srcLines.join('\n');
  const lc = new LineCounter();
  // logLevel 'error': the yaml library's warnings (a list used as a key …) would go to the terminal.
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const last = Math.max(1, srcLines.length);
  // Errors at the very end (an unclosed quote) point past the last line; keep them inside the block.
  const lineOf = (offset: number) => base + Math.min(Math.max(lc.linePos(offset).line, 1), last);
  if (doc.errors.length > 0) {
    // The first error only: the ones after it are mostly the parser losing its way.
    const err = doc.errors[0];
    report(lineOf(err.pos[0]), `invalid YAML in ${what}: ${yamlProblem(err.message)}`);
    return undefined;
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias bomb (aliases of aliases, expanding to millions of nodes): point at the first alias.
    let at = 0;
    visit(doc, { Alias: (_key, node) => { at = node.range?.[0] ?? 0; return visit.BREAK; } });
    report(lineOf(at), `invalid YAML in ${what}: ${yamlProblem((e as Error).message)}`);
    return undefined;
  }
  return { doc, js, src, lineOf };
}

/** A YAML library error in the author's terms. */
function yamlProblem(message: string): string {
  if (/Maximum call stack size exceeded/.test(message)) return 'values are nested too deeply to read';
  if (/Excessive alias count/.test(message)) return 'aliases (*name) expand to too many values';
  return clipText(firstLine(message), 160);
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** A short description of a YAML value for error messages. */
function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(clipText(v));
  return clipText(String(v));
}

/** `; did you mean "x"?` when `word` is a likely typo of one of `known`. */
function suggest(word: string, known: string[]): string {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDist) { best = k; bestDist = d; }
  }
  return best !== undefined && bestDist <= Math.max(1, Math.floor(best.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
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
  pendingProcessRefs: Array<{ name: string; line: number }>;
  processNames: Map<string, number>;
}

function parseBody(lines: string[], start: number, file: string, report: Report): BodyResult {
  const steps: StepDraft[] = [];
  const intro: string[] = [];
  const stepIds = new Map<string, number>();
  const processNames = new Map<string, number>();
  const pendingProcessRefs: Array<{ name: string; line: number }> = [];
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
  const closeSection = (why: string) => {
    if (section) report(section.line, `"::: when" section is not closed ${why}: end it with a ":::" line`);
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
      if (close >= lines.length) report(fenceLine, `code block is not closed (no closing ${open.char.repeat(open.len)} line)`);
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
        if (!section) report(i + 1, '":::" closes a "::: when" section, but none is open');
        flushProse(cur);
        section = null;
      } else if (/^when(?:[ \t]|$)/.test(rest)) {
        if (!cur) report(i + 1, '"::: when" sections go inside a step (after a "## " heading)');
        else {
          if (section) report(i + 1, `"::: when" sections do not nest (the one on line ${section.line} is still open)`);
          flushProse(cur);
          const parsed = parseWhen(rest.slice(4));
          if ('error' in parsed) report(i + 1, `::: when: ${parsed.error}`);
          // (Opened even when broken, so its ":::" does not count as a second mistake.)
          section = { when: 'error' in parsed ? {} : parsed.when, line: i + 1 };
          cur.hasSections = true;
        }
      } else {
        report(i + 1, `unknown ":::" section "${clipText(rest, 40)}": the one kind is "::: when era:…" (closed by ":::")`);
        if (cur && !section) section = { when: {}, line: i + 1 };
      }
      i++;
      continue;
    }
    const heading = /^ {0,3}##(?=[ \t]|$)(.*)$/.exec(line);
    if (heading) {
      closeSection('before the next step');
      startStep(heading[1], i + 1);
      i++;
      continue;
    }
    push(line, i + 1);
    i++;
  }
  flushProse(cur);

  closeSection('at the end of the file');
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
      if (!ID_RE.test(explicit)) report(lineNo, `invalid step id "${clipText(explicit, 40)}": use lowercase letters, digits and dashes`);
      else id = explicit;
    }
    if (title === '') report(lineNo, 'step heading has no title');
    if (id === undefined) id = slugify(title) || `step-${steps.length + 1}`;
    flushProse(cur);
    const first = stepIds.get(id);
    if (first !== undefined) {
      report(lineNo, `duplicate step id "${id}" (the step on line ${first} has it too); give one of them another {#id}`);
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
        report(fenceLine, `${lang} block is not inside a step (put it after a "## " heading)`);
        return true;
      }
      return false; // a shell block in the introduction is shown, not run
    }
    const step = cur.step;
    flushProse(cur); // the block ends the prose before it (it stays where the author put it)
    const blocks: Block[] = step.blocks;
    if (info.trailing) {
      report(fenceLine, `unexpected text "${info.trailing}" after the language of a ${lang} block; attributes go in braces, like {background}`);
    }
    const blockWhen = (): When | undefined => {
      const own = info.attrs !== undefined ? onlyWhenAttr(info.attrs, lang, fenceLine, report) : undefined;
      return combineWhen(section?.when, own);
    };
    if (lang === 'check') {
      const when = blockWhen();
      const parsed = parseChecks(content, fenceLine, file, report);
      if (when) for (const c of parsed.checks) c.when = when;
      // A quiz is asked where its check block stands; the other checks gate the step from anywhere.
      for (const c of parsed.checks) if (c.kind === 'quiz') blocks.push({ kind: 'quiz', check: step.checks.length + parsed.checks.indexOf(c), source: c.source, ...(when ? { when } : {}) });
      step.checks.push(...parsed.checks);
      pendingProcessRefs.push(...parsed.processRefs);
      return true;
    }
    if (lang === 'hint') {
      const when = blockWhen();
      const hint = trimBlankLines(content).join('\n');
      if (hint === '') report(fenceLine, 'hint block is empty');
      else {
        step.hints.push(hint);
        cur.hintWhen.push(when);
      }
      return true;
    }
    if (lang === 'solution') {
      const when = blockWhen();
      const cmds = splitCommands(content, 'lines', lang, fenceLine + 1, report);
      if (cmds.length === 0) report(fenceLine, 'solution block has no commands');
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
      report(fenceLine, `${lang} block has no command`);
      return true;
    }
    if (cmds.length > 1 && (attrs.background || attrs.name !== undefined)) {
      report(fenceLine, `a ${attrs.background ? 'background' : 'named'} ${lang} block must hold exactly one command (found ${cmds.length})`);
    }
    for (const c of cmds) {
      cur.commandCount++;
      const name = attrs.name ?? `${step.id}-${cur.commandCount}`;
      const cmd: Command = { run: c.run, background: attrs.background, name, ...(when ? { when } : {}), source: src(c.line) };
      if (attrs.port !== undefined) cmd.readyPort = attrs.port;
      if (attrs.background || attrs.name !== undefined) {
        const prev = processNames.get(name);
        if (prev !== undefined) report(fenceLine, `duplicate process name "${name}" (a command on line ${prev} has it too)`);
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

function parseInfo(info: string): { lang: string; attrs?: string; trailing: string } {
  const m = /^([^\s{]*)\s*([\s\S]*)$/.exec(info)!;
  const lang = m[1].toLowerCase();
  let rest = m[2].trim();
  let attrs: string | undefined;
  const braces = /^\{([^}]*)\}/.exec(rest);
  if (braces) {
    attrs = braces[1].trim();
    rest = rest.slice(braces[0].length).trim();
  }
  return { lang, attrs, trailing: rest };
}

function parseCommandAttrs(
  raw: string | undefined,
  lang: string,
  fenceLine: number,
  report: Report,
): { background: boolean; name?: string; port?: number; when?: When } {
  const out: { background: boolean; name?: string; port?: number; when?: When } = { background: false };
  if (!raw) return out;
  const tokens = raw.match(/[^\s=]+(?:=(?:"[^"]*"|'[^']*'|\S*))?/g) ?? [];
  for (const tok of tokens) {
    const eq = tok.indexOf('=');
    const key = eq < 0 ? tok : tok.slice(0, eq);
    const value = eq < 0 ? undefined : tok.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
    switch (key) {
      case 'background':
        if (value === undefined || value === 'true') out.background = true;
        else if (value === 'false') out.background = false;
        else report(fenceLine, `background must be true or false, not "${value}"`);
        break;
      case 'name':
        if (value === undefined || !PROCESS_NAME_RE.test(value)) {
          report(fenceLine, `name must be letters, digits, dots, dashes or underscores (like name=jaeger-forward), not "${value ?? ''}"`);
        } else out.name = value;
        break;
      case 'when': {
        const parsed = parseWhen(value ?? '');
        if ('error' in parsed) report(fenceLine, `when: ${parsed.error}`);
        else out.when = parsed.when;
        break;
      }
      case 'port': {
        const port = value !== undefined && /^\d+$/.test(value) ? Number(value) : NaN;
        if (!Number.isInteger(port) || port < 1 || port > 65535) report(fenceLine, `port must be a port number (1-65535), not "${value ?? ''}"`);
        else out.port = port;
        break;
      }
      default:
        report(fenceLine, `unknown attribute "${key}" on a ${lang} block${suggest(key, COMMAND_ATTRS)} (known: ${COMMAND_ATTRS.join(', ')})`);
    }
  }
  if (out.port !== undefined && !out.background) report(fenceLine, 'port= is only for background commands: add background');
  return out;
}

/** The attributes of a check, hint or solution block: `when=…` is the one they take. */
function onlyWhenAttr(raw: string, lang: string, fenceLine: number, report: Report): When | undefined {
  let when: When | undefined;
  for (const tok of raw.match(/[^\s=]+(?:=(?:"[^"]*"|'[^']*'|\S*))?/g) ?? []) {
    const eq = tok.indexOf('=');
    const key = eq < 0 ? tok : tok.slice(0, eq);
    const value = eq < 0 ? '' : tok.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
    if (key !== 'when') {
      report(fenceLine, `${lang} blocks take one attribute, when=… (like {when=era:modern}), not "${clipText(key, 40)}"`);
      continue;
    }
    const parsed = parseWhen(value);
    if ('error' in parsed) report(fenceLine, `when: ${parsed.error}`);
    else when = parsed.when;
  }
  return when;
}

/** A block's own `when` inside a `::: when` section: its own eras if it names any, the tools of both. */
function combineWhen(section: When | undefined, own: When | undefined): When | undefined {
  if (!section) return own;
  if (!own) return section;
  const eras = own.eras ?? section.eras;
  const tools = [...new Set([...(section.tools ?? []), ...(own.tools ?? [])])];
  return { ...(eras ? { eras } : {}), ...(tools.length ? { tools } : {}) };
}

// ---------------------------------------------------------------------------
// Shell text: prompts, continuations, heredocs

const PROMPT_RE = /^[ \t]*\$(?:[ \t]|$)/;
const HEREDOC_RE = /(?<!<)<<(?!<)(-?)[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

function heredocEnds(text: string): Array<{ word: string; tabs: boolean }> {
  return [...text.matchAll(HEREDOC_RE)].map((m) => ({ word: m[3], tabs: m[1] === '-' }));
}

/**
 * Splits a block into commands. In 'prompt' mode a command starts at each
 * `$ ` line; other lines after a finished command are sample output and are
 * skipped. In 'lines' mode (solutions) every non-blank, non-comment line
 * starts a command. In both, `\`-continued lines and heredoc bodies belong to
 * the command they continue, and the text is kept as written (minus prompts).
 */
function splitCommands(
  content: string[],
  mode: 'prompt' | 'lines',
  lang: string,
  firstLine: number,
  report: Report,
): Array<{ run: string; line: number }> {
  const out: Array<{ run: string; line: number }> = [];
  let cur: { lines: string[]; line: number } | null = null;
  let continued = false;
  let heredocs: Array<{ word: string; tabs: boolean }> = [];
  let reportedStray = false;

  const finish = () => {
    if (cur) out.push({ run: cur.lines.join('\n'), line: cur.line });
    cur = null;
    continued = false;
    heredocs = [];
  };

  content.forEach((raw, k) => {
    const lineNo = firstLine + k;
    if (cur && heredocs.length > 0) {
      cur.lines.push(raw);
      const body = heredocs[0].tabs ? raw.replace(/^\t+/, '') : raw;
      if (body === heredocs[0].word) heredocs.shift();
      if (heredocs.length === 0 && !continued) finish();
      return;
    }
    const line = raw.trimEnd();
    if (cur && continued) {
      const text = lang === 'console' ? line.replace(/^[ \t]*> ?/, '') : line;
      cur.lines.push(text);
      continued = text.endsWith('\\');
      heredocs.push(...heredocEnds(text));
      if (!continued && heredocs.length === 0) finish();
      return;
    }
    const prompt = PROMPT_RE.test(line);
    if (mode === 'prompt' && !prompt) {
      finish();
      if (line.trim() === '' || out.length > 0) return; // blank, or sample output after a command
      if (/^\s*#/.test(line)) return; // a comment before the first command
      if (!reportedStray) {
        report(lineNo, `text before the first "$ " prompt in a ${lang} block: put "$ " before each command`);
        reportedStray = true;
      }
      return;
    }
    finish();
    const text = prompt ? line.replace(/^[ \t]*\$[ \t]?/, '') : line;
    if (text.trim() === '') return;
    if (mode === 'lines' && /^\s*#/.test(text)) return;
    cur = { lines: [text], line: lineNo };
    continued = text.endsWith('\\');
    heredocs = heredocEnds(text);
    if (!continued && heredocs.length === 0) finish();
  });
  finish();
  return out;
}

// ---------------------------------------------------------------------------
// Checks

type ParamType =
  | 'string' | 'selector' | 'count' | 'port' | 'status' | 'ms' | 'boolean'
  | 'strings' | 'ports' | 'labels' | 'state' | 'index' | TraceParamType;

interface KindSpec { required: Record<string, ParamType>; optional: Record<string, ParamType> }

/** Parameters of each check kind (docs/lesson-format.md, "Checks"). Typed by CheckKind so a new kind must be added here. */
const KINDS: Record<CheckKind, KindSpec> = {
  namespace: { required: { name: 'string' }, optional: { labels: 'labels', absent: 'boolean' } },
  'pods-ready': { required: { namespace: 'string', selector: 'selector' }, optional: { min: 'count' } },
  'container-present': { required: { namespace: 'string', selector: 'selector', container: 'string' }, optional: {} },
  'deployment-available': { required: { namespace: 'string' }, optional: { name: 'string', selector: 'selector' } },
  service: { required: { namespace: 'string', name: 'string' }, optional: { ports: 'ports' } },
  resource: {
    required: { apiVersion: 'string', resourceKind: 'string' },
    optional: { namespace: 'string', name: 'string', selector: 'selector', absent: 'boolean' },
  },
  'no-leftovers': { required: { files: 'strings' }, optional: { namespace: 'string', kinds: 'strings' } },
  'port-open': { required: { port: 'port' }, optional: {} },
  'port-closed': { required: { port: 'port' }, optional: {} },
  http: { required: { url: 'string' }, optional: { status: 'status', contains: 'string' } },
  'jaeger-traces': { required: { url: 'string', service: 'string' }, optional: { min: 'count', sinceLessonStart: 'boolean' } },
  process: { required: { name: 'string', state: 'state' }, optional: {} },
  quiz: { required: { question: 'string', options: 'strings', answer: 'index' }, optional: {} },
  'trace-opened': { required: {}, optional: { service: 'string', focus: 'string' } },
  trace: {
    required: { url: 'string', path: 'path' },
    optional: { tags: 'tags', maxDuration: 'duration', minDuration: 'duration', min: 'count', within: 'count', sinceLessonStart: 'boolean', eras: 'eras' },
  },
  command: { required: { run: 'string' }, optional: { timeoutMs: 'ms' } },
};
const COMMON_PARAMS: Record<string, ParamType> = { title: 'string', hint: 'string' };
export const CHECK_KINDS = Object.keys(KINDS) as CheckKind[];

const EXPECT: Record<ParamType, string> = {
  string: 'a string',
  selector: 'a label selector string (like app=productpage)',
  count: 'a whole number (0 or more)',
  port: 'a port number (1-65535)',
  status: 'an HTTP status code (100-599)',
  ms: 'a positive whole number of milliseconds',
  boolean: 'true or false',
  strings: 'a list of strings',
  ports: 'a list of port numbers',
  labels: 'a mapping of label names to values',
  state: '"running" or "stopped"',
  index: 'a whole number (a 0-based index into options)',
  path: 'a span path like "productpage -> reviews"',
  tags: 'a mapping of tag names to values',
  duration: 'a duration like 250ms',
  eras: 'a list of Istio eras',
};

const hasVar = (s: string) => s.includes('${');

/** Converts one parameter value; returns an error message (without the "kind check:" prefix) on a bad value. */
function convert(type: ParamType, param: string, v: unknown): { value: unknown } | { error: string } {
  const bad = () => ({ error: `"${param}" must be ${EXPECT[type]}, not ${describe(v)}` });
  const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
  switch (type) {
    case 'path':
    case 'tags':
    case 'duration':
    case 'eras':
      return convertTraceParam(type, param, v); // the trace check's own types (src/checks/trace.ts)
    case 'string':
      if (typeof v !== 'string') return bad();
      if (v.trim() === '') return { error: `"${param}" must not be empty` };
      return { value: v };
    case 'selector':
      if (typeof v !== 'string') return bad();
      if (!hasVar(v)) {
        try {
          parseLabelSelector(v);
        } catch (e) {
          return { error: `invalid label selector "${clipText(v)}": ${clipText((e as Error).message, 120)}` };
        }
      }
      return { value: v.trim() };
    case 'count':
      return isInt(v) && v >= 0 ? { value: v } : bad();
    case 'port':
      return isInt(v) && v >= 1 && v <= 65535 ? { value: v } : bad();
    case 'status':
      return isInt(v) && v >= 100 && v <= 599 ? { value: v } : bad();
    case 'ms':
      return isInt(v) && v > 0 ? { value: v } : bad();
    case 'boolean':
      return typeof v === 'boolean' ? { value: v } : bad();
    case 'index':
      return isInt(v) && v >= 0 ? { value: v } : bad();
    case 'state':
      return v === 'running' || v === 'stopped' ? { value: v } : bad();
    case 'strings':
      return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.trim() !== '') ? { value: v } : bad();
    case 'ports':
      return Array.isArray(v) && v.length > 0 && v.every((x) => isInt(x) && x >= 1 && x <= 65535) ? { value: v } : bad();
    case 'labels': {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return bad();
      const out: Record<string, string> = {};
      for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
        if (!['string', 'number', 'boolean'].includes(typeof raw)) return { error: `label "${clipText(k, 40)}" must have a string value, not ${describe(raw)}` };
        const val = String(raw);
        if (!hasVar(k) && !hasVar(val)) {
          try {
            parseLabelSelector(`${k}=${val}`);
          } catch {
            return { error: `invalid label ${clipText(k, 40)}: ${clipText(val, 40)}` };
          }
        }
        out[k] = val;
      }
      return { value: out };
    }
  }
}

function parseChecks(
  content: string[],
  fenceLine: number,
  file: string,
  report: Report,
): { checks: Check[]; processRefs: Array<{ name: string; line: number }> } {
  const checks: Check[] = [];
  const processRefs: Array<{ name: string; line: number }> = [];
  const y = parseYaml(content, fenceLine, 'check block', report);
  if (!y) return { checks, processRefs };
  const { doc, js: blockJs, src, lineOf } = y;
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    report(fenceLine, 'check block is empty');
    return { checks, processRefs };
  }
  if (!isSeq(contents)) {
    report(lineOf(contents.range?.[0] ?? 0), 'a check block must be a YAML list of checks: start each one with "- kind: …"');
    return { checks, processRefs };
  }
  const js = blockJs as unknown[];
  const nodeLine = (node: unknown, fallback: number): number => {
    const r = (node as { range?: [number, number, number] | null } | null)?.range;
    return r ? lineOf(r[0]) : fallback;
  };

  contents.items.forEach((item, idx) => {
    const start = (item as { range?: [number, number, number] | null } | null)?.range?.[0];
    // The list item's line is the line of its "-" (the node itself may start on the next line).
    let dash = start ?? 0;
    let k = dash - 1;
    while (k >= 0 && /\s/.test(src[k])) k--;
    if (k >= 0 && src[k] === '-') dash = k;
    const itemLine = lineOf(dash);
    const value = js[idx];
    if (!isMap(item) || value === null || typeof value !== 'object' || Array.isArray(value)) {
      report(itemLine, `each check must be a mapping with "kind:" and its parameters, not ${describe(value)}`);
      return;
    }
    const obj = value as Record<string, unknown>;
    const keyLines = new Map<string, number>();
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      keyLines.set(key, nodeLine(pair.key, itemLine));
    }
    const lineFor = (key: string) => keyLines.get(key) ?? itemLine;

    const kind = obj.kind;
    if (kind === undefined || kind === null) {
      report(itemLine, `check has no "kind" (known kinds: ${CHECK_KINDS.join(', ')})`);
      return;
    }
    if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(KINDS, kind)) {
      const shown = typeof kind === 'string' ? `"${clipText(kind, 40)}"${suggest(kind, CHECK_KINDS)}` : describe(kind);
      report(lineFor('kind'), `unknown check kind ${shown}; known kinds: ${CHECK_KINDS.join(', ')}`);
      return;
    }
    const spec = KINDS[kind as CheckKind];
    const all: Record<string, ParamType> = { ...spec.required, ...spec.optional, ...COMMON_PARAMS };
    const out: Record<string, unknown> = { kind };
    let ok = true;
    for (const [key, raw] of Object.entries(obj)) {
      if (key === 'kind') continue;
      const type = all[key];
      if (!type) {
        const known = Object.keys(all);
        report(lineFor(key), `${kind} check: unknown parameter "${clipText(key, 40)}"${suggest(key, known)} (known: ${known.join(', ')})`);
        ok = false;
        continue;
      }
      const res = convert(type, key, raw);
      if ('error' in res) {
        report(lineFor(key), `${kind} check: ${res.error}`);
        ok = false;
      } else out[key] = res.value;
    }
    for (const key of Object.keys(spec.required)) {
      if (!(key in obj)) {
        report(itemLine, `${kind} check is missing "${key}"`);
        ok = false;
      }
    }
    // Rules that involve more than one parameter.
    if (kind === 'deployment-available' && !('name' in obj) && !('selector' in obj)) {
      report(itemLine, 'deployment-available check needs "name" or "selector"');
      ok = false;
    }
    if ((kind === 'deployment-available' || kind === 'resource') && 'name' in obj && 'selector' in obj) {
      report(lineFor('selector'), `${kind} check takes "name" or "selector", not both`);
      ok = false;
    }
    if (kind === 'quiz' && Array.isArray(out.options)) {
      const n = out.options.length;
      if (n < 2) {
        report(lineFor('options'), 'quiz check needs at least 2 options');
        ok = false;
      } else if (typeof out.answer === 'number' && out.answer >= n) {
        report(lineFor('answer'), `quiz check: "answer" is ${out.answer}, but the options are numbered 0-${n - 1}`);
        ok = false;
      }
    }
    if (!ok) return;
    if (kind === 'process') processRefs.push({ name: out.name as string, line: lineFor('name') });
    const check = out as unknown as Check;
    if (typeof out.title !== 'string') check.title = defaultCheckTitle(check);
    check.source = { file, line: itemLine };
    checks.push(check);
  });
  return { checks, processRefs };
}

/** A short label for a check, derived from its parameters (used when the author gives no `title`). */
export function defaultCheckTitle(c: Check): string {
  switch (c.kind) {
    case 'namespace': {
      if (c.absent) return `namespace ${c.name} absent`;
      const labels = c.labels ? Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(',') : '';
      return `namespace ${c.name}${labels ? ` labelled ${labels}` : ''} exists`;
    }
    case 'pods-ready':
      return [c.min !== undefined && c.min !== 1 ? `at least ${c.min}` : '', 'pods', c.selector, 'Ready in', c.namespace].filter(Boolean).join(' ');
    case 'container-present':
      return ['container', c.container, 'in pods', c.selector, 'in', c.namespace].filter(Boolean).join(' ');
    case 'deployment-available':
      return c.name ? `deployment ${c.name} Available in ${c.namespace}` : `deployments ${c.selector} Available in ${c.namespace}`;
    case 'service':
      return `service ${c.name} in ${c.namespace}${c.ports ? ` (ports ${c.ports.join(', ')})` : ''}`;
    case 'resource':
      return [c.resourceKind, c.name ?? c.selector, c.namespace ? `in ${c.namespace}` : '', c.absent ? 'absent' : 'exists'].filter(Boolean).join(' ');
    case 'no-leftovers':
      return `nothing left from ${c.files.join(', ')}${c.namespace ? ` in ${c.namespace}` : ''}`;
    case 'port-open':
      return `port ${c.port} open`;
    case 'port-closed':
      return `port ${c.port} closed`;
    case 'http':
      return `GET ${c.url} returns ${c.status ?? 200}${c.contains !== undefined ? ` containing "${c.contains}"` : ''}`;
    case 'jaeger-traces':
      return `${c.min !== undefined && c.min !== 1 ? `at least ${c.min} ` : ''}traces for ${c.service} in Jaeger`;
    case 'process':
      return `process ${c.name} ${c.state}`;
    case 'quiz':
      return c.question.trim();
    case 'trace-opened':
      return `a trace${c.service ? ` of ${c.service}` : ''} opened in the trace viewer`;
    case 'trace':
      return `${c.min !== undefined && c.min !== 1 ? `${c.min} traces` : 'a trace'} showing ${c.path}`;
    case 'command': {
      const first = c.run.trim().split('\n')[0];
      const more = first.length > 60 || c.run.trim().includes('\n');
      return `command succeeds: ${first.length > 60 ? first.slice(0, 59) : first}${more ? '…' : ''}`;
    }
  }
}
