/** port-open / port-closed: does something accept TCP connections on 127.0.0.1:port? */
import net from 'node:net';
import { failed, passed } from './common.js';
import type { CheckKindModule, CheckOf } from './types.js';

export interface PortFacts {
  port: number;
  /** open: a connection was accepted; refused: nothing listens; timeout: no answer in time. */
  state: 'open' | 'refused' | 'timeout' | 'error';
  /** The socket error code or message, for 'error'. */
  error?: string;
}

const CONNECT_TIMEOUT_MS = 1000;

/** One TCP connect to 127.0.0.1:port, closed straight away. */
export function probePort(port: number, signal?: AbortSignal, timeoutMs = CONNECT_TIMEOUT_MS): Promise<PortFacts> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let settled = false;
    const done = (f: PortFacts) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(f);
    };
    const onAbort = () => done({ port, state: 'error', error: 'cancelled' });
    const timer = setTimeout(() => done({ port, state: 'timeout' }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done({ port, state: 'open' }));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? { port, state: 'refused' } : { port, state: 'error', error: e.code ?? e.message }));
  });
}

function describe(f: PortFacts): string {
  switch (f.state) {
    case 'open':
      return `127.0.0.1:${f.port} accepts connections`;
    case 'refused':
      return `connection to 127.0.0.1:${f.port} refused: nothing listens there`;
    case 'timeout':
      return `no answer from 127.0.0.1:${f.port} within ${CONNECT_TIMEOUT_MS / 1000} s`;
    default:
      return `connecting to 127.0.0.1:${f.port} failed: ${f.error ?? 'unknown error'}`;
  }
}

export const portOpenCheck: CheckKindModule<CheckOf<'port-open'>, PortFacts> = {
  kind: 'port-open',
  gather: (check, env) => probePort(check.port, env.signal),
  judge(check, facts) {
    if (facts.state === 'open') return passed(`something listens on 127.0.0.1:${check.port}`);
    const diagnosis =
      facts.state === 'refused'
        ? [`nothing listens on port ${check.port}: is the port-forward running? Start it (the runner shows its background processes), and check its output for errors`]
        : [`the port did not answer cleanly (${facts.state}${facts.error ? `: ${facts.error}` : ''}): a firewall or a hung process may hold it`];
    return failed(check, `nothing listens on 127.0.0.1:${check.port}`, { expected: `a listener on 127.0.0.1:${check.port}`, found: describe(facts), diagnosis });
  },
};

export const portClosedCheck: CheckKindModule<CheckOf<'port-closed'>, PortFacts> = {
  kind: 'port-closed',
  gather: (check, env) => probePort(check.port, env.signal),
  judge(check, facts) {
    if (facts.state !== 'open') return passed(`nothing listens on 127.0.0.1:${check.port}`);
    return failed(check, `something still listens on 127.0.0.1:${check.port}`, {
      expected: `nothing listening on 127.0.0.1:${check.port}`,
      found: describe(facts),
      diagnosis: [`stop the process that holds port ${check.port} (a port-forward still running? stop it with Ctrl-C, or from the runner's process list); lsof -i :${check.port} shows which process it is`],
    });
  },
};
