/** English: the trace, trace-opened, leftovers, process and quiz check kinds, and command checks (src/checks/). Composed into src/i18n/en.ts. */
export const enKinds = {
} as const;
