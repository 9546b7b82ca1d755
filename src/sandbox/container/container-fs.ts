/**
 * The few files a simulated container has: /dev/null, /etc/hostname,
 * /etc/hosts, /etc/resolv.conf, the service account's namespace file, and
 * whatever commands write (`curl -o`, `>`), kept per container across execs
 * like a real container's writable layer, within a small size limit.
 */
import type { ContainerInfo } from './container-info.js';

/** Bytes one container's written files may take. */
const MAX_WRITTEN_BYTES = 4 * 1024 * 1024;

export class ContainerFsError extends Error {}

export class ContainerFs {
  private readonly fixed = new Map<string, string>();
  private readonly written = new Map<string, Buffer>();
  private cwd = '/';

  constructor(info: ContainerInfo) {
    this.fixed.set('/etc/hostname', `${info.podName}\n`);
    this.fixed.set('/etc/hosts', `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${info.podIp}\t${info.podName}\n`);
    this.fixed.set('/etc/resolv.conf', `search ${info.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`);
    this.fixed.set('/var/run/secrets/kubernetes.io/serviceaccount/namespace', info.namespace);
  }

  resolve(path: string): string {
    const abs = path.startsWith('/') ? path : `${this.cwd.replace(/\/$/, '')}/${path}`;
    const out: string[] = [];
    for (const seg of abs.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') out.pop();
      else out.push(seg);
    }
    return `/${out.join('/')}`;
  }

  /** File contents, or undefined when there is no such file. */
  read(path: string): Buffer | undefined {
    const p = this.resolve(path);
    if (p === '/dev/null') return Buffer.alloc(0);
    const fixed = this.fixed.get(p);
    if (fixed !== undefined) return Buffer.from(fixed, 'utf8');
    return this.written.get(p);
  }

  isDirectory(path: string): boolean {
    const p = this.resolve(path);
    if (['/', '/tmp', '/etc', '/dev', '/var', '/root', '/home', '/usr', '/bin'].includes(p)) return true;
    const prefix = `${p}/`;
    return [...this.fixed.keys(), ...this.written.keys()].some((k) => k.startsWith(prefix));
  }

  /** Writes (or appends to) a file; throws ContainerFsError in the shell's words. */
  write(path: string, data: Buffer, append = false): void {
    const p = this.resolve(path);
    if (p === '/dev/null' || p === '/dev/stdout' || p === '/dev/stderr') return;
    if (this.isDirectory(p)) throw new ContainerFsError(`can't create ${path}: Is a directory`);
    if (this.fixed.has(p)) throw new ContainerFsError(`can't create ${path}: Read-only file system`);
    const next = append ? Buffer.concat([this.written.get(p) ?? Buffer.alloc(0), data]) : data;
    let total = next.length;
    for (const [k, v] of this.written) if (k !== p) total += v.length;
    if (total > MAX_WRITTEN_BYTES) throw new ContainerFsError(`can't write ${path}: No space left on device`);
    this.written.set(p, next);
  }

  get workingDirectory(): string {
    return this.cwd;
  }

  changeDirectory(path: string): boolean {
    const p = this.resolve(path);
    if (!this.isDirectory(p)) return false;
    this.cwd = p;
    return true;
  }
}
