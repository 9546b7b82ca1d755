/** 简体中文：the commands' own output and errors (src/commands/)。The same keys as src/i18n/en-commands.ts; composed into src/i18n/zh-CN.ts. */
import type { enCommands } from './en-commands.js';
import type { Message } from './catalog.js';

export const zhCNCommands: Record<keyof typeof enCommands, Message> = {
};
