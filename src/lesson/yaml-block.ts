/** YAML inside a lesson file (its front matter, a check block), read with the file's line numbers. */
import { LineCounter, parseDocument, visit } from 'yaml';
import { clipText } from './problem-text.js';
import { t } from '../i18n/index.js';

/** Collects one problem at a file line. */
export type Report = (line: number, message: string) => void;

type YamlDoc = ReturnType<typeof parseDocument>;

/**
 * Parses YAML that sits in the file at `base + 1` onwards. Reports syntax
 * errors with file lines; returns the document and an offset → file line map,
 * or undefined when the YAML is broken.
 */
export function parseYaml(
  srcLines: string[],
  base: number,
  what: string,
  report: Report,
): { doc: YamlDoc; js: unknown; src: string; lineOf: (offset: number) => number } | undefined {
  const src = srcLines.join('\n');
  const lc = new LineCounter();
  // logLevel 'error': the yaml library's warnings (a list used as a key …) would go to the terminal.
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const last = Math.max(1, srcLines.length);
  // Errors at the very end (an unclosed quote) point past the last line; keep them inside the block.
  const lineOf = (offset: number) => base + Math.min(Math.max(lc.linePos(offset).line, 1), last);
  if (doc.errors.length > 0) {
    // The first error only: the ones after it are mostly the parser losing its way.
    const err = doc.errors[0];
    report(lineOf(err.pos[0]), t('lesson.yaml.invalid', { what, problem: yamlProblem(err.message) }));
    return undefined;
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias bomb (aliases of aliases, expanding to millions of nodes): point at the first alias.
    let at = 0;
    visit(doc, { Alias: (_key, node) => { at = node.range?.[0] ?? 0; return visit.BREAK; } });
    report(lineOf(at), t('lesson.yaml.invalid', { what, problem: yamlProblem((e as Error).message) }));
    return undefined;
  }
  return { doc, js, src, lineOf };
}

/** A YAML library error in the author's terms. */
function yamlProblem(message: string): string {
  if (/Maximum call stack size exceeded/.test(message)) return t('lesson.yaml.tooDeep');
  if (/Excessive alias count/.test(message)) return t('lesson.yaml.tooManyAliases');
  return clipText(firstLine(message), 160);
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}
