/** 简体中文：课程屏幕（src/ui/）。The same keys as src/i18n/en-screen.ts; composed into src/i18n/zh-CN.ts. */
import type { enScreen } from './en-screen.js';
import type { Message } from './catalog.js';

export const zhCNScreen: Record<keyof typeof enScreen, Message> = {
};
