/**
 * Evaluating a check: substitute `${VAR}`s, gather facts with the kind's
 * module, judge them. Never throws: whatever goes wrong becomes a failed
 * result that says what happened.
 */
import type { Check, CheckKind, CheckResult } from '../lesson/types.js';
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
import type { CheckEnv, CheckKindModule, CheckOf } from './types.js';

/** The module for every check kind. */
export const checkModules: { [K in CheckKind]: CheckKindModule<CheckOf<K>, any> } = { // eslint-disable-line @typescript-eslint/no-explicit-any
  namespace: namespaceCheck,
  'pods-ready': podsReadyCheck,
  'container-present': containerPresentCheck,
  'deployment-available': deploymentAvailableCheck,
  service: serviceCheck,
  resource: resourceCheck,
  'no-leftovers': noLeftoversCheck,
  'port-open': portOpenCheck,
  'port-closed': portClosedCheck,
  http: httpCheck,
  'jaeger-traces': jaegerTracesCheck,
  process: processCheck,
  quiz: quizCheck,
  'trace-opened': traceOpenedCheck,
  command: commandCheck,
  trace: traceCheck,
};

function moduleFor(check: Check): CheckKindModule<Check, unknown> | undefined {
  return (checkModules as Record<string, CheckKindModule<Check, unknown> | undefined>)[check.kind];
}

/** The key a check's quiz answer (and UI state) is stored under. */
export function checkKey(stepId: string, index: number): string {
  return `${stepId}#${index}`;
}

/** Fields that are not parameters, and `command.run`, which bash expands itself from the variables in its environment. */
function skipField(check: Check, field: string): boolean {
  return field === 'kind' || field === 'source' || (check.kind === 'command' && field === 'run');
}

/**
 * The check with `${VAR}` replaced in its string parameters (variables from
 * `env.vars` first, then `env.env`), and the names that stayed unresolved.
 */
export function interpolateCheck(check: Check, env: Pick<CheckEnv, 'vars' | 'env'>): { check: Check; unresolved: string[] } {
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
  for (const [k, v] of Object.entries(check)) out[k] = skipField(check, k) ? v : value(v, k !== 'title' && k !== 'hint');
  return { check: out as unknown as Check, unresolved: [...unresolved] };
}

function firstLine(e: unknown): { line: string; rest: string[] } {
  const lines = (e instanceof Error ? e.message : String(e)).split('\n').filter((l) => l.trim() !== '');
  return { line: lines[0] ?? 'unknown error', rest: lines.slice(1, 6) };
}

/**
 * Evaluates one check against the world in `env`. `key` (see `checkKey`)
 * sets `env.checkKey` for quiz checks; a key already in `env` is kept otherwise.
 */
export async function evaluateCheck(check: Check, env: CheckEnv, key?: string): Promise<CheckResult> {
  const mod = moduleFor(check);
  if (!mod) return failed(check, `${check.title}: unknown check kind "${(check as { kind: string }).kind}"`);
  const { check: resolved, unresolved } = interpolateCheck(check, env);
  if (unresolved.length) {
    const names = unresolved.map((v) => `\${${v}}`).join(', ');
    return failed(check, `${resolved.title}: ${names} ${unresolved.length === 1 ? 'is' : 'are'} not set`, {
      diagnosis: [`run the earlier step's command that exports ${unresolved.join(', ')} (export ${unresolved[0]}=…) from the runner, so its value is kept`],
    });
  }
  let facts: unknown;
  try {
    facts = await mod.gather(resolved, key === undefined ? env : { ...env, checkKey: key });
  } catch (e) {
    if (env.signal?.aborted) return failed(check, `${resolved.title}: cancelled`);
    const { line, rest } = firstLine(e);
    return failed(check, `${resolved.title}: ${line}`, rest.length ? { diagnosis: rest } : {});
  }
  try {
    return mod.judge(resolved, facts);
  } catch (e) {
    return failed(check, `${resolved.title}: could not judge the result (${firstLine(e).line})`);
  }
}
