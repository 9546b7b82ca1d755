/** The check-kind table of docs/lesson-format.md, from the schemas' rows (a test keeps the two equal). */
import type { CheckSchema } from '../check-schema.js';
import { CHECK_SCHEMAS } from './index.js';

export function kindTableMarkdown(schemas: ReadonlyArray<CheckSchema<string, any>> = CHECK_SCHEMAS): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const rows = schemas.map((s) => `| \`${s.kind}\` | ${s.doc.parameters} | ${s.doc.passes} |`);
  return ['| kind | parameters | passes when |', '|---|---|---|', ...rows].join('\n');
}
