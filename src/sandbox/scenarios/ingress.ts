/**
 * The tracing dashboard behind a Kubernetes Ingress: what Istio 1.1's Helm
 * option `tracing.ingress.enabled=true` renders (an Ingress `istio-tracing`,
 * path `/jaeger` to Service `tracing` port 80, any host), and an ingress
 * controller to serve it — ingress-nginx as its bare-metal manifest installs
 * it, a NodePort Service. The sandbox answers that node port on 127.0.0.1
 * and routes by the cluster's Ingress rules (workload-router.ts).
 *
 * As the 1.1 chart rendered it: `extensions/v1beta1` (what the 1.1 world's
 * Kubernetes 1.14 serves), `serviceName`/`servicePort`, the class as an annotation.
 */
import type { KubeObject } from '../../kube/types.js';
import { deployment, namespace, service, serviceAccount, type Labels } from './build.js';

export const INGRESS_NS = 'ingress-nginx';
export const INGRESS_CONTROLLER = 'ingress-nginx-controller';
/** The controller pods' labels (what the router recognises). */
export const INGRESS_CONTROLLER_LABELS: Labels = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };

/** The Ingress Istio 1.1's tracing chart adds with `--set tracing.ingress.enabled=true`. */
export function tracingIngress(): KubeObject {
  return {
    apiVersion: 'extensions/v1beta1',
    kind: 'Ingress',
    metadata: {
      name: 'istio-tracing',
      namespace: 'istio-system',
      labels: { app: 'jaeger', chart: 'tracing', heritage: 'Tiller', release: 'istio' },
      annotations: { 'kubernetes.io/ingress.class': 'nginx' },
    },
    spec: {
      rules: [{ http: { paths: [{ path: '/jaeger', backend: { serviceName: 'tracing', servicePort: 80 } }] } }],
    },
  };
}

/** An ingress-nginx controller reached through a NodePort Service (`http` 80, `https` 443). */
export function ingressControllerObjects(): KubeObject[] {
  const labels = { ...INGRESS_CONTROLLER_LABELS, 'app.kubernetes.io/part-of': 'ingress-nginx', 'app.kubernetes.io/version': '1.11.2' };
  return [
    namespace(INGRESS_NS, { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx' }),
    serviceAccount(INGRESS_NS, 'ingress-nginx', labels),
    service(INGRESS_NS, INGRESS_CONTROLLER, {
      labels,
      type: 'NodePort',
      selector: { ...INGRESS_CONTROLLER_LABELS },
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'https', port: 443, targetPort: 'https' },
      ],
    }),
    deployment(INGRESS_NS, INGRESS_CONTROLLER, {
      labels,
      selector: { ...INGRESS_CONTROLLER_LABELS },
      podLabels: { ...labels },
      serviceAccountName: 'ingress-nginx',
      containers: [{
        name: 'controller',
        image: 'registry.k8s.io/ingress-nginx/controller:v1.11.2',
        imagePullPolicy: 'IfNotPresent',
        args: ['/nginx-ingress-controller', '--election-id=ingress-nginx-leader', '--controller-class=k8s.io/ingress-nginx', '--ingress-class=nginx'],
        ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443, name: 'https' }],
      }],
    }),
  ];
}
