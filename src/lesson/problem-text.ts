/** Wording shared by the lesson parser's problem messages: how a value is quoted, and "did you mean". Pure. */
import { t } from '../i18n/index.js';

/** `s` cut to `max` characters for quoting in a message. */
export function clipText(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A short description of a YAML value for error messages. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return t('lesson.value.empty');
  if (Array.isArray(v)) return t('lesson.value.list');
  if (typeof v === 'object') return t('lesson.value.mapping');
  if (typeof v === 'string') return JSON.stringify(clipText(v));
  return clipText(String(v));
}

/** ` (did you mean "x"?)` when `word` is a likely typo of one of `known`. */
export function suggest(word: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDist) { best = k; bestDist = d; }
  }
  return best !== undefined && bestDist <= Math.max(1, Math.floor(best.length / 4)) ? t('lesson.didYouMean', { word: best }) : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
