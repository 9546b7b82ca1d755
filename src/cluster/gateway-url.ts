/**
 * GATEWAY_URL, found the way Istio's docs find it: the `istio-ingressgateway`
 * Service's load balancer address and its `http2` port, or, without a load
 * balancer, the `http2` node port on the gateway pod's host (or a node's
 * InternalIP).
 */
import { ClusterError, type KubeClient } from './kube-client.js';
import type { KubeObject } from '../kube/types.js';

export const GATEWAY_NAMESPACE = 'istio-system';
export const GATEWAY_SERVICE = 'istio-ingressgateway';
export const GATEWAY_POD_SELECTOR = 'istio=ingressgateway';

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
    const known = ports.map((p) => `${p.name ?? '(unnamed)'} ${p.port}`).join(', ') || 'none';
    throw new GatewayUrlError(`Service ${GATEWAY_SERVICE} in ${GATEWAY_NAMESPACE} has no port named http2 (its ports: ${known}), so it is not clear which port serves HTTP; pass the address yourself (--url http://HOST:PORT/productpage)`);
  }

  // 1. An external load balancer: its address and the Service port.
  const ingress = ((svc.status as { loadBalancer?: { ingress?: LoadBalancerIngress[] } } | undefined)?.loadBalancer?.ingress ?? [])[0];
  const lbHost = ingress?.ip || ingress?.hostname;
  if (lbHost) return { url: hostPort(lbHost, http2.port), how: `LoadBalancer ingress ${lbHost}, port ${http2.port}` };

  // 2. No load balancer: the node port on a node's address.
  if (typeof http2.nodePort !== 'number') {
    throw new GatewayUrlError(
      `Service ${GATEWAY_SERVICE} in ${GATEWAY_NAMESPACE} has no load balancer address and its http2 port has no node port (type ${spec.type ?? 'ClusterIP'}); ` +
        `forward it instead (kubectl port-forward -n ${GATEWAY_NAMESPACE} svc/${GATEWAY_SERVICE} 8080:${http2.port}) and use --url http://localhost:8080/productpage`,
    );
  }
  const nodePort = http2.nodePort;
  const pending = spec.type === 'LoadBalancer' ? 'no load balancer address (EXTERNAL-IP pending)' : 'no load balancer';
  const reasons: string[] = [];

  try {
    const pods = await client.list('v1', 'Pod', GATEWAY_NAMESPACE, GATEWAY_POD_SELECTOR);
    const pod = pickGatewayPod(pods);
    if (pod) {
      const hostIP = (pod.status as { hostIP?: string }).hostIP!;
      return { url: hostPort(hostIP, nodePort), how: `node port ${nodePort} (http2) on the gateway pod's host ${hostIP} — ${pending}` };
    }
    reasons.push(pods.length ? `no gateway pod (${GATEWAY_POD_SELECTOR}) has a host IP yet` : `no pod in ${GATEWAY_NAMESPACE} matches ${GATEWAY_POD_SELECTOR}`);
  } catch (e) {
    if (!(e instanceof ClusterError) || e.kind === 'unreachable' || e.kind === 'unauthorized') throw e;
    reasons.push(e.message);
  }

  try {
    const nodes = await client.list('v1', 'Node');
    const node = pickNode(nodes);
    if (node) {
      return { url: hostPort(node.ip, nodePort), how: `node port ${nodePort} (http2) on node ${node.name}'s InternalIP ${node.ip} — ${pending}, and ${reasons[0]}` };
    }
    reasons.push('no node has an InternalIP');
  } catch (e) {
    if (!(e instanceof ClusterError) || e.kind === 'unreachable' || e.kind === 'unauthorized') throw e;
    reasons.push(e.message);
  }
  throw new GatewayUrlError(`the ingress gateway has node port ${nodePort} (http2), but no node address was found: ${reasons.join('; ')}`);
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
  const base = `there is no Service ${GATEWAY_SERVICE} in namespace ${GATEWAY_NAMESPACE}`;
  let elsewhere: KubeObject[] = [];
  try {
    elsewhere = await client.list('v1', 'Service', undefined, GATEWAY_POD_SELECTOR);
  } catch {
    // Listing across namespaces may be forbidden; the plain message still holds.
  }
  if (elsewhere.length) {
    const names = elsewhere.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).join(', ');
    return `${base}; gateway Services labelled ${GATEWAY_POD_SELECTOR}: ${names}. Pass the address yourself (--url http://HOST:PORT/productpage)`;
  }
  return `${base}: is Istio installed with its ingress gateway? (kubectl get services -n ${GATEWAY_NAMESPACE})`;
}
