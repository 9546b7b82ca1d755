/** process: a background process this runner started is running (or stopped). */
import { failed, passed } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';

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
          ? failed(check, `still running: ${running!.join(', ')}`, { expected: 'every process kubetutor started stopped', found: `running: ${running!.join(', ')}`, diagnosis: ['press x to stop the background processes kubetutor started (only those)'] })
          : passed('every process kubetutor started has stopped');
      }
      return state === 'running' ? passed(`running: ${running!.join(', ')}`) : failed(check, 'no background process is running', { expected: 'a background process running', found: 'none' });
    }
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
