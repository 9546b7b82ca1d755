/** English: the cluster client, gateway URL, era detection, targets and the kubeconfig (src/cluster/, src/kube/). Composed into src/i18n/en.ts. */
export const enCluster = {
} as const;
