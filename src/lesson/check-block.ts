/**
 * A `check` block: a YAML list of checks, each validated against its kind's schema (the kinds
 * come in as a table: this module knows none of them). Problems go to `report` with the line of
 * the parameter at fault, or of the check's `-`.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { field, type Field } from './check-fields.js';
import type { CheckSchemas } from './check-schema.js';
import { clipText, describe, suggest } from './problem-text.js';
import type { AnyCheck } from './types.js';
import { parseYaml, type Report } from './yaml-block.js';
import { t } from '../i18n/index.js';

/** A parameter that names a background command, checked once the whole lesson is read. */
export interface ProcessRef { kind: string; name: string; line: number }

/** Parameters every check takes. */
const COMMON_PARAMS: Record<string, Field<unknown>> = { title: field.string, hint: field.string };

export function parseCheckBlock(
  content: string[],
  fenceLine: number,
  file: string,
  report: Report,
  kinds: CheckSchemas,
): { checks: AnyCheck[]; processRefs: ProcessRef[] } {
  const checks: AnyCheck[] = [];
  const processRefs: ProcessRef[] = [];
  const names = [...kinds.keys()];
  const y = parseYaml(content, fenceLine, t('lesson.yaml.checkBlock'), report);
  if (!y) return { checks, processRefs };
  const { doc, js: blockJs, src, lineOf } = y;
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    report(fenceLine, t('lesson.check.empty'));
    return { checks, processRefs };
  }
  if (!isSeq(contents)) {
    report(lineOf(contents.range?.[0] ?? 0), t('lesson.check.notList'));
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
      report(itemLine, t('lesson.check.notMapping', { what: describe(value) }));
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
      report(itemLine, t('lesson.check.noKind', { kinds: names.join(', ') }));
      return;
    }
    const schema = typeof kind === 'string' ? kinds.get(kind) : undefined;
    if (typeof kind !== 'string' || !schema) {
      const shown = typeof kind === 'string' ? `"${clipText(kind, 40)}"${suggest(kind, names)}` : describe(kind);
      report(lineFor('kind'), t('lesson.check.unknownKind', { shown, kinds: names.join(', ') }));
      return;
    }
    const all: Record<string, Field<unknown>> = { ...schema.required, ...schema.optional, ...COMMON_PARAMS };
    const out: Record<string, unknown> = { kind };
    let ok = true;
    for (const [key, raw] of Object.entries(obj)) {
      if (key === 'kind') continue;
      const type = Object.prototype.hasOwnProperty.call(all, key) ? all[key] : undefined;
      if (!type) {
        const known = Object.keys(all);
        report(lineFor(key), t('lesson.check.unknownParam', { kind, param: clipText(key, 40), suggest: suggest(key, known), known: known.join(', ') }));
        ok = false;
        continue;
      }
      const res = type.convert(raw, key);
      if ('error' in res) {
        report(lineFor(key), t('lesson.check.problem', { kind, error: res.error }));
        ok = false;
      } else out[key] = res.value;
    }
    for (const key of Object.keys(schema.required)) {
      if (!(key in obj)) {
        report(itemLine, t('lesson.check.missing', { kind, param: key }));
        ok = false;
      }
    }
    schema.rules?.(out, {
      given: (param) => param in obj,
      problem: (message, param) => {
        report(param === undefined ? itemLine : lineFor(param), message);
        ok = false;
      },
    });
    if (!ok) return;
    for (const [key, f] of Object.entries(all)) if (f.names === 'process' && typeof out[key] === 'string') processRefs.push({ kind, name: out[key] as string, line: lineFor(key) });
    const check = out as unknown as AnyCheck;
    if (typeof out.title !== 'string') check.title = schema.title(check);
    check.source = { file, line: itemLine };
    checks.push(check);
  });
  return { checks, processRefs };
}
