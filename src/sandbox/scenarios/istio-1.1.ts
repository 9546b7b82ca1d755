/**
 * Istio 1.1.x as the 1.1.4 release's `install/kubernetes/istio-demo.yaml`
 * renders it (images `docker.io/istio/*:1.1.4`, Jaeger all-in-one 1.9), with
 * Service types as the upstream 1.1.7 charts render them (ClusterIP for the
 * addon Services).
 *
 * Era facts that matter to the lesson:
 * - the `istio-ingressgateway` Service exposes `https-tracing` 15032, but no
 *   Gateway listens on it, so forwarding the gateway pod's 15032 gets nothing;
 * - Jaeger runs with `QUERY_BASE_PATH=/jaeger` (API under `/jaeger/api`);
 * - the mesh config names the collector as `defaultConfig.tracing.zipkin.address`.
 *
 * With `prereleaseTracingGateway` the same layout becomes the seed doc's world
 * (Istio between 1.0 and 1.1.0, tracing chart `gateway.yaml`): a Gateway
 * `istio-tracing-gateway` serving plain HTTP2 on 15032, a VirtualService that
 * routes it to `tracing:80`, a DestinationRule turning TLS off for `tracing`,
 * and Jaeger without a base path, so `http://localhost:15032/` is the UI.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import {
  configMap, customResource, deployment, env, fieldEnv, namespace, service, serviceAccount, tcpPorts, tillerLabels,
  type ContainerSpec, type Labels, type ServicePortSpec,
} from './build.js';
import { samplingEnv, type IstioInstallOptions } from './install.js';

const NS = 'istio-system';
const HUB = 'docker.io/istio';
const TAG = '1.1.4';
const NETWORKING = 'networking.istio.io/v1alpha3';
/** From 1.1 on the chart label carries no version. */
const tiller = (chart: string): Labels => tillerLabels(chart);

const POD_ANNOTATIONS = { 'sidecar.istio.io/inject': 'false' };

const podEnv = () => [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_NAMESPACE', 'metadata.namespace')];
const proxyEnv = () => [...podEnv(), fieldEnv('INSTANCE_IP', 'status.podIP')];

function meshConfig(o: IstioInstallOptions): string {
  return stringify({
    disablePolicyChecks: false,
    enableTracing: o.enableTracing,
    accessLogFile: '/dev/stdout',
    accessLogFormat: '',
    accessLogEncoding: 'TEXT',
    mixerCheckServer: 'istio-policy.istio-system.svc.cluster.local:9091',
    mixerReportServer: 'istio-telemetry.istio-system.svc.cluster.local:9091',
    policyCheckFailOpen: false,
    ingressService: 'istio-ingressgateway',
    connectTimeout: '10s',
    dnsRefreshRate: '5s',
    sdsUdsPath: '',
    enableSdsTokenMount: false,
    sdsUseK8sSaJwt: false,
    trustDomain: '',
    outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
    localityLbSetting: {},
    rootNamespace: 'istio-system',
    configSources: [{ address: 'istio-galley.istio-system.svc:9901' }],
    defaultConfig: {
      connectTimeout: '10s',
      configPath: '/etc/istio/proxy',
      binaryPath: '/usr/local/bin/envoy',
      serviceCluster: 'istio-proxy',
      drainDuration: '45s',
      parentShutdownDuration: '1m0s',
      proxyAdminPort: 15000,
      concurrency: 2,
      tracing: { zipkin: { address: 'zipkin.istio-system:9411' } },
      controlPlaneAuthPolicy: 'NONE',
      discoveryAddress: 'istio-pilot.istio-system:15010',
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
      'proxy', 'router', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--log_output_level=default:info',
      '--drainDuration', '45s', '--parentShutdownDuration', '1m0s', '--connectTimeout', '10s',
      '--serviceCluster', cluster, '--zipkinAddress', 'zipkin:9411', '--proxyAdminPort', '15000',
      '--statusPort', '15020', '--controlPlaneAuthPolicy', 'NONE', '--discoveryAddress', 'istio-pilot:15010',
    ],
    readinessProbe: {
      failureThreshold: 30,
      httpGet: { path: '/healthz/ready', port: 15020, scheme: 'HTTP' },
      initialDelaySeconds: 1, periodSeconds: 2, successThreshold: 1, timeoutSeconds: 1,
    },
    env: [
      ...proxyEnv(),
      fieldEnv('HOST_IP', 'status.hostIP'),
      fieldEnv('ISTIO_META_POD_NAME', 'metadata.name'),
      fieldEnv('ISTIO_META_CONFIG_NAMESPACE', 'metadata.namespace', null),
      env('ISTIO_META_ROUTER_MODE', 'sni-dnat'),
    ],
  };
}

function mixer(kind: 'policy' | 'telemetry'): KubeObject[] {
  const name = `istio-${kind}`;
  const args = [
    '--monitoringPort=15014', '--address', 'unix:///sock/mixer.socket', '--log_output_level=default:info',
    '--configStoreURL=mcp://istio-galley.istio-system.svc:9901', '--configDefaultNamespace=istio-system',
    '--useAdapterCRDs=true', '--trace_zipkin_url=http://zipkin:9411/api/v1/spans',
  ];
  if (kind === 'telemetry') args.push('--averageLatencyThreshold', '100ms', '--loadsheddingMode', 'enforce');
  const ports: ServicePortSpec[] = [
    { name: 'grpc-mixer', port: 9091 },
    { name: 'grpc-mixer-mtls', port: 15004 },
    { name: 'http-monitoring', port: 15014 },
  ];
  if (kind === 'telemetry') ports.push({ name: 'prometheus', port: 42422 });
  const selector = { istio: 'mixer', 'istio-mixer-type': kind };
  return [
    service(NS, name, {
      labels: { app: 'mixer', ...tiller('mixer'), istio: 'mixer' },
      annotations: { 'networking.istio.io/exportTo': '*' },
      selector,
      ports,
    }),
    deployment(NS, name, {
      labels: { app: 'istio-mixer', ...tiller('mixer'), istio: 'mixer' },
      selector,
      podLabels: { app: kind, ...tiller('mixer'), ...selector },
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-mixer-service-account',
      containers: [
        {
          name: 'mixer', image: `${HUB}/mixer:${TAG}`, imagePullPolicy: 'IfNotPresent',
          ports: tcpPorts(15014, 42422), args, env: [env('GODEBUG', 'gctrace=1'), env('GOMAXPROCS', '6')],
        },
        {
          name: 'istio-proxy', image: `${HUB}/proxyv2:${TAG}`, imagePullPolicy: 'IfNotPresent',
          ports: [...tcpPorts(9091, 15004), { containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
          args: [
            'proxy', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--serviceCluster', name,
            '--templateFile', `/etc/istio/proxy/envoy_${kind}.yaml.tmpl`, '--controlPlaneAuthPolicy', 'NONE',
          ],
          env: proxyEnv(),
        },
      ],
    }),
    customResource(NETWORKING, 'DestinationRule', NS, name, {
      host: `${name}.istio-system.svc.cluster.local`,
      trafficPolicy: { connectionPool: { http: { http2MaxRequests: 10000, maxRequestsPerConnection: 10000 } } },
    }, { app: 'mixer', ...tiller('mixer') }),
  ];
}

/** The tracing addon: Deployment `istio-tracing` and its five Services. */
function tracing(prerelease: boolean): KubeObject[] {
  const labels = { app: 'jaeger', ...tiller('tracing') };
  const jaeger = { app: 'jaeger' };
  const annotations: Record<string, string> = { ...POD_ANNOTATIONS, 'prometheus.io/scrape': 'true', 'prometheus.io/port': '16686' };
  const jaegerEnv = [fieldEnv('POD_NAMESPACE', 'metadata.namespace'), env('COLLECTOR_ZIPKIN_HTTP_PORT', '9411'), env('MEMORY_MAX_TRACES', '50000')];
  if (!prerelease) {
    // 1.1.0 made the UI live under /jaeger (for the tracing Ingress); the
    // pre-release chart only set a base path when jaeger.contextPath was given.
    annotations['prometheus.io/path'] = '/jaeger/metrics';
    jaegerEnv.push(env('QUERY_BASE_PATH', '/jaeger'));
  }
  return [
    deployment(NS, 'istio-tracing', {
      labels,
      podLabels: labels,
      podAnnotations: annotations,
      containers: [{
        name: 'jaeger',
        image: 'docker.io/jaegertracing/all-in-one:1.9',
        imagePullPolicy: 'IfNotPresent',
        ports: [
          ...tcpPorts(9411, 16686),
          { containerPort: 5775, protocol: 'UDP' },
          { containerPort: 6831, protocol: 'UDP' },
          { containerPort: 6832, protocol: 'UDP' },
        ],
        env: jaegerEnv,
        livenessProbe: { httpGet: { path: '/', port: 16686 } },
        readinessProbe: { httpGet: { path: '/', port: 16686 } },
      }],
    }),
    service(NS, 'jaeger-query', {
      labels: { app: 'jaeger', 'jaeger-infra': 'jaeger-service', ...tiller('tracing') },
      selector: jaeger,
      ports: [{ name: 'query-http', port: 16686 }],
    }),
    service(NS, 'jaeger-collector', {
      labels: { app: 'jaeger', 'jaeger-infra': 'collector-service', ...tiller('tracing') },
      selector: jaeger,
      ports: [{ name: 'jaeger-collector-tchannel', port: 14267 }, { name: 'jaeger-collector-http', port: 14268 }],
    }),
    service(NS, 'jaeger-agent', {
      labels: { app: 'jaeger', 'jaeger-infra': 'agent-service', ...tiller('tracing') },
      clusterIP: 'None',
      selector: jaeger,
      ports: [
        { name: 'agent-zipkin-thrift', port: 5775, protocol: 'UDP' },
        { name: 'agent-compact', port: 6831, protocol: 'UDP' },
        { name: 'agent-binary', port: 6832, protocol: 'UDP' },
      ],
    }),
    service(NS, 'zipkin', { labels, selector: jaeger, ports: [{ name: 'http', port: 9411 }] }),
    service(NS, 'tracing', { labels, selector: jaeger, ports: [{ name: 'http-query', port: 80, targetPort: 16686 }] }),
  ];
}

/** The pre-release tracing chart's gateway.yaml (1.1.0-snapshot.3): plain HTTP2 on 15032. */
function prereleaseTracingGateway(): KubeObject[] {
  const host = 'tracing.istio-system.svc.cluster.local';
  return [
    customResource(NETWORKING, 'Gateway', NS, 'istio-tracing-gateway', {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 15032, name: 'http2-tracing', protocol: 'HTTP2' }, hosts: ['*'] }],
    }),
    customResource(NETWORKING, 'DestinationRule', NS, 'tracing', { host, trafficPolicy: { tls: { mode: 'DISABLE' } } }),
    customResource(NETWORKING, 'VirtualService', NS, 'tracing-virtual-service', {
      hosts: ['*'],
      gateways: ['istio-tracing-gateway'],
      http: [{ match: [{ port: 15032 }], route: [{ destination: { host, port: { number: 80 } } }] }],
    }),
  ];
}

/** Everything the 1.1.4 demo install puts in istio-system that the lesson can meet. */
export function istio11Objects(o: IstioInstallOptions): KubeObject[] {
  const prerelease = o.prereleaseTracingGateway === true;
  const ingress = { app: 'istio-ingressgateway', istio: 'ingressgateway' };
  const egress = { app: 'istio-egressgateway', istio: 'egressgateway' };
  const gatewayLabels = (sel: Labels): Labels => ({ ...tiller('gateways'), ...sel });
  const objects: KubeObject[] = [
    namespace(NS, { 'istio-injection': 'disabled' }),
    configMap(NS, 'istio', { mesh: meshConfig(o), meshNetworks: 'networks: {}' }, { app: 'istio', ...tiller('istio') }),

    serviceAccount(NS, 'istio-pilot-service-account', { app: 'pilot', ...tiller('pilot') }),
    serviceAccount(NS, 'istio-mixer-service-account', { app: 'mixer', ...tiller('mixer') }),
    serviceAccount(NS, 'istio-ingressgateway-service-account', { app: 'istio-ingressgateway', ...tiller('gateways') }),
    serviceAccount(NS, 'istio-egressgateway-service-account', { app: 'istio-egressgateway', ...tiller('gateways') }),
    serviceAccount(NS, 'istio-citadel-service-account', { app: 'security', ...tiller('security') }),
    serviceAccount(NS, 'istio-sidecar-injector-service-account', { app: 'sidecarInjectorWebhook', ...tiller('sidecarInjectorWebhook'), istio: 'sidecar-injector' }),
    serviceAccount(NS, 'istio-galley-service-account', { app: 'galley', ...tiller('galley') }),
    serviceAccount(NS, 'prometheus', { app: 'prometheus', ...tiller('prometheus') }),
    serviceAccount(NS, 'kiali-service-account', { app: 'kiali', ...tiller('kiali') }),

    // Pilot
    service(NS, 'istio-pilot', {
      labels: { app: 'pilot', ...tiller('pilot'), istio: 'pilot' },
      selector: { istio: 'pilot' },
      ports: [
        { name: 'grpc-xds', port: 15010 },
        { name: 'https-xds', port: 15011 },
        { name: 'http-legacy-discovery', port: 8080 },
        { name: 'http-monitoring', port: 15014 },
      ],
    }),
    deployment(NS, 'istio-pilot', {
      labels: { app: 'pilot', ...tiller('pilot'), istio: 'pilot' },
      selector: { istio: 'pilot' },
      podLabels: { app: 'pilot', ...tiller('pilot'), istio: 'pilot' },
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-pilot-service-account',
      containers: [
        {
          name: 'discovery', image: `${HUB}/pilot:${TAG}`, imagePullPolicy: 'IfNotPresent',
          args: ['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--secureGrpcAddr', '', '--keepaliveMaxServerConnectionAge', '30m'],
          ports: tcpPorts(8080, 15010),
          readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 5, periodSeconds: 30, timeoutSeconds: 5 },
          env: [
            ...podEnv(),
            env('GODEBUG', 'gctrace=1'),
            env('PILOT_PUSH_THROTTLE', '100'),
            env('PILOT_TRACE_SAMPLING', samplingEnv(o.samplingPercent)),
            env('PILOT_DISABLE_XDS_MARSHALING_TO_ANY', '1'),
          ],
        },
        {
          name: 'istio-proxy', image: `${HUB}/proxyv2:${TAG}`, imagePullPolicy: 'IfNotPresent',
          ports: tcpPorts(15003, 15005, 15007, 15011),
          args: [
            'proxy', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--serviceCluster', 'istio-pilot',
            '--templateFile', '/etc/istio/proxy/envoy_pilot.yaml.tmpl', '--controlPlaneAuthPolicy', 'NONE',
          ],
          env: proxyEnv(),
        },
      ],
    }),

    ...mixer('policy'),
    ...mixer('telemetry'),

    // Gateways
    service(NS, 'istio-ingressgateway', {
      labels: gatewayLabels(ingress),
      type: 'LoadBalancer',
      selector: { release: 'istio', ...ingress },
      ports: [
        { name: 'status-port', port: 15020 },
        { name: 'http2', port: 80, targetPort: 80, nodePort: 31380 },
        { name: 'https', port: 443, nodePort: 31390 },
        { name: 'tcp', port: 31400, nodePort: 31400 },
        { name: 'https-kiali', port: 15029 },
        { name: 'https-prometheus', port: 15030 },
        { name: 'https-grafana', port: 15031 },
        // The pre-release values named the tracing port for plain HTTP2.
        { name: prerelease ? 'http2-tracing' : 'https-tracing', port: 15032 },
        { name: 'tls', port: 15443 },
      ],
    }),
    deployment(NS, 'istio-ingressgateway', {
      labels: gatewayLabels(ingress),
      podLabels: gatewayLabels(ingress),
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-ingressgateway-service-account',
      containers: [gatewayProxy('istio-ingressgateway', [15020, 80, 443, 31400, 15029, 15030, 15031, 15032, 15443])],
    }),
    service(NS, 'istio-egressgateway', {
      labels: gatewayLabels(egress),
      selector: { release: 'istio', ...egress },
      ports: [{ name: 'http2', port: 80 }, { name: 'https', port: 443 }, { name: 'tls', port: 15443 }],
    }),
    deployment(NS, 'istio-egressgateway', {
      labels: gatewayLabels(egress),
      podLabels: gatewayLabels(egress),
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-egressgateway-service-account',
      containers: [gatewayProxy('istio-egressgateway', [80, 443, 15443])],
    }),

    // Citadel, sidecar injector, Galley
    service(NS, 'istio-citadel', {
      labels: { app: 'security', ...tiller('security'), istio: 'citadel' },
      selector: { istio: 'citadel' },
      ports: [{ name: 'grpc-citadel', port: 8060 }, { name: 'http-monitoring', port: 15014 }],
    }),
    deployment(NS, 'istio-citadel', {
      labels: { app: 'security', ...tiller('security'), istio: 'citadel' },
      podLabels: { app: 'security', ...tiller('security'), istio: 'citadel' },
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-citadel-service-account',
      containers: [{
        name: 'citadel', image: `${HUB}/citadel:${TAG}`, imagePullPolicy: 'IfNotPresent',
        args: ['--append-dns-names=true', '--grpc-port=8060', '--grpc-hostname=citadel', '--citadel-storage-namespace=istio-system', '--monitoring-port=15014', '--self-signed-ca=true'],
      }],
    }),
    service(NS, 'istio-sidecar-injector', {
      labels: { app: 'sidecarInjectorWebhook', ...tiller('sidecarInjectorWebhook'), istio: 'sidecar-injector' },
      selector: { istio: 'sidecar-injector' },
      ports: [{ port: 443 }],
    }),
    deployment(NS, 'istio-sidecar-injector', {
      labels: { app: 'sidecarInjectorWebhook', ...tiller('sidecarInjectorWebhook'), istio: 'sidecar-injector' },
      podLabels: { app: 'sidecarInjectorWebhook', ...tiller('sidecarInjectorWebhook'), istio: 'sidecar-injector' },
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-sidecar-injector-service-account',
      containers: [{
        name: 'sidecar-injector-webhook', image: `${HUB}/sidecar_injector:${TAG}`, imagePullPolicy: 'IfNotPresent',
        args: ['--injectConfig=/etc/istio/inject/config', '--meshConfig=/etc/istio/config/mesh', '--healthCheckInterval=2s', '--healthCheckFile=/health'],
      }],
    }),
    service(NS, 'istio-galley', {
      labels: { app: 'galley', ...tiller('galley'), istio: 'galley' },
      selector: { istio: 'galley' },
      ports: [{ name: 'https-validation', port: 443 }, { name: 'http-monitoring', port: 15014 }, { name: 'grpc-mcp', port: 9901 }],
    }),
    deployment(NS, 'istio-galley', {
      labels: { app: 'galley', ...tiller('galley'), istio: 'galley' },
      podLabels: { app: 'galley', ...tiller('galley'), istio: 'galley' },
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'istio-galley-service-account',
      containers: [{ name: 'galley', image: `${HUB}/galley:${TAG}`, imagePullPolicy: 'IfNotPresent', ports: tcpPorts(443, 15014, 9901) }],
    }),

    // Demo-profile addons besides tracing
    service(NS, 'prometheus', {
      labels: { app: 'prometheus', ...tiller('prometheus') },
      annotations: { 'prometheus.io/scrape': 'true' },
      selector: { app: 'prometheus' },
      ports: [{ name: 'http-prometheus', port: 9090 }],
    }),
    deployment(NS, 'prometheus', {
      labels: { app: 'prometheus', ...tiller('prometheus') },
      selector: { app: 'prometheus' },
      podLabels: { app: 'prometheus', ...tiller('prometheus') },
      podAnnotations: POD_ANNOTATIONS,
      serviceAccountName: 'prometheus',
      containers: [{
        name: 'prometheus', image: 'docker.io/prom/prometheus:v2.3.1', imagePullPolicy: 'IfNotPresent',
        args: ['--storage.tsdb.retention=6h', '--config.file=/etc/prometheus/prometheus.yml'],
        ports: [{ containerPort: 9090, name: 'http' }],
        readinessProbe: { httpGet: { path: '/-/ready', port: 9090 } },
      }],
    }),
    service(NS, 'grafana', { labels: { app: 'grafana', ...tiller('grafana') }, selector: { app: 'grafana' }, ports: [{ name: 'http', port: 3000 }] }),
    deployment(NS, 'grafana', {
      labels: { app: 'grafana', ...tiller('grafana') },
      podLabels: { app: 'grafana', ...tiller('grafana') },
      podAnnotations: POD_ANNOTATIONS,
      containers: [{
        name: 'grafana', image: 'grafana/grafana:6.0.2', imagePullPolicy: 'IfNotPresent', ports: tcpPorts(3000),
        readinessProbe: { httpGet: { path: '/login', port: 3000 } },
        env: [env('GRAFANA_PORT', '3000'), env('GF_AUTH_ANONYMOUS_ENABLED', 'true'), env('GF_AUTH_ANONYMOUS_ORG_ROLE', 'Admin')],
      }],
    }),
    service(NS, 'kiali', { labels: { app: 'kiali', ...tiller('kiali') }, selector: { app: 'kiali' }, ports: [{ name: 'http-kiali', port: 20001 }] }),
    deployment(NS, 'kiali', {
      labels: { app: 'kiali', ...tiller('kiali') },
      selector: { app: 'kiali' },
      podLabels: { app: 'kiali', ...tiller('kiali') },
      podAnnotations: { ...POD_ANNOTATIONS, 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
      serviceAccountName: 'kiali-service-account',
      containers: [{
        name: 'kiali', image: 'docker.io/kiali/kiali:v0.19',
        command: ['/opt/kiali/kiali', '-config', '/kiali-configuration/config.yaml', '-v', '4'],
        env: [fieldEnv('ACTIVE_NAMESPACE', 'metadata.namespace', null), env('PROMETHEUS_SERVICE_URL', 'http://prometheus:9090'), env('SERVER_WEB_ROOT', '/kiali')],
      }],
    }),
  ];
  if (o.tracing) {
    objects.push(...tracing(prerelease));
    if (prerelease) objects.push(...prereleaseTracingGateway());
  }
  return objects;
}
