/**
 * Runs a command with /proc hidden, as on a machine that has none (macOS): a private mount
 * namespace with an empty tmpfs over /proc, so kubetutor — and node, kubectl, bash under it —
 * find no /proc at all. `ps` and `lsof` stay the real binaries: on Linux they read /proc
 * themselves (macOS's ask the kernel through sysctl), so each call of theirs gets a real procfs
 * back, in a mount namespace of its own for that one process (the wrappers below). Nothing of
 * their output is faked. The test itself runs outside, with /proc, and observes.
 *
 * (The tests cannot simply run vitest in there: vitest itself hangs without /proc.)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why /proc cannot be hidden here (unshare -m refused), or undefined when it can. */
export function noProcUnavailable(): string | undefined {
  try {
    execFileSync('unshare', ['-m', '--propagation', 'private', 'true'], { stdio: 'ignore' });
  } catch {
    return 'unshare -m is not allowed on this machine (it needs root or user namespaces): the code paths without /proc are not tested here';
  }
  for (const tool of ['ps', 'lsof']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (apt-get install procps lsof)`;
    }
  }
  return undefined;
}

/**
 * A shell command line that runs `command` with /proc hidden. `realProc` (a folder of the
 * caller's) gets a real procfs inside the namespace, for the ps and lsof wrappers only.
 */
export function noProcShell(command: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubetutor-no-proc-'));
  const realProc = join(dir, 'real-proc');
  const bin = join(dir, 'bin');
  execFileSync('mkdir', ['-p', realProc, bin]);
  for (const tool of ['ps', 'lsof']) {
    const path = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, tool), `#!/bin/sh\n# The real ${tool}, given a real /proc in a mount namespace of its own (test/helpers/no-proc.ts).\nexec unshare -m sh -c 'mount --bind "$0" /proc && exec "$@"' '${realProc}' '${path}' "$@"\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  const inner = [
    `mount -t proc proc '${realProc}'`,
    'mount -t tmpfs -o size=64k,mode=555 kubetutor-no-proc /proc',
    'test ! -e /proc/self || { echo "/proc is still visible" >&2; exit 99; }',
    `export PATH='${bin}':"$PATH"`,
    `exec ${command}`,
  ].join(' && ');
  return `unshare -m --propagation private sh -c ${shellQuote(inner)}`;
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
