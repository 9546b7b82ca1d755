/** process: a background process this runner started is running (or stopped). */
import { failed, passed } from './common.js';
import type { CheckKindModule, CheckOf } from './types.js';

export interface ProcessFacts {
  state: 'running' | 'stopped' | 'unknown';
}

export const processCheck: CheckKindModule<CheckOf<'process'>, ProcessFacts> = {
  kind: 'process',
  async gather(check, env) {
    // The runner may know finer states (exited, failed): anything not running has stopped.
    const s: string = env.processState(check.name);
    return { state: s === 'running' || s === 'unknown' ? s : 'stopped' };
  },
  judge(check, { state }) {
    if (state === check.state) return passed(`${check.name} is ${state}`);
    const expected = `${check.name} ${check.state}`;
    if (check.state === 'running') {
      return state === 'unknown'
        ? failed(check, `${check.name} has not been started`, { expected, found: 'not started', diagnosis: [`run the step's ${check.name} command: the runner starts it in the background and keeps it running`] })
        : failed(check, `${check.name} is not running`, { expected, found: 'stopped', diagnosis: [`${check.name} stopped: look at its last output in the runner's process list, then start it again`] });
    }
    if (state === 'unknown') return passed(`${check.name} is not running (never started)`);
    return failed(check, `${check.name} is still running`, { expected, found: 'running', diagnosis: [`stop ${check.name} from the runner's process list`] });
  },
};
