/**
 * Destructive commands (deleting things from a cluster) run only against the
 * cluster the lesson began on. Lesson commands share the target's kubeconfig,
 * so one of them (`kubectl config use-context …`) could point the next at
 * another cluster; cleanup must not follow it there. Pure.
 */
import { t } from '../i18n/index.js';

const DESTRUCTIVE = [
  /\bkubectl\b[^\n;|&]*?\s(delete|drain)\b/,
  /\bkubectl\b[^\n;|&]*?\sreplace\b[^\n;|&]*--force\b/,
  /\bhelm\b[^\n;|&]*?\s(uninstall|delete)\b/,
  /\bistioctl\b[^\n;|&]*?\s(uninstall|x\s+uninstall)\b/,
];

/** Whether a command (as the shell reads it) deletes things from a cluster. */
export function isDestructive(run: string): boolean {
  const text = run.replace(/\\\n/g, ' ');
  return DESTRUCTIVE.some((re) => re.test(text));
}

export interface ContextInfo { context: string; server: string }

/** Why a destructive command must not run now, or undefined when the context is the one the lesson began on. */
export function contextDrift(began: ContextInfo, now: ContextInfo | undefined): string | undefined {
  if (!now) return t('session.driftNoContext', { began: began.context });
  if (now.context !== began.context || now.server !== began.server) {
    return t('session.driftOtherContext', { context: now.context, server: now.server || t('session.noServer'), began: began.context, beganServer: began.server });
  }
  return undefined;
}
