import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where kubetutor keeps what it remembers between runs (progress, trusted lessons, process records, the error log). */
export function stateDir(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'kubetutor');
}
