/** The target flags every lesson command shares: --sandbox[=S] | --kubeconfig F --context C. */
import type { TargetOptions } from '../cluster/target.js';

export const TARGET_OPTIONS = {
  sandbox: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  lessons: { type: 'string', multiple: true },
} as const;

/** `--sandbox` may stand alone (default scenario) or carry `=SCENARIO`; parseArgs wants a value, so give it one. */
export function normalizeSandboxFlag(argv: string[]): string[] {
  return argv.map((a) => (a === '--sandbox' ? '--sandbox=' : a));
}

export function targetOptions(values: { sandbox?: string; kubeconfig?: string; context?: string }): TargetOptions {
  return {
    sandbox: values.sandbox === undefined ? undefined : values.sandbox || true,
    kubeconfig: values.kubeconfig,
    context: values.context,
  };
}
