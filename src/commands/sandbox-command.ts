/** `kubetutor sandbox`: the embedded cluster in the foreground. */
import { userError } from '../user-error.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from './args.js';
import { t } from '../i18n/index.js';

export function defaultKubeconfigPath(): string {
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'kubetutor', 'sandbox.kubeconfig');
}

export async function sandboxCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    scenario: { type: 'string', default: 'ready' },
    port: { type: 'string', default: '0' },
    'kubeconfig-out': { type: 'string' },
    'list-scenarios': { type: 'boolean', default: false },
  });
  if (positionals.length) throw userError(t('cli.unexpectedArgument', { arg: positionals[0] }));
  const { listScenarios } = await import('../sandbox/index.js');
  if (values['list-scenarios']) {
    const rows = listScenarios();
    const w = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) process.stdout.write(`${r.name.padEnd(w)}  ${r.description}\n`);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw userError(t('cmd.sandbox.badPort', { value: String(values.port) }));
  const { startSandbox, UnknownScenarioError, PortInUseError } = await import('../sandbox/index.js');
  let sandbox;
  try {
    sandbox = await startSandbox({ scenario: values.scenario as string, port, kubeconfigOut: (values['kubeconfig-out'] as string | undefined) ?? defaultKubeconfigPath() });
  } catch (e) {
    if (e instanceof UnknownScenarioError || e instanceof PortInUseError) throw userError(e.message);
    throw e;
  }
  process.stdout.write(`kubeconfig: ${sandbox.kubeconfigPath}\n`);
  process.stderr.write(
    `${t('cmd.sandbox.serving', { scenario: sandbox.scenario, url: sandbox.url })}\n` +
      `${t('cmd.sandbox.gateway', { url: `http://127.0.0.1:${sandbox.gatewayPort}` })}\n` +
      `${t('cmd.sandbox.try', { command: `kubectl --kubeconfig ${sandbox.kubeconfigPath} get pods -A` })}\n` +
      `${t('cmd.sandbox.stopHow')}\n`,
  );
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await sandbox.stop();
  process.stderr.write(`${t('cmd.sandbox.stopped')}\n`);
  return 0;
}
