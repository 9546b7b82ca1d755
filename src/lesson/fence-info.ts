/** A fence's info string: `bash {background name=x port=15032 when=era:modern}`, read into attributes. */
import { parseWhen, type When } from './eras.js';
import { clipText, suggest } from './problem-text.js';
import type { Report } from './yaml-block.js';
import { t } from '../i18n/index.js';

const PROCESS_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const COMMAND_ATTRS = ['background', 'name', 'port', 'when'];

export function parseInfo(info: string): { lang: string; attrs?: string; trailing: string } {
  const m = /^([^\s{]*)\s*([\s\S]*)$/.exec(info)!;
  const lang = m[1].toLowerCase();
  let rest = m[2].trim();
  let attrs: string | undefined;
  const braces = /^\{([^}]*)\}/.exec(rest);
  if (braces) {
    attrs = braces[1].trim();
    rest = rest.slice(braces[0].length).trim();
  }
  return { lang, attrs, trailing: rest };
}

export function parseCommandAttrs(
  raw: string | undefined,
  lang: string,
  fenceLine: number,
  report: Report,
): { background: boolean; name?: string; port?: number; when?: When } {
  const out: { background: boolean; name?: string; port?: number; when?: When } = { background: false };
  if (!raw) return out;
  const tokens = raw.match(/[^\s=]+(?:=(?:"[^"]*"|'[^']*'|\S*))?/g) ?? [];
  for (const tok of tokens) {
    const eq = tok.indexOf('=');
    const key = eq < 0 ? tok : tok.slice(0, eq);
    const value = eq < 0 ? undefined : tok.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
    switch (key) {
      case 'background':
        if (value === undefined || value === 'true') out.background = true;
        else if (value === 'false') out.background = false;
        else report(fenceLine, t('lesson.attr.background', { value }));
        break;
      case 'name':
        if (value === undefined || !PROCESS_NAME_RE.test(value)) {
          report(fenceLine, t('lesson.attr.name', { value: value ?? '' }));
        } else out.name = value;
        break;
      case 'when': {
        const parsed = parseWhen(value ?? '');
        if ('error' in parsed) report(fenceLine, t('lesson.attr.when', { error: parsed.error }));
        else out.when = parsed.when;
        break;
      }
      case 'port': {
        const port = value !== undefined && /^\d+$/.test(value) ? Number(value) : NaN;
        if (!Number.isInteger(port) || port < 1 || port > 65535) report(fenceLine, t('lesson.attr.port', { value: value ?? '' }));
        else out.port = port;
        break;
      }
      default:
        report(fenceLine, t('lesson.attr.unknown', { key, lang, suggest: suggest(key, COMMAND_ATTRS), known: COMMAND_ATTRS.join(', ') }));
    }
  }
  if (out.port !== undefined && !out.background) report(fenceLine, t('lesson.attr.portNeedsBackground'));
  return out;
}

/** The attributes of a check, hint or solution block: `when=…` is the one they take. */
export function onlyWhenAttr(raw: string, lang: string, fenceLine: number, report: Report): When | undefined {
  let when: When | undefined;
  for (const tok of raw.match(/[^\s=]+(?:=(?:"[^"]*"|'[^']*'|\S*))?/g) ?? []) {
    const eq = tok.indexOf('=');
    const key = eq < 0 ? tok : tok.slice(0, eq);
    const value = eq < 0 ? '' : tok.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
    if (key !== 'when') {
      report(fenceLine, t('lesson.attr.onlyWhen', { lang, example: '{when=era:modern}', key: clipText(key, 40) }));
      continue;
    }
    const parsed = parseWhen(value);
    if ('error' in parsed) report(fenceLine, t('lesson.attr.when', { error: parsed.error }));
    else when = parsed.when;
  }
  return when;
}

/** A block's own `when` inside a `::: when` section: its own eras if it names any, the tools of both. */
export function combineWhen(section: When | undefined, own: When | undefined): When | undefined {
  if (!section) return own;
  if (!own) return section;
  const eras = own.eras ?? section.eras;
  const tools = [...new Set([...(section.tools ?? []), ...(own.tools ?? [])])];
  return { ...(eras ? { eras } : {}), ...(tools.length ? { tools } : {}) };
}

