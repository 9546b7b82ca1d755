/** 简体中文：the class view, lint, import and self-test (src/class/, src/authoring/), and what is left in engine/, ui/, traces/。The same keys as src/i18n/en-authoring.ts; composed into src/i18n/zh-CN.ts. */
import type { enAuthoring } from './en-authoring.js';
import type { Message } from './catalog.js';

export const zhCNAuthoring: Record<keyof typeof enAuthoring, Message> = {
};
