/** English messages of the session: command runs, notices, progress (src/engine/); composed into src/i18n/en.ts. */
export const enSession = {
} as const;
