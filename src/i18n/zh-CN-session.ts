/** 简体中文：会话：命令运行、提示与进度（src/engine/）。The same keys as src/i18n/en-session.ts; composed into src/i18n/zh-CN.ts. */
import type { enSession } from './en-session.js';
import type { Message } from './catalog.js';

export const zhCNSession: Record<keyof typeof enSession, Message> = {
};
