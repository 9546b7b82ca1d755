/**
 * The message catalog's machinery: typed keys, typed parameters, plurals.
 *
 * Plain typed objects and Intl.PluralRules, not a library: kubetutor speaks two languages with a
 * few hundred messages, and what it needs is that a key or parameter that does not exist fails
 * `tsc`, and a message missing from a language fails a test. i18next (the maintained choice)
 * types its keys only through declaration merging over JSON resources and adds ~45 kB to a
 * bundle that loads at every start; intl-messageformat parses ICU strings at run time. Here the
 * English catalog is the type: `{name}` in a message is a parameter of that key (read off the
 * string by the compiler), a `{ one, other }` message is chosen by Intl.PluralRules on its
 * `count`, and every other language is a `Record` of the same keys.
 */

/** A message: text with `{name}` placeholders, or plural forms chosen by `{count}`. */
export type Message = string | { readonly one?: string; readonly other: string };

/** `{name}` placeholders; braces around other text (`[{step, check}]`) are literal, as in `format`. */
type Names<S> = S extends `${string}{${infer P}}${infer R}` ? (P extends `${string}${' ' | ',' | '{'}${string}` ? Names<R> : P | Names<R>) : never;
/** The parameter names of a message (`count` for a plural one). */
export type MessageParams<M> = M extends string ? Names<M> : M extends { readonly other: infer O } ? Names<O> | 'count' : never;

/** The arguments `t(key, …)` takes for a message: none, or an object with every placeholder. */
export type ArgsOf<M> = [MessageParams<M>] extends [never] ? [] : [Record<MessageParams<M>, string | number>];

/** Every `{name}` a message holds (all its plural forms), for the tests that compare languages. */
export function placeholders(m: Message): string[] {
  const texts = typeof m === 'string' ? [m] : [m.one ?? '', m.other];
  const out = new Set<string>();
  for (const s of texts) for (const x of s.matchAll(/\{(\w+)\}/g)) out.add(x[1]);
  if (typeof m !== 'string') out.add('count');
  return [...out].sort();
}

const rules = new Map<string, Intl.PluralRules>();

/**
 * The space a Chinese message keeps between its words and a Latin name is no space beside
 * full-width punctuation: 适用于 {cluster} 的命令 with a cluster ending in ）reads …）的命令.
 */
const FULL_WIDTH_PUNCT = /^[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20“”‘’]/;

/** The message in `locale` with its parameters put in. */
export function format(m: Message, locale: string, params: Record<string, string | number> = {}): string {
  let text: string;
  if (typeof m === 'string') text = m;
  else {
    const count = Number(params.count);
    let r = rules.get(locale);
    if (!r) rules.set(locale, (r = new Intl.PluralRules(locale)));
    text = r.select(count) === 'one' && m.one !== undefined ? m.one : m.other;
  }
  return text.replace(/( ?)\{(\w+)\}( ?)/g, (whole, before: string, name: string, after: string) => {
    if (!Object.hasOwn(params, name)) return whole;
    const value = String(params[name]);
    return `${FULL_WIDTH_PUNCT.test(value) ? '' : before}${value}${FULL_WIDTH_PUNCT.test(value.slice(-1)) ? '' : after}`;
  });
}
