/**
 * The real kubectl binaries against the port-forward module: SPDY/3.1
 * (kubectl 1.29, and 1.32 with KUBECTL_PORT_FORWARD_WEBSOCKETS=false) and the
 * WebSocket tunnel (kubectl 1.33's default). Bytes must arrive exactly.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  CLOSED_PORT,
  ECHO_PORT,
  HTTP_PORT,
  POD,
  echoRoundTrip,
  httpGet,
  kubectlBinary,
  makeTempDir,
  refusedMessage,
  startApiServer,
  startBackends,
  startKubectlPortForward,
  writeKubeconfig,
  type ApiServer,
  type Backends,
  type KubectlPortForward,
  type UpgradeRecord,
} from './portforward-harness.js';

const variants: Array<{ name: string; minor: number; env: Record<string, string>; expectKinds: Array<UpgradeRecord['kind']> }> = [
  { name: 'kubectl 1.29 (SPDY)', minor: 29, env: {}, expectKinds: ['spdy'] },
  { name: 'kubectl 1.33 (WebSocket tunnel)', minor: 33, env: {}, expectKinds: ['ws-tunnel'] },
  { name: 'kubectl 1.32 with KUBECTL_PORT_FORWARD_WEBSOCKETS=false (SPDY)', minor: 32, env: { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }, expectKinds: ['spdy'] },
  // The versions either side of the switch to the tunnel.
  { name: 'kubectl 1.30 (SPDY)', minor: 30, env: {}, expectKinds: ['spdy'] },
  { name: 'kubectl 1.31 (WebSocket tunnel)', minor: 31, env: {}, expectKinds: ['ws-tunnel'] },
];

const haveKubectl = kubectlBinary(29) !== null && kubectlBinary(33) !== null;

describe.skipIf(!haveKubectl)('kubectl port-forward', () => {
  let backends: Backends;
  let api: ApiServer;
  let dir: string;
  let kubeconfig: string;
  const children: KubectlPortForward[] = [];

  beforeAll(async () => {
    backends = await startBackends();
    api = await startApiServer(backends.connector);
    dir = makeTempDir('pf-kubectl-');
    kubeconfig = writeKubeconfig(dir, api.url);
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    await api?.close();
    await backends?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const variant of variants) {
    describe.skipIf(kubectlBinary(variant.minor) === null)(variant.name, () => {
      let pf: KubectlPortForward;
      let echoPort: number;
      let httpPort: number;

      beforeAll(async () => {
        const binary = kubectlBinary(variant.minor)!;
        pf = await startKubectlPortForward(binary, kubeconfig, [ECHO_PORT, HTTP_PORT], variant.env);
        children.push(pf);
        echoPort = pf.localPorts.get(ECHO_PORT)!;
        httpPort = pf.localPorts.get(HTTP_PORT)!;
      }, 20_000);

      afterAll(async () => {
        await pf?.stop();
      });

      test('used the expected upgrade protocol', () => {
        const ua = `kubectl.1.${variant.minor}/`;
        const kinds = api.upgrades.filter((u) => u.userAgent.startsWith(ua)).map((u) => u.kind);
        expect(new Set(kinds)).toEqual(new Set(variant.expectKinds));
      });

      test('32 bytes echo exactly', async () => {
        const data = randomBytes(32);
        expect((await echoRoundTrip(echoPort, data)).equals(data)).toBe(true);
      });

      test('3 MB echo exactly', async () => {
        const data = randomBytes(3 * 1024 * 1024);
        const back = await echoRoundTrip(echoPort, data);
        expect(back.length).toBe(data.length);
        expect(back.equals(data)).toBe(true);
      }, 30_000);

      test('6 parallel 2 MB streams echo exactly', async () => {
        const inputs = Array.from({ length: 6 }, () => randomBytes(2 * 1024 * 1024));
        const outputs = await Promise.all(inputs.map((d) => echoRoundTrip(echoPort, d)));
        outputs.forEach((out, i) => {
          expect(out.length).toBe(inputs[i]!.length);
          expect(out.equals(inputs[i]!)).toBe(true);
        });
      }, 30_000);

      test('HTTP GET through the forward', async () => {
        const res = await httpGet(httpPort, '/healthz?x=1');
        expect(res.status).toBe(200);
        expect(res.body).toBe(`hello from pod ${POD}: GET /healthz?x=1\n`);
      });

      test('pod connections are released when local connections end', async () => {
        await backends.waitIdle(5_000);
        expect(backends.openConnections()).toBe(0);
      });

      test('killing kubectl mid-connection releases the pod connection', async () => {
        const sock = net.connect(echoPort, '127.0.0.1');
        sock.on('error', () => {});
        const echoed = new Promise<void>((resolve) => sock.once('data', () => resolve()));
        sock.write('still here');
        await echoed;
        expect(backends.openConnections()).toBe(1);
        pf.proc.kill('SIGKILL');
        await pf.exited;
        await backends.waitIdle(5_000);
        sock.destroy();
      });
    });
  }

  for (const variant of [variants[0]!, variants[1]!]) {
    test(`${variant.name}: connection refused inside the pod is reported by kubectl`, async () => {
      const pf = await startKubectlPortForward(kubectlBinary(variant.minor)!, kubeconfig, [CLOSED_PORT], variant.env);
      children.push(pf);
      const local = pf.localPorts.get(CLOSED_PORT)!;
      const sock = net.connect(local, '127.0.0.1');
      sock.on('error', () => {});
      const closed = new Promise<void>((resolve) => sock.once('close', () => resolve()));
      const stderr = await pf.waitForStderr(/an error occurred forwarding \d+ -> 15099: .*no suitable address found/);
      // Newer kubectl logs it as a structured err="..." field, quotes escaped.
      const unescaped = stderr.replace(/\\"/g, '"');
      expect(unescaped).toContain(`an error occurred forwarding ${local} -> ${CLOSED_PORT}: ${refusedMessage(CLOSED_PORT).trimEnd()}`);
      await closed;
      await pf.stop();
    }, 20_000);
  }
});
