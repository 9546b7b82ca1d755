/** What every simulated controller shares: the store, the kinds, timing knobs and an event recorder. */
import type { KubeObject } from '../../kube/types.js';
import type { ResourceTypes, ResourceType } from '../api/resource-types.js';
import type { Store } from '../api/store.js';

export interface Timing {
  /** From pod creation to Ready (the image is "pulled" and the container "starts"). */
  podReadyMs: number;
  /** From an image pull failure to the ImagePullBackOff state. */
  backoffMs: number;
  /** How long a namespace stays Terminating before it is gone. */
  namespaceTerminationMs: number;
}

export const DEFAULT_TIMING: Timing = { podReadyMs: 1200, backoffMs: 1500, namespaceTerminationMs: 300 };

export class ControllerContext {
  constructor(
    readonly store: Store,
    readonly types: ResourceTypes,
    readonly timing: Timing,
    readonly brokenImages: Set<string>,
  ) {}

  /** Creates a pod through the API's admission chain; set by the sandbox that wires things up. */
  createPod: (pod: KubeObject) => KubeObject = (pod) => this.store.create(this.pods, pod);

  type(group: string, plural: string): ResourceType {
    const rt = this.types.byKey(`${group}/${plural}`);
    if (!rt) throw new Error(`unknown resource ${group}/${plural}`);
    return rt;
  }

  get pods() { return this.type('', 'pods'); }
  get deployments() { return this.type('apps', 'deployments'); }
  get replicasets() { return this.type('apps', 'replicasets'); }
  get services() { return this.type('', 'services'); }
  get endpoints() { return this.type('', 'endpoints'); }
  get namespaces() { return this.type('', 'namespaces'); }
  get events() { return this.type('', 'events'); }

  /** Writes only when something changed; tolerates the object having gone meanwhile. */
  save(rt: ResourceType, obj: KubeObject): KubeObject | undefined {
    try {
      return this.store.update(rt, obj, { checkRv: false });
    } catch {
      return undefined;
    }
  }

  /** Records an Event about an object, counting repeats the way the kubelet does. */
  event(about: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component = 'kubelet'): void {
    const ns = about.metadata.namespace ?? 'default';
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const existing = this.store
      .peek(this.events, ns)
      .find((e) => (e.involvedObject as { uid?: string })?.uid === about.metadata.uid && e.reason === reason && e.message === message);
    if (existing) {
      this.save(this.events, { ...existing, count: ((existing.count as number) ?? 1) + 1, lastTimestamp: now });
      return;
    }
    if (!this.store.peekOne(this.namespaces, undefined, ns)) return;
    const name = `${about.metadata.name}.${(Date.now() * 1000 + Math.floor(Math.random() * 1000)).toString(16)}`;
    try {
      this.store.create(this.events, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: ns },
        involvedObject: { apiVersion: about.apiVersion, kind: about.kind, name: about.metadata.name, namespace: about.metadata.namespace, uid: about.metadata.uid, resourceVersion: about.metadata.resourceVersion },
        reason,
        message,
        source: { component, ...(component === 'kubelet' ? { host: 'sandbox' } : {}) },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type,
        reportingComponent: component,
        reportingInstance: component === 'kubelet' ? 'sandbox' : '',
      });
    } catch {
      /* a racing duplicate name is harmless */
    }
  }
}

export const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
