/** The nearest of some names to what was typed, for "did you mean …?" (Levenshtein distance, by leven). */
import leven from 'leven';

/**
 * The closest candidate, if it is close enough to be what was meant: within a third of its
 * length (at least 2 edits), or one the typed text is a prefix of. Undefined when none is.
 */
export function nearest(typed: string, candidates: readonly string[]): string | undefined {
  if (!typed) return undefined;
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = leven(typed.toLowerCase(), name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  if (best && best.d <= Math.max(2, Math.floor(best.name.length / 3))) return best.name;
  const prefixed = candidates.filter((c) => typed.length >= 3 && c.startsWith(typed));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
