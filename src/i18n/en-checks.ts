/** English messages of the checks: titles, summaries and diagnoses (src/checks/); composed into src/i18n/en.ts. */
export const enChecks = {
} as const;
