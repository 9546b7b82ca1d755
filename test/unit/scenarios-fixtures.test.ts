/**
 * The scenario objects against the real manifests they were written from
 * (copies in test/fixtures/istio/, see test/fixtures/SOURCES.txt).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { bookinfoGatewayObjects, bookinfoObjects, getScenario } from '../../src/sandbox/scenarios/index.js';
import type { IstioEra, KubeObject } from '../../src/kube/types.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIXTURES = fileURLToPath(new URL('../fixtures/istio/', import.meta.url));

/** Every object in a multi-document manifest, `kind: List` items flattened. */
function loadManifest(path: string, substitutions: Record<string, string> = {}): Any[] {
  let text = readFileSync(FIXTURES + path, 'utf8');
  for (const [from, to] of Object.entries(substitutions)) text = text.split(from).join(to);
  const out: Any[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
    const o = doc.toJSON() as Any | null;
    if (!o) continue;
    if (o.kind === 'List') out.push(...o.items);
    else out.push(o);
  }
  return out;
}

function pick(objects: Any[], kind: string, name: string): Any {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`fixture has no ${kind} ${name}`);
  return o;
}

function scenarioObjects(name: string): KubeObject[] {
  const s = getScenario(name);
  if (!s) throw new Error(name);
  return s.objects;
}

const kindNames = (objects: Any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
/** A Service port as the API server would default it. */
const svcPort = (p: Any) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP', ...(p.nodePort ? { nodePort: p.nodePort } : {}) });
const ctrPort = (p: Any) => ({ containerPort: p.containerPort, protocol: p.protocol ?? 'TCP', ...(p.name ? { name: p.name } : {}) });
const containersOf = (d: Any): Any[] => d.spec.template.spec.containers;
/** Literal env values (downward-API entries compared by name only). */
const envMap = (c: Any) => Object.fromEntries((c.env ?? []).map((e: Any) => [e.name, e.value ?? `<from ${Object.keys(e.valueFrom ?? {})[0]}>`]));

const BOOKINFO: Record<IstioEra, { app: string; gateway: string }> = {
  '1.0': { app: 'istio-1.0.6/bookinfo.yaml', gateway: 'istio-1.0.6/bookinfo-gateway.yaml' },
  '1.1': { app: 'istio-1.1.7/bookinfo.yaml', gateway: 'istio-1.1.7/bookinfo-gateway.yaml' },
  modern: { app: 'modern/istio-1.29.6-bookinfo.yaml', gateway: 'modern/istio-1.29.6-bookinfo-gateway.yaml' },
};

describe.each(['1.0', '1.1', 'modern'] as const)('bookinfoObjects(%s) matches the sample', (era) => {
  const real = loadManifest(BOOKINFO[era].app);
  const ours = bookinfoObjects(era) as Any[];

  test('same Services, ServiceAccounts and Deployments, all in default', () => {
    expect(kindNames(ours)).toEqual(kindNames(real));
    for (const o of ours) expect(o.metadata.namespace).toBe('default');
  });

  test('same Service labels, selectors and ports', () => {
    for (const r of real.filter((o) => o.kind === 'Service')) {
      const o = pick(ours, 'Service', r.metadata.name);
      expect(o.metadata.labels, r.metadata.name).toEqual(r.metadata.labels);
      expect(o.spec.selector, r.metadata.name).toEqual(r.spec.selector);
      expect(o.spec.ports, r.metadata.name).toEqual(r.spec.ports.map(svcPort));
    }
  });

  test('same ServiceAccounts', () => {
    for (const r of real.filter((o) => o.kind === 'ServiceAccount')) {
      expect(pick(ours, 'ServiceAccount', r.metadata.name).metadata.labels).toEqual(r.metadata.labels);
    }
  });

  test('same Deployment labels, pod labels, images, ports and env', () => {
    for (const r of real.filter((o) => o.kind === 'Deployment')) {
      const name = r.metadata.name;
      const o = pick(ours, 'Deployment', name);
      expect(o.metadata.labels, name).toEqual(r.metadata.labels);
      expect(o.spec.replicas, name).toBe(r.spec.replicas);
      expect(o.spec.template.metadata.labels, name).toEqual(r.spec.template.metadata.labels);
      // extensions/v1beta1 defaulted the selector to the template labels
      expect(o.spec.selector, name).toEqual(r.spec.selector ?? { matchLabels: r.spec.template.metadata.labels });
      expect(o.spec.template.metadata.annotations, name).toEqual(r.spec.template.metadata.annotations);
      expect(o.spec.template.spec.serviceAccountName, name).toBe(r.spec.template.spec.serviceAccountName);
      expect(o.spec.template.spec.volumes, name).toEqual(r.spec.template.spec.volumes);
      const [oc, rc] = [containersOf(o), containersOf(r)];
      expect(oc.map((c) => c.name), name).toEqual(rc.map((c) => c.name));
      oc.forEach((c, i) => {
        expect(c.image, name).toBe(rc[i].image);
        expect(c.imagePullPolicy, name).toBe(rc[i].imagePullPolicy);
        expect(c.ports, name).toEqual(rc[i].ports.map(ctrPort));
        expect(c.env, name).toEqual(rc[i].env);
        expect(c.volumeMounts, name).toEqual(rc[i].volumeMounts);
      });
    }
  });

  test('bookinfoGatewayObjects has the sample Gateway and VirtualService', () => {
    const realGw = loadManifest(BOOKINFO[era].gateway);
    const gw = bookinfoGatewayObjects(era) as Any[];
    expect(kindNames(gw)).toEqual(kindNames(realGw));
    for (const r of realGw) {
      const o = pick(gw, r.kind, r.metadata.name);
      expect(o.apiVersion).toBe(r.apiVersion);
      expect(o.spec).toEqual(r.spec);
      expect(o.metadata.namespace).toBe('default');
    }
  });
});

/** Service ports, Deployment pods and mesh config of the 1.0.9 / 1.1.4 demo installs. */
describe.each([
  ['istio-1.0', 'istio-1.0.9-demo-tracing-parts.yaml'],
  ['istio-1.1', 'istio-1.1.4-demo-tracing-parts.yaml'],
])('%s matches the released istio-demo.yaml', (scenarioName, fixture) => {
  const real = loadManifest(fixture);
  const ours = scenarioObjects(scenarioName) as Any[];

  test('istio-ingressgateway Service: type, labels, selector and every port', () => {
    const r = pick(real, 'Service', 'istio-ingressgateway');
    const o = pick(ours, 'Service', 'istio-ingressgateway');
    expect(o.spec.type).toBe(r.spec.type);
    expect(o.metadata.labels).toEqual(r.metadata.labels);
    expect(o.spec.selector).toEqual(r.spec.selector);
    expect(o.spec.ports).toEqual(r.spec.ports.map(svcPort));
  });

  test('istio-ingressgateway Deployment: labels, pod labels, image and container ports', () => {
    const r = pick(real, 'Deployment', 'istio-ingressgateway');
    const o = pick(ours, 'Deployment', 'istio-ingressgateway');
    expect(o.metadata.labels).toEqual(r.metadata.labels);
    expect(o.spec.template.metadata.labels).toEqual(r.spec.template.metadata.labels);
    expect(o.spec.template.metadata.annotations).toEqual(r.spec.template.metadata.annotations);
    expect(o.spec.template.spec.serviceAccountName).toBe(r.spec.template.spec.serviceAccountName);
    expect(containersOf(o)[0].image).toBe(containersOf(r)[0].image);
    expect(containersOf(o)[0].ports).toEqual(containersOf(r)[0].ports.map(ctrPort));
    expect(containersOf(o)[0].args).toEqual(containersOf(r)[0].args);
    expect(envMap(containersOf(o)[0])).toEqual(envMap(containersOf(r)[0]));
  });

  test('istio-pilot Deployment: labels, images, ports and env (PILOT_TRACE_SAMPLING)', () => {
    const r = pick(real, 'Deployment', 'istio-pilot');
    const o = pick(ours, 'Deployment', 'istio-pilot');
    expect(o.metadata.labels).toEqual(r.metadata.labels);
    expect(o.spec.template.metadata.labels).toEqual(r.spec.template.metadata.labels);
    if (r.spec.selector) expect(o.spec.selector).toEqual(r.spec.selector);
    expect(containersOf(o).map((c) => c.name)).toEqual(containersOf(r).map((c) => c.name));
    containersOf(o).forEach((c, i) => {
      const rc = containersOf(r)[i];
      expect(c.image).toBe(rc.image);
      expect(c.args).toEqual(rc.args);
      expect(c.ports).toEqual(rc.ports.map(ctrPort));
      expect(envMap(c)).toEqual(envMap(rc));
    });
    expect(envMap(containersOf(o)[0]).PILOT_TRACE_SAMPLING).toBe('100');
  });

  test('istio-tracing Deployment: labels, pod labels, image, ports and env', () => {
    const r = pick(real, 'Deployment', 'istio-tracing');
    const o = pick(ours, 'Deployment', 'istio-tracing');
    expect(o.metadata.labels).toEqual(r.metadata.labels);
    expect(o.spec.template.metadata.labels).toEqual(r.spec.template.metadata.labels);
    expect(o.spec.template.metadata.annotations).toEqual(r.spec.template.metadata.annotations);
    const [oc, rc] = [containersOf(o)[0], containersOf(r)[0]];
    expect(oc.image).toBe(rc.image);
    expect(oc.ports).toEqual(rc.ports.map(ctrPort));
    expect(envMap(oc)).toEqual(envMap(rc));
    expect(oc.readinessProbe).toEqual(rc.readinessProbe);
  });

  test('tracing Services: labels, selectors and ports (Service types as the upstream chart renders them)', () => {
    for (const name of ['jaeger-query', 'jaeger-collector', 'jaeger-agent', 'zipkin', 'tracing']) {
      const r = pick(real, 'Service', name);
      const o = pick(ours, 'Service', name);
      expect(o.metadata.labels, name).toEqual(r.metadata.labels);
      expect(o.spec.selector, name).toEqual(r.spec.selector);
      expect(o.spec.clusterIP, name).toBe(r.spec.clusterIP);
      // The 1.1.4 tarball this copy comes from made `tracing` a NodePort (31553);
      // the upstream chart (istio-1.1.7/helm-tracing-service.yaml) sets no type.
      const { nodePort: _ignored, ...port } = svcPort(r.spec.ports[0]);
      expect(o.spec.ports[0], name).toEqual(port);
      expect(o.spec.ports.map((p: Any) => p.port), name).toEqual(r.spec.ports.map((p: Any) => p.port));
    }
  });

  test('ConfigMap istio: every mesh setting we write has the released value', () => {
    const r = pick(real, 'ConfigMap', 'istio');
    const o = pick(ours, 'ConfigMap', 'istio');
    expect(o.metadata.labels).toEqual(r.metadata.labels);
    // YAML `key:` with no value parses as null; we write the empty string.
    const blankAsEmpty = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x) => (x === null ? '' : x)));
    const released = blankAsEmpty(parse(r.data.mesh)) as Any;
    const ourMesh = parse(o.data.mesh) as Any;
    expect(released).toMatchObject(ourMesh);
    expect(ourMesh.enableTracing).toBe(true);
    if (r.data.meshNetworks) expect(parse(o.data.meshNetworks)).toEqual(parse(r.data.meshNetworks));
  });
});

describe('ready matches the pre-release tracing chart (1.1.0-snapshot.3 gateway.yaml)', () => {
  const real = loadManifest('istio-1.1-prerelease/helm-tracing-gateway-http2-1.1.0-snapshot.3.yaml', {
    '{{ .Release.Namespace }}': 'istio-system',
    '{{ .Values.gatewayName }}': 'ingressgateway',
  });
  const ours = scenarioObjects('ready') as Any[];

  test.each([
    ['Gateway', 'istio-tracing-gateway'],
    ['DestinationRule', 'tracing'],
    ['VirtualService', 'tracing-virtual-service'],
  ])('%s %s', (kind, name) => {
    const r = pick(real, kind, name);
    const o = pick(ours, kind, name);
    expect(o.apiVersion).toBe(r.apiVersion);
    expect(o.metadata.namespace).toBe(r.metadata.namespace);
    expect(o.spec).toEqual(r.spec);
  });
});

describe('modern matches samples/addons/jaeger.yaml of 1.29.6', () => {
  const real = loadManifest('modern/istio-1.29.6-samples-addons-jaeger.yaml');
  const ours = scenarioObjects('modern') as Any[];

  test('Deployment jaeger: labels, selector, pod labels, image, args, probes, volumes', () => {
    const r = pick(real, 'Deployment', 'jaeger');
    const o = pick(ours, 'Deployment', 'jaeger');
    expect(o.metadata.namespace).toBe(r.metadata.namespace);
    expect(o.metadata.labels).toEqual(r.metadata.labels);
    expect(o.spec.selector).toEqual(r.spec.selector);
    expect(o.spec.template.metadata).toEqual(r.spec.template.metadata);
    expect(o.spec.template.spec.volumes).toEqual(r.spec.template.spec.volumes);
    const [oc, rc] = [containersOf(o)[0], containersOf(r)[0]];
    for (const key of ['name', 'image', 'args', 'livenessProbe', 'readinessProbe', 'volumeMounts', 'resources']) {
      expect(oc[key], key).toEqual(rc[key]);
    }
  });

  test('Services tracing, zipkin, jaeger-collector: labels, selectors, ports', () => {
    for (const name of ['tracing', 'zipkin', 'jaeger-collector']) {
      const r = pick(real, 'Service', name);
      const o = pick(ours, 'Service', name);
      expect(o.metadata.labels, name).toEqual(r.metadata.labels);
      expect(o.spec.selector, name).toEqual(r.spec.selector);
      expect(o.spec.ports, name).toEqual(r.spec.ports.map(svcPort));
    }
  });

  test('ConfigMap jaeger: same base path and receiver endpoints', () => {
    const r = parse(pick(real, 'ConfigMap', 'jaeger').data['config.yaml']) as Any;
    const o = parse(pick(ours, 'ConfigMap', 'jaeger').data['config.yaml']) as Any;
    expect(o.extensions.jaeger_query.base_path).toBe(r.extensions.jaeger_query.base_path);
    expect(o.extensions.jaeger_query.base_path).toBe('/jaeger');
    expect(o.receivers.otlp).toEqual(r.receivers.otlp);
    expect(o.receivers.zipkin).toEqual(r.receivers.zipkin);
    expect(o.receivers.jaeger.protocols.grpc).toEqual(r.receivers.jaeger.protocols.grpc);
    expect(o.service.pipelines).toEqual(r.service.pipelines);
  });
});
