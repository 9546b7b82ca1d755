/** A lesson's front matter: the YAML between the file's first two `---` lines (id, title, summary, requires, eras, lang). */
import { isMap, isScalar, isSeq } from 'yaml';
import { ERAS, isEra, type Era } from './eras.js';
import { lessonLanguageTag } from '../i18n/language.js';
import { clipText, describe, suggest } from './problem-text.js';
import { parseYaml, type Report } from './yaml-block.js';
import { t } from '../i18n/index.js';

const LANG_TAG_RE = /^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/;
/** A lesson or step id: lowercase letters, digits and dashes. */
export const ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FRONT_MATTER_KEYS = ['id', 'title', 'summary', 'requires', 'eras', 'lang'];

export interface FrontMatter { id?: string; title?: string; summary: string; requires: string[]; eras?: Era[]; lang?: string; bodyStart: number }

export function parseFrontMatter(lines: string[], report: Report): FrontMatter {
  const out: FrontMatter = { summary: '', requires: [], bodyStart: 0 };
  if (lines[0]?.trimEnd() !== '---') {
    report(1, t('lesson.front.missing'));
    return out;
  }
  let close = -1;
  for (let i = 1; i < lines.length; i++) {
    if (/^(---|\.\.\.)[ \t]*$/.test(lines[i])) { close = i; break; }
  }
  if (close < 0) {
    report(1, t('lesson.front.notClosed'));
    out.bodyStart = 1;
    return out;
  }
  out.bodyStart = close + 1;

  // The YAML's line 1 is the file's line 2.
  const y = parseYaml(lines.slice(1, close), 1, t('lesson.yaml.frontMatter'), report);
  if (!y) return out;
  const { doc, js: frontJs, src: frontSrc, lineOf } = y;
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    report(1, t('lesson.front.missingKey', { key: 'id' }));
    report(1, t('lesson.front.missingKey', { key: 'title' }));
    return out;
  }
  if (!isMap(contents)) {
    report(lineOf(contents.range?.[0] ?? 0), t('lesson.front.notMapping'));
    return out;
  }
  const js = frontJs as Record<string, unknown>;
  const seen = new Set<string>();
  for (const pair of contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const keyLine = lineOf((pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0);
    const value = js[key];
    seen.add(key);
    switch (key) {
      case 'id':
        if (typeof value !== 'string' || !ID_RE.test(value)) {
          report(keyLine, t('lesson.front.badId', { what: describe(value) }));
        } else out.id = value;
        break;
      case 'title':
        if (typeof value !== 'string' || value.trim() === '') report(keyLine, t('lesson.front.badTitle', { what: describe(value) }));
        else out.title = value.trim();
        break;
      case 'summary':
        if (value === null || value === undefined) break;
        if (typeof value !== 'string') report(keyLine, t('lesson.front.badSummary', { what: describe(value) }));
        else out.summary = value.trim();
        break;
      case 'requires':
        if (value === null || value === undefined) break;
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) {
          report(keyLine, t('lesson.front.badRequires', { what: describe(value) }));
        } else out.requires = value.map((v: string) => v.trim());
        break;
      case 'eras': {
        // Read as written: YAML would make 1.0 the number 1.
        const node = pair.value;
        const items = isSeq(node) ? node.items : [];
        const eras: Era[] = [];
        let ok = isSeq(node) && items.length > 0;
        for (const item of items) {
          const r = (item as { range?: [number, number, number] | null } | null)?.range;
          const raw = isScalar(item) && r ? frontSrc.slice(r[0], r[1]).trim().replace(/^(["'])(.*)\1$/, '$2') : '';
          if (!isEra(raw)) {
            report(r ? lineOf(r[0]) : keyLine, t('lesson.front.notAnEra', { shown: raw ? `"${clipText(raw, 40)}"` : describe(isScalar(item) ? item.value : item), eras: ERAS.join(', ') }));
            ok = false;
          } else if (!eras.includes(raw)) eras.push(raw);
        }
        if (!isSeq(node) || !items.length) report(keyLine, t('lesson.front.badEras', { eras: ERAS.join(', ') }));
        else if (ok) out.eras = eras;
        break;
      }
      case 'lang':
        // The language the file is written in (a translation's name says it too: lesson.zh.md).
        if (typeof value !== 'string' || !LANG_TAG_RE.test(value.trim())) report(keyLine, t('lesson.front.badLang', { what: describe(value) }));
        else out.lang = lessonLanguageTag(value.trim());
        break;
      default:
        report(keyLine, t('lesson.front.unknownKey', { key: clipText(key, 40), suggest: suggest(key, FRONT_MATTER_KEYS), keys: FRONT_MATTER_KEYS.join(', ') }));
    }
  }
  if (!seen.has('id')) report(1, t('lesson.front.missingKey', { key: 'id' }));
  if (!seen.has('title')) report(1, t('lesson.front.missingKey', { key: 'title' }));
  return out;
}

