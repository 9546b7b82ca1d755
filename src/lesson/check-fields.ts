/**
 * The value types of check parameters: each converts the YAML value an author wrote, or says
 * what is wrong with it (the message without its "<kind> check:" prefix; the check block
 * parser adds that and the line). A kind's schema (src/lesson/kinds/) names its parameters'
 * fields; the TypeScript type of a parsed check follows from them (`ParamsOf`).
 *
 * Hand-written rather than valibot or zod: neither is a dependency, and the messages here are
 * the lesson format's own (`"port" must be a port number (1-65535), not "x"`), which a schema
 * library's issues would have to be mapped back to one by one.
 */
import { parseLabelSelector } from '../kube/selectors.js';
import { clipText, describe } from './problem-text.js';
import { convertTraceParam, type TraceParamType } from './trace-path.js';

export type Converted<T> = { value: T } | { error: string };

/** One parameter's value type. */
export interface Field<T> {
  convert(v: unknown, param: string): Converted<T>;
  /** The parameter names a background command of the lesson (`process` checks): the parser checks it exists. */
  names?: 'process';
}

/** The TypeScript type a field gives its parameter. */
export type FieldValue<F> = F extends Field<infer T> ? T : never;
export type Fields = Record<string, Field<unknown>>;

const hasVar = (s: string) => s.includes('${');
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

/** A field whose values pass `ok`; any other is refused with "must be <expect>". */
function simple<T>(expect: string, ok: (v: unknown) => boolean): Field<T> {
  return { convert: (v, param) => (ok(v) ? { value: v as T } : { error: `"${param}" must be ${expect}, not ${describe(v)}` }) };
}

const string: Field<string> = {
  convert(v, param) {
    if (typeof v !== 'string') return { error: `"${param}" must be a string, not ${describe(v)}` };
    if (v.trim() === '') return { error: `"${param}" must not be empty` };
    return { value: v };
  },
};

const selector: Field<string> = {
  convert(v, param) {
    if (typeof v !== 'string') return { error: `"${param}" must be a label selector string (like app=productpage), not ${describe(v)}` };
    if (!hasVar(v)) {
      try {
        parseLabelSelector(v);
      } catch (e) {
        return { error: `invalid label selector "${clipText(v)}": ${clipText((e as Error).message, 120)}` };
      }
    }
    return { value: v.trim() };
  },
};

const labels: Field<Record<string, string>> = {
  convert(v, param) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: `"${param}" must be a mapping of label names to values, not ${describe(v)}` };
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
  },
};

/** The trace check's own types (src/lesson/trace-path.ts). */
function trace<T>(type: TraceParamType): Field<T> {
  return { convert: (v, param) => convertTraceParam(type, param, v) as Converted<T> };
}

/** The value types, by name. */
export const field = {
  string,
  selector,
  labels,
  /** A string naming one of the lesson's background commands. */
  processName: { ...string, names: 'process' } as Field<string>,
  count: simple<number>('a whole number (0 or more)', (v) => isInt(v) && v >= 0),
  port: simple<number>('a port number (1-65535)', (v) => isInt(v) && v >= 1 && v <= 65535),
  status: simple<number>('an HTTP status code (100-599)', (v) => isInt(v) && v >= 100 && v <= 599),
  ms: simple<number>('a positive whole number of milliseconds', (v) => isInt(v) && v > 0),
  boolean: simple<boolean>('true or false', (v) => typeof v === 'boolean'),
  index: simple<number>('a whole number (a 0-based index into options)', (v) => isInt(v) && v >= 0),
  state: simple<'running' | 'stopped'>('"running" or "stopped"', (v) => v === 'running' || v === 'stopped'),
  strings: simple<string[]>('a list of strings', (v) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.trim() !== '')),
  ports: simple<number[]>('a list of port numbers', (v) => Array.isArray(v) && v.length > 0 && v.every((x) => isInt(x) && x >= 1 && x <= 65535)),
  tracePath: trace<string>('path'),
  tags: trace<Record<string, string>>('tags'),
  duration: trace<string>('duration'),
  eras: trace<Array<'1.0' | '1.1' | 'modern'>>('eras'),
};
