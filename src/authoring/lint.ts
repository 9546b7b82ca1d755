/**
 * Lesson lint: the parser's errors (file:line), plus what parses but will hurt a class — a step
 * with commands and nothing to check, commands that end processes by name, variables no earlier
 * step sets. Pure over the lesson text.
 */
import { LessonError, type Lesson } from '../lesson/types.js';
import { parseLesson } from '../lesson/parse.js';
import { referencedVars } from '../lesson/interpolate.js';
import { lintTraceCheck } from '../checks/trace-path.js';

export interface LintFinding { file: string; line: number; severity: 'error' | 'warning'; message: string }

/** Variables the runner itself provides to commands and checks. */
const RUNNER_VARS = new Set(['KUBECONFIG', 'GATEWAY_URL', 'ISTIO_ERA', 'JAEGER_BASE', 'PRODUCTPAGE_SERVICE', 'KUBETUTOR_SESSION_DIR', 'HOME', 'PATH', 'USER']);
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
      out.push({ file, line: step.source.line, severity: 'warning', message: `step "${step.id}" has commands but no check: nothing tells the learner it worked` });
    }
    for (const c of runnable) {
      if (KILL_BY_NAME.test(c.run)) {
        out.push({ file, line: c.source.line, severity: 'warning', message: `unsafe: "${c.run.split('\n')[0]}" ends processes by name, including ones this lesson did not start; use a background command (the runner stops it) or kill a PID` });
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
        out.push({ file, line: r.line, severity: 'warning', message: `\${${r.name}} is read here, but no earlier step exports it` });
      }
    }
    for (const name of setHere) exported.add(name);
  }
  const seen = new Set<string>();
  return out.filter((f) => !seen.has(`${f.line} ${f.message}`) && seen.add(`${f.line} ${f.message}`)).sort((a, b) => a.line - b.line);
}
