/**
 * Pod port-forward for the sandbox API server: the three protocols real
 * clients use against `.../pods/NAME/portforward`.
 *
 * - WebSocket, subprotocol `v4.channel.k8s.io` (@kubernetes/client-node).
 * - WebSocket tunnel, subprotocol `SPDY/3.1+portforward.k8s.io` (kubectl 1.31+
 *   default): a SPDY/3.1 byte stream inside binary messages.
 * - SPDY/3.1 upgrade (`POST`, `Upgrade: SPDY/3.1`,
 *   `X-Stream-Protocol-Version: portforward.k8s.io`) — kubectl ≤ 1.30, or any
 *   kubectl when the tunnel is refused or `KUBECTL_PORT_FORWARD_WEBSOCKETS=false`.
 *
 * Authentication, the pod lookup and the "pod is not running" check are the
 * API server's job before calling handlePortForwardUpgrade.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { SpdyPortForwardSession } from './spdy-session.js';
import { headerList, rejectUpgrade, tuneSocket } from '../streaming/upgrade-http.js';
import type { PodConnector } from './util.js';
import { CHANNEL_PROTOCOL_V4, handleChannelPortForward, parsePortsQuery } from './websocket-channel.js';
import {
  WS_TUNNEL_PROTOCOL,
  WebSocketTunnelStream,
  websocketAcceptResponse,
  websocketHandshakeProblem,
} from './ws-tunnel.js';

export type { PodConnector } from './util.js';

/** The SPDY stream protocol kubectl asks for in X-Stream-Protocol-Version. */
export const PORT_FORWARD_STREAM_PROTOCOL = 'portforward.k8s.io';

const PORT_FORWARD_PATH = /^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/portforward\/?$/;

function requestPath(req: IncomingMessage): string {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function upgradeToken(req: IncomingMessage): string {
  return (req.headers.upgrade ?? '').trim().toLowerCase();
}

/**
 * True when this request is a port-forward upgrade this module can handle (for
 * the server's router): an `Upgrade: websocket` or `Upgrade: SPDY/...`
 * request for `/api/v1/namespaces/NS/pods/NAME/portforward`. Unsupported
 * subprotocols on that path are still routed here and get a 400 Status.
 */
export function isPortForwardUpgrade(req: IncomingMessage): boolean {
  if (!PORT_FORWARD_PATH.test(requestPath(req))) return false;
  const upgrade = upgradeToken(req);
  return upgrade === 'websocket' || upgrade.startsWith('spdy/');
}

/**
 * Take over an HTTP upgrade request for .../pods/NAME/portforward that the API
 * server has already authenticated and whose pod exists and is Running.
 * Handles WebSocket v4.channel.k8s.io, kubectl's WebSocket tunnel and
 * kubectl's SPDY/3.1 upgrade. Anything else gets a 400 kind:Status JSON
 * response and the socket closed. `head` is the buffer from the server's
 * 'upgrade' event (bytes that arrived after the request headers).
 */
export function handlePortForwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, connect: PodConnector): void {
  // Until a protocol handler owns the socket, errors on it must not go unhandled.
  socket.on('error', () => {});
  const upgrade = upgradeToken(req);

  if (upgrade === 'websocket') {
    const offered = headerList(req.headers['sec-websocket-protocol']);
    if (offered.includes(WS_TUNNEL_PROTOCOL)) {
      acceptTunnel(req, socket, head, connect);
      return;
    }
    if (offered.includes(CHANNEL_PROTOCOL_V4)) {
      const problem = websocketHandshakeProblem(req);
      if (problem !== null) {
        rejectUpgrade(socket, 400, 'BadRequest', problem);
        return;
      }
      const ports = parsePortsQuery(req.url);
      if (typeof ports === 'string') {
        rejectUpgrade(socket, 400, 'BadRequest', ports);
        return;
      }
      tuneSocket(socket);
      handleChannelPortForward(req, socket, head, ports, connect);
      return;
    }
    rejectUpgrade(
      socket,
      400,
      'BadRequest',
      `unable to upgrade: no supported WebSocket subprotocol among [${offered.join(', ')}]; ` +
        `this server accepts ${CHANNEL_PROTOCOL_V4} and ${WS_TUNNEL_PROTOCOL}`,
    );
    return;
  }

  if (upgrade === 'spdy/3.1') {
    const versions = headerList(req.headers['x-stream-protocol-version']);
    if (!versions.includes(PORT_FORWARD_STREAM_PROTOCOL)) {
      rejectUpgrade(
        socket,
        400,
        'BadRequest',
        `unable to upgrade connection: unable to negotiate protocol: client supports [${versions.join(', ')}], ` +
          `server accepts [${PORT_FORWARD_STREAM_PROTOCOL}]`,
      );
      return;
    }
    tuneSocket(socket);
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Connection: Upgrade\r\n' +
        'Upgrade: SPDY/3.1\r\n' +
        `X-Stream-Protocol-Version: ${PORT_FORWARD_STREAM_PROTOCOL}\r\n` +
        '\r\n',
    );
    new SpdyPortForwardSession(socket, connect, { head });
    return;
  }

  rejectUpgrade(
    socket,
    400,
    'BadRequest',
    `unable to upgrade: unsupported upgrade "${req.headers.upgrade ?? ''}"; ` +
      'port-forward needs a WebSocket or SPDY/3.1 upgrade',
  );
}

function acceptTunnel(req: IncomingMessage, socket: Duplex, head: Buffer, connect: PodConnector): void {
  const problem = websocketHandshakeProblem(req);
  if (problem !== null) {
    rejectUpgrade(socket, 400, 'BadRequest', problem);
    return;
  }
  tuneSocket(socket);
  socket.write(websocketAcceptResponse(String(req.headers['sec-websocket-key']), WS_TUNNEL_PROTOCOL));
  const tunnel = new WebSocketTunnelStream(socket, head);
  new SpdyPortForwardSession(tunnel, connect);
}
