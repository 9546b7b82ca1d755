/**
 * Modern Istio (1.22+, images of 1.29.6): istiod, the demo profile's
 * gateways, the samples/addons/jaeger.yaml of 1.29.6 (Jaeger v2 2.14.0 with
 * `base_path: /jaeger`), the mesh config and Telemetry resource from
 * istio.io's Jaeger task.
 *
 * Era facts that matter to the lesson:
 * - the gateway Service maps 80 → 8080 (`http2`), so Gateways listen on 8080;
 *   there is no 15032 anywhere;
 * - Jaeger is Deployment `jaeger` (pod `app: jaeger`), reached through
 *   Service `tracing` 80 → 16686, API under `/jaeger/api`;
 * - sampling comes from the Telemetry API (`randomSamplingPercentage`);
 *   tracing is sent over OpenTelemetry to `jaeger-collector:4317`.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import {
  configMap, customResource, deployment, env, fieldEnv, namespace, service, serviceAccount, tcpPorts,
  type Labels,
} from './build.js';
import { samplingEnv, type IstioInstallOptions } from './install.js';

const NS = 'istio-system';
const HUB = 'docker.io/istio';
const TAG = '1.29.6';
const JAEGER_IMAGE = 'docker.io/jaegertracing/jaeger:2.14.0';

/** The operator labels every istioctl-installed object carries. */
const operator = (component: string): Labels => ({
  'install.operator.istio.io/owning-resource': 'unknown',
  'istio.io/rev': 'default',
  'operator.istio.io/component': component,
  release: 'istio',
});

function meshConfig(o: IstioInstallOptions): string {
  return stringify({
    accessLogFile: '/dev/stdout',
    defaultConfig: {
      discoveryAddress: 'istiod.istio-system.svc:15012',
      // The Jaeger task turns the legacy per-proxy tracing options off and
      // selects the provider through the Telemetry API instead.
      tracing: {},
    },
    defaultProviders: { metrics: ['prometheus'] },
    enablePrometheusMerge: true,
    enableTracing: o.enableTracing,
    extensionProviders: [
      { name: 'jaeger', opentelemetry: { port: 4317, service: 'jaeger-collector.istio-system.svc.cluster.local' } },
    ],
    rootNamespace: 'istio-system',
    trustDomain: 'cluster.local',
  });
}

/** Jaeger v2's own configuration, the facts of the 1.29.6 addon's ConfigMap. */
function jaegerConfig(): string {
  const grpc = (port: number) => ({ endpoint: `0.0.0.0:${port}` });
  return stringify({
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: { traces: { receivers: ['otlp', 'jaeger', 'zipkin'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
    },
    extensions: {
      jaeger_query: { base_path: '/jaeger', storage: { traces: 'badger_storage' } },
      jaeger_storage: { backends: { badger_storage: { badger: { ephemeral: false, directories: { keys: '/badger/key', values: '/badger/data/' } } } } },
      healthcheckv2: { use_v2: true, http: grpc(13133) },
    },
    receivers: {
      otlp: { protocols: { grpc: grpc(4317), http: grpc(4318) } },
      jaeger: { protocols: { grpc: grpc(14250), thrift_http: grpc(14268) } },
      zipkin: grpc(9411),
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'badger_storage' } },
  });
}

function gateway(name: 'istio-ingressgateway' | 'istio-egressgateway', o: { ports: Array<{ name: string; port: number; targetPort: number; nodePort?: number }>; loadBalancer: boolean }): KubeObject[] {
  const sel = name === 'istio-ingressgateway'
    ? { app: 'istio-ingressgateway', istio: 'ingressgateway' }
    : { app: 'istio-egressgateway', istio: 'egressgateway' };
  const component = name === 'istio-ingressgateway' ? 'IngressGateways' : 'EgressGateways';
  const labels: Labels = { ...sel, ...operator(component), 'app.kubernetes.io/name': name, 'istio.io/dataplane-mode': 'none' };
  return [
    serviceAccount(NS, `${name}-service-account`, { ...sel, ...operator(component) }),
    service(NS, name, {
      labels: { ...sel, ...operator(component), 'app.kubernetes.io/name': name },
      type: o.loadBalancer ? 'LoadBalancer' : 'ClusterIP',
      selector: sel,
      ports: o.ports,
    }),
    deployment(NS, name, {
      labels,
      selector: sel,
      podLabels: {
        ...sel,
        chart: 'gateways',
        heritage: 'Tiller',
        release: 'istio',
        'service.istio.io/canonical-name': name,
        'service.istio.io/canonical-revision': 'latest',
        'istio.io/rev': 'default',
        'install.operator.istio.io/owning-resource': 'unknown',
        'operator.istio.io/component': component,
        'sidecar.istio.io/inject': 'false',
        'app.kubernetes.io/name': name,
        'istio.io/dataplane-mode': 'none',
      },
      podAnnotations: {
        'istio.io/rev': 'default',
        'prometheus.io/port': '15020',
        'prometheus.io/scrape': 'true',
        'prometheus.io/path': '/stats/prometheus',
        'sidecar.istio.io/inject': 'false',
      },
      serviceAccountName: `${name}-service-account`,
      containers: [{
        name: 'istio-proxy',
        image: `${HUB}/proxyv2:${TAG}`,
        ports: [...tcpPorts(...o.ports.map((p) => p.targetPort)), { containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
        args: ['proxy', 'router', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
        readinessProbe: {
          failureThreshold: 30,
          httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' },
          initialDelaySeconds: 1, periodSeconds: 2, successThreshold: 1, timeoutSeconds: 1,
        },
        env: [
          env('PILOT_CERT_PROVIDER', 'istiod'),
          env('CA_ADDR', 'istiod.istio-system.svc:15012'),
          fieldEnv('NODE_NAME', 'spec.nodeName'),
          fieldEnv('POD_NAME', 'metadata.name'),
          fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
          fieldEnv('INSTANCE_IP', 'status.podIP'),
          fieldEnv('HOST_IP', 'status.hostIP'),
          fieldEnv('SERVICE_ACCOUNT', 'spec.serviceAccountName', null),
          env('ISTIO_META_WORKLOAD_NAME', name),
          env('ISTIO_META_OWNER', `kubernetes://apis/apps/v1/namespaces/istio-system/deployments/${name}`),
          env('ISTIO_META_MESH_ID', 'cluster.local'),
          env('TRUST_DOMAIN', 'cluster.local'),
          env('ISTIO_META_UNPRIVILEGED_POD', 'true'),
          env('ISTIO_META_CLUSTER_ID', 'Kubernetes'),
        ],
      }],
    }),
  ];
}

function tracing(): KubeObject[] {
  const jaeger = { app: 'jaeger' };
  return [
    configMap(NS, 'jaeger', { 'config.yaml': jaegerConfig() }, jaeger),
    deployment(NS, 'jaeger', {
      labels: jaeger,
      selector: jaeger,
      podLabels: { app: 'jaeger', 'sidecar.istio.io/inject': 'false' },
      podAnnotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8888' },
      containers: [{
        name: 'jaeger',
        image: JAEGER_IMAGE,
        args: ['--config', '/jaeger-configuration/config.yaml'],
        // The addon manifest declares no container ports; these are the
        // listeners its configuration opens, declared so port-forwards and
        // Service targetPorts resolve by number.
        ports: [
          { containerPort: 16686, name: 'http-query' },
          { containerPort: 16685, name: 'grpc-query' },
          { containerPort: 4317, name: 'grpc-otel' },
          { containerPort: 4318, name: 'http-otel' },
          { containerPort: 14250, name: 'grpc-collector' },
          { containerPort: 14268, name: 'http-collector' },
          { containerPort: 9411, name: 'http-zipkin' },
          { containerPort: 13133, name: 'http-health' },
        ],
        livenessProbe: { httpGet: { path: '/status', port: 13133 } },
        readinessProbe: { httpGet: { path: '/status', port: 13133 } },
        volumeMounts: [{ name: 'data', mountPath: '/badger' }, { name: 'jaeger-configuration', mountPath: '/jaeger-configuration' }],
        resources: { requests: { cpu: '10m' } },
      }],
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'jaeger-configuration', configMap: { name: 'jaeger' } }],
    }),
    service(NS, 'tracing', {
      labels: jaeger,
      selector: jaeger,
      ports: [{ name: 'http-query', port: 80, targetPort: 16686 }, { name: 'grpc-query', port: 16685 }],
    }),
    service(NS, 'zipkin', { labels: { name: 'zipkin' }, selector: jaeger, ports: [{ name: 'http-query', port: 9411 }] }),
    service(NS, 'jaeger-collector', {
      labels: jaeger,
      selector: jaeger,
      ports: [
        { name: 'jaeger-collector-http', port: 14268 },
        { name: 'jaeger-collector-grpc', port: 14250 },
        { name: 'http-zipkin', port: 9411 },
        { name: 'grpc-otel', port: 4317 },
        { name: 'http-otel', port: 4318 },
      ],
    }),
  ];
}

/**
 * Everything a modern demo-profile install plus the Jaeger addon and the
 * Jaeger task's configuration put in istio-system.
 *
 * NodePorts are allocated at random by a real API server; they are fixed here
 * so every run of the sandbox shows the same numbers.
 */
export function istioModernObjects(o: IstioInstallOptions): KubeObject[] {
  const istiod = { app: 'istiod', istio: 'pilot' };
  const objects: KubeObject[] = [
    namespace(NS),
    configMap(NS, 'istio', { mesh: meshConfig(o), meshNetworks: 'networks: {}' }, operator('Pilot')),
    serviceAccount(NS, 'istiod', { app: 'istiod', release: 'istio' }),
    service(NS, 'istiod', {
      labels: { ...operator('Pilot'), ...istiod },
      selector: istiod,
      ports: [
        { name: 'grpc-xds', port: 15010 },
        { name: 'https-dns', port: 15012 },
        { name: 'https-webhook', port: 443, targetPort: 15017 },
        { name: 'http-monitoring', port: 15014 },
      ],
    }),
    deployment(NS, 'istiod', {
      labels: { ...istiod, ...operator('Pilot') },
      selector: { istio: 'pilot' },
      podLabels: {
        app: 'istiod',
        'istio.io/rev': 'default',
        'install.operator.istio.io/owning-resource': 'unknown',
        'sidecar.istio.io/inject': 'false',
        'operator.istio.io/component': 'Pilot',
        istio: 'pilot',
        'istio.io/dataplane-mode': 'none',
      },
      podAnnotations: { 'prometheus.io/port': '15014', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' },
      serviceAccountName: 'istiod',
      containers: [{
        name: 'discovery',
        image: `${HUB}/pilot:${TAG}`,
        args: ['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--keepaliveMaxServerConnectionAge', '30m'],
        ports: [
          { containerPort: 8080, name: 'http-debug' },
          { containerPort: 15010, name: 'grpc-xds' },
          { containerPort: 15012, name: 'tls-xds' },
          { containerPort: 15017, name: 'https-webhooks' },
          { containerPort: 15014, name: 'http-monitoring' },
        ],
        readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 1, periodSeconds: 3, timeoutSeconds: 5 },
        env: [
          env('REVISION', 'default'),
          env('PILOT_CERT_PROVIDER', 'istiod'),
          fieldEnv('POD_NAME', 'metadata.name'),
          fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
          fieldEnv('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
          env('KUBECONFIG', '/var/run/secrets/remote/config'),
          env('PILOT_TRACE_SAMPLING', samplingEnv(o.samplingPercent)),
          env('ISTIOD_ADDR', 'istiod.istio-system.svc:15012'),
          env('CLUSTER_ID', 'Kubernetes'),
        ],
      }],
    }),
    ...gateway('istio-ingressgateway', {
      loadBalancer: true,
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021, nodePort: 30521 },
        { name: 'http2', port: 80, targetPort: 8080, nodePort: 30080 },
        { name: 'https', port: 443, targetPort: 8443, nodePort: 30443 },
        { name: 'tcp', port: 31400, targetPort: 31400, nodePort: 31400 },
        { name: 'tls', port: 15443, targetPort: 15443, nodePort: 30543 },
      ],
    }),
    ...gateway('istio-egressgateway', {
      loadBalancer: false,
      ports: [
        { name: 'http2', port: 80, targetPort: 8080 },
        { name: 'https', port: 443, targetPort: 8443 },
      ],
    }),
  ];
  if (o.tracing) {
    objects.push(...tracing());
    objects.push(customResource('telemetry.istio.io/v1', 'Telemetry', NS, 'mesh-default', {
      tracing: [{ providers: [{ name: 'jaeger' }], randomSamplingPercentage: o.samplingPercent }],
    }));
  }
  return objects;
}
