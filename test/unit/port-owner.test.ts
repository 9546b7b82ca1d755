import { afterEach, describe, expect, test } from 'vitest';
import net from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProcAddress, freePortNear, parseProcNetTcp, portInUse, processGroupOf, whoHolds } from '../../src/processes/port-owner.js';
import { forwardErrorText, rewriteLocalPort } from '../../src/processes/forward-supervisor.js';
import { freePort, listenOn, listenOnFreePort, portBlock } from '../helpers/ports.js';

// Real lines: kubectl port-forward listening on 127.0.0.1:15032 and [::1]:15032, and an established connection.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:3AB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 481516 1 0000000000000000 100 0 0 10 0
   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1223 1 000000002bba90d5 100 0 0 10 0
   2: 0100007F:3AB8 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 481999 1 0000000000000000 20 4 30 10 -1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:3AB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 481517 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2222 1 0000000000000000 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:2328 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3333 1 0000000000000000 100 0 0 10 0
`;

describe('/proc/net/tcp parsing', () => {
  test('reads port, state, inode and address of each socket; the header is skipped', () => {
    const s = parseProcNetTcp(TCP);
    expect(s).toHaveLength(3);
    expect(s[0]).toEqual({ address: '127.0.0.1', port: 15032, state: '0A', inode: 481516, uid: 1000 });
    expect(s[1]).toMatchObject({ address: '0.0.0.0', port: 2024, state: '0A', inode: 1223, uid: 0 });
    expect(s[2]).toMatchObject({ port: 15032, state: '01', inode: 481999 });
  });

  test('IPv6: ::1, ::, and IPv4-mapped addresses', () => {
    const s = parseProcNetTcp(TCP6);
    expect(s.map((x) => [x.address, x.port, x.inode])).toEqual([
      ['::1', 15032, 481517],
      ['::', 8080, 2222],
      ['::ffff:127.0.0.1', 9000, 3333],
    ]);
  });

  test('addresses in host byte order', () => {
    expect(decodeProcAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('0A00A8C0')).toBe('192.168.0.10');
    expect(decodeProcAddress('B80D0120000000000000000001000000')).toBe('2001:db8::1');
  });

  test('junk lines are ignored', () => {
    expect(parseProcNetTcp('')).toEqual([]);
    expect(parseProcNetTcp('hello world\n  0: nonsense')).toEqual([]);
  });
});

describe('whoHolds on a fake /proc', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function fakeProc(): string {
    root = mkdtempSync(join(tmpdir(), 'kt-fakeproc-'));
    mkdirSync(join(root, 'net'));
    writeFileSync(join(root, 'net/tcp'), TCP);
    writeFileSync(join(root, 'net/tcp6'), TCP6);
    // pid 77: a shell with a pipe; pid 4242: kubectl holding the IPv6 listener; pid 99: its fd dir unreadable (absent).
    mkdirSync(join(root, '77/fd'), { recursive: true });
    symlinkSync('pipe:[1]', join(root, '77/fd/1'));
    writeFileSync(join(root, '77/cmdline'), 'bash\0');
    mkdirSync(join(root, '99'));
    mkdirSync(join(root, '4242/fd'), { recursive: true });
    symlinkSync('/dev/null', join(root, '4242/fd/0'));
    symlinkSync('socket:[481517]', join(root, '4242/fd/7'));
    writeFileSync(join(root, '4242/cmdline'), 'kubectl\0port-forward\0-n\0istio-system\0deployment/istio-tracing\x0015032:16686\0');
    writeFileSync(join(root, '4242/stat'), '4242 (kubectl (x)) S 1 4200 4200 0 -1 4194560 0 0');
    mkdirSync(join(root, 'self'));
    return root;
  }

  test('finds the listening socket by inode and reports the command line', async () => {
    const r = fakeProc();
    expect(await whoHolds(15032, r)).toEqual({ pid: 4242, command: 'kubectl port-forward -n istio-system deployment/istio-tracing 15032:16686' });
    expect(await processGroupOf(4242, r)).toBe(4200);
  });

  test('the IPv4 listener is named when another (lower) pid holds only the IPv6 side of the port', async () => {
    const r = fakeProc();
    // pid 50 listens on [::1]:15032; pid 4242 now holds 127.0.0.1:15032 as well.
    mkdirSync(join(r, '50/fd'), { recursive: true });
    symlinkSync('socket:[481517]', join(r, '50/fd/3'));
    writeFileSync(join(r, '50/cmdline'), 'python3\0-m\0http.server\0--bind\0::1\0');
    symlinkSync('socket:[481516]', join(r, '4242/fd/8'));
    expect((await whoHolds(15032, r))?.pid).toBe(4242);
    // With only the IPv6 side held by anyone we can see, that holder is named.
    rmSync(join(r, '4242'), { recursive: true });
    expect((await whoHolds(15032, r))?.pid).toBe(50);
  });

  test('a port only connected from (not listening) or unknown has no holder', async () => {
    const r = fakeProc();
    expect(await whoHolds(54321, r)).toBeUndefined();
    // :8080 listens, but no process we can see holds inode 2222
    expect(await whoHolds(8080, r)).toBeUndefined();
  });
});

// Ports from this worker's own block (test/helpers/ports.ts), below the ephemeral range: a port
// from listen(0), once closed, can be handed to another test file at once, and then "closed again
// means free" does not hold (seen on a loaded machine).
describe('on this machine', () => {
  test('whoHolds finds this process holding a server; portInUse and freePortNear agree', async () => {
    const { server, port } = await listenOnFreePort();
    try {
      expect(await portInUse(port)).toBe(true);
      const holder = await whoHolds(port);
      expect(holder?.pid).toBe(process.pid);
      expect(holder?.command).toContain('node');
      const near = await freePortNear(port);
      expect(near).not.toBe(port);
      expect(await portInUse(near)).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await portInUse(port)).toBe(false);
    expect(await whoHolds(port)).toBeUndefined();
  });

  test('freePortNear skips taken ports', async () => {
    // base free and base + 1 held, both in this worker's block.
    let base = 0;
    let held: net.Server | undefined;
    for (let tries = 0; !held && tries < 50; tries++) {
      base = await freePort();
      if (base + 1 < portBlock.first + portBlock.size) held = await listenOn(base + 1);
    }
    if (!held) throw new Error('no two free ports in a row in this worker’s block');
    try {
      const p = await freePortNear(base);
      expect(p).toBeGreaterThan(base + 1);
      expect(p).toBeLessThanOrEqual(base + 100);
    } finally {
      await new Promise((r) => held.close(r));
    }
  });
});

describe('rewriteLocalPort', () => {
  test("the lesson's gateway forward: LOCAL:REMOTE whose LOCAL is the ready port", () => {
    const cmd = `kubectl port-forward --namespace istio-system \\
    "$(kubectl get pod --namespace istio-system \\
        --selector app=istio-ingressgateway \\
        --output jsonpath='{.items[0].metadata.name}')" \\
    15032:15032`;
    const out = rewriteLocalPort(cmd, 15032, 15033);
    expect(out).toBe(cmd.replace('15032:15032', '15033:15032'));
  });

  test('LOCAL:REMOTE pairs, quoted or not; other ports untouched', () => {
    expect(rewriteLocalPort('kubectl -n istio-system port-forward deployment/istio-tracing 15032:16686', 15032, 15040)).toBe(
      'kubectl -n istio-system port-forward deployment/istio-tracing 15040:16686',
    );
    expect(rewriteLocalPort(`kubectl port-forward svc/x "15032:80" 9000:90`, 15032, 15033)).toBe(`kubectl port-forward svc/x "15033:80" 9000:90`);
    expect(rewriteLocalPort(`kubectl port-forward svc/x 16686:15032`, 15032, 15033)).toBeUndefined();
  });

  test('a bare ready port becomes NEW:READY', () => {
    expect(rewriteLocalPort('kubectl port-forward pod/jaeger 16686', 16686, 16687)).toBe('kubectl port-forward pod/jaeger 16687:16686');
    expect(rewriteLocalPort("kubectl port-forward pod/jaeger '16686' && echo done", 16686, 20001)).toBe("kubectl port-forward pod/jaeger '20001:16686' && echo done");
  });

  test('numbers that are not the port argument are left alone', () => {
    expect(rewriteLocalPort('curl localhost:15032; kubectl port-forward x --pod-running-timeout=15032s :15032', 15032, 15033)).toBeUndefined();
    expect(rewriteLocalPort('kubectl port-forward x 150320:80', 15032, 15033)).toBeUndefined();
  });
});

test('forwardErrorText reduces klog lines to their message', () => {
  expect(forwardErrorText('E1125 13:29:26.279276   29557 portforward.go:424] "Unhandled Error" err="an error occurred forwarding 30530 -> 16686: failed to find pod x"')).toBe(
    'an error occurred forwarding 30530 -> 16686: failed to find pod x',
  );
  expect(forwardErrorText('E0101 10:00:00.000000    1234 portforward.go:409] an error occurred forwarding 15032 -> 15032: error forwarding port 15032')).toBe(
    'an error occurred forwarding 15032 -> 15032: error forwarding port 15032',
  );
  expect(forwardErrorText('error: lost connection to pod')).toBe('error: lost connection to pod');
});
