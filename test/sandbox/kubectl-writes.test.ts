import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { kubectl, startFastSandbox, eventually } from '../helpers/sandbox.js';

const fixture = (p: string) => join(import.meta.dirname, '..', 'fixtures', 'istio', p);
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The Istio CRDs serve the versions of their era: 1.x's v1alpha3, modern's v1alpha3/v1beta1/v1.
describe.each([
  ['default', 'fresh', 'istio-1.1.7/bookinfo.yaml', 'istio-1.1.7/bookinfo-gateway.yaml'],
  ['1.29', 'fresh', 'istio-1.0.6/bookinfo.yaml', 'istio-1.0.6/bookinfo-gateway.yaml'],
  ['1.29', 'modern', 'modern/istio-1.29.6-bookinfo.yaml', 'modern/istio-1.29.6-bookinfo-gateway.yaml'],
  ['1.33', 'istio-1.0', 'istio-1.0.6/bookinfo.yaml', 'istio-1.0.6/bookinfo-gateway.yaml'],
  ['1.27', 'istio-1.1', 'istio-1.1.7/bookinfo.yaml', 'istio-1.1.7/bookinfo-gateway.yaml'],
])('kubectl %s on the %s sandbox applies Bookinfo (%s)', (v, scenario, bookinfo, gateway) => {
  const version = v === 'default' ? undefined : v;
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario });
    if (scenario !== 'fresh') {
      // This world ships with Bookinfo: take it away first so the apply creates it.
      const d = await kubectl(sb, ['delete', '-f', fixture(bookinfo), '-f', fixture(gateway)], { version });
      expect(d.code).toBe(0);
    }
  });
  afterAll(() => sb?.stop());

  test('apply creates every object, and pods get the istio-proxy sidecar', async () => {
    const r = await kubectl(sb, ['apply', '-f', fixture(bookinfo)], { version });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/service\/productpage created/);
    expect(r.stdout).toMatch(/deployment\.(apps|extensions)\/reviews-v3 created/);
    const again = await kubectl(sb, ['apply', '-f', fixture(bookinfo)], { version });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/deployment\.(apps|extensions)\/reviews-v3 unchanged/);
    const pods = await eventually(() => sb.objects('', 'pods', 'default').filter((p) => p.metadata.labels?.app === 'productpage'), 5000);
    expect(((pods[0].spec as Any).containers as Any[]).map((c) => c.name)).toContain('istio-proxy');
  });

  test('kubectl wait sees productpage become Ready', async () => {
    const r = await kubectl(sb, ['wait', '--for=condition=Ready', 'pod', '-l', 'app=productpage', '--timeout=30s'], { version });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pod\/productpage-v1-\S+ condition met/);
  });

  test('the gateway and virtual service apply, and /productpage answers through the node port', async () => {
    const r = await kubectl(sb, ['apply', '-f', fixture(gateway)], { version });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/gateway\.networking\.istio\.io\/bookinfo-gateway created/);
    // GATEWAY_URL the way Istio's docs compute it when there is no load balancer.
    const port = await kubectl(sb, ['-n', 'istio-system', 'get', 'service', 'istio-ingressgateway', '-o', 'jsonpath={.spec.ports[?(@.name=="http2")].nodePort}'], { version });
    const host = await kubectl(sb, ['-n', 'istio-system', 'get', 'pod', '-l', 'istio=ingressgateway', '-o', 'jsonpath={.items[0].status.hostIP}'], { version });
    expect(host.stdout).toBe('127.0.0.1');
    expect(Number(port.stdout)).toBe(sb.gatewayPort);
    await eventually(async () => {
      const res = await fetch(`http://${host.stdout}:${port.stdout}/productpage`);
      return res.status === 200 && /<title>Simple Bookstore App<\/title>/.test(await res.text());
    }, 10_000, 'productpage through the gateway');
  });

  test('label namespace and delete -f', async () => {
    const l = await kubectl(sb, ['label', 'namespace', 'default', 'team=learners', '--overwrite'], { version });
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/namespace\/default labeled/);
    expect(sb.objects('', 'namespaces').find((n) => n.metadata.name === 'default')!.metadata.labels).toMatchObject({ team: 'learners', 'istio-injection': 'enabled' });
    const d = await kubectl(sb, ['delete', '-f', fixture(bookinfo)], { version });
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/deployment\.(apps|extensions) "productpage-v1" deleted/);
    await eventually(() => sb.objects('', 'pods', 'default').length === 0 && sb.objects('apps', 'replicasets', 'default').length === 0, 5000, 'cascading delete');
  });
});

// Each on a bare cluster of its era's Kubernetes (1.0: 1.11, 1.1: 1.14): their Deployments are extensions/v1beta1.
describe.each([['istio-1.0.9-demo.yaml', '1.11'], ['istio-1.1.4-demo.yaml', '1.14']])('released Istio manifests: %s on Kubernetes %s', (file, kubernetes) => {
  let sb: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'empty', kubernetes });
    dir = mkdtempSync(join(tmpdir(), 'kubetutor-raw-'));
  });
  afterAll(() => sb?.stop());

  test('applies cleanly with the real kubectl (CRDs first, as the release notes say)', async () => {
    const docs = YAML.parseAllDocuments(readFileSync(fixture(`raw/${file}`), 'utf8')).map((d) => d.toJSON()).filter(Boolean);
    const crds = join(dir, `crds-${file}`);
    writeFileSync(crds, docs.filter((d: Any) => d.kind === 'CustomResourceDefinition').map((d) => YAML.stringify(d)).join('---\n'));
    const c = await kubectl(sb, ['apply', '-f', crds]);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    const r = await kubectl(sb, ['apply', '-f', fixture(`raw/${file}`)], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deployment\.extensions\/istio-pilot (created|configured|unchanged)/);
    expect(r.stdout).toMatch(/destinationrule\.networking\.istio\.io\/istio-policy (created|configured|unchanged)/);
    await eventually(() => sb.objects('', 'pods', 'istio-system').some((p) => p.metadata.labels?.istio === 'pilot' && (p.status as Any).phase === 'Running'), 10_000, 'pilot running');
  }, 180_000);
});

test('on a current Kubernetes the same manifest is refused as a real one would be: extensions/v1beta1 is gone', async () => {
  const sb = await startFastSandbox({ scenario: 'empty' });
  try {
    const docs = YAML.parseAllDocuments(readFileSync(fixture('istio-1.1.7/bookinfo.yaml'), 'utf8')).map((d) => d.toJSON()).filter((d: Any) => d?.kind === 'Deployment');
    const r = await kubectl(sb, ['apply', '-f', '-'], { input: docs.map((d) => YAML.stringify(d)).join('---\n') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no matches for kind "Deployment" in version "extensions\/v1beta1"/);
  } finally {
    await sb.stop();
  }
});
