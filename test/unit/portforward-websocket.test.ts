/**
 * Port-forward over `v4.channel.k8s.io` WebSockets: @kubernetes/client-node's
 * PortForward class end to end, the raw channel protocol with the `ws`
 * client, and the 400 Status answers for upgrades the module does not handle.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { KubeConfig, PortForward } from '@kubernetes/client-node';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isPortForwardUpgrade } from '../../src/sandbox/portforward/index.js';
import {
  CLOSED_PORT,
  ECHO_PORT,
  FIREHOSE_PORT,
  FIXED_PORT,
  HTTP_PORT,
  NS,
  POD,
  TOKEN,
  httpGet,
  makeTempDir,
  receiveCount,
  refusedMessage,
  startApiServer,
  startBackends,
  writeKubeconfig,
  type ApiServer,
  type Backends,
} from './portforward-harness.js';

let backends: Backends;
let api: ApiServer;
let dir: string;
const localServers: net.Server[] = [];
const PF_PATH = `/api/v1/namespaces/${NS}/pods/${POD}/portforward`;

beforeAll(async () => {
  backends = await startBackends();
  api = await startApiServer(backends.connector);
  dir = makeTempDir('pf-ws-');
});

afterAll(async () => {
  for (const s of localServers) s.close();
  await api?.close();
  await backends?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A local listener forwarding each connection with client-node's PortForward. */
async function clientNodeForward(remotePort: number): Promise<number> {
  const kc = new KubeConfig();
  kc.loadFromFile(writeKubeconfig(dir, api.url));
  const pf = new PortForward(kc);
  const server = net.createServer((sock) => {
    sock.on('error', () => {});
    pf.portForward(NS, POD, [remotePort], sock, null, sock).catch(() => sock.destroy());
  });
  localServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as net.AddressInfo).port;
}

describe('@kubernetes/client-node PortForward', () => {
  let echoPort: number;
  let fixedPort: number;
  let httpPort: number;

  beforeAll(async () => {
    echoPort = await clientNodeForward(ECHO_PORT);
    fixedPort = await clientNodeForward(FIXED_PORT);
    httpPort = await clientNodeForward(HTTP_PORT);
  });

  test('negotiates v4.channel.k8s.io', async () => {
    const data = randomBytes(32);
    expect((await receiveCount(echoPort, data, data.length)).equals(data)).toBe(true);
    expect(api.upgrades.some((u) => u.kind === 'ws-channel')).toBe(true);
  });

  test('32 bytes echo exactly', async () => {
    const data = randomBytes(32);
    const back = await receiveCount(echoPort, data, data.length);
    expect(back.equals(data)).toBe(true);
  });

  test('3 MB echo exactly', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const back = await receiveCount(echoPort, data, data.length);
    expect(back.length).toBe(data.length);
    expect(back.equals(data)).toBe(true);
  }, 30_000);

  test('6 parallel 2 MB streams echo exactly', async () => {
    const inputs = Array.from({ length: 6 }, () => randomBytes(2 * 1024 * 1024));
    const outputs = await Promise.all(inputs.map((d) => receiveCount(echoPort, d, d.length)));
    outputs.forEach((out, i) => expect(out.equals(inputs[i]!)).toBe(true));
  }, 30_000);

  test('3 MB of fixed content from the pod arrive exactly', async () => {
    const back = await receiveCount(fixedPort, null, backends.fixedContent.length);
    expect(back.equals(backends.fixedContent)).toBe(true);
  }, 30_000);

  test('HTTP GET through the forward', async () => {
    const res = await httpGet(httpPort, '/ready');
    expect(res.status).toBe(200);
    expect(res.body).toBe(`hello from pod ${POD}: GET /ready\n`);
  });

  test('pod connections are released when local connections end', async () => {
    await backends.waitIdle(5_000);
    expect(backends.openConnections()).toBe(0);
  });
});

// ------------------------------------------------------------------ raw v4 protocol

interface RawSession {
  ws: WebSocket;
  messages: Buffer[];
  closed: Promise<number>;
  waitFor(pred: (msgs: Buffer[]) => boolean, ms?: number): Promise<void>;
}

async function openV4(query: string): Promise<RawSession> {
  const ws = new WebSocket(`wss://127.0.0.1:${api.port}${PF_PATH}?${query}`, ['v4.channel.k8s.io'], {
    rejectUnauthorized: false,
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  const messages: Buffer[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data: Buffer) => {
    messages.push(data);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => {
    for (const w of waiters.splice(0)) w();
    resolve(code);
  }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    closed,
    waitFor(pred, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; got ${messages.length} messages`)), ms);
        const check = (): void => {
          if (pred(messages)) {
            clearTimeout(timer);
            resolve();
          } else if (ws.readyState === WebSocket.CLOSED) {
            clearTimeout(timer);
            reject(new Error('socket closed first'));
          } else {
            waiters.push(check);
          }
        };
        check();
      });
    },
  };
}

function portPrefix(channel: number, port: number): Buffer {
  const b = Buffer.alloc(3);
  b[0] = channel;
  b.writeUInt16LE(port, 1);
  return b;
}

describe('v4.channel.k8s.io wire protocol', () => {
  test('sends the port on both channels first, then the connect error on the error channel, then closes', async () => {
    const s = await openV4(`ports=${CLOSED_PORT}`);
    expect(s.ws.protocol).toBe('v4.channel.k8s.io');
    const code = await s.closed;
    expect(code).toBe(1000);
    expect(s.messages[0]).toEqual(portPrefix(0, CLOSED_PORT));
    expect(s.messages[1]).toEqual(portPrefix(1, CLOSED_PORT));
    expect(s.messages[2]![0]).toBe(1);
    expect(s.messages[2]!.subarray(1).toString('utf8')).toBe(refusedMessage(CLOSED_PORT));
    expect(s.messages).toHaveLength(3);
  });

  test('two ports on one socket use channels 0/1 and 2/3; closes after both pod streams end', async () => {
    const s = await openV4(`ports=${ECHO_PORT},${FIXED_PORT}`);
    await s.waitFor((m) => m.length >= 4);
    expect(s.messages.slice(0, 4)).toEqual([
      portPrefix(0, ECHO_PORT),
      portPrefix(1, ECHO_PORT),
      portPrefix(2, FIXED_PORT),
      portPrefix(3, FIXED_PORT),
    ]);
    const payload = randomBytes(100_000);
    s.ws.send(Buffer.concat([Buffer.from([0]), payload.subarray(0, 40_000)]));
    s.ws.send(Buffer.concat([Buffer.from([0]), payload.subarray(40_000)]));
    const collect = (ch: number): Buffer => Buffer.concat(s.messages.slice(4).filter((m) => m[0] === ch).map((m) => m.subarray(1)));
    await s.waitFor(() => collect(0).length >= payload.length && collect(2).length >= backends.fixedContent.length, 20_000);
    expect(collect(0).equals(payload)).toBe(true);
    expect(collect(2).equals(backends.fixedContent)).toBe(true);
    // The echo pod stream is still open, so the socket is too; closing it ends the pod stream.
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
    s.ws.close();
    await s.closed;
    await backends.waitIdle(5_000);
  }, 30_000);

  test('client-side drop releases the pod connection', async () => {
    const s = await openV4(`ports=${ECHO_PORT}`);
    s.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello')]));
    await s.waitFor((m) => m.some((x) => x[0] === 0 && x.subarray(1).toString() === 'hello'));
    s.ws.terminate();
    await backends.waitIdle(5_000);
  });

  test('a client that stops reading stops the pod stream (backpressure), and resumes it', async () => {
    const before = backends.firehoseProduced();
    const s = await openV4(`ports=${FIREHOSE_PORT}`);
    let received = 0;
    s.ws.on('message', (m: Buffer) => {
      if (m[0] === 0) received += m.length - 1;
    });
    await s.waitFor(() => received > 0);
    s.ws.pause();
    // On a loaded machine the buffers on the way take a while to fill: the pod stream counts as
    // stopped once it has stood still for 300 ms; without backpressure it never does.
    let stalled = backends.firehoseProduced() - before;
    const settle = Date.now() + 10_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 300));
      const produced = backends.firehoseProduced() - before;
      if (produced === stalled) break;
      if (Date.now() > settle) throw new Error(`the pod stream did not stop: ${produced} bytes and counting`);
      stalled = produced;
    }
    expect(stalled).toBeLessThan(32 * 1024 * 1024);
    s.ws.resume();
    const deadline = Date.now() + 10_000;
    while (backends.firehoseProduced() - before < stalled + 8 * 1024 * 1024) {
      if (Date.now() > deadline) throw new Error('flow did not resume');
      await new Promise((r) => setTimeout(r, 10));
    }
    s.ws.terminate();
    await backends.waitIdle();
  }, 20_000);

  test('a missing ports parameter is a 400 Status', async () => {
    const res = await rawUpgrade({ Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'v4.channel.k8s.io' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
  });
});

// ------------------------------------------------------------------ refusals

/** Sends a raw upgrade request and reads the non-101 answer. */
function rawUpgrade(headers: Record<string, string>, method = 'GET', query = ''): Promise<{ status: number; headers: Record<string, string>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port: api.port, rejectUnauthorized: false });
    let text = '';
    sock.on('data', (c: Buffer) => (text += c.toString()));
    sock.on('error', reject);
    sock.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const status = Number(lines[0]!.split(' ')[1]);
      const hdrs: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        hdrs[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status, headers: hdrs, body: body ? JSON.parse(body) : null });
    });
    const all = { Host: `127.0.0.1:${api.port}`, Authorization: `Bearer ${TOKEN}`, ...headers };
    sock.write(`${method} ${PF_PATH}${query} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
  });
}

describe('refused upgrades', () => {
  test('WebSocket without a supported subprotocol gets a 400 Status and the socket closed', async () => {
    const res = await rawUpgrade({ Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' }, 'GET', '?ports=15032');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400 });
  });

  test('SPDY without X-Stream-Protocol-Version portforward.k8s.io gets a 400 Status', async () => {
    const res = await rawUpgrade({ Upgrade: 'SPDY/3.1', Connection: 'Upgrade', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' }, 'POST');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: 'Status', code: 400 });
    expect(String((res.body as { message: string }).message)).toContain('unable to negotiate protocol');
  });

  test('another upgrade token gets a 400 Status', async () => {
    const res = await rawUpgrade({ Upgrade: 'h2c', Connection: 'Upgrade' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: 'Status', code: 400 });
  });

  test('tunnel request with a bad WebSocket key gets a 400 Status', async () => {
    const res = await rawUpgrade({ Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'short', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'SPDY/3.1+portforward.k8s.io' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: 'Status', code: 400 });
  });
});

describe('isPortForwardUpgrade', () => {
  const req = (url: string, headers: Record<string, string>): IncomingMessage => ({ url, headers } as unknown as IncomingMessage);
  test('recognises the three upgrades on the portforward path', () => {
    expect(isPortForwardUpgrade(req(`${PF_PATH}?ports=1`, { upgrade: 'websocket' }))).toBe(true);
    expect(isPortForwardUpgrade(req(PF_PATH, { upgrade: 'SPDY/3.1' }))).toBe(true);
    expect(isPortForwardUpgrade(req(`/api/v1/namespaces/istio-system/pods/istio-ingressgateway-7d9f8b6c5-abcde/portforward`, { upgrade: 'websocket' }))).toBe(true);
  });
  test('rejects other paths and non-upgrades', () => {
    expect(isPortForwardUpgrade(req(PF_PATH, {}))).toBe(false);
    expect(isPortForwardUpgrade(req(`/api/v1/namespaces/ns/pods/p/exec`, { upgrade: 'websocket' }))).toBe(false);
    expect(isPortForwardUpgrade(req(`/api/v1/namespaces/ns/pods/portforward`, { upgrade: 'websocket' }))).toBe(false);
    expect(isPortForwardUpgrade(req(`/api/v1/pods/p/portforward`, { upgrade: 'websocket' }))).toBe(false);
  });
});
