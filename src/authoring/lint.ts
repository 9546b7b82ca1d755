/**
 * Lesson lint: the parser's errors (file:line), plus what parses but will hurt a class — a step
 * with commands and nothing to check, commands that end processes by name, variables no earlier
 * step sets. Pure over the lesson text.
 */
import { LessonError, type Lesson } from '../lesson/types.js';
import { parseLesson } from '../lesson/parse.js';
import { translationProblems } from '../lesson/translations.js';
import { referencedVars } from '../lesson/interpolate.js';
import { parseTracePath } from '../lesson/trace-path.js';
import { bareService } from '../traces/trace-model.js';
import type { CheckOf } from '../checks/types.js';
import { applies, eraName, lessonWhens, namedEras } from '../lesson/eras.js';
import { t } from '../i18n/index.js';

export interface LintFinding { file: string; line: number; severity: 'error' | 'warning'; message: string }

/** Variables the runner itself provides to commands and checks. */
const RUNNER_VARS = new Set(['KUBECONFIG', 'GATEWAY_URL', 'ISTIO_ERA', 'JAEGER_BASE', 'PRODUCTPAGE_SERVICE', 'JAEGER_URL', 'KUBETUTOR_SESSION_DIR', 'HOME', 'PATH', 'USER']);
const KILL_BY_NAME = /(^|[\s;&|(])(killall|pkill)(\s|$)/;

export function lintLesson(text: string | Uint8Array, file: string): LintFinding[] {
  let lesson: Lesson;
  try {
    lesson = parseLesson(text, file);
  } catch (e) {
    if (e instanceof LessonError) return e.problems.map((p) => ({ ...p, severity: 'error' as const }));
    throw e;
  }
  const out: LintFinding[] = [];
  const exported = new Set<string>();
  for (const step of lesson.steps) {
    const runnable = [...step.commands, ...step.solution];
    if (step.commands.length && !step.checks.length) {
      out.push({ file, line: step.source.line, severity: 'warning', message: t('author.lint.noCheck', { step: step.id }) });
    }
    for (const c of runnable) {
      if (KILL_BY_NAME.test(c.run)) {
        out.push({ file, line: c.source.line, severity: 'warning', message: t('author.lint.killByName', { command: c.run.split('\n')[0] }) });
      }
    }
    for (const c of step.checks) {
      if (c.kind === 'trace') for (const message of lintTraceCheck(c)) out.push({ file, line: c.source.line, severity: 'warning', message });
    }
    // A variable a check or command reads must be set by an earlier step (or the runner, or the shell).
    const reads: Array<{ name: string; line: number }> = [];
    for (const c of step.checks) {
      for (const v of Object.values(c)) if (typeof v === 'string') for (const name of referencedVars(v)) reads.push({ name, line: c.source.line });
    }
    for (const c of step.commands) for (const name of referencedVars(c.run)) reads.push({ name, line: c.source.line });
    const setHere = new Set(runnable.flatMap((c) => [...c.run.matchAll(/(?:^|[\s;&|])export\s+([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1])));
    for (const r of reads) {
      if (!exported.has(r.name) && !setHere.has(r.name) && !RUNNER_VARS.has(r.name)) {
        out.push({ file, line: r.line, severity: 'warning', message: t('author.lint.unsetVar', { ref: `\${${r.name}}` }) });
      }
    }
    for (const name of setHere) exported.add(name);
  }
  out.push(...eraFindings(lesson, typeof text === 'string' ? text : new TextDecoder().decode(text)));
  const seen = new Set<string>();
  return out.filter((f) => !seen.has(`${f.line} ${f.message}`) && seen.add(`${f.line} ${f.message}`)).sort((a, b) => a.line - b.line);
}

/**
 * Eras: every era the lesson claims (front matter `eras:`) gets a solution in each step whose
 * solution differs by era, and no block is for an era the lesson does not claim.
 */
function eraFindings(lesson: Lesson, text: string): LintFinding[] {
  const out: LintFinding[] = [];
  const file = lesson.file;
  const erasLine = Math.max(1, text.split(/\r?\n/).findIndex((l) => /^eras\s*:/.test(l)) + 1);
  if (!lessonWhens(lesson).some((w) => w.eras?.length)) return out;
  const claimed = lesson.eras;
  if (!claimed) {
    out.push({ file, line: 1, severity: 'warning', message: t('author.lint.erasNotListed', { eras: [...namedEras(lesson)].join(', ') }) });
    return out;
  }
  for (const step of lesson.steps) {
    for (const block of [...step.commands, ...step.solution, ...step.checks]) {
      for (const e of block.when?.eras ?? []) {
        if (!claimed.includes(e)) out.push({ file, line: block.source.line, severity: 'warning', message: t('author.lint.eraNotClaimed', { era: e, claimed: claimed.join(', ') }) });
      }
    }
    if (!step.solution.some((l) => l.when?.eras)) continue;
    // Lines that need a tool may not run where it is missing: they do not count as covering an era.
    const missing = claimed.filter((era) => !step.solution.some((l) => !l.when?.tools?.length && applies(l.when, { era, tools: new Set() })));
    if (missing.length) {
      out.push({
        file,
        line: step.solution[0].source.line,
        severity: 'warning',
        message: t('author.lint.eraNoSolution', { step: step.id, missing: missing.map((e) => `${eraName(e)} (${e})`).join(', '), claimed: claimed.join(', '), line: erasLine, eras: missing.join(',') }),
      });
    }
  }
  return out;
}

/** What the lesson linter warns about in a trace check (it parses, but will not do what the author means). */
export function lintTraceCheck(check: CheckOf<'trace'>): string[] {
  const p = parseTracePath(check.path);
  if ('error' in p) return [];
  const out: string[] = [];
  for (const h of p.hops) {
    if (h.link === 'call' && bareService(h.to) === 'istio-policy') {
      out.push(t('author.lint.policyCall', { from: h.from, to: h.to }));
    }
  }
  // Either the check's own eras, or its block's (`check {when=era:1.0,1.1}`), may keep it off modern Istio.
  const offModern = !!check.eras || (!!check.when?.eras && !check.when.eras.includes('modern'));
  if (p.hops.some((h) => bareService(h.to) === 'istio-policy') && !offModern) {
    out.push(t('author.lint.policyEras'));
  }
  return out;
}

/**
 * A lesson translation (`lesson.zh.md`) against its original: its own findings, plus an error at
 * file:line wherever its steps, checks or background commands differ from the original's.
 */
export function lintTranslation(original: { text: string | Uint8Array; file: string }, translation: { text: string | Uint8Array; file: string }): LintFinding[] {
  const own = lintLesson(translation.text, translation.file);
  if (own.some((f) => f.severity === 'error')) return own;
  let a: Lesson;
  try {
    a = parseLesson(original.text, original.file);
  } catch {
    return own; // the original's own errors are reported with it
  }
  const b = parseLesson(translation.text, translation.file);
  return [...own, ...translationProblems(a, b).map((p) => ({ ...p, severity: 'error' as const }))].sort((x, y) => x.line - y.line);
}
