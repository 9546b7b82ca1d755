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
import { t } from '../../i18n/index.js';

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
    if (hits.length) {
      const id = hits[hits.length - 1].traceID.slice(0, 12);
      return passed(want ? t('kinds.opened.passedOf', { id, service: want }) : t('kinds.opened.passed', { id }));
    }
    return failed(check, want ? t('kinds.opened.noneOf', { service: want }) : t('kinds.opened.none'), {
      expected: want ? t('check.title.traceOpenedOf', { service: want }) : t('check.title.traceOpened'),
      found: opened.length ? t('kinds.opened.onlyWithout', { service: want ?? '' }) : t('kinds.opened.noneInSession'),
      diagnosis: [t('kinds.opened.how')],
    });
  },
};
