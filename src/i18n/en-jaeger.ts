/** English: the jaeger-traces check kind (src/checks/kinds/jaeger.ts). Composed into src/i18n/en.ts. */
export const enJaeger = {
} as const;
