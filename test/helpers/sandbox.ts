/** Test helpers: a fast sandbox, and the real kubectl binaries pointed at it. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { realpathSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';
import { freePort } from './ports.js';

export { freePort };

/** Pods get Ready quickly in tests; the shape of the lifecycle is unchanged. */
export const FAST = { podReadyMs: 60, backoffMs: 80, namespaceTerminationMs: 30 };

export function startFastSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ ...opts, timing: { ...FAST, ...opts.timing } });
}

// Looked up once per test file: the suite runs kubectl ~1,000 times, and a shell each time to find it
// blocked the worker (and the sandbox inside it) while it started.
const kubectlPaths = new Map<string, string>();

/** The dispatcher on PATH, or a versioned binary beside it (kubectl.1.29 …). */
export function kubectlPath(version?: string): string {
  const key = `${process.env.PATH}\0${version ?? ''}`;
  let path = kubectlPaths.get(key);
  if (path === undefined) kubectlPaths.set(key, (path = findKubectl(version)));
  return path;
}

function findKubectl(version?: string): string {
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
      { env: { ...process.env, KUBECONFIG: '', KUBECACHEDIR: sandbox.kubectlCacheDir, HOME: process.env.HOME ?? '/tmp', ...opts.env }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
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

/**
 * `kubectl port-forward` with the real kubectl; resolves with the local port it reports. The child
 * is pushed onto `track` so the caller's afterAll can stop it.
 */
export function kubectlPortForward(sb: Sandbox, args: string[], track: ChildProcess[], version?: string): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(kubectlPath(version), ['--kubeconfig', sb.kubeconfigPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '', KUBECACHEDIR: sb.kubectlCacheDir } });
  track.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/Forwarding from 127\.0\.0\.1:(\d+)/);
      if (m) resolve({ child, port: Number(m[1]), output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`kubectl port-forward exited ${code}: ${out}`)));
  });
}

/** Stops a child this test started and waits until it is gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

/**
 * The lesson's dashboard port (15032) moved to a free port, so that no test needs 127.0.0.1:15032
 * free: `flag` for the CLI (start, play, test, check), `ports` for a Session or selfTest.
 */
export async function movedDashboard(): Promise<{ port: number; flag: string[]; ports: Map<number, number> }> {
  const port = await freePort();
  return { port, flag: ['--port', `15032=${port}`], ports: new Map([[15032, port]]) };
}
