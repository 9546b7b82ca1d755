/**
 * The simulated containers' shell and utilities, without a cluster: parsing,
 * expansion, pipes, redirections, exit statuses, grep's POSIX patterns.
 * (curl and the exec protocols are tested through the real kubectl in
 * test/sandbox/kubectl-exec.test.ts.)
 */
import { describe, expect, test } from 'vitest';
import { ByteSource } from '../../src/sandbox/container/byte-streams.js';
import type { CommandContext } from '../../src/sandbox/container/command-types.js';
import { ContainerFs } from '../../src/sandbox/container/container-fs.js';
import { containerEnvironment, serviceLinkVariables } from '../../src/sandbox/container/container-env.js';
import { posixToJs } from '../../src/sandbox/container/grep.js';
import { COMMANDS, notFoundError } from '../../src/sandbox/container/runtime.js';
import { parseShell, ShellSyntaxError } from '../../src/sandbox/container/shell-syntax.js';
import type { KubeObject } from '../../src/kube/types.js';

const info = { podName: 'ratings-v1-abc', namespace: 'default', podIp: '10.244.0.7', container: 'ratings', image: 'ratings:1' };

async function sh(script: string, stdin = '', fs = new ContainerFs(info)): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ctx: CommandContext = {
    argv: ['sh', '-c', script],
    env: new Map([['PATH', '/usr/bin:/bin'], ['HOSTNAME', info.podName], ['GREETING', 'hello world']]),
    stdin: ByteSource.of(stdin),
    stdout: (d) => (out += d.toString()),
    stderr: (d) => (err += d.toString()),
    stdoutIsTerminal: false,
    fs,
    info,
    mesh: { request: async () => ({ ok: false, code: 6, message: 'Could not resolve host: (none in unit tests)' }) },
    signal: new AbortController().signal,
  };
  const code = await COMMANDS.get('sh')!(ctx);
  return { code, out, err };
}

describe('shell', () => {
  test('quoting, parameters and command substitution', async () => {
    expect((await sh(`echo 'single $GREETING' "double $GREETING" \\$x \${MISSING:-fallback} "$(hostname)"`)).out).toBe(`single $GREETING double hello world $x fallback ${info.podName}\n`);
    expect((await sh('printf "%s|" $GREETING')).out).toBe('hello|world|');
    expect((await sh('X=1; echo $X; Y=2 printenv Y; echo "[$Y]"')).out).toBe('1\n2\n[]\n');
  });

  test('pipes, lists and statuses', async () => {
    expect(await sh('echo abc | grep -o b && echo yes || echo no')).toMatchObject({ code: 0, out: 'b\nyes\n' });
    expect(await sh('echo abc | grep -q z; echo $?')).toMatchObject({ out: '1\n' });
    expect(await sh('false | true')).toMatchObject({ code: 0 });
    expect(await sh('! true')).toMatchObject({ code: 1 });
    expect(await sh('nosuch arg')).toEqual({ code: 127, out: '', err: 'sh: nosuch: not found\n' });
    expect(await sh('echo a; exit 7; echo b')).toEqual({ code: 7, out: 'a\n', err: '' });
    expect(await sh('set -e; false; echo not reached')).toMatchObject({ code: 1, out: '' });
    expect((await sh('printf "1\\n2\\n3\\n4\\n" | head -n 2 | tail -n 1')).out).toBe('2\n');
    expect((await sh('cat', 'from stdin\n')).out).toBe('from stdin\n');
  });

  test('redirections and files kept in the container', async () => {
    const fs = new ContainerFs(info);
    expect(await sh('echo one > /tmp/f; echo two >> /tmp/f; echo err 2>/dev/null >&2; cat /tmp/f | wc -l', '', fs)).toMatchObject({ code: 0, out: '2\n', err: '' });
    expect((await sh('cat /tmp/f', '', fs)).out).toBe('one\ntwo\n');
    expect(await sh('cat /nope')).toEqual({ code: 1, out: '', err: 'cat: /nope: No such file or directory\n' });
    expect((await sh('echo x 2>&1 1>/dev/null')).out).toBe('');
    expect((await sh('cat /etc/hostname')).out).toBe(`${info.podName}\n`);
  });

  test('syntax it does not run is refused with the reason, exit 2', async () => {
    expect(await sh('echo "unterminated')).toMatchObject({ code: 2, err: 'sh: unterminated quoted string\n' });
    const loop = await sh('for i in 1 2; do echo $i; done');
    expect(loop.code).toBe(2);
    expect(loop.err).toMatch(/^sh: 'for' is not supported/);
    expect(() => parseShell('a |')).toThrow(ShellSyntaxError);
  });

  test('the runtime error for a program the image lacks names it like containerd', () => {
    expect(notFoundError('nosuch')).toMatch(/^failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in \$PATH: unknown$/);
    expect(notFoundError('/opt/x')).toMatch(/exec: "\/opt\/x": stat \/opt\/x: no such file or directory: unknown$/);
  });
});

describe('grep', () => {
  test('basic and extended patterns translate to what POSIX means', () => {
    expect(posixToJs('<title>.*</title>', false)).toBe('<title>.*<\\/title>');
    expect(new RegExp(posixToJs('a\\(b\\)\\{2\\}', false)).test('abb')).toBe(true);
    expect(new RegExp(posixToJs('a+', false)).test('a+')).toBe(true);
    expect(new RegExp(posixToJs('a+', true)).test('aaa')).toBe(true);
    expect(new RegExp(posixToJs('[[:digit:]]+', true)).exec('x42')?.[0]).toBe('42');
    expect(new RegExp(posixToJs('*star', false)).test('*star')).toBe(true);
  });

  test('options', async () => {
    const text = 'HTTP/1.1 200 OK\r\nserver: envoy\r\n\r\n';
    expect((await sh('grep "HTTP/"', text)).out).toBe('HTTP/1.1 200 OK\r\n');
    expect((await sh('grep -oE "[0-9]{3}"', text)).out).toBe('200\n');
    expect((await sh('grep -ci ENVOY', text)).out).toBe('1\n');
    expect((await sh('grep -v -e HTTP -e "^.$"', text)).out).toBe('server: envoy\r\n');
    expect(await sh('grep nothing', text)).toMatchObject({ code: 1, out: '' });
    expect(await sh('grep -P x')).toMatchObject({ code: 2 });
  });
});

describe('container environment', () => {
  const svc = (name: string, ip: string, ports: Array<{ name?: string; port: number }>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { clusterIP: ip, ports } });

  test('service links as the kubelet writes them', () => {
    expect(Object.fromEntries(serviceLinkVariables(svc('product-page', '10.96.0.5', [{ name: 'http', port: 9080 }])))).toEqual({
      PRODUCT_PAGE_SERVICE_HOST: '10.96.0.5',
      PRODUCT_PAGE_SERVICE_PORT: '9080',
      PRODUCT_PAGE_SERVICE_PORT_HTTP: '9080',
      PRODUCT_PAGE_PORT: 'tcp://10.96.0.5:9080',
      PRODUCT_PAGE_PORT_9080_TCP: 'tcp://10.96.0.5:9080',
      PRODUCT_PAGE_PORT_9080_TCP_PROTO: 'tcp',
      PRODUCT_PAGE_PORT_9080_TCP_PORT: '9080',
      PRODUCT_PAGE_PORT_9080_TCP_ADDR: '10.96.0.5',
    });
    expect(serviceLinkVariables({ ...svc('headless', 'None', [{ port: 80 }]) })).toEqual([]);
  });

  test('a container’s own env, the downward API, and HOSTNAME', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p-1', namespace: 'default' },
      spec: { containers: [{ name: 'c', env: [{ name: 'A', value: 'x' }, { name: 'B', value: '$(A)-y' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] }] },
      status: { podIP: '10.244.0.9' },
    };
    const env = containerEnvironment(pod, 'c', [], undefined, false);
    expect([env.get('HOSTNAME'), env.get('A'), env.get('B'), env.get('POD_IP'), env.get('KUBERNETES_SERVICE_HOST')]).toEqual(['p-1', 'x', 'x-y', '10.244.0.9', '10.96.0.1']);
  });
});

describe('the terminal line discipline (exec -t)', () => {
  test('echoes, edits, hands on lines at Enter, Ctrl-C interrupts, Ctrl-D ends', async () => {
    const { LineDiscipline } = await import('../../src/sandbox/exec/line-discipline.js');
    const echoed: Buffer[] = [];
    const lines: string[] = [];
    let ended = false;
    let interrupts = 0;
    const d = new LineDiscipline({ echo: (b) => echoed.push(b), line: (b) => lines.push(b.toString()), end: () => (ended = true), interrupt: () => interrupts++ });
    d.input(Buffer.from('lsx\x7f\r'));
    d.input(Buffer.from('é\x7fa\x1b[Ab\r'));
    d.input(Buffer.from('half\x03'));
    d.input(Buffer.from('\x04'));
    expect(lines).toEqual(['ls\n', 'ab\n']);
    expect(Buffer.concat(echoed).toString()).toBe('lsx\b \b\r\né\b \bab\r\nhalf^C\r\n');
    expect([interrupts, ended]).toEqual([1, true]);
  });
});
