/**
 * `pods/NAME/exec` for the sandbox API server, over the two protocols kubectl
 * 1.27–1.33 and client-node use: a WebSocket (`v5.channel.k8s.io`, or v4) and
 * the SPDY/3.1 upgrade (`X-Stream-Protocol-Version: v4.channel.k8s.io`).
 * A WebSocket offering neither subprotocol is refused with a 400, which makes
 * kubectl fall back to SPDY at once.
 *
 * Authentication, the pod and container checks are the API server's job
 * before calling handleExecUpgrade; what runs is the `run` callback's
 * (the simulated containers, see ../container/).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { headerList, rejectUpgrade, tuneSocket } from '../streaming/upgrade-http.js';
import { EXEC_V4, EXEC_WS_PROTOCOLS, handleWebSocketExec } from './websocket.js';
import { serveSpdyExec } from './spdy.js';
import { execRequestProblem, parseExecQuery, type ExecRequest } from './request.js';
import type { ExecRunner } from './process-io.js';

export { parseExecQuery, type ExecRequest } from './request.js';
export type { ExecIO, ExecOutcome, ExecRunner } from './process-io.js';

/** SPDY stream protocols a kubectl may offer for exec (newest first). */
const SPDY_EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/**
 * Takes over an authenticated upgrade request for `.../pods/NAME/exec` whose
 * pod and container the API server has checked.
 */
/** Which protocol an accepted exec runs over (null: refused). */
export type ExecTransport = 'websocket' | 'spdy';

export function handleExecUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, run: ExecRunner): ExecTransport | null {
  socket.on('error', () => {});
  const exec: ExecRequest = parseExecQuery(req.url);
  const problem = execRequestProblem(exec);
  if (problem) {
    rejectUpgrade(socket, 400, 'BadRequest', problem);
    return null;
  }
  const upgrade = (req.headers.upgrade ?? '').trim().toLowerCase();

  if (upgrade === 'websocket') {
    const offered = headerList(req.headers['sec-websocket-protocol']);
    if (!EXEC_WS_PROTOCOLS.some((p) => offered.includes(p))) {
      rejectUpgrade(socket, 400, 'BadRequest', `unable to upgrade: no supported WebSocket subprotocol among [${offered.join(', ')}]; this server accepts ${EXEC_WS_PROTOCOLS.join(', ')}`);
      return null;
    }
    tuneSocket(socket);
    handleWebSocketExec(req, socket, head, exec, run);
    return 'websocket';
  }

  if (upgrade === 'spdy/3.1') {
    const versions = headerList(req.headers['x-stream-protocol-version']);
    if (!versions.some((v) => SPDY_EXEC_PROTOCOLS.includes(v))) {
      rejectUpgrade(socket, 400, 'BadRequest', `unable to upgrade connection: unable to negotiate protocol: client supports [${versions.join(', ')}], server accepts [${SPDY_EXEC_PROTOCOLS.join(', ')}]`);
      return null;
    }
    tuneSocket(socket);
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${EXEC_V4}\r\n\r\n`);
    serveSpdyExec(socket, head, exec, run);
    return 'spdy';
  }

  rejectUpgrade(socket, 400, 'BadRequest', `unable to upgrade: unsupported upgrade "${req.headers.upgrade ?? ''}"; exec needs a WebSocket or SPDY/3.1 upgrade`);
  return null;
}
