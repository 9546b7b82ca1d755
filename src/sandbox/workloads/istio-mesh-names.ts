/**
 * The names an Istio mesh gives what it reports, era by era: Jaeger service names of the
 * sidecars and the gateway, route (operation) names, Envoy cluster and node ids, and the stand-in
 * pods the simulated Bookinfo runs as. Pure; istio-trace.ts builds its spans from these.
 */
import type { IstioEra } from '../../kube/types.js';
import { type BookinfoApp, matchBookinfoRoute } from './bookinfo-routes.js';

export interface PodRef {
  name: string;
  ip: string;
}

export const MESH_DOMAIN = 'svc.cluster.local';
export const ISTIO_NS = 'istio-system';
export const APP_PORT = 9080;
export const POLICY_SERVICE = 'istio-policy';
export const MIXER_CHECK_OPERATION = '/istio.mixer.v1.Mixer/Check';

/** Stable stand-in pods for whatever the caller does not supply. */
export const DEFAULT_PODS: Readonly<Record<string, PodRef>> = {
  'istio-ingressgateway': { name: 'istio-ingressgateway-7c5b8d9f6d-hk2vq', ip: '10.1.0.9' },
  'istio-policy': { name: 'istio-policy-6f94c8d4b7-m8n2w', ip: '10.1.0.11' },
  'productpage-v1': { name: 'productpage-v1-54b8c7d9f5-zr7tx', ip: '10.1.0.21' },
  'details-v1': { name: 'details-v1-6c9f8bcbcb-w4q5l', ip: '10.1.0.17' },
  'reviews-v1': { name: 'reviews-v1-5d7b9c6f8b-2pxkf', ip: '10.1.0.18' },
  'reviews-v2': { name: 'reviews-v2-7f6c8d5b4c-q9s6m', ip: '10.1.0.19' },
  'reviews-v3': { name: 'reviews-v3-8b5f7c9d6f-lc3vn', ip: '10.1.0.20' },
  'ratings-v1': { name: 'ratings-v1-7d8c6b5f9d-tn5hz', ip: '10.1.0.16' },
};

/** Jaeger service name of a Bookinfo app's sidecar in an era. */
export function bookinfoServiceName(era: IstioEra, app: BookinfoApp, namespace = 'default'): string {
  return era === '1.0' ? app : `${app}.${namespace}`;
}

/** Jaeger service name of the ingress gateway in an era. */
export function gatewayServiceName(era: IstioEra): string {
  return era === 'modern' ? `istio-ingressgateway.${ISTIO_NS}` : 'istio-ingressgateway';
}

/** Whether the era's sidecars make Mixer Check calls (istio-policy spans). */
export function eraHasPolicyChecks(era: IstioEra): boolean {
  return era !== 'modern';
}

/** Operation name of a default mesh route to a Bookinfo app. */
export function defaultRouteOperation(app: BookinfoApp, namespace = 'default', suffix: '/*' | '/' = '/*'): string {
  return `${app}.${namespace}.${MESH_DOMAIN}:${APP_PORT}${suffix}`;
}

/** Operation name of the gateway's VirtualService route for a request target. */
export function gatewayRouteOperation(target: string, namespace = 'default'): string {
  const route = matchBookinfoRoute(target);
  const path = route ? route.operationPath : '/*';
  return `productpage.${namespace}.${MESH_DOMAIN}:${APP_PORT}${path}`;
}

/** Envoy's cluster for calls out to a Bookinfo app. */
export function outboundCluster(app: string, namespace: string): string {
  return `outbound|${APP_PORT}||${app}.${namespace}.${MESH_DOMAIN}`;
}

/** Envoy's cluster for requests into an app (modern Istio leaves the host out). */
export function inboundCluster(era: IstioEra, app: string, namespace: string): string {
  return era === 'modern' ? `inbound|${APP_PORT}||` : `inbound|${APP_PORT}||${app}.${namespace}.${MESH_DOMAIN}`;
}
