/** English messages of the lesson screen (src/ui/); composed into src/i18n/en.ts. */
export const enScreen = {
} as const;
