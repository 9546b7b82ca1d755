/**
 * `kubectl exec` on the sandbox with the real kubectl 1.27, 1.29, 1.31 and
 * 1.33 (SPDY for 1.27/1.29, WebSocket v5 for 1.31/1.33, and each the other
 * way when kubectl is told to), the simulated containers' commands, and the
 * trace an exec'd curl leaves in Jaeger.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { PassThrough } from 'node:stream';
import WebSocket from 'ws';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { Tmux } from '../helpers/tmux.js';
import { eventually, kubectl, kubectlPath, startFastSandbox, type Run } from '../helpers/sandbox.js';

const VERSIONS = ['1.27', '1.29', '1.31', '1.33'] as const;
/** Which protocol each kubectl tries first for exec (pkg/cmd/exec: 1.30+ WebSocket by default). */
const FIRST_TRY: Record<(typeof VERSIONS)[number], 'websocket' | 'spdy'> = { '1.27': 'spdy', '1.29': 'spdy', '1.31': 'websocket', '1.33': 'websocket' };

/** Runs a command line in sh with KUBECTL and KUBECONFIG set, as a learner's shell would. */
function shell(sb: Sandbox, version: string, line: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { env: { ...process.env, KUBECTL: kubectlPath(version), KUBECONFIG: sb.kubeconfigPath, HOME: process.env.HOME ?? '/tmp', ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

const podsRunning = (sb: Sandbox, ns = 'default') => sb.objects('', 'pods', ns).length > 0 && sb.objects('', 'pods', ns).every((p) => (p.status as { phase?: string }).phase === 'Running' && JSON.stringify(p.status).includes('"Ready","status":"True"'));

interface JaegerSpan { spanID: string; operationName: string; references: Array<{ spanID: string }>; processID: string; tags: Array<{ key: string; value: unknown }> }
interface JaegerTrace { traceID: string; spans: JaegerSpan[]; processes: Record<string, { serviceName: string }> }

describe('kubectl exec on the ready scenario', () => {
  let sb: Sandbox;
  let ratingsPod: string;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'ready' });
    await eventually(() => podsRunning(sb), 15_000, 'Bookinfo pods ready');
    ratingsPod = sb.objects('', 'pods', 'default').find((p) => p.metadata.labels?.app === 'ratings')!.metadata.name;
  });
  afterAll(async () => {
    await sb?.stop();
  });

  describe.each(VERSIONS)('kubectl %s', (version) => {
    test("the docs' check from inside the mesh prints the product page title, over the protocol this kubectl tries first", async () => {
      const before = { ...sb.api.stats.execSessions };
      const r = await shell(sb, version, `"$KUBECTL" exec "$("$KUBECTL" get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"`);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('<title>Simple Bookstore App</title>\n');
      expect(r.code).toBe(0);
      const after = sb.api.stats.execSessions;
      expect(after[FIRST_TRY[version]] - before[FIRST_TRY[version]]).toBe(1);
    });

    test('and over the other protocol when told to', async () => {
      const other = FIRST_TRY[version] === 'websocket' ? 'spdy' : 'websocket';
      if (version === '1.27') return; // 1.27 and 1.28 have no WebSocket exec
      const before = sb.api.stats.execSessions[other];
      const r = await kubectl(sb, ['exec', ratingsPod, '-c', 'ratings', '--', 'sh', '-c', 'curl -s productpage:9080/productpage | grep -o "<title>.*</title>"'], { version, env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: other === 'websocket' ? 'true' : 'false' } });
      expect(r).toMatchObject({ code: 0, stdout: '<title>Simple Bookstore App</title>\n' });
      expect(sb.api.stats.execSessions[other] - before).toBe(1);
    });

    test('exit codes come back: false → 1, sh -c with an unknown name → 127, a program the image lacks → the runtime error', async () => {
      const f = await kubectl(sb, ['exec', ratingsPod, '-c', 'ratings', '--', 'false'], { version });
      expect(f.code).toBe(1);
      expect(f.stderr).toBe('command terminated with exit code 1\n');
      const three = await kubectl(sb, ['exec', ratingsPod, '-c', 'ratings', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], { version });
      expect(three).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n' });
      const sh = await kubectl(sb, ['exec', ratingsPod, '-c', 'ratings', '--', 'sh', '-c', 'nosuch --flag'], { version });
      expect(sh).toMatchObject({ code: 127, stderr: 'sh: nosuch: not found\ncommand terminated with exit code 127\n' });
      const bare = await kubectl(sb, ['exec', ratingsPod, '-c', 'ratings', '--', 'nosuch'], { version });
      expect(bare.code).toBe(1);
      expect(bare.stderr).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in \$PATH: unknown\n$/);
    });

    test('stdin reaches the command (kubectl exec -i … -- cat echoes it)', async () => {
      const text = 'first line\nsecond line with ünïcode\n';
      const r = await kubectl(sb, ['exec', '-i', ratingsPod, '-c', 'ratings', '--', 'cat'], { version, input: text });
      expect(r).toMatchObject({ code: 0, stdout: text });
      const counted = await kubectl(sb, ['exec', '-i', ratingsPod, '-c', 'ratings', '--', 'sh', '-c', 'grep -c line'], { version, input: text });
      expect(counted).toMatchObject({ code: 0, stdout: '2\n' });
    });

    test('unknown pods and containers get the answers kubectl prints well', async () => {
      const pod = await kubectl(sb, ['exec', 'no-such-pod', '--', 'true'], { version });
      expect(pod).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "no-such-pod" not found\n' });
      const container = await kubectl(sb, ['exec', ratingsPod, '-c', 'nope', '--', 'true'], { version });
      expect(container.code).toBe(1);
      expect(container.stderr).toMatch(/container nope is not valid for pod ratings-v1-|container nope not found in pod/);
    });
  });

  test('an exec’d curl is traced from the calling pod’s sidecar: ratings client span → productpage server span → its calls', async () => {
    const before = sb.workloads.traces.count();
    const r = await kubectl(sb, ['exec', ratingsPod, '-c', 'ratings', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'x-b3-sampled: 1', 'http://productpage.default.svc.cluster.local:9080/productpage']);
    expect(r).toMatchObject({ code: 0, stdout: '200' });
    expect(sb.workloads.traces.count()).toBe(before + 1);
    // Read it back the way a learner would: Jaeger's query API through the API server's service proxy.
    const raw = await kubectl(sb, ['get', '--raw', '/api/v1/namespaces/istio-system/services/jaeger-query:16686/proxy/api/traces?service=ratings.default&limit=1']);
    const trace = (JSON.parse(raw.stdout) as { data: JaegerTrace[] }).data[0]!;
    const service = (s: JaegerSpan) => trace.processes[s.processID]!.serviceName;
    const kind = (s: JaegerSpan) => s.tags.find((t) => t.key === 'span.kind')?.value;
    const root = trace.spans.find((s) => s.references.length === 0)!;
    expect([service(root), kind(root), root.operationName]).toEqual(['ratings.default', 'client', 'productpage.default.svc.cluster.local:9080/*']);
    const server = trace.spans.find((s) => s.references[0]?.spanID === root.spanID)!;
    expect([service(server), kind(server)]).toEqual(['productpage.default', 'server']);
    expect(trace.spans.some((s) => service(s) === 'details.default' && kind(s) === 'server')).toBe(true);
    expect(trace.spans.some((s) => service(s) === 'istio-policy')).toBe(true);
  });

  test('any pod can call in: a sleep pod (samples/sleep) curls ratings by its full name, traced from sleep’s sidecar', async () => {
    const manifest = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: sleep\n  labels: {app: sleep}\nspec:\n  containers:\n  - name: sleep\n    image: curlimages/curl\n    command: ["/bin/sleep", "infinity"]\n';
    expect((await kubectl(sb, ['apply', '-f', '-'], { input: manifest })).code).toBe(0);
    await eventually(() => sb.objects('', 'pods', 'default').find((p) => p.metadata.name === 'sleep' && JSON.stringify(p.status).includes('"Ready","status":"True"')), 10_000, 'sleep pod ready');
    const before = sb.workloads.traces.count();
    const r = await kubectl(sb, ['exec', 'sleep', '-c', 'sleep', '--', 'curl', '-sS', 'http://ratings.default.svc.cluster.local:9080/ratings/1']);
    expect(r).toMatchObject({ code: 0, stdout: '{"id":1,"ratings":{"Reviewer1":5,"Reviewer2":4}}' });
    expect(sb.workloads.traces.count()).toBe(before + 1);
    const raw = await kubectl(sb, ['get', '--raw', '/api/v1/namespaces/istio-system/services/jaeger-query:16686/proxy/api/traces?service=sleep.default&limit=1']);
    const trace = (JSON.parse(raw.stdout) as { data: JaegerTrace[] }).data[0]!;
    const names = trace.spans.map((s) => `${trace.processes[s.processID]!.serviceName} ${s.tags.find((t) => t.key === 'span.kind')?.value ?? ''}`.trim()).sort();
    expect(names).toEqual(['istio-policy server', 'ratings.default server', 'sleep.default client']);
  });

  test('the container has a pod’s environment and the commands tutorials use', async () => {
    const env = await kubectl(sb, ['exec', ratingsPod, '-c', 'ratings', '--', 'sh', '-c', 'printenv HOSTNAME PRODUCTPAGE_SERVICE_PORT; env | grep -o "^RATINGS_SERVICE_HOST=10\\.[0-9.]*" | head -n 1; hostname'], { version: '1.33' });
    expect(env.stdout).toBe(`${ratingsPod}\n9080\nRATINGS_SERVICE_HOST=${(sb.objects('', 'services', 'default').find((s) => s.metadata.name === 'ratings')!.spec as { clusterIP: string }).clusterIP}\n${ratingsPod}\n`);
    const json = await kubectl(sb, ['exec', ratingsPod, '-c', 'ratings', '--', 'curl', '-sS', 'http://ratings:9080/ratings/1']);
    expect(JSON.parse(json.stdout)).toEqual({ id: 1, ratings: { Reviewer1: 5, Reviewer2: 4 } });
    const head = await kubectl(sb, ['exec', ratingsPod, '-c', 'ratings', '--', 'sh', '-c', 'curl -sI productpage:9080/productpage | head -n 1']);
    expect(head.stdout).toBe('HTTP/1.1 200 OK\r\n');
    const meter = await kubectl(sb, ['exec', ratingsPod, '-c', 'ratings', '--', 'curl', '-o', '/dev/null', 'details:9080/details/0']);
    expect(meter.code).toBe(0);
    expect(meter.stderr).toMatch(/% Total +% Received/); // no -s: the progress meter, as real curl shows it
    const resolve = await kubectl(sb, ['exec', ratingsPod, '-c', 'ratings', '--', 'curl', '-sS', 'http://nowhere:9080/']);
    expect(resolve).toMatchObject({ code: 6, stderr: 'curl: (6) Could not resolve host: nowhere\ncommand terminated with exit code 6\n' });
  });

  test.each(['1.27', '1.33'])('kubectl %s exec -it … -- sh in a real terminal: prompt, echo, Ctrl-C, exit status', async (version) => {
    const t = new Tmux(`${kubectlPath(version)} exec -it ${ratingsPod} -c ratings -- sh; echo "exited $?"`, { width: 80, height: 24, env: { KUBECONFIG: sb.kubeconfigPath } });
    try {
      await t.waitFor(/^#$/m); // capture-pane drops the prompt's trailing space
      t.keys('curl -s productpage:9080/productpage | grep -o "<title>.*</title>"', 'Enter');
      await t.waitFor('<title>Simple Bookstore App</title>');
      t.keys('sleep 600', 'Enter');
      await t.waitFor('# sleep 600');
      t.keys('C-c');
      await t.waitFor(/\^C\n#$/m);
      t.keys('hostnam', 'BSpace', 'me', 'Enter');
      await t.waitFor(`# hostname\n${ratingsPod}\n#`);
      t.keys('exit 4', 'Enter');
      const screen = await t.waitFor('exited 4');
      expect(screen).toContain('command terminated with exit code 4');
    } finally {
      t.kill();
    }
  });

  test('the WebSocket framing: v4 too, an empty first message, the Status on channel 3, a normal close; unknown subprotocols refused', async () => {
    const url = (cmd: string[]) => `${sb.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/${ratingsPod}/exec?${cmd.map((c) => `command=${encodeURIComponent(c)}`).join('&')}&container=ratings&stdout=true&stderr=true`;
    const talk = (protocols: string[], cmd: string[]) => new Promise<{ protocol: string; messages: Buffer[]; code: number }>((resolve, reject) => {
      const ws = new WebSocket(url(cmd), protocols, { headers: { Authorization: `Bearer ${sb.token}` }, rejectUnauthorized: false });
      const messages: Buffer[] = [];
      ws.on('message', (d: Buffer) => messages.push(d));
      ws.on('close', (code) => resolve({ protocol: ws.protocol, messages, code }));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.on('error', reject);
    });
    const v4 = await talk(['v4.channel.k8s.io'], ['sh', '-c', 'echo out; echo err >&2; exit 2']);
    expect(v4.protocol).toBe('v4.channel.k8s.io');
    expect(v4.code).toBe(1000);
    expect(v4.messages.map((m) => [m[0], m.subarray(1).toString()])).toEqual([
      [1, ''],
      [1, 'out\n'],
      [2, 'err\n'],
      [3, JSON.stringify({ metadata: {}, status: 'Failure', message: 'command terminated with non-zero exit code: error executing command [sh -c echo out; echo err >&2; exit 2], exit code 2', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '2' }] } })],
    ]);
    await expect(talk(['channel.k8s.io'], ['true'])).rejects.toThrow('HTTP 400');
  });

  test('client-node’s Exec (WebSocket v5, stdin closed with the close channel)', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(sb.kubeconfigPath);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const stdin = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc).exec('default', ratingsPod, 'ratings', ['sh', '-c', 'cat | grep -o "b.*"; exit 4'], stdout, stderr, stdin, false, (s) => resolve(s)).catch(reject);
      stdin.end('abc\nxyz\n');
    });
    expect(out).toBe('bc\n');
    expect(status.status).toBe('Failure');
    expect(status.reason).toBe('NonZeroExitCode');
    expect(status.details?.causes?.[0]).toEqual({ reason: 'ExitCode', message: '4' });
  });
});

describe.each([['modern', '1.33'], ['istio-1.0', '1.27'], ['no-sidecar', '1.31']] as const)('kubectl exec on the %s scenario', (scenario, version) => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario });
    await eventually(() => podsRunning(sb), 15_000, 'Bookinfo pods ready');
  });
  afterAll(async () => {
    await sb?.stop();
  });

  test(`kubectl ${version} runs the docs' check, and the trace is what that mesh would report`, async () => {
    const before = sb.workloads.traces.count();
    const r = await shell(sb, version, `"$KUBECTL" exec "$("$KUBECTL" get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"`);
    expect(r).toMatchObject({ code: 0, stdout: '<title>Simple Bookstore App</title>\n', stderr: '' });
    // no-sidecar: no proxy on either side, so nothing reports a span.
    expect(sb.workloads.traces.count() - before).toBe(scenario === 'no-sidecar' ? 0 : 1);
  });
});
