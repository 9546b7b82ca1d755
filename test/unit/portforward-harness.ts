/**
 * Shared fixtures for the port-forward tests: a tiny HTTPS API server that
 * answers just enough for `kubectl port-forward` and client-node, "pod"
 * backends (echo, fixed content, HTTP), kubeconfig and kubectl helpers.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { handlePortForwardUpgrade, type PodConnector } from '../../src/sandbox/portforward/index.js';

export const TOKEN = 'pf-test-token';
export const NS = 'ns';
export const POD = 'p';
export const POD_UID = '6f1c2b7e-0d4a-4b8e-9a55-3c1f0e2d9b11';

/** Remote ports the fake pod "listens" on. */
export const ECHO_PORT = 15032;
export const FIXED_PORT = 15033;
export const HTTP_PORT = 15034;
/** Sends data as fast as the connection takes it (up to 1 GiB), counting what it wrote. */
export const FIREHOSE_PORT = 15036;
/** Nothing listens here: the connector rejects with the kubelet's text. */
export const CLOSED_PORT = 15099;

export function refusedMessage(port: number): string {
  return (
    `error forwarding port ${port} to pod 3f5c0c5a8d1e2b7f9a4c6e8d0b2f4a6c8e0d2b4f6a8c0e2d4b6f8a0c2e4d6b8f, uid : ` +
    `failed to execute portforward in network namespace "/var/run/netns/cni-8d2e4f6a-0b1c-2d3e-4f5a-6b7c8d9e0f1a": ` +
    `failed to connect to localhost:${port} inside namespace "3f5c0c5a8d1e", IPv4: dial tcp4 127.0.0.1:${port}: ` +
    `connect: connection refused IPv6 dial tcp6: address localhost: no suitable address found `
  );
}

// ------------------------------------------------------------------ pod backends

export interface Backends {
  readonly fixedContent: Buffer;
  /** TCP connections currently open on the backends (what the connector opened). */
  openConnections(): number;
  /** Resolves once no backend connection is open (or rejects after `ms`). */
  waitIdle(ms?: number): Promise<void>;
  readonly connector: PodConnector;
  /** Bytes the firehose backend has managed to write so far (all connections). */
  firehoseProduced(): number;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

export async function startBackends(fixedSize = 3 * 1024 * 1024): Promise<Backends> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('close', () => sockets.delete(s));
  };

  // Echo: everything back, then EOF after the client's EOF.
  const echo = net.createServer({ allowHalfOpen: true }, (s) => {
    track(s);
    s.pipe(s);
  });
  const fixedContent = randomBytes(fixedSize);
  const fixed = net.createServer((s) => {
    track(s);
    s.resume();
    s.end(fixedContent);
  });
  let produced = 0;
  const firehose = net.createServer((s) => {
    track(s);
    s.resume();
    const chunk = randomBytes(64 * 1024);
    let sent = 0;
    const pump = (): void => {
      while (!s.destroyed && sent < 1024 * 1024 * 1024) {
        sent += chunk.length;
        produced += chunk.length;
        if (!s.write(chunk)) {
          s.once('drain', pump);
          return;
        }
      }
      if (!s.destroyed) s.end();
    };
    pump();
  });
  const web = http.createServer((req, res) => {
    const body = `hello from pod ${POD}: ${req.method} ${req.url}\n`;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  web.on('connection', track);

  const echoPort = await listen(echo);
  const fixedPort = await listen(fixed);
  const webPort = await listen(web);
  const firehosePort = await listen(firehose);
  const targets = new Map<number, number>([
    [ECHO_PORT, echoPort],
    [FIXED_PORT, fixedPort],
    [HTTP_PORT, webPort],
    [FIREHOSE_PORT, firehosePort],
  ]);

  const connector: PodConnector = (port) =>
    new Promise((resolve, reject) => {
      const target = targets.get(port);
      if (target === undefined) {
        reject(new Error(refusedMessage(port)));
        return;
      }
      const s = net.connect(target, '127.0.0.1');
      s.once('connect', () => resolve(s));
      s.once('error', () => reject(new Error(refusedMessage(port))));
    });

  return {
    fixedContent,
    connector,
    openConnections: () => sockets.size,
    firehoseProduced: () => produced,
    async waitIdle(ms = 5_000) {
      const deadline = Date.now() + ms;
      while (sockets.size > 0) {
        if (Date.now() > deadline) throw new Error(`${sockets.size} backend connection(s) still open`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([echo, fixed, web, firehose].map((srv) => new Promise<void>((r) => srv.close(() => r()))));
    },
  };
}

// ------------------------------------------------------------------ API server

export interface UpgradeRecord {
  readonly kind: 'spdy' | 'ws-tunnel' | 'ws-channel' | 'other';
  readonly userAgent: string;
}

export interface ApiServer {
  readonly port: number;
  readonly url: string;
  readonly upgrades: UpgradeRecord[];
  close(): Promise<void>;
}

let cachedCert: { key: string; cert: string } | null = null;

/** A throwaway self-signed certificate for 127.0.0.1 (openssl CLI). */
export function selfSignedCert(): { key: string; cert: string } {
  if (cachedCert) return cachedCert;
  const dir = mkdtempSync(path.join(tmpdir(), 'pf-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: 'ignore' });
    cachedCert = {
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
    return cachedCert;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sendJson(res: http.ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function status(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function podObject(): object {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: POD, namespace: NS, uid: POD_UID, resourceVersion: '7', creationTimestamp: '2025-01-01T00:00:00Z', labels: { app: 'p' } },
    spec: { containers: [{ name: 'main', image: 'example/app:1', ports: [{ containerPort: ECHO_PORT, protocol: 'TCP' }] }], nodeName: 'sandbox' },
    status: {
      phase: 'Running',
      podIP: '10.244.0.7',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, image: 'example/app:1', imageID: '', started: true, state: { running: { startedAt: '2025-01-01T00:00:01Z' } } }],
    },
  };
}

function classify(req: http.IncomingMessage): UpgradeRecord['kind'] {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '');
  if (upgrade === 'spdy/3.1') return 'spdy';
  if (upgrade === 'websocket' && protocols.includes('SPDY/3.1+portforward.k8s.io')) return 'ws-tunnel';
  if (upgrade === 'websocket' && protocols.includes('v4.channel.k8s.io')) return 'ws-channel';
  return 'other';
}

export async function startApiServer(connector: PodConnector): Promise<ApiServer> {
  const { key, cert } = selfSignedCert();
  const upgrades: UpgradeRecord[] = [];
  let port = 0;
  const authorized = (req: http.IncomingMessage): boolean => req.headers.authorization === `Bearer ${TOKEN}`;

  const server = https.createServer({ key, cert }, (req, res) => {
    if (!authorized(req)) return sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    const p = (req.url ?? '/').split('?')[0];
    switch (p) {
      case '/version':
        return sendJson(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
      case '/api':
        return sendJson(res, 200, {
          kind: 'APIVersions',
          versions: ['v1'],
          serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }],
        });
      case '/apis':
        return sendJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
      case '/api/v1':
        return sendJson(res, 200, {
          kind: 'APIResourceList',
          groupVersion: 'v1',
          resources: [
            { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'] },
            { name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
          ],
        });
      case `/api/v1/namespaces/${NS}/pods/${POD}`:
        return sendJson(res, 200, podObject());
      default:
        return sendJson(res, 404, status(404, 'NotFound', `the server could not find the requested resource (${p})`));
    }
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    socket.on('error', () => {});
    upgrades.push({ kind: classify(req), userAgent: String(req.headers['user-agent'] ?? '') });
    const p = (req.url ?? '/').split('?')[0];
    // Route on the path alone, so requests isPortForwardUpgrade() would turn
    // away still reach the handler and its 400 answers can be tested.
    if (!authorized(req) || p !== `/api/v1/namespaces/${NS}/pods/${POD}/portforward`) {
      const body = JSON.stringify(status(404, 'NotFound', 'not found'));
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    handlePortForwardUpgrade(req, socket, head, connector);
  });

  const open = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    open.add(s);
    s.once('close', () => open.delete(s));
  });

  port = await listen(server as unknown as net.Server);
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    upgrades,
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

// ------------------------------------------------------------------ kubeconfig and kubectl

export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeKubeconfig(dir: string, serverUrl: string): string {
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: sandbox',
      '  cluster:',
      `    server: ${serverUrl}`,
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: tester',
      '  user:',
      `    token: ${TOKEN}`,
      'contexts:',
      '- name: sandbox',
      '  context:',
      '    cluster: sandbox',
      '    user: tester',
      `    namespace: ${NS}`,
      'current-context: sandbox',
      '',
    ].join('\n'),
  );
  return file;
}

/** Path of `kubectl.1.<minor>` beside the real kubectl binary, or null if absent. */
export function kubectlBinary(minor: number): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'kubectl');
    if (!existsSync(candidate)) continue;
    try {
      const real = realpathSync(candidate);
      const versioned = path.join(path.dirname(real), `kubectl.1.${minor}`);
      if (existsSync(versioned)) return versioned;
    } catch {
      // keep looking
    }
  }
  return null;
}

export interface KubectlPortForward {
  readonly proc: ChildProcess;
  /** Local port for each remote port, from the "Forwarding from 127.0.0.1:N -> R" lines. */
  readonly localPorts: Map<number, number>;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr matches (or rejects after ms). */
  waitForStderr(pattern: RegExp, ms?: number): Promise<string>;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startKubectlPortForward(
  binary: string,
  kubeconfig: string,
  remotePorts: number[],
  extraEnv: Record<string, string> = {},
  home?: string,
): Promise<KubectlPortForward> {
  const args = ['--kubeconfig', kubeconfig, '-n', NS, 'port-forward', `pod/${POD}`, '--address', '127.0.0.1', ...remotePorts.map((p) => `:${p}`)];
  const proc = spawn(binary, args, {
    env: { ...process.env, HOME: home ?? path.dirname(kubeconfig), KUBECONFIG: kubeconfig, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const localPorts = new Map<number, number>();
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const stderrWaiters: Array<() => void> = [];
  proc.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
    for (const w of stderrWaiters.splice(0)) w();
  });

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubectl did not start forwarding:\n${out}\n${err}`)), 15_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      for (const m of out.matchAll(/Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/g)) localPorts.set(Number(m[2]), Number(m[1]));
      if (remotePorts.every((p) => localPorts.has(p))) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl exited (${code}) before forwarding:\n${out}\n${err}`));
    });
  });

  return {
    proc,
    localPorts,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStderr(pattern, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`stderr never matched ${pattern}:\n${err}`)), ms);
        const check = (): void => {
          if (pattern.test(err)) {
            clearTimeout(deadline);
            resolve(err);
          } else {
            stderrWaiters.push(check);
          }
        };
        check();
      });
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

// ------------------------------------------------------------------ local-port clients

/** Sends `data`, half-closes, and resolves with everything received until EOF. */
export function echoRoundTrip(port: number, data: Buffer, timeoutMs = 20_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`echo timed out after ${chunks.reduce((n, c) => n + c.length, 0)} of ${data.length} bytes`));
    }, timeoutMs);
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('connect', () => sock.end(data));
  });
}

/**
 * Sends `data` without half-closing, resolves once `expect` bytes came back,
 * then ends the connection (client-node never closes the local side itself).
 */
export function receiveCount(port: number, data: Buffer | null, expect: number, timeoutMs = 20_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let got = 0;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`timed out after ${got} of ${expect} bytes`));
    }, timeoutMs);
    sock.on('data', (c: Buffer) => {
      chunks.push(c);
      got += c.length;
      if (got >= expect) {
        clearTimeout(timer);
        sock.end();
        resolve(Buffer.concat(chunks));
      }
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('connect', () => {
      if (data) sock.write(data);
    });
  });
}

export function httpGet(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('HTTP GET timed out')));
    req.on('error', reject);
  });
}
