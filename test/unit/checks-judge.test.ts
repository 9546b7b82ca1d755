import { describe, expect, test } from 'vitest';
import type { Check } from '../../src/lesson/types.js';
import { eventFact, podFact, type DeploymentFact, type NamespaceFact, type PodFact, type PodsFacts } from '../../src/checks/kube-facts.js';
import { containerPresentCheck } from '../../src/checks/kinds/container-present.js';
import { deploymentAvailableCheck } from '../../src/checks/kinds/deployment-available.js';
import { namespaceCheck } from '../../src/checks/kinds/namespace.js';
import { podsReadyCheck } from '../../src/checks/kinds/pods-ready.js';
import { resourceCheck } from '../../src/checks/kinds/resource.js';
import { serviceCheck } from '../../src/checks/kinds/service.js';
import { portClosedCheck, portOpenCheck } from '../../src/checks/kinds/ports.js';
import { httpCheck, type HttpFacts } from '../../src/checks/kinds/http.js';
import { jaegerTracesCheck, matchServices, otlpTraceIds, type JaegerFacts } from '../../src/checks/kinds/jaeger.js';
import { processCheck } from '../../src/checks/kinds/process.js';
import { quizCheck } from '../../src/checks/kinds/quiz.js';
import { commandCheck, type CommandFacts } from '../../src/checks/command.js';
import { evaluateCheck, interpolateCheck } from '../../src/checks/registry.js';
import { forbiddenMessage, toPlain } from '../../src/cluster/kube-client.js';
import type { CheckEnv } from '../../src/checks/types.js';

const source = { file: 'lesson.md', line: 7 };
/** A check as a lesson would declare it, title optional. */
type CheckInput = Check extends infer C ? (C extends Check ? Omit<C, 'title' | 'source'> & { title?: string } : never) : never;
function check<T extends CheckInput>(c: T): Extract<Check, { kind: T['kind'] }> {
  return { title: c.kind, source, ...c } as unknown as Extract<Check, { kind: T['kind'] }>;
}

const defaultNs: NamespaceFact = { name: 'default', exists: true, phase: 'Active', labels: { 'kubernetes.io/metadata.name': 'default', 'istio-injection': 'enabled' } };

function pod(over: Partial<PodFact> = {}): PodFact {
  return {
    name: 'productpage-v1-6b746f74dc-9stvs',
    phase: 'Running',
    ready: true,
    terminating: false,
    labels: { app: 'productpage', version: 'v1' },
    annotations: {},
    containers: ['productpage', 'istio-proxy'],
    statuses: [
      { name: 'productpage', ready: true, restartCount: 0, state: 'running' },
      { name: 'istio-proxy', ready: true, restartCount: 0, state: 'running' },
    ],
    conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }],
    ...over,
  };
}

const pullingPod = pod({
  name: 'reviews-v2-7bf8c9648f-2xq7k',
  phase: 'Pending',
  ready: false,
  labels: { app: 'reviews', version: 'v2' },
  containers: ['reviews', 'istio-proxy'],
  statuses: [
    { name: 'istio-init', init: true, ready: false, restartCount: 0, state: 'terminated', reason: 'Completed', exitCode: 0 },
    { name: 'reviews', image: 'istio/examples-bookinfo-reviews-v2:9.9', ready: false, restartCount: 0, state: 'waiting', reason: 'ImagePullBackOff', message: 'Back-off pulling image "istio/examples-bookinfo-reviews-v2:9.9"' },
    { name: 'istio-proxy', ready: true, restartCount: 0, state: 'running' },
  ],
  conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [reviews]' }],
});

const pullEvents = [
  { object: 'reviews-v2-7bf8c9648f-2xq7k', type: 'Warning', reason: 'Failed', message: 'Failed to pull image "istio/examples-bookinfo-reviews-v2:9.9": not found', count: 1, last: '2025-11-25T10:00:01Z' },
  { object: 'reviews-v2-7bf8c9648f-2xq7k', type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff', count: 4, last: '2025-11-25T10:00:09Z' },
  { object: 'reviews-v2-7bf8c9648f-2xq7k', type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff', count: 4, last: '2025-11-25T10:00:05Z' },
  { object: 'someone-else', type: 'Warning', reason: 'Failed', message: 'unrelated', count: 1, last: '2025-11-25T10:00:10Z' },
];

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}

describe('pods-ready', () => {
  const c = check({ kind: 'pods-ready', namespace: 'default', selector: 'app=productpage' });

  test('passes when every matching pod is Ready, and says how many', () => {
    expect(podsReadyCheck.judge(c, { namespace: defaultNs, pods: [pod()], events: [] })).toEqual({ ok: true, summary: '✓ 1 of 1 pods app=productpage Ready in default' });
  });

  test('a pod in ImagePullBackOff: the waiting reason and message, the image, and the newest distinct Warning events', () => {
    const r = podsReadyCheck.judge(
      check({ kind: 'pods-ready', namespace: 'default', selector: 'app=reviews', hint: 'check the image tag' }),
      deepFreeze({ namespace: defaultNs, pods: [pod({ name: 'reviews-v1-1', labels: { app: 'reviews' } }), pullingPod], events: pullEvents }),
    );
    expect(r).toEqual({
      ok: false,
      summary: '✗ 1 of 2 pods app=reviews Ready in default',
      expected: 'at least 1 pod matching app=reviews in default, all Ready',
      found: '1 of 2 Ready; not Ready: reviews-v2-7bf8c9648f-2xq7k (Pending: ImagePullBackOff)',
      diagnosis: [
        'reviews-v2-7bf8c9648f-2xq7k: phase Pending, not Ready',
        'reviews-v2-7bf8c9648f-2xq7k: container reviews waiting: ImagePullBackOff — Back-off pulling image "istio/examples-bookinfo-reviews-v2:9.9"',
        'reviews-v2-7bf8c9648f-2xq7k: the image "istio/examples-bookinfo-reviews-v2:9.9" cannot be pulled: check its name and tag',
        'reviews-v2-7bf8c9648f-2xq7k: event Failed (×4): Error: ImagePullBackOff',
        'reviews-v2-7bf8c9648f-2xq7k: event Failed: Failed to pull image "istio/examples-bookinfo-reviews-v2:9.9": not found',
      ],
      hint: 'check the image tag',
    });
  });

  test('a crashing container: restarts, last exit, and where to read its logs', () => {
    const crashing = pod({
      ready: false,
      statuses: [{ name: 'productpage', ready: false, restartCount: 5, state: 'waiting', reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container', lastTermination: { reason: 'OOMKilled', exitCode: 137 } }],
    });
    const r = podsReadyCheck.judge(c, { namespace: defaultNs, pods: [crashing], events: [] });
    expect(r.summary).toBe('✗ 0 of 1 pods app=productpage Ready in default');
    expect(r.diagnosis).toEqual([
      'productpage-v1-6b746f74dc-9stvs: phase Running, not Ready',
      'productpage-v1-6b746f74dc-9stvs: container productpage waiting: CrashLoopBackOff — back-off 2m40s restarting failed container',
      'productpage-v1-6b746f74dc-9stvs: it keeps crashing: read its logs with kubectl logs -n default productpage-v1-6b746f74dc-9stvs -c productpage --previous',
      'productpage-v1-6b746f74dc-9stvs: container productpage restarted 5 times; last exit: OOMKilled (exit code 137)',
    ]);
  });

  test('an unschedulable pod says why the scheduler refused it', () => {
    const p = pod({ phase: 'Pending', ready: false, statuses: [], conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' }] });
    expect(podsReadyCheck.judge(c, { namespace: defaultNs, pods: [p], events: [] }).diagnosis).toEqual([
      'productpage-v1-6b746f74dc-9stvs: not scheduled: Unschedulable — 0/1 nodes are available: 1 Insufficient cpu.',
    ]);
  });

  test('no matching pods: a missing namespace, or labels nobody carries', () => {
    const missing = podsReadyCheck.judge(check({ kind: 'pods-ready', namespace: 'bookinfo', selector: 'app=productpage' }), { namespace: { name: 'bookinfo', exists: false, labels: {} }, pods: [], events: [] });
    expect(missing).toMatchObject({ ok: false, summary: '✗ no pods app=productpage in bookinfo', found: 'no matching pods', diagnosis: ['namespace bookinfo does not exist'] });
    const none = podsReadyCheck.judge(c, { namespace: defaultNs, pods: [], events: [] });
    expect(none.diagnosis).toEqual(['no pod in namespace default has the labels app=productpage: is the workload deployed? (kubectl get pods -n default --show-labels)']);
  });

  test('terminating pods are left out of the count', () => {
    const facts: PodsFacts = { namespace: defaultNs, pods: [pod(), pod({ name: 'old', terminating: true, ready: false })], events: [] };
    expect(podsReadyCheck.judge(c, facts).summary).toBe('✓ 1 of 1 pods app=productpage Ready in default');
  });

  test('fewer pods than min fails even when all are Ready', () => {
    const r = podsReadyCheck.judge(check({ kind: 'pods-ready', namespace: 'default', selector: 'app=productpage', min: 2 }), { namespace: defaultNs, pods: [pod()], events: [] });
    expect(r).toMatchObject({ ok: false, summary: '✗ 1 of 1 pods app=productpage Ready in default (need at least 2)' });
    expect(r.diagnosis).toEqual(['only 1 pod matches app=productpage; at least 2 should: scale the deployment up (kubectl scale)']);
  });
});

describe('container-present', () => {
  const c = check({ kind: 'container-present', namespace: 'default', selector: 'app=productpage', container: 'istio-proxy' });
  const bare = pod({ containers: ['productpage'] });

  test('passes when every pod has the container', () => {
    expect(containerPresentCheck.judge(c, { namespace: defaultNs, pods: [pod()], events: [] }).summary).toBe('✓ 1 of 1 pods have container istio-proxy (app=productpage in default)');
  });

  test('a namespace without the injection label is named as the cause', () => {
    const r = containerPresentCheck.judge(c, { namespace: { ...defaultNs, labels: {} }, pods: [bare], events: [] });
    expect(r).toEqual({
      ok: false,
      summary: '✗ 0 of 1 pods have container istio-proxy (app=productpage in default)',
      expected: 'every pod matching app=productpage in default has a container istio-proxy',
      found: 'productpage-v1-6b746f74dc-9stvs has productpage',
      diagnosis: ['namespace default lacks the label istio-injection=enabled: label it (kubectl label namespace default istio-injection=enabled), then delete them so they are recreated with the sidecar (kubectl delete pod -n default -l app=productpage)'],
    });
  });

  test('with the label in place, the pods predate it and must be recreated', () => {
    const r = containerPresentCheck.judge(c, { namespace: defaultNs, pods: [bare], events: [] });
    expect(r.diagnosis).toEqual([
      'namespace default has istio-injection=enabled, so the pods were created before injection was enabled: delete them so they are recreated with the sidecar (kubectl delete pod -n default -l app=productpage)',
    ]);
  });

  test('istio-injection=disabled, a revision label, and a pod that opts out', () => {
    expect(containerPresentCheck.judge(c, { namespace: { ...defaultNs, labels: { 'istio-injection': 'disabled' } }, pods: [bare], events: [] }).diagnosis?.[0]).toMatch(/^namespace default has istio-injection=disabled: relabel it/);
    expect(containerPresentCheck.judge(c, { namespace: { ...defaultNs, labels: { 'istio.io/rev': 'canary' } }, pods: [bare], events: [] }).diagnosis?.[0]).toMatch(/^namespace default has istio\.io\/rev=canary, so the pods were created before/);
    const optOut = pod({ containers: ['productpage'], annotations: { 'sidecar.istio.io/inject': 'false' } });
    expect(containerPresentCheck.judge(c, { namespace: defaultNs, pods: [optOut], events: [] }).diagnosis).toEqual(['pod productpage-v1-6b746f74dc-9stvs opts out of injection with sidecar.istio.io/inject: "false"']);
  });

  test('a set-based selector is quoted in the command to run', () => {
    const r = containerPresentCheck.judge(check({ kind: 'container-present', namespace: 'default', selector: 'app in (productpage,details)', container: 'istio-proxy' }), { namespace: defaultNs, pods: [bare], events: [] });
    expect(r.diagnosis?.[0]).toMatch(/\(kubectl delete pod -n default -l 'app in \(productpage,details\)'\)$/);
  });

  test('other containers get no injection advice', () => {
    const r = containerPresentCheck.judge(check({ kind: 'container-present', namespace: 'default', selector: 'app=productpage', container: 'log-shipper' }), { namespace: defaultNs, pods: [pod()], events: [] });
    expect(r).toMatchObject({ ok: false, found: 'productpage-v1-6b746f74dc-9stvs has productpage, istio-proxy' });
    expect(r.diagnosis).toBeUndefined();
  });
});

describe('deployment-available, service, namespace, resource', () => {
  const dep = (over: Partial<DeploymentFact> = {}): DeploymentFact => ({
    name: 'reviews-v2',
    replicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    updatedReplicas: 1,
    matchLabels: { app: 'reviews', version: 'v2' },
    conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
    ...over,
  });

  test('an unavailable deployment shows its conditions and its pods', () => {
    const down = dep({ readyReplicas: 0, availableReplicas: 0, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] });
    const r = deploymentAvailableCheck.judge(check({ kind: 'deployment-available', namespace: 'default', name: 'reviews-v2' }), { deployments: [down], pods: [pullingPod, pod()], events: pullEvents, others: [] });
    expect(r.summary).toBe('✗ deployment reviews-v2 not Available in default (0/1 replicas available)');
    expect(r.diagnosis?.[0]).toBe('deployment reviews-v2: 0/1 ready, 1 up to date; Available=False MinimumReplicasUnavailable — Deployment does not have minimum availability.');
    expect(r.diagnosis?.[1]).toBe('reviews-v2-7bf8c9648f-2xq7k: phase Pending, not Ready');
    expect(r.diagnosis?.join('\n')).not.toMatch(/productpage-v1/);
    expect(deploymentAvailableCheck.judge(check({ kind: 'deployment-available', namespace: 'default', name: 'reviews-v2' }), { deployments: [dep()], pods: [], events: [], others: [] }).summary).toBe(
      '✓ deployment reviews-v2 Available in default (1/1 replicas available)',
    );
  });

  test('a missing deployment lists the ones that exist', () => {
    const r = deploymentAvailableCheck.judge(check({ kind: 'deployment-available', namespace: 'default', name: 'productpage' }), { deployments: [], pods: [], events: [], others: ['details-v1', 'productpage-v1'] });
    expect(r).toMatchObject({ ok: false, summary: '✗ deployment productpage not found in default', diagnosis: ['deployments in default: details-v1, productpage-v1'] });
  });

  test('service ports', () => {
    const svc = { name: 'istio-ingressgateway', type: 'LoadBalancer', ports: [{ name: 'http2', port: 80, targetPort: 80, nodePort: 31380 }, { name: 'https', port: 443, targetPort: 443, nodePort: 31390 }] };
    const c = check({ kind: 'service', namespace: 'istio-system', name: 'istio-ingressgateway', ports: [80, 15032] });
    expect(serviceCheck.judge(c, { service: svc, others: [] })).toMatchObject({
      ok: false,
      summary: '✗ service istio-ingressgateway in istio-system lacks port 15032',
      found: 'LoadBalancer with ports http2 80 (nodePort 31380), https 443 (nodePort 31390)',
    });
    expect(serviceCheck.judge({ ...c, ports: [80] }, { service: svc, others: [] }).summary).toBe('✓ service istio-ingressgateway in istio-system exposes 80');
    expect(serviceCheck.judge(c, { service: null, others: ['tracing', 'zipkin'] })).toMatchObject({ summary: '✗ service istio-ingressgateway not found in istio-system', diagnosis: ['services in istio-system: tracing, zipkin'] });
  });

  test('namespace labels and absence', () => {
    const c = check({ kind: 'namespace', name: 'default', labels: { 'istio-injection': 'enabled' } });
    expect(namespaceCheck.judge(c, { namespace: defaultNs }).summary).toBe('✓ namespace default exists with istio-injection=enabled');
    expect(namespaceCheck.judge(c, { namespace: { ...defaultNs, labels: {} } })).toMatchObject({
      ok: false,
      summary: '✗ namespace default lacks istio-injection=enabled',
      diagnosis: ['label istio-injection is not set: kubectl label namespace default istio-injection=enabled'],
    });
    const gone = check({ kind: 'namespace', name: 'istio-system', absent: true });
    expect(namespaceCheck.judge(gone, { namespace: { name: 'istio-system', exists: true, phase: 'Terminating', labels: {} } }).summary).toBe('✗ namespace istio-system still exists (Terminating)');
    expect(namespaceCheck.judge(gone, { namespace: { name: 'istio-system', exists: false, labels: {} } }).ok).toBe(true);
  });

  test('resource: a missing kind fails a presence check and satisfies an absence check', () => {
    const c = check({ kind: 'resource', apiVersion: 'networking.istio.io/v1alpha3', resourceKind: 'Gateway', namespace: 'default', name: 'bookinfo-gateway' });
    const kindMissing = 'the cluster has no Gateway kind (networking.istio.io/v1alpha3): is Istio installed?';
    expect(resourceCheck.judge(c, { kindMissing, objects: [], others: [] })).toMatchObject({ ok: false, summary: `✗ ${kindMissing}` });
    expect(resourceCheck.judge({ ...c, absent: true }, { kindMissing, objects: [], others: [] }).summary).toBe('✓ no Gateway bookinfo-gateway in default (the cluster has no Gateway kind)');
    expect(resourceCheck.judge({ ...c, absent: true }, { objects: [{ name: 'bookinfo-gateway', namespace: 'default' }], others: [] })).toMatchObject({
      summary: '✗ Gateway bookinfo-gateway still exists in default',
      diagnosis: ['delete it: kubectl delete gateway bookinfo-gateway -n default'],
    });
  });
});

describe('ports and http', () => {
  test('port-open and port-closed', () => {
    expect(portOpenCheck.judge(check({ kind: 'port-open', port: 15032 }), { port: 15032, state: 'open' }).summary).toBe('✓ something listens on 127.0.0.1:15032');
    expect(portOpenCheck.judge(check({ kind: 'port-open', port: 15032 }), { port: 15032, state: 'refused' })).toMatchObject({ ok: false, found: 'connection to 127.0.0.1:15032 refused: nothing listens there' });
    expect(portClosedCheck.judge(check({ kind: 'port-closed', port: 15032 }), { port: 15032, state: 'open' })).toMatchObject({ ok: false, summary: '✗ something still listens on 127.0.0.1:15032' });
    expect(portClosedCheck.judge(check({ kind: 'port-closed', port: 15032 }), { port: 15032, state: 'refused' }).ok).toBe(true);
  });

  const url = 'http://127.0.0.1:31380/productpage';
  const c = check({ kind: 'http', url, contains: 'Simple Bookstore App' });
  const response = (over: Partial<Extract<HttpFacts['outcome'], { kind: 'response' }>>): HttpFacts => ({
    url,
    outcome: { kind: 'response', status: 200, statusText: 'OK', contentType: 'text/html', body: '<html><title>Simple Bookstore App</title></html>', truncated: false, ...over },
  });

  test('status and body', () => {
    expect(httpCheck.judge(c, response({})).summary).toBe(`✓ GET ${url} answered 200 OK containing "Simple Bookstore App"`);
    expect(httpCheck.judge(c, response({ status: 503, statusText: 'Service Unavailable', server: 'envoy', body: 'no healthy upstream' }))).toMatchObject({
      ok: false,
      summary: `✗ GET ${url} answered 503 Service Unavailable, not 200`,
      diagnosis: ['the gateway has no healthy backend for this route: are the pods behind it Ready?', 'the body was "no healthy upstream"'],
    });
    expect(httpCheck.judge(c, response({ body: '<title>Jaeger UI</title>' }))).toMatchObject({ ok: false, found: '200 OK, a page titled "Jaeger UI"' });
  });

  test('no answer', () => {
    expect(httpCheck.judge(c, { url, outcome: { kind: 'error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:31380' } })).toMatchObject({
      summary: `✗ GET ${url}: connection to 127.0.0.1:31380 refused`,
    });
    expect(httpCheck.judge(c, { url, outcome: { kind: 'error', code: 'timeout', message: '' } }).summary).toBe(`✗ GET ${url}: no answer from 127.0.0.1:31380 within 3 s`);
    expect(httpCheck.judge(c, { url, outcome: { kind: 'error', code: 'UND_ERR_SOCKET', message: 'other side closed' } })).toMatchObject({
      summary: `✗ GET ${url}: 127.0.0.1:31380 closed the connection without an answer`,
      diagnosis: ['something accepts connections at 127.0.0.1:31380 but hangs up: is the pod (or gateway) behind it Ready, and does it serve this port and path?'],
    });
  });
});

describe('jaeger-traces', () => {
  const c = check({ kind: 'jaeger-traces', url: 'http://localhost:15032', service: 'productpage', min: 2 });
  const base: JaegerFacts = {
    url: 'http://localhost:15032',
    probes: [{ url: 'http://localhost:15032/api/services', result: 'api', status: 200 }],
    api: { root: 'http://localhost:15032/api', flavour: 'v1' },
    services: ['istio-ingressgateway', 'productpage.default', 'reviews.default'],
    matched: ['productpage.default'],
    since: Date.UTC(2025, 10, 25, 10, 0, 0) * 1000,
    limit: 20,
    traces: 3,
  };

  test('service names of every era stand for the service', () => {
    expect(matchServices('productpage', ['productpage.default', 'productpage.default.svc', 'productpage-v2'])).toEqual(['productpage.default']);
    expect(matchServices('productpage', ['productpage', 'istio-policy'])).toEqual(['productpage']);
    expect(matchServices('productpage.default', ['productpage'])).toEqual(['productpage']);
  });

  test('enough traces since the lesson started', () => {
    expect(jaegerTracesCheck.judge(c, base)).toEqual({ ok: true, summary: '✓ 3 traces for productpage.default in Jaeger since the lesson started (10:00:00 UTC)' });
  });

  test('too few, with older ones', () => {
    const r = jaegerTracesCheck.judge(c, { ...base, traces: 0, olderTraces: 5 });
    expect(r.summary).toBe('✗ 0 of 2 traces for productpage.default in Jaeger since the lesson started (10:00:00 UTC)');
    expect(r.diagnosis?.[0]).toBe('Jaeger has 5 older traces for productpage.default, from before the lesson started: send new requests');
  });

  test('the service is unknown: no traffic, missing sidecars, or low sampling', () => {
    const r = jaegerTracesCheck.judge(c, { ...base, services: ['istio-ingressgateway', 'istio-policy'], matched: [], traces: undefined });
    expect(r.summary).toBe('✗ Jaeger knows no service productpage');
    expect(r.found).toBe('services in Jaeger: istio-ingressgateway, istio-policy');
    expect(r.diagnosis).toHaveLength(4);
    expect(r.diagnosis![0]).toMatch(/the ingress gateway reports spans but productpage does not/);
    expect(r.diagnosis!.slice(1).map((d) => d.split(':')[0])).toEqual(['no traffic yet', 'sidecars missing', 'sampling low']);
  });

  test('nothing listening, and HTML where the API should be', () => {
    const refused = jaegerTracesCheck.judge(c, { url: c.url, probes: [{ url: 'http://localhost:15032/api/services', result: 'error', code: 'ECONNREFUSED', message: '' }], matched: [], limit: 20 });
    expect(refused.summary).toBe('✗ no Jaeger at http://localhost:15032: connection to localhost:15032 refused');
    expect(refused.diagnosis?.[1]).toMatch(/^start the port-forward to Jaeger/);
    const html = jaegerTracesCheck.judge(c, {
      url: c.url,
      probes: [
        { url: 'http://localhost:15032/api/services', result: 'html', status: 200 },
        { url: 'http://localhost:15032/jaeger/api/services', result: 'html', status: 200 },
        { url: 'http://localhost:15032/api/v3/services', result: 'html', status: 200 },
      ],
      matched: [],
      limit: 20,
    });
    expect(html.summary).toBe('✗ http://localhost:15032 serves a web page, not the Jaeger query API');
    expect(html.diagnosis?.[0]).toMatch(/Jaeger UI answers unknown paths with its HTML page/);
  });

  test('trace ids from OTLP answers of the v3 API', () => {
    const span = (traceId: string) => ({ traceId, spanId: '1', name: 'x' });
    const doc = (ids: string[]) => JSON.stringify({ result: { resourceSpans: [{ resource: {}, scopeSpans: [{ spans: ids.map(span) }] }] } });
    expect(otlpTraceIds(doc(['a', 'a', 'b']))).toEqual(['a', 'b']);
    expect(otlpTraceIds(`${doc(['a'])}\n${doc(['c'])}`)).toEqual(['a', 'c']);
  });
});

describe('process, quiz, command', () => {
  test('process', () => {
    const running = check({ kind: 'process', name: 'jaeger-forward', state: 'running' });
    expect(processCheck.judge(running, { state: 'running' }).summary).toBe('✓ jaeger-forward is running');
    expect(processCheck.judge(running, { state: 'unknown' }).summary).toBe('✗ jaeger-forward has not been started');
    expect(processCheck.judge(running, { state: 'stopped' }).summary).toBe('✗ jaeger-forward is not running');
    expect(processCheck.judge({ ...running, state: 'stopped' }, { state: 'running' }).summary).toBe('✗ jaeger-forward is still running');
  });

  test('a wrong quiz answer does not give the right one away', () => {
    const q = check({ kind: 'quiz', question: 'Which port does Jaeger query listen on?', options: ['9411', '16686'], answer: 1 });
    const r = quizCheck.judge(q, { choice: 0 });
    expect(r).toMatchObject({ ok: false, summary: '✗ "9411" is not the answer to: Which port does Jaeger query listen on?', expected: 'the right option' });
    expect(JSON.stringify(r)).not.toMatch(/16686/);
    expect(quizCheck.judge(q, { choice: 1 }).summary).toBe('✓ right: 16686');
  });

  test('command', () => {
    const c = check({ kind: 'command', run: 'istioctl version' });
    const f = (over: Partial<CommandFacts>): CommandFacts => ({ run: c.run, exitCode: 0, signal: null, timedOut: false, timeoutMs: 20_000, cancelled: false, durationMs: 5, output: '', ...over });
    expect(commandCheck.judge(c, f({})).summary).toBe('✓ `istioctl version` exited 0');
    expect(commandCheck.judge(c, f({ exitCode: 127, output: 'bash: line 1: istioctl: command not found\n' }))).toMatchObject({
      summary: '✗ `istioctl version` exited 127',
      found: 'bash: line 1: istioctl: command not found',
      diagnosis: ['exit code 127: a command in it was not found; is the tool installed and on PATH?'],
    });
    expect(commandCheck.judge(c, f({ exitCode: null, signal: 'SIGTERM', timedOut: true })).summary).toBe('✗ `istioctl version` did not finish within 20 s');
  });
});

describe('facts from objects, and the registry', () => {
  test('podFact counts native sidecars as containers and reads statuses', () => {
    const p = podFact({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { app: 'x' } },
      spec: { initContainers: [{ name: 'istio-proxy', image: 'proxyv2', restartPolicy: 'Always' }, { name: 'istio-init', image: 'proxyv2' }], containers: [{ name: 'x', image: 'x:1' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'x', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }],
      },
    });
    expect(p.containers).toEqual(['x', 'istio-proxy']);
    expect(p.ready).toBe(true);
    expect(p.statuses).toEqual([{ name: 'x', image: 'x:1', ready: true, restartCount: 2, state: 'running', lastTermination: { reason: 'Error', exitCode: 1 } }]);
  });

  test('eventFact takes the newest timestamp the event has', () => {
    expect(eventFact({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { name: 'p' }, type: 'Warning', reason: 'BackOff', message: 'm', count: 3, firstTimestamp: '2025-01-01T00:00:00Z', lastTimestamp: '2025-01-01T00:05:00Z' })).toEqual({
      object: 'p',
      type: 'Warning',
      reason: 'BackOff',
      message: 'm',
      count: 3,
      last: '2025-01-01T00:05:00Z',
    });
  });

  test('forbidden messages from the API server become a request to ask for', () => {
    const intent = { verb: 'list', kind: 'Pod', namespace: 'istio-system' };
    expect(forbiddenMessage('pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "istio-system"', intent)).toBe(
      'RBAC refused: cannot list pods in namespace istio-system (ask for the "list" verb on "pods" for user "x")',
    );
    expect(forbiddenMessage('gateways.networking.istio.io is forbidden: User "x" cannot list resource "gateways" in API group "networking.istio.io" at the cluster scope', intent)).toBe(
      'RBAC refused: cannot list gateways at cluster scope (ask for the "list" verb on "gateways" in API group "networking.istio.io" for user "x")',
    );
  });

  test('toPlain turns client-node models back into JSON', () => {
    class Model {
      creationTimestamp = new Date('2025-11-25T10:00:00Z');
      _from = [{ a: 1 }];
      skipped = undefined;
    }
    expect(toPlain({ items: [new Model()] })).toEqual({ items: [{ creationTimestamp: '2025-11-25T10:00:00Z', from: [{ a: 1 }] }] });
  });

  test('interpolation fills parameters from vars, then the environment, and leaves command text to bash', () => {
    const env = { vars: { GATEWAY_URL: '127.0.0.1:31380' }, env: { HOME: '/home/l', GATEWAY_URL: 'ignored' } };
    const { check: http, unresolved } = interpolateCheck(check({ kind: 'http', url: 'http://${GATEWAY_URL}/productpage?u=${HOME}&x=${NOPE}' }), env);
    expect(http).toMatchObject({ url: 'http://127.0.0.1:31380/productpage?u=/home/l&x=${NOPE}' });
    expect(unresolved).toEqual(['NOPE']);
    const { check: cmd } = interpolateCheck(check({ kind: 'command', run: 'curl ${GATEWAY_URL}' }), env);
    expect(cmd).toMatchObject({ run: 'curl ${GATEWAY_URL}' });
  });

  test('evaluateCheck never throws: a failing gather becomes a failed result', async () => {
    const env: CheckEnv = {
      cluster: null,
      vars: {},
      lessonStartMicros: 0,
      processState: () => {
        throw new Error('supervisor gone\nsecond line');
      },
      quizAnswer: () => undefined,
      cwd: '/',
      env: {},
    };
    const r = await evaluateCheck(check({ kind: 'process', name: 'pf', state: 'running', title: 'port-forward runs', hint: 'start it' }), env);
    expect(r).toEqual({ ok: false, summary: '✗ port-forward runs: supervisor gone', diagnosis: ['second line'], hint: 'start it' });
  });
});
