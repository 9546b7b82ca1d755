/** English: the commands' own output and errors (src/commands/). Composed into src/i18n/en.ts. */
export const enCommands = {
} as const;
