/** process: a background process this runner started is running (or stopped). */
import { failed, passed } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';
import { t } from '../../i18n/index.js';

export interface ProcessFacts {
  state: 'running' | 'stopped' | 'unknown';
  /** For `name: '*'`: the ones still running. */
  running?: string[];
}

export const processCheck: CheckKindModule<CheckOf<'process'>, ProcessFacts> = {
  kind: 'process',
  async gather(check, env) {
    if (check.name === '*') {
      const all = env.processes?.() ?? [];
      const running = all.filter((p) => p.state === 'running').map((p) => p.name);
      return { state: running.length ? 'running' : all.length ? 'stopped' : 'unknown', running };
    }
    // The runner may know finer states (exited, failed): anything not running has stopped.
    const s: string = env.processState(check.name);
    return { state: s === 'running' || s === 'unknown' ? s : 'stopped' };
  },
  judge(check, { state, running }) {
    if (check.name === '*') {
      if (check.state === 'stopped') {
        return state === 'running'
          ? failed(check, t('kinds.proc.stillRunningAll', { names: running!.join(', ') }), { expected: t('kinds.proc.allStoppedExpected'), found: t('kinds.proc.runningNames', { names: running!.join(', ') }), diagnosis: [t('kinds.proc.pressX')] })
          : passed(t('kinds.proc.allStopped'));
      }
      return state === 'running' ? passed(t('kinds.proc.runningNames', { names: running!.join(', ') })) : failed(check, t('kinds.proc.noneRunning'), { expected: t('kinds.proc.oneRunningExpected'), found: t('check.common.none') });
    }
    const name = check.name;
    if (state === check.state) return passed(state === 'running' ? t('kinds.proc.isRunning', { name }) : t('kinds.proc.isStopped', { name }));
    const expected = check.state === 'running' ? t('kinds.proc.expectRunning', { name }) : t('kinds.proc.expectStopped', { name });
    if (check.state === 'running') {
      return state === 'unknown'
        ? failed(check, t('kinds.proc.notStarted', { name }), { expected, found: t('screen.bg.notStarted'), diagnosis: [t('kinds.proc.runIt', { name })] })
        : failed(check, t('kinds.proc.notRunning', { name }), { expected, found: t('screen.bg.stopped'), diagnosis: [t('kinds.proc.restart', { name })] });
    }
    if (state === 'unknown') return passed(t('kinds.proc.neverStarted', { name }));
    return failed(check, t('kinds.proc.stillRunning', { name }), { expected, found: t('screen.state.running'), diagnosis: [t('kinds.proc.stopIt', { name })] });
  },
};
