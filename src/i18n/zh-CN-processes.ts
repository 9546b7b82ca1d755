/** 简体中文：the process supervisor, records, port owners (src/processes/) and the traffic generator (src/traffic/)。The same keys as src/i18n/en-processes.ts; composed into src/i18n/zh-CN.ts. */
import type { enProcesses } from './en-processes.js';
import type { Message } from './catalog.js';

export const zhCNProcesses: Record<keyof typeof enProcesses, Message> = {
};
