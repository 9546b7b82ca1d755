/**
 * What every cluster has before anything is installed: the four standard
 * namespaces and cluster DNS (CoreDNS behind the `kube-dns` Service, as
 * kubeadm sets it up). The API server itself serves `default/kubernetes`, so
 * it is not listed here.
 */
import type { KubeObject } from '../../kube/types.js';
import { configMap, deployment, namespace, service, serviceAccount } from './build.js';

const DNS = { 'k8s-app': 'kube-dns' };

function corefile(): string {
  return [
    '.:53 {',
    '    errors',
    '    health {',
    '       lameduck 5s',
    '    }',
    '    ready',
    '    kubernetes cluster.local in-addr.arpa ip6.arpa {',
    '       pods insecure',
    '       fallthrough in-addr.arpa ip6.arpa',
    '       ttl 30',
    '    }',
    '    prometheus :9153',
    '    forward . /etc/resolv.conf',
    '    cache 30',
    '    loop',
    '    reload',
    '    loadbalance',
    '}',
    '',
  ].join('\n');
}

/**
 * @param injection label `default` with `istio-injection=enabled`, so pods
 * created there get the istio-proxy sidecar.
 */
export function baseClusterObjects(injection: boolean): KubeObject[] {
  return [
    namespace('default', injection ? { 'istio-injection': 'enabled' } : {}),
    namespace('kube-system'),
    namespace('kube-public'),
    namespace('kube-node-lease'),
    serviceAccount('kube-system', 'coredns'),
    configMap('kube-system', 'coredns', { Corefile: corefile() }),
    service('kube-system', 'kube-dns', {
      labels: { ...DNS, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      clusterIP: '10.96.0.10',
      selector: DNS,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53 },
        { name: 'metrics', port: 9153 },
      ],
    }),
    deployment('kube-system', 'coredns', {
      labels: DNS,
      replicas: 2,
      podLabels: DNS,
      serviceAccountName: 'coredns',
      containers: [{
        name: 'coredns',
        image: 'registry.k8s.io/coredns/coredns:v1.11.3',
        imagePullPolicy: 'IfNotPresent',
        args: ['-conf', '/etc/coredns/Corefile'],
        ports: [
          { containerPort: 53, name: 'dns', protocol: 'UDP' },
          { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
          { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
        ],
        livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5 },
        readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
        volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
      }],
      volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
    }),
  ];
}
