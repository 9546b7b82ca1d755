import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import {
  bookinfoGatewayObjects, bookinfoObjects, gatewayServerPorts, getScenario, injectionEnabled, jaegerBasePath,
  listScenarios, meshConfig, NOT_READY_BROKEN_IMAGE, SCENARIO_NAMES, traceSamplingPercent, type Scenario,
} from '../../src/sandbox/scenarios/index.js';
import type { IstioEra, KubeObject } from '../../src/kube/types.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function scenario(name: string): Scenario {
  const s = getScenario(name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s;
}

function find(s: Scenario | KubeObject[], kind: string, ns: string | undefined, name: string): Any {
  const objects = Array.isArray(s) ? s : s.objects;
  const o = objects.find((x) => x.kind === kind && x.metadata.namespace === ns && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${ns}/${name}`);
  return o as Any;
}

function has(s: Scenario, kind: string, ns: string | undefined, name: string): boolean {
  return s.objects.some((x) => x.kind === kind && x.metadata.namespace === ns && x.metadata.name === name);
}

const ports = (svc: Any): Array<[string | undefined, number]> => svc.spec.ports.map((p: Any) => [p.name, p.port]);
const portNamed = (svc: Any, name: string): Any | undefined => svc.spec.ports.find((p: Any) => p.name === name);
const containers = (dep: Any): Any[] => dep.spec.template.spec.containers;
const envOf = (c: Any, name: string): string | undefined => c.env?.find((e: Any) => e.name === name)?.value;
const deploymentsIn = (s: Scenario, ns: string): Any[] => s.objects.filter((o) => o.kind === 'Deployment' && o.metadata.namespace === ns) as Any[];

const BOOKINFO_DEPLOYMENTS = ['details-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'productpage-v1'];
const EXPECTED_ERA: Record<string, IstioEra | null> = {
  ready: '1.1', fresh: '1.1', empty: null, 'no-tracing': '1.1', 'no-sidecar': '1.1', 'not-ready': '1.1', 'low-sampling': '1.1',
  'istio-1.0': '1.0', 'istio-1.1': '1.1', modern: 'modern', 'reviews-v1': '1.1', restricted: '1.1',
  'istio-1.0-fresh': '1.0', 'istio-1.1-fresh': '1.1', 'modern-fresh': 'modern', 'istio-1.1-ingress': '1.1',
};

describe('scenario registry', () => {
  test('lists the scenarios in the documented order', () => {
    expect([...SCENARIO_NAMES]).toEqual(['ready', 'fresh', 'empty', 'no-tracing', 'no-sidecar', 'not-ready', 'low-sampling', 'istio-1.0', 'istio-1.1', 'modern', 'reviews-v1', 'restricted', 'istio-1.0-fresh', 'istio-1.1-fresh', 'modern-fresh', 'istio-1.1-ingress']);
    expect(listScenarios().map((s) => s.name)).toEqual([...SCENARIO_NAMES]);
  });

  test('every description is a single non-empty line matching getScenario', () => {
    for (const { name, description } of listScenarios()) {
      expect(description.trim().length, name).toBeGreaterThan(10);
      expect(description, name).not.toMatch(/\n/);
      expect(scenario(name).description).toBe(description);
    }
  });

  test('an unknown name gives undefined', () => {
    expect(getScenario('nope')).toBeUndefined();
    expect(getScenario('')).toBeUndefined();
    expect(getScenario('toString')).toBeUndefined();
  });

  test('each call builds fresh objects', () => {
    const a = scenario('ready');
    const b = scenario('ready');
    expect(a.objects).not.toBe(b.objects);
    expect(a.objects).toStrictEqual(b.objects);
    const dep = find(a, 'Deployment', 'default', 'productpage-v1');
    dep.spec.template.spec.containers[0].image = 'mutated';
    dep.metadata.labels.app = 'mutated';
    expect(containers(find(b, 'Deployment', 'default', 'productpage-v1'))[0].image).not.toBe('mutated');
    expect(find(scenario('ready'), 'Deployment', 'default', 'productpage-v1').metadata.labels.app).toBe('productpage');
  });

  test('bookinfo helpers also return fresh objects', () => {
    const a = bookinfoObjects('1.1');
    (a[0] as Any).metadata.labels.app = 'mutated';
    expect((bookinfoObjects('1.1')[0] as Any).metadata.labels.app).toBe('details');
    expect(bookinfoGatewayObjects('modern')).not.toBe(bookinfoGatewayObjects('modern'));
  });
});

describe.each([...SCENARIO_NAMES])('scenario %s', (name) => {
  const s = scenario(name);

  test('builds with its name and era', () => {
    expect(s.name).toBe(name);
    expect(s.era).toBe(EXPECTED_ERA[name]);
    expect(s.objects.length).toBeGreaterThan(5);
  });

  test('names are unique per kind, namespace and name', () => {
    const keys = s.objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(keys.length).toBe(new Set(keys).size);
  });

  test('holds desired state only: no Pods, ReplicaSets, status or server-set metadata', () => {
    for (const o of s.objects) {
      expect(['Pod', 'ReplicaSet', 'Endpoints', 'Event']).not.toContain(o.kind);
      expect(o).not.toHaveProperty('status');
      expect(o.metadata).not.toHaveProperty('uid');
      expect(o.metadata).not.toHaveProperty('resourceVersion');
      expect(o.metadata).not.toHaveProperty('creationTimestamp');
    }
  });

  test('serializes to JSON and back unchanged', () => {
    const json = JSON.stringify(s);
    expect(JSON.parse(json)).toStrictEqual({ ...s });
  });

  test('every namespaced object names an existing namespace; cluster-scoped ones name none', () => {
    const namespaces = new Set(s.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    for (const o of s.objects) {
      if (o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition') {
        expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBeUndefined();
      } else {
        expect(namespaces.has(o.metadata.namespace ?? ''), `${o.kind} ${o.metadata.name} in ${o.metadata.namespace}`).toBe(true);
      }
    }
  });

  test('lists namespaces first, then CRDs, then everything else, custom resources last', () => {
    const rank = (o: KubeObject) => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : o.apiVersion.includes('istio.io') ? 3 : 2);
    const ranks = s.objects.map(rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  test("every Deployment is apps/v1 and its selector matches its template's labels", () => {
    for (const d of s.objects.filter((o) => o.kind === 'Deployment') as Any[]) {
      const where = `${d.metadata.namespace}/${d.metadata.name}`;
      expect(d.apiVersion, where).toBe('apps/v1');
      const match = d.spec.selector?.matchLabels as Record<string, string>;
      expect(Object.keys(match ?? {}).length, where).toBeGreaterThan(0);
      const labels = d.spec.template.metadata.labels as Record<string, string>;
      for (const [k, v] of Object.entries(match)) expect(labels[k], `${where} ${k}`).toBe(v);
      // reviews-v1 scales reviews v2 and v3 to 0 on purpose (nothing calls ratings there).
      if (!(name === 'reviews-v1' && /^reviews-v[23]$/.test(d.metadata.name))) expect(d.spec.replicas, where).toBeGreaterThanOrEqual(1);
      else expect(d.spec.replicas, where).toBe(0);
      for (const c of containers(d)) {
        expect(c.name, where).toMatch(/^[a-z0-9-]+$/);
        expect(c.image, where).toMatch(/^[\w./-]+:[\w.-]+$/);
      }
    }
  });

  test('every Service selects the pods of some Deployment in its namespace', () => {
    const deps = s.objects.filter((o) => o.kind === 'Deployment') as Any[];
    for (const svc of s.objects.filter((o) => o.kind === 'Service') as Any[]) {
      const sel = svc.spec.selector as Record<string, string>;
      const backed = deps.some((d) => d.metadata.namespace === svc.metadata.namespace
        && Object.entries(sel).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
      expect(backed, `${svc.metadata.namespace}/${svc.metadata.name}`).toBe(true);
      for (const p of svc.spec.ports) {
        expect(p.targetPort, `${svc.metadata.name} ${p.port}`).toBeDefined();
        expect(['TCP', 'UDP']).toContain(p.protocol);
      }
    }
  });

  test('every Istio custom resource has a CRD serving its group and version', () => {
    const crds = s.objects.filter((o) => o.kind === 'CustomResourceDefinition') as Any[];
    for (const cr of s.objects.filter((o) => o.apiVersion.includes('.istio.io/'))) {
      const [group, version] = cr.apiVersion.split('/');
      const crd = crds.find((c) => c.spec.group === group && c.spec.names.kind === cr.kind);
      expect(crd, `${cr.kind} ${cr.metadata.name}`).toBeDefined();
      expect(crd?.spec.versions.filter((v: Any) => v.served).map((v: Any) => v.name)).toContain(version);
    }
  });

  test('CRDs are apiextensions v1, namespaced, with one storage version and a permissive schema', () => {
    for (const crd of s.objects.filter((o) => o.kind === 'CustomResourceDefinition') as Any[]) {
      expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
      expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.${crd.spec.group}`);
      expect(crd.spec.scope).toBe('Namespaced');
      expect(crd.spec.names.listKind).toBe(`${crd.spec.names.kind}List`);
      expect(crd?.spec.versions.filter((v: Any) => v.storage)).toHaveLength(1);
      for (const v of crd.spec.versions) {
        expect(v.served).toBe(true);
        expect(v.schema.openAPIV3Schema['x-kubernetes-preserve-unknown-fields']).toBe(true);
      }
    }
  });

  test('brokenImages are pulled by a Deployment of this scenario', () => {
    const images = new Set(deploymentsIn(s, 'default').flatMap((d) => containers(d).map((c) => c.image)));
    for (const img of s.brokenImages ?? []) expect(images.has(img), img).toBe(true);
  });
});

describe('the port-15032 question: is there a Gateway listening on it?', () => {
  test.each(['ready', 'fresh', 'no-sidecar', 'not-ready', 'low-sampling'])('%s: yes, the pre-release tracing Gateway', (name) => {
    const s = scenario(name);
    expect(gatewayServerPorts(s.objects)).toContain(15032);
    const gw = find(s, 'Gateway', 'istio-system', 'istio-tracing-gateway');
    expect(gw.apiVersion).toBe('networking.istio.io/v1alpha3');
    expect(gw.spec.selector).toEqual({ istio: 'ingressgateway' });
    expect(gw.spec.servers[0].port).toEqual({ number: 15032, name: 'http2-tracing', protocol: 'HTTP2' });
    // ...selecting the ingress gateway pods...
    const podLabels = find(s, 'Deployment', 'istio-system', 'istio-ingressgateway').spec.template.metadata.labels;
    expect(podLabels.istio).toBe('ingressgateway');
    // ...with a route to Jaeger's query Service, which the gateway Service exposes.
    const vs = find(s, 'VirtualService', 'istio-system', 'tracing-virtual-service');
    expect(vs.spec.gateways).toEqual(['istio-tracing-gateway']);
    expect(vs.spec.http[0].route[0].destination).toEqual({ host: 'tracing.istio-system.svc.cluster.local', port: { number: 80 } });
    expect(ports(find(s, 'Service', 'istio-system', 'istio-ingressgateway'))).toContainEqual(['http2-tracing', 15032]);
    expect(containers(find(s, 'Deployment', 'istio-system', 'istio-ingressgateway'))[0].ports.map((p: Any) => p.containerPort)).toContain(15032);
  });

  test.each(['istio-1.0', 'istio-1.1', 'modern', 'no-tracing', 'empty'])('%s: no', (name) => {
    const s = scenario(name);
    expect(gatewayServerPorts(s.objects)).not.toContain(15032);
    expect(has(s, 'Gateway', 'istio-system', 'istio-tracing-gateway')).toBe(false);
  });

  test('every scenario with Bookinfo has its gateway on the era port', () => {
    expect(gatewayServerPorts(scenario('ready').objects)).toEqual(expect.arrayContaining([80, 15032]));
    expect(gatewayServerPorts(scenario('istio-1.0').objects)).toEqual([80]);
    expect(gatewayServerPorts(scenario('istio-1.1').objects)).toEqual([80]);
    expect(gatewayServerPorts(scenario('modern').objects)).toEqual([8080]);
    expect(gatewayServerPorts(scenario('fresh').objects)).toEqual([15032]);
  });
});

describe('istio-ingressgateway Service per era', () => {
  const svc = (name: string) => find(scenario(name), 'Service', 'istio-system', 'istio-ingressgateway');

  test('is a LoadBalancer selecting the gateway pods everywhere', () => {
    for (const name of ['ready', 'istio-1.0', 'istio-1.1', 'modern']) {
      const s = svc(name);
      expect(s.spec.type, name).toBe('LoadBalancer');
      expect(s.spec.selector, name).toMatchObject({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
      expect(s.metadata.labels, name).toMatchObject({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
      const dep = find(scenario(name), 'Deployment', 'istio-system', 'istio-ingressgateway');
      expect(dep.metadata.labels, name).toMatchObject({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
      // Every port the Service forwards to exists on the gateway container.
      const containerPorts = containers(dep)[0].ports.map((p: Any) => p.containerPort);
      for (const p of s.spec.ports) expect(containerPorts, `${name} ${p.name}`).toContain(p.targetPort);
    }
  });

  test('1.0 has no port 15032', () => {
    const s = svc('istio-1.0');
    expect(s.spec.ports.map((p: Any) => p.port)).not.toContain(15032);
    expect(ports(s)).toEqual([
      ['http2', 80], ['https', 443], ['tcp', 31400], ['tcp-pilot-grpc-tls', 15011], ['tcp-citadel-grpc-tls', 8060],
      ['tcp-dns-tls', 853], ['http2-prometheus', 15030], ['http2-grafana', 15031],
    ]);
    expect(portNamed(s, 'http2')).toMatchObject({ port: 80, targetPort: 80, nodePort: 31380 });
    expect(portNamed(s, 'https')).toMatchObject({ port: 443, nodePort: 31390 });
    expect(portNamed(s, 'tcp')).toMatchObject({ port: 31400, nodePort: 31400 });
  });

  test('1.1 exposes https-tracing 15032 and the 1.1 ports', () => {
    const s = svc('istio-1.1');
    expect(portNamed(s, 'https-tracing')).toMatchObject({ port: 15032, targetPort: 15032 });
    expect(ports(s).map(([n]) => n)).toEqual(['status-port', 'http2', 'https', 'tcp', 'https-kiali', 'https-prometheus', 'https-grafana', 'https-tracing', 'tls']);
    expect(portNamed(s, 'http2')).toMatchObject({ port: 80, targetPort: 80, nodePort: 31380 });
  });

  test('modern maps http2 80 to 8080 and has no 15032', () => {
    const s = svc('modern');
    expect(portNamed(s, 'http2')).toMatchObject({ port: 80, targetPort: 8080 });
    expect(typeof portNamed(s, 'http2')?.nodePort).toBe('number');
    expect(portNamed(s, 'status-port')).toMatchObject({ port: 15021, targetPort: 15021 });
    expect(s.spec.ports.map((p: Any) => p.port)).not.toContain(15032);
  });
});

describe('tracing objects per era', () => {
  test('1.0: istio-tracing with pod label app=jaeger, all-in-one 1.5, Jaeger at the root', () => {
    const s = scenario('istio-1.0');
    const dep = find(s, 'Deployment', 'istio-system', 'istio-tracing');
    expect(dep.metadata.labels.app).toBe('istio-tracing');
    expect(dep.spec.template.metadata.labels).toEqual({ app: 'jaeger' });
    const c = containers(dep)[0];
    expect(c.image).toBe('docker.io/jaegertracing/all-in-one:1.5');
    expect(c.ports.map((p: Any) => `${p.containerPort}/${p.protocol}`)).toEqual(['9411/TCP', '16686/TCP', '5775/UDP', '6831/UDP', '6832/UDP']);
    expect(envOf(c, 'COLLECTOR_ZIPKIN_HTTP_PORT')).toBe('9411');
    expect(envOf(c, 'QUERY_BASE_PATH')).toBeUndefined();
    expect(jaegerBasePath(s.objects)).toBe('');
  });

  test('1.1: all-in-one 1.9 with QUERY_BASE_PATH=/jaeger', () => {
    const s = scenario('istio-1.1');
    const dep = find(s, 'Deployment', 'istio-system', 'istio-tracing');
    expect(dep.metadata.labels.app).toBe('jaeger');
    expect(dep.spec.template.metadata.labels.app).toBe('jaeger');
    const c = containers(dep)[0];
    expect(c.image).toBe('docker.io/jaegertracing/all-in-one:1.9');
    expect(envOf(c, 'QUERY_BASE_PATH')).toBe('/jaeger');
    expect(envOf(c, 'COLLECTOR_ZIPKIN_HTTP_PORT')).toBe('9411');
    expect(jaegerBasePath(s.objects)).toBe('/jaeger');
  });

  test('ready: the 1.1 layout, but Jaeger without a base path so localhost:15032/ is the UI', () => {
    const s = scenario('ready');
    const c = containers(find(s, 'Deployment', 'istio-system', 'istio-tracing'))[0];
    expect(c.image).toBe('docker.io/jaegertracing/all-in-one:1.9');
    expect(envOf(c, 'QUERY_BASE_PATH')).toBeUndefined();
    expect(jaegerBasePath(s.objects)).toBe('');
  });

  test('modern: Deployment jaeger (Jaeger v2) at /jaeger', () => {
    const s = scenario('modern');
    const dep = find(s, 'Deployment', 'istio-system', 'jaeger');
    expect(dep.spec.template.metadata.labels.app).toBe('jaeger');
    expect(containers(dep)[0].image).toBe('docker.io/jaegertracing/jaeger:2.14.0');
    expect(containers(dep)[0].ports.map((p: Any) => p.containerPort)).toEqual(expect.arrayContaining([16686, 16685, 9411, 4317, 4318, 14268, 14250]));
    expect(jaegerBasePath(s.objects)).toBe('/jaeger');
    expect(has(s, 'Deployment', 'istio-system', 'istio-tracing')).toBe(false);
  });

  test.each(['istio-1.0', 'istio-1.1', 'ready'])('%s: tracing, zipkin, jaeger-query, jaeger-collector, jaeger-agent Services', (name) => {
    const s = scenario(name);
    const tracing = find(s, 'Service', 'istio-system', 'tracing');
    expect(tracing.spec.ports).toEqual([{ name: 'http-query', protocol: 'TCP', port: 80, targetPort: 16686 }]);
    expect(tracing.spec.selector).toEqual({ app: 'jaeger' });
    expect(ports(find(s, 'Service', 'istio-system', 'zipkin'))).toEqual([['http', 9411]]);
    expect(ports(find(s, 'Service', 'istio-system', 'jaeger-query'))).toEqual([['query-http', 16686]]);
    expect(ports(find(s, 'Service', 'istio-system', 'jaeger-collector'))).toEqual([['jaeger-collector-tchannel', 14267], ['jaeger-collector-http', 14268]]);
    const agent = find(s, 'Service', 'istio-system', 'jaeger-agent');
    expect(agent.spec.clusterIP).toBe('None');
    expect(agent.spec.ports.map((p: Any) => `${p.port}/${p.protocol}`)).toEqual(['5775/UDP', '6831/UDP', '6832/UDP']);
  });

  test('modern: tracing 80→16686 plus grpc-query, zipkin, jaeger-collector; no jaeger-query or jaeger-agent', () => {
    const s = scenario('modern');
    expect(find(s, 'Service', 'istio-system', 'tracing').spec.ports).toEqual([
      { name: 'http-query', protocol: 'TCP', port: 80, targetPort: 16686 },
      { name: 'grpc-query', protocol: 'TCP', port: 16685, targetPort: 16685 },
    ]);
    expect(ports(find(s, 'Service', 'istio-system', 'zipkin'))).toEqual([['http-query', 9411]]);
    expect(ports(find(s, 'Service', 'istio-system', 'jaeger-collector')).map(([, p]) => p)).toEqual([14268, 14250, 9411, 4317, 4318]);
    expect(has(s, 'Service', 'istio-system', 'jaeger-query')).toBe(false);
    expect(has(s, 'Service', 'istio-system', 'jaeger-agent')).toBe(false);
  });

  test('no-tracing: no Jaeger, no tracing Services, tracing off in the mesh config', () => {
    const s = scenario('no-tracing');
    for (const svc of ['tracing', 'zipkin', 'jaeger-query', 'jaeger-collector', 'jaeger-agent']) {
      expect(has(s, 'Service', 'istio-system', svc), svc).toBe(false);
    }
    expect(deploymentsIn(s, 'istio-system').some((d) => d.spec.template.metadata.labels.app === 'jaeger')).toBe(false);
    expect(jaegerBasePath(s.objects)).toBeNull();
    expect(meshConfig(s.objects)?.enableTracing).toBe(false);
    // Istio itself and Bookinfo are there.
    expect(has(s, 'Deployment', 'istio-system', 'istio-pilot')).toBe(true);
    expect(deploymentsIn(s, 'default').map((d) => d.metadata.name).sort()).toEqual([...BOOKINFO_DEPLOYMENTS].sort());
  });
});

describe('mesh config and sampling', () => {
  test('ConfigMap istio holds mesh YAML with tracing on and the era collector address', () => {
    const m10 = meshConfig(scenario('istio-1.0').objects) as Any;
    expect(m10.enableTracing).toBe(true);
    expect(m10.defaultConfig.zipkinAddress).toBe('zipkin.istio-system:9411');
    const m11 = meshConfig(scenario('istio-1.1').objects) as Any;
    expect(m11.enableTracing).toBe(true);
    expect(m11.defaultConfig.tracing.zipkin.address).toBe('zipkin.istio-system:9411');
    const mReady = meshConfig(scenario('ready').objects) as Any;
    expect(mReady.defaultConfig.tracing.zipkin.address).toBe('zipkin.istio-system:9411');
    const mModern = meshConfig(scenario('modern').objects) as Any;
    expect(mModern.enableTracing).toBe(true);
    expect(mModern.extensionProviders).toContainEqual({ name: 'jaeger', opentelemetry: { port: 4317, service: 'jaeger-collector.istio-system.svc.cluster.local' } });
    // the text is real YAML, not JSON in disguise
    const text = find(scenario('istio-1.1'), 'ConfigMap', 'istio-system', 'istio').data.mesh as string;
    expect(text).toMatch(/^enableTracing: true$/m);
    expect(parse(text)).toEqual(m11);
  });

  test('demo profile: Pilot samples 100%, low-sampling 1%', () => {
    const pilotSampling = (name: string) => envOf(containers(find(scenario(name), 'Deployment', 'istio-system', 'istio-pilot')).find((c) => c.name === 'discovery') ?? {}, 'PILOT_TRACE_SAMPLING');
    for (const name of ['ready', 'fresh', 'no-sidecar', 'not-ready', 'istio-1.0', 'istio-1.1']) {
      expect(pilotSampling(name), name).toBe('100');
      expect(traceSamplingPercent(scenario(name).objects), name).toBe(100);
    }
    expect(pilotSampling('low-sampling')).toBe('1');
    expect(traceSamplingPercent(scenario('low-sampling').objects)).toBe(1);
    expect(traceSamplingPercent(scenario('empty').objects)).toBeNull();
  });

  test('modern: a Telemetry resource selects Jaeger at 100%', () => {
    const s = scenario('modern');
    const t = find(s, 'Telemetry', 'istio-system', 'mesh-default');
    expect(t.apiVersion).toBe('telemetry.istio.io/v1');
    expect(t.spec.tracing).toEqual([{ providers: [{ name: 'jaeger' }], randomSamplingPercentage: 100 }]);
    expect(traceSamplingPercent(s.objects)).toBe(100);
  });
});

describe('control plane per era', () => {
  test('1.0 and 1.1 run istio-pilot, istio-policy and istio-telemetry; modern runs istiod', () => {
    for (const [name, tag] of [['istio-1.0', '1.0.9'], ['istio-1.1', '1.1.4'], ['ready', '1.1.4']] as const) {
      const s = scenario(name);
      for (const d of ['istio-pilot', 'istio-policy', 'istio-telemetry', 'istio-ingressgateway']) {
        const dep = find(s, 'Deployment', 'istio-system', d);
        expect(containers(dep).some((c) => c.image.endsWith(`:${tag}`)), `${name} ${d}`).toBe(true);
      }
      expect(find(s, 'Deployment', 'istio-system', 'istio-pilot').spec.template.metadata.labels).toMatchObject({ app: 'pilot', istio: 'pilot' });
      expect(has(s, 'Deployment', 'istio-system', 'istiod')).toBe(false);
      expect(find(s, 'Namespace', undefined, 'istio-system').metadata.labels['istio-injection']).toBe('disabled');
    }
    const modern = scenario('modern');
    const istiod = find(modern, 'Deployment', 'istio-system', 'istiod');
    expect(containers(istiod)[0].image).toBe('docker.io/istio/pilot:1.29.6');
    expect(istiod.spec.template.metadata.labels).toMatchObject({ app: 'istiod', istio: 'pilot' });
    for (const d of ['istio-pilot', 'istio-policy', 'istio-telemetry']) expect(has(modern, 'Deployment', 'istio-system', d), d).toBe(false);
    expect(containers(find(modern, 'Deployment', 'istio-system', 'istio-ingressgateway'))[0].image).toBe('docker.io/istio/proxyv2:1.29.6');
  });

  test('policy Service answers on 9091 for the Mixer Check spans of the 1.0/1.1 traces', () => {
    for (const name of ['istio-1.0', 'istio-1.1']) {
      const svc = find(scenario(name), 'Service', 'istio-system', 'istio-policy');
      expect(portNamed(svc, 'grpc-mixer')?.port, name).toBe(9091);
      expect(svc.spec.selector).toEqual({ istio: 'mixer', 'istio-mixer-type': 'policy' });
    }
  });

  test('1.0/1.1 objects carry the Helm release labels', () => {
    expect(find(scenario('istio-1.0'), 'Deployment', 'istio-system', 'istio-ingressgateway').metadata.labels).toMatchObject({ chart: 'gateways-1.0.6', release: 'istio', heritage: 'Tiller' });
    expect(find(scenario('istio-1.1'), 'Deployment', 'istio-system', 'istio-ingressgateway').metadata.labels).toMatchObject({ chart: 'gateways', release: 'istio', heritage: 'Tiller' });
  });
});

describe('sidecar injection label', () => {
  test.each(['ready', 'fresh', 'no-tracing', 'not-ready', 'low-sampling', 'istio-1.0', 'istio-1.1', 'modern'])('%s: default is labelled istio-injection=enabled', (name) => {
    expect(injectionEnabled(scenario(name).objects)).toBe(true);
    expect(find(scenario(name), 'Namespace', undefined, 'default').metadata.labels['istio-injection']).toBe('enabled');
  });

  test.each(['no-sidecar', 'empty'])('%s: default is not labelled', (name) => {
    expect(injectionEnabled(scenario(name).objects)).toBe(false);
    expect(find(scenario(name), 'Namespace', undefined, 'default').metadata.labels?.['istio-injection']).toBeUndefined();
  });
});

describe('Bookinfo presence', () => {
  test.each(['ready', 'no-tracing', 'no-sidecar', 'not-ready', 'low-sampling', 'istio-1.0', 'istio-1.1', 'modern'])('%s: Bookinfo and its gateway are deployed', (name) => {
    const s = scenario(name);
    expect(deploymentsIn(s, 'default').map((d) => d.metadata.name).sort()).toEqual([...BOOKINFO_DEPLOYMENTS].sort());
    for (const svc of ['details', 'ratings', 'reviews', 'productpage']) expect(ports(find(s, 'Service', 'default', svc))).toEqual([['http', 9080]]);
    expect(has(s, 'Gateway', 'default', 'bookinfo-gateway')).toBe(true);
    expect(has(s, 'VirtualService', 'default', 'bookinfo')).toBe(true);
  });

  test('fresh: Istio with tracing, but nothing in default', () => {
    const s = scenario('fresh');
    expect(s.objects.filter((o) => o.metadata.namespace === 'default')).toEqual([]);
    expect(has(s, 'Deployment', 'istio-system', 'istio-tracing')).toBe(true);
    expect(has(s, 'CustomResourceDefinition', undefined, 'gateways.networking.istio.io')).toBe(true);
  });

  test('empty: standard namespaces and cluster DNS only', () => {
    const s = scenario('empty');
    expect(s.era).toBeNull();
    expect(s.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
    expect(s.objects.some((o) => o.metadata.namespace === 'istio-system' || o.kind === 'CustomResourceDefinition' || o.apiVersion.includes('istio'))).toBe(false);
    expect(find(s, 'Service', 'kube-system', 'kube-dns').spec.selector).toEqual({ 'k8s-app': 'kube-dns' });
    expect(find(s, 'Deployment', 'kube-system', 'coredns').spec.template.metadata.labels).toEqual({ 'k8s-app': 'kube-dns' });
  });

  test('bookinfo gateway objects per era', () => {
    const [gw10, vs10] = bookinfoGatewayObjects('1.0') as Any[];
    expect(gw10.apiVersion).toBe('networking.istio.io/v1alpha3');
    expect(gw10.spec.servers[0].port.number).toBe(80);
    expect(vs10.spec.http[0].route[0].destination).toEqual({ host: 'productpage', port: { number: 9080 } });
    const [gwM, vsM] = bookinfoGatewayObjects('modern') as Any[];
    expect(gwM.apiVersion).toBe('networking.istio.io/v1');
    expect(vsM.apiVersion).toBe('networking.istio.io/v1');
    expect(gwM.spec.servers[0].port.number).toBe(8080);
    for (const o of [gw10, vs10, gwM, vsM]) expect(o.metadata.namespace).toBe('default');
  });
});

describe('not-ready', () => {
  test('reviews-v2 uses the one broken image; every other scenario pulls fine', () => {
    const s = scenario('not-ready');
    expect(s.brokenImages).toEqual([NOT_READY_BROKEN_IMAGE]);
    const users = deploymentsIn(s, 'default').filter((d) => containers(d).some((c) => c.image === NOT_READY_BROKEN_IMAGE));
    expect(users.map((d) => d.metadata.name)).toEqual(['reviews-v2']);
    expect(containers(find(scenario('ready'), 'Deployment', 'default', 'reviews-v2'))[0].image).not.toBe(NOT_READY_BROKEN_IMAGE);
    for (const name of SCENARIO_NAMES.filter((n) => n !== 'not-ready')) expect(scenario(name).brokenImages, name).toBeUndefined();
  });
});

describe('CRDs per era', () => {
  const crds = (name: string) => (scenario(name).objects.filter((o) => o.kind === 'CustomResourceDefinition') as Any[]);
  const byName = (name: string) => new Map<string, Any>(crds(name).map((c) => [c.metadata.name, c]));

  test('every Istio scenario installs the networking CRDs; empty installs none', () => {
    for (const name of SCENARIO_NAMES.filter((n) => n !== 'empty')) {
      const m = byName(name);
      for (const n of ['gateways', 'virtualservices', 'destinationrules', 'serviceentries']) expect(m.has(`${n}.networking.istio.io`), `${name} ${n}`).toBe(true);
    }
    expect(crds('empty')).toEqual([]);
  });

  test('shortNames gw, vs, dr from 1.1 on; the 1.0 CRDs had none', () => {
    for (const name of ['ready', 'istio-1.1', 'modern']) {
      const m = byName(name);
      expect(m.get('gateways.networking.istio.io')?.spec.names.shortNames).toEqual(['gw']);
      expect(m.get('virtualservices.networking.istio.io')?.spec.names.shortNames).toEqual(['vs']);
      expect(m.get('destinationrules.networking.istio.io')?.spec.names.shortNames).toEqual(['dr']);
    }
    for (const c of crds('istio-1.0')) expect(c.spec.names.shortNames).toBeUndefined();
  });

  test('versions: v1alpha3 in 1.0/1.1; v1alpha3 storage plus v1beta1 and v1 in modern; Telemetry only in modern', () => {
    const versions = (name: string, crd: string) => byName(name).get(crd)?.spec.versions.map((v: Any) => `${v.name}${v.storage ? '*' : ''}`);
    expect(versions('istio-1.0', 'gateways.networking.istio.io')).toEqual(['v1alpha3*']);
    expect(versions('istio-1.1', 'virtualservices.networking.istio.io')).toEqual(['v1alpha3*']);
    expect(versions('modern', 'gateways.networking.istio.io')).toEqual(['v1alpha3*', 'v1beta1', 'v1']);
    expect(versions('modern', 'telemetries.telemetry.istio.io')).toEqual(['v1alpha1*', 'v1']);
    expect(byName('istio-1.1').has('telemetries.telemetry.istio.io')).toBe(false);
    expect(byName('istio-1.0').has('sidecars.networking.istio.io')).toBe(false);
    expect(byName('istio-1.1').has('sidecars.networking.istio.io')).toBe(true);
  });
});
