/** A fence's info string: `bash {background name=x port=15032 when=era:modern}`, read into attributes. */
import { parseWhen, type When } from './eras.js';
import { clipText, suggest } from './problem-text.js';
import type { Report } from './yaml-block.js';

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
        else report(fenceLine, `background must be true or false, not "${value}"`);
        break;
      case 'name':
        if (value === undefined || !PROCESS_NAME_RE.test(value)) {
          report(fenceLine, `name must be letters, digits, dots, dashes or underscores (like name=jaeger-forward), not "${value ?? ''}"`);
        } else out.name = value;
        break;
      case 'when': {
        const parsed = parseWhen(value ?? '');
        if ('error' in parsed) report(fenceLine, `when: ${parsed.error}`);
        else out.when = parsed.when;
        break;
      }
      case 'port': {
        const port = value !== undefined && /^\d+$/.test(value) ? Number(value) : NaN;
        if (!Number.isInteger(port) || port < 1 || port > 65535) report(fenceLine, `port must be a port number (1-65535), not "${value ?? ''}"`);
        else out.port = port;
        break;
      }
      default:
        report(fenceLine, `unknown attribute "${key}" on a ${lang} block${suggest(key, COMMAND_ATTRS)} (known: ${COMMAND_ATTRS.join(', ')})`);
    }
  }
  if (out.port !== undefined && !out.background) report(fenceLine, 'port= is only for background commands: add background');
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
      report(fenceLine, `${lang} blocks take one attribute, when=… (like {when=era:modern}), not "${clipText(key, 40)}"`);
      continue;
    }
    const parsed = parseWhen(value);
    if ('error' in parsed) report(fenceLine, `when: ${parsed.error}`);
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

