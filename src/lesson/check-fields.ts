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
import { t, type MessageKey } from '../i18n/index.js';

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

/** A field whose values pass `ok`; any other is refused with "must be <expect>" (a catalog key, said in the run's language). */
function simple<T>(expect: ExpectKey, ok: (v: unknown) => boolean): Field<T> {
  return { convert: (v, param) => (ok(v) ? { value: v as T } : { error: t('lesson.field.mustBe', { param, expect: t(expect), what: describe(v) }) }) };
}
type ExpectKey = Extract<MessageKey, `lesson.expect.${string}`>;

const string: Field<string> = {
  convert(v, param) {
    if (typeof v !== 'string') return { error: t('lesson.field.notString', { param, what: describe(v) }) };
    if (v.trim() === '') return { error: t('lesson.field.empty', { param }) };
    return { value: v };
  },
};

const selector: Field<string> = {
  convert(v, param) {
    if (typeof v !== 'string') return { error: t('lesson.field.notSelector', { param, what: describe(v) }) };
    if (!hasVar(v)) {
      try {
        parseLabelSelector(v);
      } catch (e) {
        return { error: t('lesson.field.badSelector', { selector: clipText(v), why: clipText((e as Error).message, 120) }) };
      }
    }
    return { value: v.trim() };
  },
};

const labels: Field<Record<string, string>> = {
  convert(v, param) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: t('lesson.field.notLabels', { param, what: describe(v) }) };
    const out: Record<string, string> = {};
    for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
      if (!['string', 'number', 'boolean'].includes(typeof raw)) return { error: t('lesson.field.labelValue', { label: clipText(k, 40), what: describe(raw) }) };
      const val = String(raw);
      if (!hasVar(k) && !hasVar(val)) {
        try {
          parseLabelSelector(`${k}=${val}`);
        } catch {
          return { error: t('lesson.field.badLabel', { label: clipText(k, 40), value: clipText(val, 40) }) };
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
  count: simple<number>('lesson.expect.count', (v) => isInt(v) && v >= 0),
  port: simple<number>('lesson.expect.port', (v) => isInt(v) && v >= 1 && v <= 65535),
  status: simple<number>('lesson.expect.status', (v) => isInt(v) && v >= 100 && v <= 599),
  ms: simple<number>('lesson.expect.ms', (v) => isInt(v) && v > 0),
  boolean: simple<boolean>('lesson.expect.boolean', (v) => typeof v === 'boolean'),
  index: simple<number>('lesson.expect.index', (v) => isInt(v) && v >= 0),
  state: simple<'running' | 'stopped'>('lesson.expect.state', (v) => v === 'running' || v === 'stopped'),
  strings: simple<string[]>('lesson.expect.strings', (v) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.trim() !== '')),
  ports: simple<number[]>('lesson.expect.ports', (v) => Array.isArray(v) && v.length > 0 && v.every((x) => isInt(x) && x >= 1 && x <= 65535)),
  tracePath: trace<string>('path'),
  tags: trace<Record<string, string>>('tags'),
  duration: trace<string>('duration'),
  eras: trace<Array<'1.0' | '1.1' | 'modern'>>('eras'),
};
