/** English messages of the trace viewer and kubetutor traces (src/traces/, src/ui/Trace*); composed into src/i18n/en.ts. */
export const enTraces = {
} as const;
