/**
 * Istio 1.0.x as the 1.0.9 release's `install/kubernetes/istio-demo.yaml`
 * renders it (charts versioned 1.0.6, images `docker.io/istio/*:1.0.9`,
 * Jaeger all-in-one 1.5).
 *
 * Era facts that matter to the lesson:
 * - the `istio-ingressgateway` Service has no port 15032;
 * - the Jaeger pod is labelled `app: jaeger` although its Deployment
 *   (`istio-tracing`) is labelled `app: istio-tracing`;
 * - Jaeger serves at the root (`/api/...`), no QUERY_BASE_PATH;
 * - the mesh config names the collector as `defaultConfig.zipkinAddress`.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import {
  configMap, customResource, deployment, env, fieldEnv, namespace, service, serviceAccount, tcpPorts, tillerLabels,
  type ContainerSpec, type Labels,
} from './build.js';
import { samplingEnv, type IstioInstallOptions } from './install.js';

const NS = 'istio-system';
const HUB = 'docker.io/istio';
const TAG = '1.0.9';
/** The 1.0.9 tarball still rendered charts versioned 1.0.6. */
const chart = (name: string): string => `${name}-1.0.6`;
const tiller = (name: string): Labels => tillerLabels(chart(name));

const POD_ANNOTATIONS = { 'sidecar.istio.io/inject': 'false', 'scheduler.alpha.kubernetes.io/critical-pod': '' };

const podEnv = () => [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_NAMESPACE', 'metadata.namespace')];
const proxyEnv = () => [...podEnv(), fieldEnv('INSTANCE_IP', 'status.podIP')];

function meshConfig(o: IstioInstallOptions): string {
  return stringify({
    disablePolicyChecks: false,
    enableTracing: o.enableTracing,
    accessLogFile: '/dev/stdout',
    mixerCheckServer: 'istio-policy.istio-system.svc.cluster.local:9091',
    mixerReportServer: 'istio-telemetry.istio-system.svc.cluster.local:9091',
    policyCheckFailOpen: false,
    sdsUdsPath: '',
    sdsRefreshDelay: '15s',
    defaultConfig: {
      connectTimeout: '10s',
      configPath: '/etc/istio/proxy',
      binaryPath: '/usr/local/bin/envoy',
      serviceCluster: 'istio-proxy',
      drainDuration: '45s',
      parentShutdownDuration: '1m0s',
      proxyAdminPort: 15000,
      concurrency: 0,
      zipkinAddress: 'zipkin.istio-system:9411',
      controlPlaneAuthPolicy: 'NONE',
      discoveryAddress: 'istio-pilot.istio-system:15007',
    },
  });
}

function gatewayProxy(cluster: string, ports: number[]): ContainerSpec {
  return {
    name: 'istio-proxy',
    image: `${HUB}/proxyv2:${TAG}`,
    imagePullPolicy: 'IfNotPresent',
    ports: [...tcpPorts(...ports), { containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
    args: [
      'proxy', 'router', '-v', '2', '--discoveryRefreshDelay', '1s', '--drainDuration', '45s',
      '--parentShutdownDuration', '1m0s', '--connectTimeout', '10s', '--serviceCluster', cluster,
      '--zipkinAddress', 'zipkin:9411', '--proxyAdminPort', '15000', '--controlPlaneAuthPolicy', 'NONE',
      '--discoveryAddress', 'istio-pilot:8080',
    ],
    env: [...proxyEnv(), fieldEnv('ISTIO_META_POD_NAME', 'metadata.name', null)],
  };
}

function mixer(kind: 'policy' | 'telemetry'): KubeObject[] {
  const name = `istio-${kind}`;
  const pod = { app: kind, istio: 'mixer', 'istio-mixer-type': kind };
  const args = [
    '--address', 'unix:///sock/mixer.socket', '--configStoreURL=k8s://', '--configDefaultNamespace=istio-system',
    '--trace_zipkin_url=http://zipkin:9411/api/v1/spans',
  ];
  if (kind === 'policy') args.push('--numCheckCacheEntries=0');
  const ports = [
    { name: 'grpc-mixer', port: 9091 },
    { name: 'grpc-mixer-mtls', port: 15004 },
    { name: 'http-monitoring', port: 9093 },
  ];
  if (kind === 'telemetry') ports.push({ name: 'prometheus', port: 42422 });
  const labels = { chart: chart('mixer'), release: 'istio', istio: 'mixer' };
  return [
    service(NS, name, { labels, selector: { istio: 'mixer', 'istio-mixer-type': kind }, ports }),
    deployment(NS, name, {
      labels,
      podLabels: pod,
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-mixer-service-account',
      containers: [
        {
          name: 'mixer', image: `${HUB}/mixer:${TAG}`, imagePullPolicy: 'IfNotPresent',
          ports: tcpPorts(9093, 42422), args, env: [env('GODEBUG', 'gctrace=2')],
        },
        {
          name: 'istio-proxy', image: `${HUB}/proxyv2:${TAG}`, imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
          args: ['proxy', '--serviceCluster', name, '--templateFile', `/etc/istio/proxy/envoy_${kind}.yaml.tmpl`, '--controlPlaneAuthPolicy', 'NONE'],
          env: proxyEnv(),
        },
      ],
    }),
    customResource('networking.istio.io/v1alpha3', 'DestinationRule', NS, name, {
      host: `${name}.istio-system.svc.cluster.local`,
      trafficPolicy: { connectionPool: { http: { http2MaxRequests: 10000, maxRequestsPerConnection: 10000 } } },
    }),
  ];
}

/** The tracing addon: Deployment `istio-tracing` and its five Services. */
function tracing(): KubeObject[] {
  const labels = tiller('tracing');
  const jaeger = { app: 'jaeger' };
  return [
    deployment(NS, 'istio-tracing', {
      labels: { app: 'istio-tracing', ...labels },
      podLabels: jaeger,
      podAnnotations: POD_ANNOTATIONS,
      containers: [{
        name: 'jaeger',
        image: 'docker.io/jaegertracing/all-in-one:1.5',
        imagePullPolicy: 'IfNotPresent',
        ports: [
          ...tcpPorts(9411, 16686),
          { containerPort: 5775, protocol: 'UDP' },
          { containerPort: 6831, protocol: 'UDP' },
          { containerPort: 6832, protocol: 'UDP' },
        ],
        env: [fieldEnv('POD_NAMESPACE', 'metadata.namespace'), env('COLLECTOR_ZIPKIN_HTTP_PORT', '9411'), env('MEMORY_MAX_TRACES', '50000')],
        livenessProbe: { httpGet: { path: '/', port: 16686 } },
        readinessProbe: { httpGet: { path: '/', port: 16686 } },
      }],
    }),
    service(NS, 'jaeger-query', {
      labels: { app: 'jaeger', 'jaeger-infra': 'jaeger-service', ...labels },
      selector: jaeger,
      ports: [{ name: 'query-http', port: 16686 }],
    }),
    service(NS, 'jaeger-collector', {
      labels: { app: 'jaeger', 'jaeger-infra': 'collector-service', ...labels },
      selector: jaeger,
      ports: [{ name: 'jaeger-collector-tchannel', port: 14267 }, { name: 'jaeger-collector-http', port: 14268 }],
    }),
    service(NS, 'jaeger-agent', {
      labels: { app: 'jaeger', 'jaeger-infra': 'agent-service', ...labels },
      clusterIP: 'None',
      selector: jaeger,
      ports: [
        { name: 'agent-zipkin-thrift', port: 5775, protocol: 'UDP' },
        { name: 'agent-compact', port: 6831, protocol: 'UDP' },
        { name: 'agent-binary', port: 6832, protocol: 'UDP' },
      ],
    }),
    service(NS, 'zipkin', { labels: { app: 'jaeger', ...labels }, selector: jaeger, ports: [{ name: 'http', port: 9411 }] }),
    service(NS, 'tracing', { labels: { app: 'jaeger', ...labels }, selector: jaeger, ports: [{ name: 'http-query', port: 80, targetPort: 16686 }] }),
  ];
}

/** Everything the 1.0.9 demo install puts in istio-system that the lesson can meet. */
export function istio10Objects(o: IstioInstallOptions): KubeObject[] {
  const ingress = { app: 'istio-ingressgateway', istio: 'ingressgateway' };
  const egress = { app: 'istio-egressgateway', istio: 'egressgateway' };
  const objects: KubeObject[] = [
    namespace(NS, { 'istio-injection': 'disabled' }),
    configMap(NS, 'istio', { mesh: meshConfig(o) }, { app: 'istio', ...tiller('istio') }),

    serviceAccount(NS, 'istio-pilot-service-account', { app: 'istio-pilot', ...tiller('pilot') }),
    serviceAccount(NS, 'istio-mixer-service-account', { app: 'mixer', ...tiller('mixer') }),
    serviceAccount(NS, 'istio-ingressgateway-service-account', { app: 'ingressgateway', ...tiller('gateways') }),
    serviceAccount(NS, 'istio-egressgateway-service-account', { app: 'egressgateway', ...tiller('gateways') }),
    serviceAccount(NS, 'istio-citadel-service-account', { app: 'security', ...tiller('security') }),
    serviceAccount(NS, 'istio-sidecar-injector-service-account', { app: 'istio-sidecar-injector', ...tiller('sidecarInjectorWebhook') }),
    serviceAccount(NS, 'istio-galley-service-account', { app: 'istio-galley', ...tiller('galley') }),
    serviceAccount(NS, 'prometheus'),

    // Pilot
    service(NS, 'istio-pilot', {
      labels: { app: 'istio-pilot', ...tiller('pilot') },
      selector: { istio: 'pilot' },
      ports: [
        { name: 'grpc-xds', port: 15010 },
        { name: 'https-xds', port: 15011 },
        { name: 'http-legacy-discovery', port: 8080 },
        { name: 'http-monitoring', port: 9093 },
      ],
    }),
    deployment(NS, 'istio-pilot', {
      labels: { app: 'istio-pilot', ...tiller('pilot'), istio: 'pilot' },
      podLabels: { istio: 'pilot', app: 'pilot' },
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-pilot-service-account',
      containers: [
        {
          name: 'discovery', image: `${HUB}/pilot:${TAG}`, imagePullPolicy: 'IfNotPresent',
          args: ['discovery'],
          ports: tcpPorts(8080, 15010),
          readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 5, periodSeconds: 30, timeoutSeconds: 5 },
          env: [
            ...podEnv(),
            env('PILOT_CACHE_SQUASH', '5'),
            env('GODEBUG', 'gctrace=2'),
            env('PILOT_PUSH_THROTTLE_COUNT', '100'),
            env('PILOT_TRACE_SAMPLING', samplingEnv(o.samplingPercent)),
          ],
        },
        {
          name: 'istio-proxy', image: `${HUB}/proxyv2:${TAG}`, imagePullPolicy: 'IfNotPresent',
          ports: tcpPorts(15003, 15005, 15007, 15011),
          args: ['proxy', '--serviceCluster', 'istio-pilot', '--templateFile', '/etc/istio/proxy/envoy_pilot.yaml.tmpl', '--controlPlaneAuthPolicy', 'NONE'],
          env: proxyEnv(),
        },
      ],
    }),

    // Mixer (istio-policy answers the Check calls that show up in traces)
    ...mixer('policy'),
    ...mixer('telemetry'),

    // Gateways
    service(NS, 'istio-ingressgateway', {
      labels: { ...tiller('gateways'), ...ingress },
      type: 'LoadBalancer',
      selector: ingress,
      ports: [
        { name: 'http2', port: 80, targetPort: 80, nodePort: 31380 },
        { name: 'https', port: 443, nodePort: 31390 },
        { name: 'tcp', port: 31400, nodePort: 31400 },
        { name: 'tcp-pilot-grpc-tls', port: 15011 },
        { name: 'tcp-citadel-grpc-tls', port: 8060 },
        { name: 'tcp-dns-tls', port: 853 },
        { name: 'http2-prometheus', port: 15030 },
        { name: 'http2-grafana', port: 15031 },
      ],
    }),
    deployment(NS, 'istio-ingressgateway', {
      labels: { ...tiller('gateways'), ...ingress },
      podLabels: ingress,
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-ingressgateway-service-account',
      containers: [gatewayProxy('istio-ingressgateway', [80, 443, 31400, 15011, 8060, 853, 15030, 15031])],
    }),
    service(NS, 'istio-egressgateway', {
      labels: { ...tiller('gateways'), ...egress },
      selector: egress,
      ports: [{ name: 'http2', port: 80 }, { name: 'https', port: 443 }],
    }),
    deployment(NS, 'istio-egressgateway', {
      labels: { ...tiller('gateways'), ...egress },
      podLabels: egress,
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-egressgateway-service-account',
      containers: [gatewayProxy('istio-egressgateway', [80, 443])],
    }),

    // Citadel, sidecar injector, Galley
    service(NS, 'istio-citadel', {
      labels: { app: 'istio-citadel' },
      selector: { istio: 'citadel' },
      ports: [{ name: 'grpc-citadel', port: 8060 }, { name: 'http-monitoring', port: 9093 }],
    }),
    deployment(NS, 'istio-citadel', {
      labels: { app: 'security', ...tiller('security'), istio: 'citadel' },
      podLabels: { istio: 'citadel' },
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-citadel-service-account',
      containers: [{
        name: 'citadel', image: `${HUB}/citadel:${TAG}`, imagePullPolicy: 'IfNotPresent',
        args: ['--append-dns-names=true', '--grpc-port=8060', '--grpc-hostname=citadel', '--citadel-storage-namespace=istio-system', '--self-signed-ca=true'],
      }],
    }),
    service(NS, 'istio-sidecar-injector', { labels: { istio: 'sidecar-injector' }, selector: { istio: 'sidecar-injector' }, ports: [{ port: 443 }] }),
    deployment(NS, 'istio-sidecar-injector', {
      labels: { app: 'sidecarInjectorWebhook', ...tiller('sidecarInjectorWebhook'), istio: 'sidecar-injector' },
      podLabels: { istio: 'sidecar-injector' },
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-sidecar-injector-service-account',
      containers: [{
        name: 'sidecar-injector-webhook', image: `${HUB}/sidecar_injector:${TAG}`, imagePullPolicy: 'IfNotPresent',
        args: ['--injectConfig=/etc/istio/inject/config', '--meshConfig=/etc/istio/config/mesh', '--healthCheckInterval=2s', '--healthCheckFile=/health'],
      }],
    }),
    service(NS, 'istio-galley', {
      labels: { istio: 'galley' },
      selector: { istio: 'galley' },
      ports: [{ name: 'https-validation', port: 443 }, { name: 'http-monitoring', port: 9093 }],
    }),
    deployment(NS, 'istio-galley', {
      labels: { app: 'galley', ...tiller('galley'), istio: 'galley' },
      podLabels: { istio: 'galley' },
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-galley-service-account',
      containers: [{ name: 'validator', image: `${HUB}/galley:${TAG}`, imagePullPolicy: 'IfNotPresent', ports: tcpPorts(443, 9093) }],
    }),

    // Demo-profile addons besides tracing
    service(NS, 'prometheus', {
      labels: { name: 'prometheus' },
      annotations: { 'prometheus.io/scrape': 'true' },
      selector: { app: 'prometheus' },
      ports: [{ name: 'http-prometheus', port: 9090 }],
    }),
    deployment(NS, 'prometheus', {
      labels: { app: 'prometheus', ...tiller('prometheus') },
      selector: { app: 'prometheus' },
      podLabels: { app: 'prometheus' },
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'prometheus',
      containers: [{
        name: 'prometheus', image: 'docker.io/prom/prometheus:v2.3.1', imagePullPolicy: 'IfNotPresent',
        args: ['--storage.tsdb.retention=6h', '--config.file=/etc/prometheus/prometheus.yml'],
        ports: [{ containerPort: 9090, name: 'http' }],
        readinessProbe: { httpGet: { path: '/-/ready', port: 9090 } },
      }],
    }),
    service(NS, 'grafana', { labels: { app: 'istio-grafana', ...tiller('grafana') }, selector: { app: 'grafana' }, ports: [{ name: 'http', port: 3000 }] }),
    deployment(NS, 'grafana', {
      labels: { app: 'istio-grafana', ...tiller('grafana') },
      podLabels: { app: 'grafana' },
      podAnnotations: POD_ANNOTATIONS,
      containers: [{
        name: 'grafana', image: 'grafana/grafana:5.2.3', imagePullPolicy: 'IfNotPresent', ports: tcpPorts(3000),
        readinessProbe: { httpGet: { path: '/login', port: 3000 } },
        env: [env('GRAFANA_PORT', '3000'), env('GF_AUTH_ANONYMOUS_ENABLED', 'true'), env('GF_AUTH_ANONYMOUS_ORG_ROLE', 'Admin')],
      }],
    }),
    service(NS, 'servicegraph', { labels: { app: 'servicegraph', ...tiller('servicegraph') }, selector: { app: 'servicegraph' }, ports: [{ name: 'http', port: 8088 }] }),
    deployment(NS, 'servicegraph', {
      labels: { app: 'servicegraph', ...tiller('servicegraph') },
      podLabels: { app: 'servicegraph' },
      podAnnotations: POD_ANNOTATIONS,
      containers: [{
        name: 'servicegraph', image: `${HUB}/servicegraph:${TAG}`, imagePullPolicy: 'IfNotPresent', ports: tcpPorts(8088),
        args: ['--prometheusAddr=http://prometheus:9090'],
      }],
    }),
  ];
  if (o.tracing) objects.push(...tracing());
  return objects;
}
