/**
 * Which language kubetutor speaks: `--lang`, else the locale (LC_ALL, then LC_MESSAGES, then
 * LANG, as POSIX orders them: the first one set decides), else English. Pure over its inputs;
 * the chosen language is kept here for the process (a CLI speaks one language per run).
 */

/** The languages of the message catalog, English first (the fallback). */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGUAGES)[number];

/**
 * The catalog language a locale name or language tag stands for: `zh_CN.UTF-8`, `zh-Hans`,
 * `zh-CN`, `zh_SG`, `zh` → zh-CN; `en_US.UTF-8`, `C`, `POSIX`, `C.UTF-8` → en. Traditional
 * Chinese (zh-Hant, zh_TW, zh_HK, zh_MO) and every other language are not in the catalog:
 * undefined (the caller falls back to English).
 */
export function languageOf(tag: string): Lang | undefined {
  // Locale names carry a codeset and a modifier (`zh_CN.UTF-8@pinyin`); tags use `-`.
  const t = tag.trim().replace(/[.@].*$/, '').replace(/_/g, '-').toLowerCase();
  if (t === '' ) return undefined;
  if (t === 'c' || t === 'posix') return 'en';
  const [language, ...rest] = t.split('-');
  if (language === 'en') return 'en';
  if (language === 'zh') {
    if (rest.some((p) => p === 'hant' || p === 'tw' || p === 'hk' || p === 'mo')) return undefined;
    return 'zh-CN';
  }
  return undefined;
}

/** Where the language came from, for messages about it. */
export type LanguageSource = '--lang' | 'LC_ALL' | 'LC_MESSAGES' | 'LANG' | 'default';

/**
 * The language to speak. `flag`: the value of `--lang` (an unknown one is the caller's usage
 * error: `undefined` comes back for it with source '--lang'). The environment: the first of
 * LC_ALL, LC_MESSAGES, LANG that is set and not empty decides; a locale the catalog lacks means
 * English (it does not fall through to the next variable, as setlocale would not).
 */
export function chooseLanguage(flag: string | undefined, env: Record<string, string | undefined>): { lang: Lang | undefined; source: LanguageSource } {
  if (flag !== undefined) return { lang: languageOf(flag), source: '--lang' };
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const v = env[name];
    if (v) return { lang: languageOf(v) ?? 'en', source: name };
  }
  return { lang: 'en', source: 'default' };
}

let current: Lang = 'en';

/** The language of this run (English until the command line has chosen one). */
export const language = (): Lang => current;

export function setLanguage(lang: Lang): void {
  current = lang;
}

/**
 * `--lang X` / `--lang=X` taken out of a command line (every command accepts it, so the command
 * line handles it before the command's own parser sees the rest). Stops at `--`.
 */
export function takeLangFlag(argv: string[]): { rest: string[]; lang?: string; missingValue?: boolean } {
  const rest: string[] = [];
  let lang: string | undefined;
  let missingValue = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--lang') {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('-')) missingValue = true;
      else {
        lang = v;
        i++;
      }
    } else if (a.startsWith('--lang=')) lang = a.slice('--lang='.length);
    else rest.push(a);
  }
  return { rest, lang, ...(missingValue ? { missingValue } : {}) };
}

/**
 * A lesson's language tag as kubetutor names it: a catalog language by its catalog name
 * (`zh`, `zh_CN`, `zh-Hans` → zh-CN; `en-US` → en), any other tag as written with `-`.
 */
export function lessonLanguageTag(tag: string): string {
  return languageOf(tag) ?? tag.replace(/_/g, '-');
}
