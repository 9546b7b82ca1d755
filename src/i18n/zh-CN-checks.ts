/** 简体中文：检查：标题、摘要与诊断（src/checks/）。The same keys as src/i18n/en-checks.ts; composed into src/i18n/zh-CN.ts. */
import type { enChecks } from './en-checks.js';
import type { Message } from './catalog.js';

export const zhCNChecks: Record<keyof typeof enChecks, Message> = {
};
