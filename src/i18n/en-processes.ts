/** English: the process supervisor, records, port owners (src/processes/) and the traffic generator (src/traffic/). Composed into src/i18n/en.ts. */
export const enProcesses = {
} as const;
