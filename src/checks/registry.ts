/**
 * Evaluating a check: substitute `${VAR}`s, gather facts with the kind's
 * module, judge them. Never throws: whatever goes wrong becomes a failed
 * result that says what happened.
 */
import type { CheckSchemas } from '../lesson/check-schema.js';
import { BUILTIN_SCHEMAS } from '../lesson/kinds/index.js';
import type { AnyCheck, Check, CheckKind, CheckResult } from '../lesson/types.js';
import { interpolate, referencedVars } from '../lesson/interpolate.js';
import { commandCheck } from './command.js';
import { failed } from './common.js';
import { httpCheck } from './kinds/http.js';
import { jaegerTracesCheck } from './kinds/jaeger.js';
import { noLeftoversCheck } from './kinds/leftovers.js';
import { containerPresentCheck } from './kinds/container-present.js';
import { deploymentAvailableCheck } from './kinds/deployment-available.js';
import { namespaceCheck } from './kinds/namespace.js';
import { podsReadyCheck } from './kinds/pods-ready.js';
import { resourceCheck } from './kinds/resource.js';
import { serviceCheck } from './kinds/service.js';
import { portClosedCheck, portOpenCheck } from './kinds/ports.js';
import { processCheck } from './kinds/process.js';
import { quizCheck } from './kinds/quiz.js';
import { traceOpenedCheck } from './kinds/trace-opened.js';
import { traceCheck } from './kinds/trace.js';
import type { CheckEnv, CheckKindModule } from './types.js';
import { t } from '../i18n/index.js';

/** How each check kind is evaluated; its schema (parameters, title, docs row) is in src/lesson/kinds/. */
export const CHECK_MODULES = [
  namespaceCheck,
  podsReadyCheck,
  containerPresentCheck,
  deploymentAvailableCheck,
  serviceCheck,
  resourceCheck,
  noLeftoversCheck,
  portOpenCheck,
  portClosedCheck,
  httpCheck,
  jaegerTracesCheck,
  processCheck,
  quizCheck,
  traceOpenedCheck,
  traceCheck,
  commandCheck, // (in src/checks/command.ts until it moves onto the session's command runner)
] as const;

/** A kind with a schema but no module here fails to compile: `Unevaluated` names it. */
type Unevaluated = Exclude<CheckKind, (typeof CHECK_MODULES)[number]['kind']>;
const everyKindEvaluated: [Unevaluated] extends [never] ? true : Unevaluated = true;
void everyKindEvaluated;

/** Evaluates checks of any kind: a gather/judge module and a schema. */
type AnyModule = CheckKindModule<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The key a check's quiz answer (and UI state) is stored under. */
export function checkKey(stepId: string, index: number): string {
  return `${stepId}#${index}`;
}

/** Fields that are not parameters, and those the kind keeps as written (`command.run`: bash expands it from its environment). */
function skipField(check: AnyCheck, field: string, schemas: CheckSchemas): boolean {
  return field === 'kind' || field === 'source' || (schemas.get(check.kind)?.verbatim?.includes(field) ?? false);
}

/**
 * The check with `${VAR}` replaced in its string parameters (variables from
 * `env.vars` first, then `env.env`), and the names that stayed unresolved.
 */
export function interpolateCheck<C extends AnyCheck = Check>(check: C, env: Pick<CheckEnv, 'vars' | 'env'>, schemas: CheckSchemas = BUILTIN_SCHEMAS): { check: C; unresolved: string[] } {
  const vars = { ...env.env, ...env.vars };
  const unresolved = new Set<string>();
  const sub = (s: string, counts: boolean) => {
    const out = interpolate(s, vars);
    if (counts) referencedVars(out).forEach((v) => unresolved.add(v));
    return out;
  };
  const value = (v: unknown, counts: boolean): unknown => {
    if (typeof v === 'string') return sub(v, counts);
    if (Array.isArray(v)) return v.map((x) => value(x, counts));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x, counts)]));
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(check)) out[k] = skipField(check, k, schemas) ? v : value(v, k !== 'title' && k !== 'hint');
  return { check: out as unknown as C, unresolved: [...unresolved] };
}

function firstLine(e: unknown): { line: string; rest: string[] } {
  const lines = (e instanceof Error ? e.message : String(e)).split('\n').filter((l) => l.trim() !== '');
  return { line: lines[0] ?? t('check.registry.unknownError'), rest: lines.slice(1, 6) };
}

/**
 * An `evaluateCheck` over `modules` (and their `schemas`, for the parameters kept as written):
 * the built-in kinds' is `evaluateCheck`; a test adds a kind by handing one more of each.
 */
export function checkEvaluator(modules: readonly AnyModule[], schemas: CheckSchemas = BUILTIN_SCHEMAS) {
  const byKind = new Map(modules.map((m) => [m.kind as string, m]));
  return (check: AnyCheck, env: CheckEnv, key?: string): Promise<CheckResult> => evaluate(byKind.get(check.kind), schemas, check, env, key);
}

async function evaluate(mod: AnyModule | undefined, schemas: CheckSchemas, check: AnyCheck, env: CheckEnv, key?: string): Promise<CheckResult> {
  if (!mod) return failed(check, t('check.registry.unknownKind', { title: check.title, kind: check.kind }));
  const { check: resolved, unresolved } = interpolateCheck(check, env, schemas);
  if (unresolved.length) {
    const names = unresolved.map((v) => `\${${v}}`).join(', ');
    return failed(check, t('check.registry.notSet', { title: resolved.title, names, count: unresolved.length }), {
      diagnosis: [t('check.registry.notSetWhy', { names: unresolved.join(', '), first: unresolved[0] })],
    });
  }
  let facts: unknown;
  try {
    facts = await mod.gather(resolved, key === undefined ? env : { ...env, checkKey: key });
  } catch (e) {
    if (env.signal?.aborted) return failed(check, t('check.registry.cancelled', { title: resolved.title }));
    const { line, rest } = firstLine(e);
    return failed(check, t('check.registry.titled', { title: resolved.title, line }), rest.length ? { diagnosis: rest } : {});
  }
  try {
    return mod.judge(resolved, facts);
  } catch (e) {
    return failed(check, t('check.registry.cannotJudge', { title: resolved.title, line: firstLine(e).line }));
  }
}

/**
 * Evaluates one check against the world in `env`. `key` (see `checkKey`)
 * sets `env.checkKey` for quiz checks; a key already in `env` is kept otherwise.
 */
export const evaluateCheck: (check: Check, env: CheckEnv, key?: string) => Promise<CheckResult> = checkEvaluator(CHECK_MODULES);
