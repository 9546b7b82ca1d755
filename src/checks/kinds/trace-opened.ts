/**
 * trace-opened: the learner opened a trace in kubetutor's trace viewer during this
 * session. The viewer (inline, or `kubetutor traces` run from a lesson command)
 * appends `TRACE_ID SERVICE,SERVICE…` lines (the services in the trace) to a file in the session's directory, which
 * lesson commands find as $KUBETUTOR_SESSION_DIR.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { failed, passed } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';

import { TRACES_OPENED_FILE } from '../../traces/opened-marker.js';

export interface OpenedFacts {
  opened: Array<{ traceID: string; services: string[] }>;
}

export const traceOpenedCheck: CheckKindModule<CheckOf<'trace-opened'>, OpenedFacts> = {
  kind: 'trace-opened',
  async gather(_check, env) {
    const dir = env.env.KUBETUTOR_SESSION_DIR;
    if (!dir) return { opened: [] };
    const text = await readFile(join(dir, TRACES_OPENED_FILE), 'utf8').catch(() => '');
    return {
      opened: text
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [traceID, services = ''] = l.split(' ');
          return { traceID, services: services.split(',').filter(Boolean) };
        }),
    };
  },
  judge(check, { opened }) {
    const want = check.service;
    // `productpage` also matches Istio 1.1+'s `productpage.default`.
    const hits = opened.filter((o) => !want || o.services.some((s) => s === want || s.startsWith(`${want}.`)));
    if (hits.length) return passed(`you opened trace ${hits[hits.length - 1].traceID.slice(0, 12)}${want ? ` of ${want}` : ''}`);
    return failed(check, `no trace${want ? ` of ${want}` : ''} opened yet`, {
      expected: `a trace${want ? ` of ${want}` : ''} opened in the trace viewer`,
      found: opened.length ? `opened only traces without ${want}` : 'none opened in this session',
      diagnosis: ['press t to open the trace viewer (or run the step\'s kubetutor traces command), then Enter on the most recent trace'],
    });
  },
};
