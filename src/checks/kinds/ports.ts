/**
 * port-open / port-closed: does something accept TCP connections on 127.0.0.1:port?
 *
 * When nothing listens on the dashboard's port (15032) and the env can tell
 * which Istio runs (`env.istio`), port-open also says which forward reaches
 * Jaeger on this cluster and why: the source document's forward of the
 * ingress gateway's 15032 only works where a Gateway listens there.
 */
import net from 'node:net';
import { DASHBOARD_PORT, dashboardAccessOn, type IstioFacts } from '../../cluster/era.js';
import { t } from '../../i18n/index.js';
import { failed, passed } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';

export interface PortFacts {
  port: number;
  /** open: a connection was accepted; refused: nothing listens; timeout: no answer in time. */
  state: 'open' | 'refused' | 'timeout' | 'error';
  /** The socket error code or message, for 'error'. */
  error?: string;
  /** port-open on the dashboard port, not open: the installed Istio, when the env could tell. */
  istio?: Pick<IstioFacts, 'era' | 'gatewayListens15032' | 'dashboard'>;
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
      return t('check.port.accepts', { port: f.port });
    case 'refused':
      return t('check.port.refused', { port: f.port });
    case 'timeout':
      return t('check.port.timeout', { port: f.port, seconds: CONNECT_TIMEOUT_MS / 1000 });
    default:
      return t('check.port.error', { port: f.port, error: f.error ?? t('check.port.unknownError') });
  }
}

/** Which forward serves the Jaeger dashboard on this cluster, and why (for a port that is not open). */
export function dashboardDiagnosis(istio: Pick<IstioFacts, 'era' | 'gatewayListens15032' | 'dashboard'>): string[] {
  const d = istio.dashboard;
  const lines = [t('check.port.onThisCluster', { why: d.why })];
  lines.push(d.alternative ? t('check.port.forwardOrAlternative', { command: d.command, alternative: d.alternative }) : t('check.port.forward', { command: d.command }));
  return lines;
}

export const portOpenCheck: CheckKindModule<CheckOf<'port-open'>, PortFacts> = {
  kind: 'port-open',
  async gather(check, env) {
    const facts = await probePort(check.port, env.signal);
    if (facts.state !== 'open' && check.port === (env.dashboardPort ?? DASHBOARD_PORT) && env.istio) {
      const istio = await env.istio().catch(() => undefined);
      if (istio) facts.istio = { era: istio.era, gatewayListens15032: istio.gatewayListens15032, dashboard: dashboardAccessOn(istio.dashboard, check.port) };
    }
    return facts;
  },
  judge(check, facts) {
    if (facts.state === 'open') return passed(t('check.port.listens', { port: check.port }));
    const diagnosis =
      facts.state === 'refused'
        ? [t('check.port.nothingWhy', { port: check.port })]
        : [t('check.port.unclean', { state: facts.error ? `${facts.state}: ${facts.error}` : facts.state })];
    if (facts.istio) diagnosis.push(...dashboardDiagnosis(facts.istio));
    return failed(check, t('check.port.nothing', { port: check.port }), { expected: t('check.port.expectListener', { port: check.port }), found: describe(facts), diagnosis });
  },
};

export const portClosedCheck: CheckKindModule<CheckOf<'port-closed'>, PortFacts> = {
  kind: 'port-closed',
  gather: (check, env) => probePort(check.port, env.signal),
  judge(check, facts) {
    if (facts.state !== 'open') return passed(t('check.port.nothing', { port: check.port }));
    return failed(check, t('check.port.stillListens', { port: check.port }), {
      expected: t('check.port.expectNothing', { port: check.port }),
      found: describe(facts),
      diagnosis: [t('check.port.stopHolder', { port: check.port })],
    });
  },
};
