/**
 * Who holds a local TCP port, and which port is free instead. On Linux the
 * holder is found by reading /proc: the listening socket's inode from
 * /proc/net/tcp{,6}, then the process with an fd pointing at `socket:[inode]`.
 * Without /proc (macOS) lsof names the pid and ps its command line (see
 * process-table.ts). Processes we may not inspect (other users', without
 * privileges) are skipped. Nothing here signals a process: a holder is only
 * reported.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import net from 'node:net';
import { lsofListeners, procfsUsable, psInfo } from './process-table.js';
import { t } from '../i18n/index.js';

export interface PortHolder {
  pid: number;
  /** The process's command line, arguments joined by spaces. */
  command: string;
}

export interface ProcNetSocket {
  /** The local address, decoded (`127.0.0.1`, `::1`, `0.0.0.0`, `::`). */
  address: string;
  port: number;
  /** The kernel state, as the two hex digits /proc shows (`0A` is LISTEN). */
  state: string;
  inode: number;
  uid: number;
}

/** TCP_LISTEN in /proc/net/tcp's `st` column. */
export const TCP_LISTEN = '0A';

/** Parses the text of /proc/net/tcp or /proc/net/tcp6 (header line included). */
export function parseProcNetTcp(text: string): ProcNetSocket[] {
  const out: ProcNetSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode …
    if (f.length < 10 || !/^\d+:$/.test(f[0])) continue;
    const local = f[1].split(':');
    if (local.length !== 2) continue;
    const port = parseInt(local[1], 16);
    const inode = Number(f[9]);
    if (!Number.isFinite(port) || !Number.isFinite(inode)) continue;
    out.push({ address: decodeProcAddress(local[0]), port, state: f[3].toUpperCase(), inode, uid: Number(f[7]) });
  }
  return out;
}

/**
 * An address as /proc/net/tcp{,6} prints it: 32-bit words in host byte order
 * (little-endian on the machines we run on), 8 hex digits each.
 */
export function decodeProcAddress(hex: string): string {
  const words = hex.match(/[0-9A-Fa-f]{8}/g) ?? [];
  const bytes: number[] = [];
  for (const w of words) {
    const n = parseInt(w, 16);
    bytes.push(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) return hex;
  // IPv4-mapped (::ffff:a.b.c.d)
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** The inodes of the sockets listening on `port`, from /proc: IPv4 (`v4`) and IPv6 (`v6`) apart. */
export async function listeningInodes(port: number, procRoot = '/proc'): Promise<{ v4: Set<number>; v6: Set<number> }> {
  const found = { v4: new Set<number>(), v6: new Set<number>() };
  for (const [file, into] of [['net/tcp', found.v4], ['net/tcp6', found.v6]] as const) {
    let text: string;
    try {
      text = await readFile(`${procRoot}/${file}`, 'utf8');
    } catch {
      continue; // no IPv6, or not Linux
    }
    for (const s of parseProcNetTcp(text)) if (s.state === TCP_LISTEN && s.port === port && s.inode > 0) into.add(s.inode);
  }
  return found;
}

/**
 * The process listening on local TCP `port`, if it is one we may inspect (from /proc, or lsof and ps
 * without it). A forward binds 127.0.0.1, so an IPv4 listener is the one in its way: when another
 * process holds only the IPv6 side of the port (kubectl listens on both), the IPv4 holder is named.
 */
export async function whoHolds(port: number, procRoot = '/proc'): Promise<PortHolder | undefined> {
  if (!procfsUsable(procRoot)) {
    const [pid] = await lsofListeners(port);
    return pid === undefined ? undefined : { pid, command: await commandLine(pid, procRoot) };
  }
  const { v4, v6 } = await listeningInodes(port, procRoot);
  if (v4.size + v6.size === 0) return undefined;
  const socketsOf = (inodes: Set<number>) => new Set([...inodes].map((i) => `socket:[${i}]`));
  const [ipv4, ipv6] = [socketsOf(v4), socketsOf(v6)];
  let entries: string[];
  try {
    entries = await readdir(procRoot);
  } catch {
    return undefined;
  }
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number).sort((a, b) => a - b);
  let ipv6Holder: number | undefined;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await readdir(`${procRoot}/${pid}/fd`);
    } catch {
      continue; // not ours to look at, or gone
    }
    const links = await Promise.all(fds.map((fd) => readlink(`${procRoot}/${pid}/fd/${fd}`).catch(() => '')));
    if (links.some((l) => ipv4.has(l))) return { pid, command: await commandLine(pid, procRoot) };
    if (ipv6Holder === undefined && links.some((l) => ipv6.has(l))) ipv6Holder = pid;
  }
  return ipv6Holder === undefined ? undefined : { pid: ipv6Holder, command: await commandLine(ipv6Holder, procRoot) };
}

/** A process's command line (from /proc/PID/cmdline, or its name when that is empty). */
export async function commandLine(pid: number, procRoot = '/proc'): Promise<string> {
  if (!procfsUsable(procRoot)) return psInfo(pid)?.args || '?';
  try {
    const raw = await readFile(`${procRoot}/${pid}/cmdline`, 'utf8');
    const cmd = raw.split('\0').filter((s) => s.length > 0).join(' ').trim();
    if (cmd) return cmd;
  } catch {
    /* fall through */
  }
  try {
    return `[${(await readFile(`${procRoot}/${pid}/comm`, 'utf8')).trim()}]`;
  } catch {
    return '?';
  }
}

/** The process group of `pid` (field 5 of /proc/PID/stat), if readable. */
export async function processGroupOf(pid: number, procRoot = '/proc'): Promise<number | undefined> {
  if (!procfsUsable(procRoot)) return psInfo(pid)?.pgid;
  try {
    const stat = await readFile(`${procRoot}/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid pgrp …`: comm may hold spaces and parentheses; it ends at the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(rest[2]);
    return Number.isFinite(pgrp) ? pgrp : undefined;
  } catch {
    return undefined;
  }
}

/** "pid 123 (python3 -m http.server 15032)", shortened; or what we can say when the holder could not be seen. Pure. */
export function describeHolder(holder: PortHolder | undefined, max = 90): string {
  if (!holder) return t('proc.owner.unknown');
  // Another program's command line is outside text: no control characters reach the terminal.
  const text = holder.command.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').replace(/\s+/g, ' ').trim();
  const head = Math.ceil((max - 3) * 0.45);
  const cmd = text.length <= max ? text : `${text.slice(0, head)} … ${text.slice(text.length - (max - 3 - head))}`;
  return `pid ${holder.pid} (${cmd})`;
}

/** True when something already listens on 127.0.0.1:`port` (we try to listen there ourselves, and let go at once). */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (e: NodeJS.ErrnoException) => {
      // EADDRINUSE is the answer; anything else (EACCES on a low port…) also means we could not use it.
      resolve(e.code !== undefined);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(false));
    });
  });
}

/** The next free port above `port` (port+1 … port+`span`), or else one the kernel picks. */
export async function freePortNear(port: number, span = 100): Promise<number> {
  for (let p = port + 1; p <= Math.min(port + span, 65535); p++) {
    if (!(await portInUse(p))) return p;
  }
  return ephemeralPort();
}

/** A free port the kernel picks. */
export function ephemeralPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const addr = server.address();
      const p = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => resolve(p));
    });
  });
}
