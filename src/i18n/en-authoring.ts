/** English: the class view, lint, import and self-test (src/class/, src/authoring/), and what is left in engine/, ui/, traces/. Composed into src/i18n/en.ts. */
export const enAuthoring = {
} as const;
