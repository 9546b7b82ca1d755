/**
 * The lesson model: what a lesson file becomes once parsed and validated.
 * Pure data; see docs/lesson-format.md for how authors write it.
 */

import type { Era, When } from './eras.js';
import { UserError } from '../user-error.js';
import type { ParamsOfSchema } from './check-schema.js';
import type { CHECK_SCHEMAS } from './kinds/index.js';

/** Where something came from in the lesson file (1-based line). */
export interface SourceRef { file: string; line: number }

export interface Lesson {
  id: string;
  title: string;
  summary: string;
  /** Tools the lesson's commands need on PATH (e.g. kubectl). */
  requires: string[];
  /** Text before the first step (an introduction), as Markdown. */
  intro: string;
  steps: Step[];
  /** The Istio eras the lesson is written for (front matter `eras:`); lint checks each has a solution. */
  eras?: Era[];
  /**
   * The language it is written in: front matter `lang:`, else a translation's file name
   * (`lesson.zh.md` → zh-CN), else en. See src/lesson/translations.ts.
   */
  lang?: string;
  /** The lesson file's path, and its folder (commands run there; relative files resolve there). */
  file: string;
  dir: string;
}

export interface Step {
  id: string;
  title: string;
  /**
   * The step's content in the author's order: prose with each command, callout, image and quiz
   * where the file puts it. Every surface (the screen, `--plain`, the screen reader) reads this.
   */
  blocks: Block[];
  /** The step's prose as one Markdown text, its command blocks removed (the era code cuts it into `prose`). */
  body: string;
  /** Every command of the step's blocks, in order (a command block names its index here). */
  commands: Command[];
  checks: Check[];
  hints: string[];
  /** Commands that complete the step (run by `test`, shown on request). Lines with `when` are for some eras only. */
  solution: Command[];
  /** Set when some hints are for some eras only: the conditions of `hints[i]` (undefined: every era). */
  hintWhen?: Array<When | undefined>;
  /**
   * Set when the step has `::: when` prose: `body` cut into consecutive pieces, each for
   * the eras of its section (undefined: every era). `body` still holds all of the text.
   */
  prose?: Array<{ text: string; when?: When }>;
  source: SourceRef;
}

export interface Command {
  /** Shell text, run with bash. A leading `$ ` prompt is stripped when parsed. */
  run: string;
  /** A long-running process (port-forward): supervised, shown while it runs, stopped on exit. */
  background: boolean;
  /** Name of a background process, for `process` checks and the UI. Defaults to `<step>-<n>`. */
  name: string;
  /** For a background process: the local port it serves once ready. */
  readyPort?: number;
  /** For some eras (or tools) only: `when=era:1.0,1.1` on its fence, or a `::: when` section around it. */
  when?: When;
  source: SourceRef;
}

/**
 * What every block has. Open for more: fields that apply to any block (an era it belongs to …)
 * go here, fields of one kind on that kind.
 */
export interface BlockCommon {
  /** Where the block starts in the lesson file. */
  source: SourceRef;
  /** For some eras only (a `::: when` section around it, or `when=` on its fence). */
  when?: When;
}

/** Markdown prose: paragraphs, lists, sub-headings, tables, code shown as written. */
export interface ProseBlock extends BlockCommon { kind: 'prose'; markdown: string }
/** A runnable command (or a supervised background one): `Step.commands[index]`. */
export interface CommandBlock extends BlockCommon { kind: 'command'; index: number }
/** A tip or warning box (`> **Tip:** …`, `> [!WARNING]`); its text is Markdown. */
export interface CalloutBlock extends BlockCommon { kind: 'callout'; tone: 'tip' | 'warning' | 'note'; label: string; markdown: string }
/** A picture the terminal cannot show: its caption and where it lives (`![alt](src)` alone in a paragraph). */
export interface ImageBlock extends BlockCommon { kind: 'image'; alt: string; src: string }
/** A quiz, asked where its check block stands: `Step.checks[check]`. */
export interface QuizBlock extends BlockCommon { kind: 'quiz'; check: number }

export type Block = ProseBlock | CommandBlock | CalloutBlock | ImageBlock | QuizBlock;
export type BlockKind = Block['kind'];

/** The step's prose, callouts and image captions as Markdown (commands and quizzes left out). */
export function proseOf(step: Pick<Step, 'blocks'>): string {
  return step.blocks
    .map((b) => (b.kind === 'prose' ? b.markdown : b.kind === 'callout' ? `**${b.label}:** ${b.markdown}` : b.kind === 'image' ? `*Figure: ${b.alt}*` : ''))
    .filter(Boolean)
    .join('\n\n');
}

/**
 * One declarative check. `kind` picks the evaluator; the other fields are its parameters, typed
 * from the kind's schema (src/lesson/kinds/: a kind's parameters are written down once, there).
 */
export type Check = ParamsOfSchema<(typeof CHECK_SCHEMAS)[number]> & CheckCommon;

/** The check of one kind, e.g. `CheckOf<'pods-ready'>`. */
export type CheckOf<K extends CheckKind> = Extract<Check, { kind: K }>;

/** A span-path assertion over recent traces (src/checks/kinds/trace.ts). */
export type TraceCheck = CheckOf<'trace'>;

/** What every check is, of any kind (one a test registers too): its kind and the common fields. */
export type AnyCheck = { kind: string } & CheckCommon;

export interface CheckCommon {
  /** Short label shown in the UI; a default is derived from the parameters. */
  title: string;
  /** For some eras only (`when=` on its check block): elsewhere it is not evaluated and counts as met. */
  when?: When;
  /** Shown when the check fails. */
  hint?: string;
  source: SourceRef;
}

export type CheckKind = Check['kind'];

/** The result of evaluating one check. */
export interface CheckResult {
  ok: boolean;
  /** One line: what was checked and how it came out. */
  summary: string;
  /** On failure: what was expected, what was found, and the facts around it. */
  expected?: string;
  found?: string;
  diagnosis?: string[];
  hint?: string;
}

/** A lesson file that fails validation: every problem with its file:line. */
export class LessonError extends UserError {
  constructor(readonly problems: Array<{ file: string; line: number; message: string }>) {
    super(problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
  }
}
