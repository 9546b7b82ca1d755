/**
 * What the runner says, in the learner's language: `t('plain.stepPassed', { n: 2 })`. The
 * catalogs are src/i18n/en.ts (the source, and the type) and src/i18n/zh-CN.ts; the language is
 * chosen once per run (src/i18n/language.ts). A leaf: imports nothing of the app's.
 */
import { en, type En } from './en.js';
import { zhCN } from './zh-CN.js';
import { format, type ArgsOf, type Message } from './catalog.js';
import { language, LANGUAGES, type Lang } from './language.js';

export { LANGUAGES, chooseLanguage, language, languageOf, setLanguage, takeLangFlag, type Lang } from './language.js';
export { placeholders, type Message } from './catalog.js';

export type MessageKey = keyof En;

/** Every language's catalog: the same keys as English (a missing one fails tsc, and test/unit/i18n.test.ts). */
export const CATALOGS: Record<Lang, Record<MessageKey, Message>> = { en, 'zh-CN': zhCN };

/** The message `key` in this run's language, its parameters put in. */
export function t<K extends MessageKey>(key: K, ...args: ArgsOf<En[K]>): string {
  return tIn(language(), key, ...args);
}

/** The message `key` in `lang` (for output that must stay in one language, and the tests). */
export function tIn<K extends MessageKey>(lang: Lang, key: K, ...args: ArgsOf<En[K]>): string {
  const m = CATALOGS[lang][key] ?? en[key];
  return format(m, lang, (args[0] ?? {}) as Record<string, string | number>);
}

/** `a, b and c` in this run's language. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return t('list.and', { first: items.slice(0, -1).join(t('list.sep')), last: items[items.length - 1] });
}

/** The catalog languages, for messages: `en, zh-CN`. */
export const languageList = (): string => LANGUAGES.join(', ');
