/** Test helpers: a fast sandbox, and the real kubectl binaries pointed at it. */
import { execFile } from 'node:child_process';
import { realpathSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';

/** Pods get Ready quickly in tests; the shape of the lifecycle is unchanged. */
export const FAST = { podReadyMs: 60, backoffMs: 80, namespaceTerminationMs: 30 };

export function startFastSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ ...opts, timing: { ...FAST, ...opts.timing } });
}

/** The dispatcher on PATH, or a versioned binary beside it (kubectl.1.29 …). */
export function kubectlPath(version?: string): string {
  const onPath = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  if (!version) return onPath;
  const real = join(dirname(realpathSync(onPath)), `kubectl.${version}`);
  if (!existsSync(real)) throw new Error(`kubectl.${version} is not installed beside ${realpathSync(onPath)}`);
  return real;
}

export interface Run { code: number; stdout: string; stderr: string }

export function kubectl(sandbox: Sandbox, args: string[], opts: { version?: string; env?: Record<string, string>; timeoutMs?: number; input?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      kubectlPath(opts.version),
      ['--kubeconfig', sandbox.kubeconfigPath, ...args],
      { env: { ...process.env, KUBECONFIG: '', HOME: process.env.HOME ?? '/tmp', ...opts.env }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
    if (opts.input !== undefined) {
      child.stdin!.end(opts.input);
    }
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns a truthy value (or throws after `ms`). */
export async function eventually<T>(fn: () => T | Promise<T>, ms = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
