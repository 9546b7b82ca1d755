/** 简体中文：追踪查看器与 kubetutor traces（src/traces/、src/ui/Trace*）。The same keys as src/i18n/en-traces.ts; composed into src/i18n/zh-CN.ts. */
import type { enTraces } from './en-traces.js';
import type { Message } from './catalog.js';

export const zhCNTraces: Record<keyof typeof enTraces, Message> = {
};
