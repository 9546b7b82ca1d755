/**
 * Which cluster a lesson runs against: the embedded sandbox (the default), or
 * a real cluster found the way kubectl finds it. The label is always shown,
 * so nobody acts on a cluster without seeing which one.
 */
import { t } from '../i18n/index.js';
import { userError } from '../user-error.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import YAML from 'yaml';
import type { Sandbox } from '../sandbox/index.js';
import type { KubeClient } from './kube-client.js';
import { writeKubeconfig } from '../kube/kubeconfig-file.js';

export interface TargetOptions {
  /** A scenario name, or true for the default scenario. */
  sandbox?: string | boolean;
  kubeconfig?: string;
  context?: string;
  /** Sandbox tuning for tests. */
  sandboxTiming?: { podReadyMs?: number; backoffMs?: number; namespaceTerminationMs?: number };
}

export interface Target {
  kind: 'sandbox' | 'cluster';
  /** What the UI shows: `sandbox (scenario ready)` or `context prod-eu (https://…)`. */
  label: string;
  /** Names the progress file: one per lesson and target. */
  key: string;
  /** A kubeconfig whose current context is the target: commands get it as KUBECONFIG. */
  kubeconfigPath: string;
  context: string;
  sandbox?: Sandbox;
  client(): Promise<KubeClient>;
  close(): Promise<void>;
}


export async function openTarget(opts: TargetOptions): Promise<Target> {
  if (wantsCluster(opts)) {
    if (opts.sandbox) throw userError(t('kube.target.both'));
    return openCluster(opts.kubeconfig, opts.context);
  }
  const scenario = sandboxScenario(opts);
  const { startSandbox, UnknownScenarioError } = await import('../sandbox/index.js');
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({ scenario, timing: opts.sandboxTiming });
  } catch (e) {
    if (e instanceof UnknownScenarioError) throw userError(e.message);
    throw e;
  }
  let client: KubeClient | undefined;
  return {
    kind: 'sandbox',
    ...sandboxTarget(scenario),
    kubeconfigPath: sandbox.kubeconfigPath,
    context: 'kubetutor-sandbox',
    sandbox,
    async client() {
      const { KubeClient } = await import('./kube-client.js');
      return (client ??= KubeClient.fromKubeconfigText(sandbox.kubeconfig));
    },
    close: () => sandbox.stop(),
  };
}

/** Whether these options name a real cluster rather than the sandbox. */
export const wantsCluster = (opts: TargetOptions): boolean => Boolean(opts.kubeconfig || opts.context);

/** The sandbox scenario these options ask for (when they ask for the sandbox). */
export function sandboxScenario(opts: TargetOptions): string {
  return typeof opts.sandbox === 'string' && opts.sandbox ? opts.sandbox : 'ready';
}

/** How a sandbox target is shown and which progress file it keeps (known before the sandbox starts). */
export function sandboxTarget(scenario: string): { label: string; key: string } {
  return { label: t('cluster.sandboxLabel', { scenario }), key: `sandbox-${scenario}` };
}

/** The current context of a kubeconfig file and its cluster's server, as kubectl would read them now. */
export function currentContextOf(kubeconfigPath: string): { context: string; server: string } | undefined {
  try {
    const doc = YAML.parse(readFileSync(kubeconfigPath, 'utf8')) as Record<string, unknown>;
    const name = doc['current-context'] as string | undefined;
    if (!name) return undefined;
    const ctx = ((doc.contexts as Array<{ name: string; context?: { cluster?: string } }>) ?? []).find((c) => c.name === name);
    const cluster = ((doc.clusters as Array<{ name: string; cluster?: { server?: string } }>) ?? []).find((c) => c.name === ctx?.context?.cluster);
    return { context: name, server: cluster?.cluster?.server ?? '' };
  } catch {
    return undefined;
  }
}

/** The kubeconfig files kubectl would read: $KUBECONFIG (a path list) or ~/.kube/config. */
export function defaultKubeconfigFiles(): string[] {
  const env = process.env.KUBECONFIG;
  if (env) return env.split(delimiter).filter(Boolean);
  return [join(homedir(), '.kube', 'config')];
}

async function openCluster(file: string | undefined, context: string | undefined): Promise<Target> {
  const files = file ? [file] : defaultKubeconfigFiles();
  let doc: Record<string, unknown> | undefined;
  for (const f of files) {
    try {
      doc = YAML.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
      file = f;
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw userError(t('kube.target.unreadable', { file: f, error: (e as Error).message.split('\n')[0] }));
    }
  }
  if (!doc || !file) throw userError(t('kube.target.noKubeconfig', { files: files.join(', ') }));
  const contexts = (doc.contexts as Array<{ name: string; context: { cluster: string } }>) ?? [];
  const ctxName = context ?? (doc['current-context'] as string | undefined);
  const ctx = contexts.find((c) => c.name === ctxName);
  if (!ctxName || !ctx) throw userError(t('kube.target.noContext', { context: ctxName ?? '', file, known: contexts.map((c) => c.name).join(', ') || t('kube.none') }));
  const cluster = ((doc.clusters as Array<{ name: string; cluster: { server: string } }>) ?? []).find((c) => c.name === ctx.context.cluster);
  // Commands get a copy whose current context is the chosen one (mode 0600, removed on close).
  const dir = mkdtempSync(join(tmpdir(), 'kubetutor-'));
  const path = join(dir, 'kubeconfig');
  writeKubeconfig(path, YAML.stringify({ ...doc, 'current-context': ctxName }));
  let client: KubeClient | undefined;
  return {
    kind: 'cluster',
    label: t('target.context', { context: ctxName, server: cluster?.cluster.server ?? t('target.unknownServer') }),
    key: `context-${ctxName.replace(/[^A-Za-z0-9_.-]/g, '_')}`,
    kubeconfigPath: path,
    context: ctxName,
    async client() {
      const { KubeClient } = await import('./kube-client.js');
      return (client ??= KubeClient.fromFile(path, ctxName));
    },
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
