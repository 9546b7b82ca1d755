/** A Kubernetes object as the sandbox stores and serves it: plain JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }>;
  generateName?: string;
  managedFields?: unknown[];
  finalizers?: string[];
  [key: string]: unknown;
}

/** The Istio layouts the sandbox can simulate (see the facts note on eras). */
export type IstioEra = '1.0' | '1.1' | 'modern';
