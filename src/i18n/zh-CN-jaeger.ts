/** 简体中文：the jaeger-traces check kind (src/checks/kinds/jaeger.ts)。The same keys as src/i18n/en-jaeger.ts; composed into src/i18n/zh-CN.ts. */
import type { enJaeger } from './en-jaeger.js';
import type { Message } from './catalog.js';

export const zhCNJaeger: Record<keyof typeof enJaeger, Message> = {
};
