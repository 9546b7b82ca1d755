/**
 * `${VAR}` substitution for lesson strings (check parameters, commands shown
 * to the learner). Variables that are not known are left exactly as written,
 * so a later step (or the shell) can still resolve them.
 */

const VAR_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(VAR_REF, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : whole,
  );
}

/** The names of the `${VAR}` references in `text`, in order of first use. */
export function referencedVars(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(VAR_REF)) seen.add(m[1]);
  return [...seen];
}
