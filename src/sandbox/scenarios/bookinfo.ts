/**
 * The Bookinfo sample as each era's `samples/bookinfo/platform/kube/bookinfo.yaml`
 * and `samples/bookinfo/networking/bookinfo-gateway.yaml` define it:
 * - 1.0 (tag 1.0.6): images `istio/examples-bookinfo-*:1.8.0`; Services
 *   labelled `app` only; Deployments without metadata labels.
 * - 1.1 (tag 1.1.7): images `:1.13.0`; Services also labelled `service`;
 *   Deployments labelled `app`, `version`.
 * - modern (tag 1.29.6): images `docker.io/istio/examples-bookinfo-*:1.20.3`,
 *   one ServiceAccount `bookinfo-<svc>` per service, reviews with `LOG_DIR`
 *   and scratch volumes; the Gateway listens on 8080, not 80.
 * All in namespace `default`, written as `apps/v1` (selector = app+version).
 */
import type { IstioEra, KubeObject } from '../../kube/types.js';
import { customResource, deployment, service, serviceAccount, type ContainerSpec, type DeploymentSpec, type Labels } from './build.js';

const NS = 'default';

interface Workload {
  app: 'details' | 'ratings' | 'reviews' | 'productpage';
  version: 'v1' | 'v2' | 'v3';
}

/** Services in the order the sample declares them, each followed by its workloads. */
const SERVICES: Array<{ app: Workload['app']; versions: Workload['version'][] }> = [
  { app: 'details', versions: ['v1'] },
  { app: 'ratings', versions: ['v1'] },
  { app: 'reviews', versions: ['v1', 'v2', 'v3'] },
  { app: 'productpage', versions: ['v1'] },
];

interface EraSample {
  image: (w: Workload) => string;
  serviceLabels: (app: string) => Labels;
  deploymentLabels: (w: Workload) => Labels | undefined;
  serviceAccounts: boolean;
}

const SAMPLES: Record<IstioEra, EraSample> = {
  '1.0': {
    image: (w) => `istio/examples-bookinfo-${w.app}-${w.version}:1.8.0`,
    serviceLabels: (app) => ({ app }),
    deploymentLabels: () => undefined,
    serviceAccounts: false,
  },
  '1.1': {
    image: (w) => `istio/examples-bookinfo-${w.app}-${w.version}:1.13.0`,
    serviceLabels: (app) => ({ app, service: app }),
    deploymentLabels: (w) => ({ app: w.app, version: w.version }),
    serviceAccounts: false,
  },
  modern: {
    image: (w) => `docker.io/istio/examples-bookinfo-${w.app}-${w.version}:1.20.3`,
    serviceLabels: (app) => ({ app, service: app }),
    deploymentLabels: (w) => ({ app: w.app, version: w.version }),
    serviceAccounts: true,
  },
};

function workload(era: IstioEra, w: Workload): KubeObject {
  const sample = SAMPLES[era];
  const pod = { app: w.app, version: w.version };
  const c: ContainerSpec = {
    name: w.app,
    image: sample.image(w),
    imagePullPolicy: 'IfNotPresent',
    ports: [{ containerPort: 9080 }],
  };
  const spec: DeploymentSpec = { labels: sample.deploymentLabels(w), replicas: 1, selector: pod, podLabels: pod, containers: [c] };
  if (era === 'modern') {
    spec.serviceAccountName = `bookinfo-${w.app}`;
    if (w.app === 'reviews') {
      // The Liberty-based reviews image writes logs and its workarea to disk.
      c.env = [{ name: 'LOG_DIR', value: '/tmp/logs' }];
      c.volumeMounts = [{ name: 'tmp', mountPath: '/tmp' }, { name: 'wlp-output', mountPath: '/opt/ibm/wlp/output' }];
      spec.volumes = [{ name: 'wlp-output', emptyDir: {} }, { name: 'tmp', emptyDir: {} }];
    }
    if (w.app === 'productpage') {
      spec.podAnnotations = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9080', 'prometheus.io/path': '/metrics' };
      c.volumeMounts = [{ name: 'tmp', mountPath: '/tmp' }];
      spec.volumes = [{ name: 'tmp', emptyDir: {} }];
    }
  }
  return deployment(NS, `${w.app}-${w.version}`, spec);
}

/**
 * Bookinfo app objects (Services, ServiceAccounts, Deployments for
 * details-v1, ratings-v1, reviews-v1/v2/v3, productpage-v1) as the sample for
 * that era defines them, namespace default.
 */
export function bookinfoObjects(era: IstioEra): KubeObject[] {
  const sample = SAMPLES[era];
  const out: KubeObject[] = [];
  for (const { app, versions } of SERVICES) {
    out.push(service(NS, app, { labels: sample.serviceLabels(app), selector: { app }, ports: [{ name: 'http', port: 9080 }] }));
    if (sample.serviceAccounts) out.push(serviceAccount(NS, `bookinfo-${app}`, { account: app }));
    for (const version of versions) out.push(workload(era, { app, version }));
  }
  return out;
}

/** bookinfo-gateway Gateway + bookinfo VirtualService for that era. */
export function bookinfoGatewayObjects(era: IstioEra): KubeObject[] {
  const modern = era === 'modern';
  const apiVersion = modern ? 'networking.istio.io/v1' : 'networking.istio.io/v1alpha3';
  const uris = modern
    ? [{ exact: '/productpage' }, { prefix: '/static' }, { exact: '/login' }, { exact: '/logout' }, { prefix: '/api/v1/products' }]
    : [{ exact: '/productpage' }, { exact: '/login' }, { exact: '/logout' }, { prefix: '/api/v1/products' }];
  return [
    customResource(apiVersion, 'Gateway', NS, 'bookinfo-gateway', {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: modern ? 8080 : 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    }),
    customResource(apiVersion, 'VirtualService', NS, 'bookinfo', {
      hosts: ['*'],
      gateways: ['bookinfo-gateway'],
      http: [{
        match: uris.map((uri) => ({ uri })),
        route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
      }],
    }),
  ];
}
