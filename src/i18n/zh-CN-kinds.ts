/** 简体中文：the trace, trace-opened, leftovers, process and quiz check kinds, and command checks (src/checks/)。The same keys as src/i18n/en-kinds.ts; composed into src/i18n/zh-CN.ts. */
import type { enKinds } from './en-kinds.js';
import type { Message } from './catalog.js';

export const zhCNKinds: Record<keyof typeof enKinds, Message> = {
};
