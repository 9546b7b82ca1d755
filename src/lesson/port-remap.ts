/**
 * Moving a lesson's local ports (the dashboard's 15032) to others, pure: what
 * `--port 15032=15099` does before the lesson starts, and what `m` does to the
 * checks once a forward has moved. A forward's `LOCAL:REMOTE` argument, the
 * `localhost:PORT` URLs of its commands and checks, and the ports of port
 * checks all follow; the prose is left as written. Which parameters of a check are local ports
 * or URLs, its kind's schema says (`ports` in src/lesson/kinds/<kind>.ts).
 */
import type { CheckSchemas } from './check-schema.js';
import { BUILTIN_SCHEMAS } from './kinds/index.js';
import type { AnyCheck, Check, Command, Lesson, Step } from './types.js';
import { t } from '../i18n/index.js';

/** Lesson port → the local port used instead. */
export type PortMap = ReadonlyMap<number, number>;

const LOCAL_URL = /\b(localhost|127\.0\.0\.1):(\d{1,5})\b/g;

/** `localhost:P` and `127.0.0.1:P` in `text` with P moved per `map`. */
export function remapLocalUrls(text: string, map: PortMap): string {
  if (!map.size) return text;
  return text.replace(LOCAL_URL, (m, host: string, port: string) => (map.has(Number(port)) ? `${host}:${map.get(Number(port))}` : m));
}

/**
 * Rewrites the local port of a port-forward command: the `LOCAL:REMOTE`
 * argument whose LOCAL is `readyPort` becomes `newPort:REMOTE`; failing that,
 * a bare `readyPort` argument becomes `newPort:readyPort`. Undefined when the
 * command names neither.
 */
export function rewriteLocalPort(command: string, readyPort: number, newPort: number): string | undefined {
  const before = `(^|[\\s'"])`;
  const after = `(?=$|[\\s'";&|)\\\\])`;
  const pair = new RegExp(`${before}${readyPort}:(\\d+)${after}`, 'g');
  if (command.match(pair)) return command.replace(pair, (_m, pre: string, remote: string) => `${pre}${newPort}:${remote}`);
  // `--port 15032` (istioctl dashboard and the like)
  const flag = new RegExp(`(--port[ =])${readyPort}${after}`, 'g');
  if (command.match(flag)) return command.replace(flag, (_m, pre: string) => `${pre}${newPort}`);
  const bare = new RegExp(`${before}${readyPort}${after}`, 'g');
  if (command.match(bare)) return command.replace(bare, (_m, pre: string) => `${pre}${newPort}:${readyPort}`);
  return undefined;
}

/** Which parameters of a check are local ports, localhost URLs, or shell text: its kind's schema says. */
function portFields(check: AnyCheck, kinds: CheckSchemas): { port: string[]; url: string[]; shell: string[] } {
  const p = kinds.get(check.kind)?.ports;
  return { port: p?.port ?? [], url: p?.url ?? [], shell: p?.shell ?? [] };
}

/** A check with the lesson's local ports replaced by the ports their forwards really use. */
export function remapPorts<C extends AnyCheck = Check>(check: C, map: PortMap, kinds: CheckSchemas = BUILTIN_SCHEMAS): C {
  if (!map.size) return check;
  const f = portFields(check, kinds);
  const params = check as unknown as Record<string, unknown>;
  const moved: Record<string, unknown> = {};
  for (const k of f.port) if (typeof params[k] === 'number' && map.has(params[k])) moved[k] = map.get(params[k]);
  for (const k of f.url) {
    const v = params[k];
    if (typeof v === 'string' && remapLocalUrls(v, map) !== v) moved[k] = remapLocalUrls(v, map);
  }
  return Object.keys(moved).length ? { ...check, ...moved } : check;
}

/** The URL a check reaches, for the kinds that have one. */
export function checkUrl(check: AnyCheck, kinds: CheckSchemas = BUILTIN_SCHEMAS): string | undefined {
  const url = (check as unknown as Record<string, unknown>)[portFields(check, kinds).url[0] ?? ''];
  return typeof url === 'string' ? url : undefined;
}

/** The same, for everything a learner reads about it too (title, hint, shell text such as a `command` check's). */
function remapCheckFully(check: Check, map: PortMap): Check {
  const c = { ...remapPorts(check, map), title: remapLocalUrls(check.title, map) } as Check;
  if (c.hint !== undefined) c.hint = remapLocalUrls(c.hint, map);
  const params = c as unknown as Record<string, unknown>;
  for (const k of portFields(c, BUILTIN_SCHEMAS).shell) if (typeof params[k] === 'string') params[k] = remapLocalUrls(params[k], map);
  return c;
}

/** A command as the shell reads it: `\`-continued lines joined, runs of blanks made one. Pure. */
export function shellLine(cmd: string): string {
  return cmd.replace(/\s*\\\n\s*/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

/** `readyPort`: the port of the forward it is (or, for a solution line, repeats). */
function remapCommand(cmd: Command, map: PortMap, readyPort = cmd.readyPort): Command {
  const run = remapLocalUrls(cmd.run, map);
  if (readyPort === undefined || !map.has(readyPort)) return run === cmd.run ? cmd : { ...cmd, run };
  const local = map.get(readyPort)!;
  const moved = rewriteLocalPort(run, readyPort, local);
  if (cmd.readyPort === undefined) return { ...cmd, run: moved ?? run };
  // A forward whose command does not name its port cannot be moved: left as it is (see lessonPortProblems).
  return moved === undefined ? { ...cmd, run } : { ...cmd, run: moved, readyPort: local };
}

/** The lesson with its local ports moved per `map` (the same lesson when `map` is empty). */
export function remapLessonPorts(lesson: Lesson, map: PortMap): Lesson {
  if (!map.size) return lesson;
  const steps: Step[] = lesson.steps.map((s) => ({
    ...s,
    commands: s.commands.map((c) => remapCommand(c, map)),
    // A solution line that repeats a forward runs as that forward (see Session.runSolutionLine): it moves with it.
    solution: s.solution.map((c) => remapCommand(c, map, s.commands.find((f) => f.background && f.readyPort !== undefined && shellLine(f.run) === shellLine(c.run))?.readyPort)),
    checks: s.checks.map((c) => remapCheckFully(c, map)),
  }));
  return { ...lesson, steps };
}

/** Local ports the lesson uses: its forwards' ports, port checks, and localhost URLs in checks and commands. Sorted. */
export function lessonPorts(lesson: Lesson): number[] {
  const ports = new Set<number>();
  const urls = (text: string) => {
    for (const m of text.matchAll(LOCAL_URL)) ports.add(Number(m[2]));
  };
  for (const s of lesson.steps) {
    for (const c of [...s.commands, ...s.solution]) {
      if (c.readyPort !== undefined) ports.add(c.readyPort);
      urls(c.run);
    }
    for (const c of s.checks) {
      const f = portFields(c, BUILTIN_SCHEMAS);
      const params = c as unknown as Record<string, unknown>;
      for (const k of f.port) if (typeof params[k] === 'number') ports.add(params[k]);
      for (const k of f.url) if (typeof params[k] === 'string') urls(params[k]);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** The local port of a URL on this machine (localhost, 127.0.0.1, ::1), if it is one. Pure. */
export function localUrlPort(url: string): number | undefined {
  try {
    const u = new URL(url);
    if (!/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(u.hostname)) return undefined;
    return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  } catch {
    return undefined;
  }
}

/** The lesson's forwards (background commands with a port), with the step each is in. */
export function lessonForwards(lesson: Lesson): Array<{ step: Step; command: Command & { readyPort: number } }> {
  const out: Array<{ step: Step; command: Command & { readyPort: number } }> = [];
  for (const step of lesson.steps) {
    for (const c of step.commands) if (c.background && c.readyPort !== undefined) out.push({ step, command: c as Command & { readyPort: number } });
  }
  return out;
}

/**
 * Parses `--port` values (`15032=15099`; `15032=auto` asks for any free port, given back as 0).
 * Throws an Error with a message for the learner on a malformed value.
 */
export function parsePortFlags(values: readonly string[]): Map<number, number> {
  const map = new Map<number, number>();
  for (const v of values) {
    const m = v.trim().match(/^(\d{1,5})[=:](\d{1,5}|auto)$/);
    const from = m ? Number(m[1]) : NaN;
    const to = m ? (m[2] === 'auto' ? 0 : Number(m[2])) : NaN;
    if (!m || !validPort(from) || !(to === 0 || validPort(to))) throw new Error(t('lesson.portFlagBad', { value: v }));
    map.set(from, to);
  }
  return map;
}

function validPort(p: number): boolean {
  return Number.isInteger(p) && p >= 1 && p <= 65535;
}

/** Why `map` cannot apply to `lesson`: ports it does not use, forwards whose command names no port. Empty when fine. */
export function lessonPortProblems(lesson: Lesson, map: PortMap): string[] {
  const used = lessonPorts(lesson);
  const problems: string[] = [];
  for (const from of map.keys()) {
    if (!used.includes(from)) problems.push(used.length ? t('lesson.portUnused', { lesson: lesson.id, port: from, ports: used.join(', ') }) : t('lesson.portUnusedNone', { lesson: lesson.id, port: from }));
  }
  for (const { command } of lessonForwards(lesson)) {
    if (map.has(command.readyPort) && rewriteLocalPort(command.run, command.readyPort, 1) === undefined) {
      problems.push(t('lesson.portNotNamed', { file: command.source.file, line: command.source.line, name: command.name, port: command.readyPort }));
    }
  }
  return problems;
}

/** One line on what `--port` moved, for the learner (undefined when nothing moved). Pure. */
export function movedPortsLine(map: PortMap): string | undefined {
  if (!map.size) return undefined;
  return t('lesson.portsMoved', { moves: [...map].map(([from, to]) => t('lesson.portMoved', { from, to })).join(t('list.sep')) });
}
