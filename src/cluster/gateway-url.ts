/**
 * GATEWAY_URL, found the way Istio's docs find it: the `istio-ingressgateway`
 * Service's load balancer address and its `http2` port, or, without a load
 * balancer, the `http2` node port on the gateway pod's host (or a node's
 * InternalIP).
 */
import { ClusterError, type KubeClient } from './kube-client.js';
import type { KubeObject } from '../kube/types.js';
import { t } from '../i18n/index.js';

export const GATEWAY_NAMESPACE = 'istio-system';
export const GATEWAY_SERVICE = 'istio-ingressgateway';
export const GATEWAY_POD_SELECTOR = 'istio=ingressgateway';
/** What to pass when the address cannot be worked out. */
const URL_FLAG = '--url http://HOST:PORT/productpage';

export interface GatewayUrl {
  /** host:port, as GATEWAY_URL holds it. */
  url: string;
  /** One line: where the host and port came from. */
  how: string;
}

/** The gateway's address cannot be worked out; the message says why and what to do. */
export class GatewayUrlError extends Error {
  override readonly name = 'GatewayUrlError';
}

interface ServicePort { name?: string; port?: number; nodePort?: number }
interface LoadBalancerIngress { ip?: string; hostname?: string }

/** `host:port`, with an IPv6 host in brackets. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

export async function findGatewayUrl(client: KubeClient): Promise<GatewayUrl> {
  const svc = await client.get('v1', 'Service', GATEWAY_NAMESPACE, GATEWAY_SERVICE);
  if (!svc) throw new GatewayUrlError(await missingServiceMessage(client));
  const spec = (svc.spec ?? {}) as { type?: string; ports?: ServicePort[] };
  const ports = spec.ports ?? [];
  const http2 = ports.find((p) => p.name === 'http2');
  if (!http2 || typeof http2.port !== 'number') {
    const known = ports.map((p) => `${p.name ?? t('kube.gw.unnamed')} ${p.port}`).join(', ') || t('kube.none');
    throw new GatewayUrlError(t('kube.gw.noHttp2', { service: GATEWAY_SERVICE, namespace: GATEWAY_NAMESPACE, ports: known, flag: URL_FLAG }));
  }

  // 1. An external load balancer: its address and the Service port.
  const ingress = ((svc.status as { loadBalancer?: { ingress?: LoadBalancerIngress[] } } | undefined)?.loadBalancer?.ingress ?? [])[0];
  const lbHost = ingress?.ip || ingress?.hostname;
  if (lbHost) return { url: hostPort(lbHost, http2.port), how: t('kube.gw.loadBalancer', { host: lbHost, port: http2.port }) };

  // 2. No load balancer: the node port on a node's address.
  if (typeof http2.nodePort !== 'number') {
    throw new GatewayUrlError(
      t('kube.gw.noNodePort', {
        service: GATEWAY_SERVICE,
        namespace: GATEWAY_NAMESPACE,
        type: spec.type ?? 'ClusterIP',
        command: `kubectl port-forward -n ${GATEWAY_NAMESPACE} svc/${GATEWAY_SERVICE} 8080:${http2.port}`,
        flag: '--url http://localhost:8080/productpage',
      }),
    );
  }
  const nodePort = http2.nodePort;
  const pending = spec.type === 'LoadBalancer' ? t('kube.gw.pending') : t('kube.gw.noLoadBalancer');
  const reasons: string[] = [];

  try {
    const pods = await client.list('v1', 'Pod', GATEWAY_NAMESPACE, GATEWAY_POD_SELECTOR);
    const pod = pickGatewayPod(pods);
    if (pod) {
      const hostIP = (pod.status as { hostIP?: string }).hostIP!;
      return { url: hostPort(hostIP, nodePort), how: t('kube.gw.onPodHost', { port: nodePort, ip: hostIP, pending }) };
    }
    reasons.push(pods.length ? t('kube.gw.noHostIp', { selector: GATEWAY_POD_SELECTOR }) : t('kube.gw.noPod', { namespace: GATEWAY_NAMESPACE, selector: GATEWAY_POD_SELECTOR }));
  } catch (e) {
    if (!(e instanceof ClusterError) || e.kind === 'unreachable' || e.kind === 'unauthorized') throw e;
    reasons.push(e.message);
  }

  try {
    const nodes = await client.list('v1', 'Node');
    const node = pickNode(nodes);
    if (node) {
      return { url: hostPort(node.ip, nodePort), how: t('kube.gw.onNode', { port: nodePort, node: node.name, ip: node.ip, pending, reason: reasons[0] }) };
    }
    reasons.push(t('kube.gw.noInternalIp'));
  } catch (e) {
    if (!(e instanceof ClusterError) || e.kind === 'unreachable' || e.kind === 'unauthorized') throw e;
    reasons.push(e.message);
  }
  throw new GatewayUrlError(t('kube.gw.noNodeAddress', { port: nodePort, reasons: reasons.join(t('check.common.sep')) }));
}

/** A gateway pod with a host IP, Running ones first. */
function pickGatewayPod(pods: KubeObject[]): KubeObject | undefined {
  const withHost = pods.filter((p) => !p.metadata.deletionTimestamp && (p.status as { hostIP?: string } | undefined)?.hostIP);
  return withHost.find((p) => (p.status as { phase?: string }).phase === 'Running') ?? withHost[0];
}

/** A node's InternalIP, Ready nodes first. */
function pickNode(nodes: KubeObject[]): { name: string; ip: string } | undefined {
  const rows = nodes.flatMap((n) => {
    const status = (n.status ?? {}) as { addresses?: Array<{ type?: string; address?: string }>; conditions?: Array<{ type?: string; status?: string }> };
    const ip = status.addresses?.find((a) => a.type === 'InternalIP' && a.address)?.address;
    const ready = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    return ip ? [{ name: n.metadata.name, ip, ready }] : [];
  });
  return rows.find((r) => r.ready) ?? rows[0];
}

/** No Service istio-system/istio-ingressgateway: say so, and name gateways elsewhere if there are any. */
async function missingServiceMessage(client: KubeClient): Promise<string> {
  let elsewhere: KubeObject[] = [];
  try {
    elsewhere = await client.list('v1', 'Service', undefined, GATEWAY_POD_SELECTOR);
  } catch {
    // Listing across namespaces may be forbidden; the plain message still holds.
  }
  if (elsewhere.length) {
    const names = elsewhere.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).join(', ');
    return t('kube.gw.noServiceElsewhere', { service: GATEWAY_SERVICE, namespace: GATEWAY_NAMESPACE, selector: GATEWAY_POD_SELECTOR, names, flag: URL_FLAG });
  }
  return t('kube.gw.noService', { service: GATEWAY_SERVICE, namespace: GATEWAY_NAMESPACE, command: `kubectl get services -n ${GATEWAY_NAMESPACE}` });
}
