/**
 * What the simulated mesh reads off the cluster: which Istio layout is
 * installed, whether tracing runs and at what sampling, which Gateways open
 * which ports, and which Bookinfo pods are ready and carry sidecars.
 */
import YAML from 'yaml';
import type { IstioEra, KubeObject } from '../kube/types.js';
import type { Store } from './api/store.js';
import type { ResourceTypes } from './api/resource-types.js';
import { matchesSelectorObject } from '../kube/selectors.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class IstioState {
  constructor(private store: Store, private types: ResourceTypes) {}

  /** The stored objects, uncopied and frozen (`Store.peek`): every simulated request reads them. */
  private list(group: string, plural: string, ns?: string): readonly KubeObject[] {
    const rt = this.types.byKey(`${group}/${plural}`);
    return rt ? this.store.peek(rt, ns) : [];
  }

  era(): IstioEra | null {
    const deps = this.list('apps', 'deployments', 'istio-system');
    if (deps.some((d) => d.metadata.name === 'istiod')) return 'modern';
    const pilot = deps.find((d) => d.metadata.name === 'istio-pilot');
    if (!pilot) return null;
    const images: string[] = ((pilot.spec as Any)?.template?.spec?.containers ?? []).map((c: Any) => c.image ?? '');
    return images.some((i) => /:1\.0\./.test(i)) ? '1.0' : '1.1';
  }

  podsBy(ns: string, labels: Record<string, string>): KubeObject[] {
    return this.list('', 'pods', ns).filter((p) => matchesSelectorObject({ matchLabels: labels }, p.metadata.labels) && !p.metadata.deletionTimestamp);
  }

  /** The (not deleted) pod with this IP, in any namespace. */
  podByIp(ip: string): KubeObject | undefined {
    return this.list('', 'pods').find((p) => (p.status as Any)?.podIP === ip && !p.metadata.deletionTimestamp);
  }

  static ready(p: KubeObject): boolean {
    return (p.status as Any)?.phase === 'Running' && ((p.status as Any)?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');
  }

  static hasSidecar(p: KubeObject): boolean {
    return ((p.spec as Any)?.containers ?? []).some((c: Any) => c.name === 'istio-proxy');
  }

  /** The running Jaeger pod, if tracing is installed. */
  jaegerPod(): KubeObject | undefined {
    return this.podsBy('istio-system', { app: 'jaeger' }).find(IstioState.ready);
  }

  /** Jaeger's query base path: QUERY_BASE_PATH on its container (1.1), /jaeger on modern, none on 1.0. */
  jaegerBasePath(pod?: KubeObject): '' | '/jaeger' {
    const p = pod ?? this.podsBy('istio-system', { app: 'jaeger' })[0];
    for (const c of ((p?.spec as Any)?.containers ?? []) as Any[]) {
      const env = (c.env ?? []).find((e: Any) => e.name === 'QUERY_BASE_PATH');
      if (env) return String(env.value).trim() === '/jaeger' ? '/jaeger' : '';
      const arg = [...(c.args ?? []), ...(c.command ?? [])].find((a: string) => /base[-_]path/.test(a));
      if (arg) return /\/jaeger/.test(arg) ? '/jaeger' : '';
    }
    if (this.era() === 'modern') return '/jaeger';
    return '';
  }

  /** Sampling percentage: the Telemetry API wins, then PILOT_TRACE_SAMPLING on pilot/istiod, then Istio's 1% default. */
  samplingPercent(): number {
    for (const t of this.list('telemetry.istio.io', 'telemetries')) {
      for (const tr of ((t.spec as Any)?.tracing ?? []) as Any[]) {
        if (typeof tr.randomSamplingPercentage === 'number') return tr.randomSamplingPercentage;
      }
    }
    for (const d of this.list('apps', 'deployments', 'istio-system')) {
      if (d.metadata.name !== 'istio-pilot' && d.metadata.name !== 'istiod') continue;
      for (const c of ((d.spec as Any)?.template?.spec?.containers ?? []) as Any[]) {
        const env = (c.env ?? []).find((e: Any) => e.name === 'PILOT_TRACE_SAMPLING');
        if (env && !Number.isNaN(Number(env.value))) return Number(env.value);
      }
    }
    return 1;
  }

  /** Mesh config says tracing is on (ConfigMap `istio`, key `mesh`). */
  tracingEnabled(): boolean {
    const cm = this.list('', 'configmaps', 'istio-system').find((c) => c.metadata.name === 'istio');
    if (!cm) return this.era() === 'modern';
    try {
      const mesh = YAML.parse(String((cm.data as Any)?.mesh ?? '')) ?? {};
      return mesh.enableTracing !== false;
    } catch {
      return true;
    }
  }

  /** Kubernetes Ingresses, in every namespace (an ingress controller routes by them). */
  ingresses(): readonly KubeObject[] {
    return this.list('networking.k8s.io', 'ingresses');
  }

  service(ns: string, name: string): KubeObject | undefined {
    return this.list('', 'services', ns).find((s) => s.metadata.name === name);
  }

  /** Gateways that select the ingress gateway pods and declare a server on `port`. */
  gatewaysOnPort(port: number, gwPod: KubeObject): KubeObject[] {
    return this.list('networking.istio.io', 'gateways').filter(
      (g) => matchesSelectorObject({ matchLabels: (g.spec as Any)?.selector ?? {} }, gwPod.metadata.labels) && ((g.spec as Any)?.servers ?? []).some((s: Any) => s.port?.number === port),
    );
  }

  /** VirtualServices bound to one of these gateways. */
  routesFor(gateways: KubeObject[]): KubeObject[] {
    const names = new Set(gateways.flatMap((g) => [g.metadata.name, `${g.metadata.namespace}/${g.metadata.name}`]));
    return this.list('networking.istio.io', 'virtualservices').filter((vs) => ((vs.spec as Any)?.gateways ?? []).some((n: string) => names.has(n)));
  }
}
