/** 简体中文：the cluster client, gateway URL, era detection, targets and the kubeconfig (src/cluster/, src/kube/)。The same keys as src/i18n/en-cluster.ts; composed into src/i18n/zh-CN.ts. */
import type { enCluster } from './en-cluster.js';
import type { Message } from './catalog.js';

export const zhCNCluster: Record<keyof typeof enCluster, Message> = {
};
