/**
 * The hostile corpus through the built CLI's plain paths (no TTY, NO_COLOR, unless the path
 * needs a terminal): nothing written may steer the terminal, and the text stays findable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { startFastSandbox } from '../helpers/sandbox.js';
import { ALL_IN_ONE, HOSTILE, STEERING, firstForeign } from './corpus.js';
import { hostileKubeconfig, hostileLesson, hostileTraceFile, plantHostileClass, plantHostileWorld } from './hostile-world.js';
import { tally } from './tally.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

interface Run { code: number; stdout: string; stderr: string }

let sb: Sandbox;
let dir: string;
let kube: { file: string; context: string };
let lesson: { dir: string; file: string };
let env: Record<string, string>;

function cli(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env: { ...process.env, ...env, ...extra }, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

/** Both streams hold no steering character of anyone else's, and every marker listed is there. */
function inert(surface: string, r: Run, markers: string[], own: string[] = [], planted = HOSTILE.length) {
  const all = r.stdout + r.stderr;
  expect(firstForeign(all, own), `${surface}: a steering character reached the terminal`).toBe('');
  for (const m of markers) expect(all.includes(m), `${surface}: ${m} is not findable in:\n${all.slice(0, 3000)}`).toBe(true);
  tally(surface, planted, markers.length);
}
const markers = (from = 0, to = HOSTILE.length) => HOSTILE.slice(from, to).map((h) => h.marker);

beforeAll(async () => {
  sb = await startFastSandbox({ scenario: 'fresh' });
  dir = mkdtempSync(join(tmpdir(), 'kt-hostile-'));
  await plantHostileWorld(sb);
  plantHostileClass(sb, 'default');
  kube = hostileKubeconfig(sb, dir);
  lesson = hostileLesson();
  env = { NO_COLOR: '1', XDG_STATE_HOME: join(dir, 'state'), KUBECONFIG: '', CI: 'true' };
});
afterAll(async () => {
  await sb?.stop();
});

describe('check against a cluster whose objects carry hostile text', () => {
  it('the text report shows event and condition messages, the command check output and the context name inertly', async () => {
    const r = await cli(['check', lesson.dir, '--kubeconfig', kube.file, '--trust']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^target: context HXctx HX0 ␛\[1;38;5;196mred␛\[0m/);
    expect(r.stdout).toMatch(/hx-0: event Hostile0: HX0 ␛\[1;38;5;196mred␛\[0m/);
    expect(r.stdout).toContain('<U+009B>2J<U+009B>31mc1');
    inert('check (text): events, conditions, command output, context', r, ['HXctx', ...markers()]);
  });

  it('--json is the exact data, inert', async () => {
    const r = await cli(['check', lesson.dir, '--kubeconfig', kube.file, '--trust', '--json']);
    expect(STEERING.test(r.stdout)).toBe(false);
    const rows = JSON.parse(r.stdout) as Array<{ diagnosis: string[] }>;
    const all = rows.flatMap((row) => row.diagnosis).join('\n');
    for (const h of HOSTILE.slice(0, 12)) expect(all.includes(h.text.slice(0, 200)), h.name).toBe(true);
    tally('check --json (exact, escaped)', HOSTILE.length, 12);
  });
});

describe('start --plain (the plain runner)', () => {
  it('shows the hostile context name and the lesson inertly', async () => {
    const child = spawn('node', [CLI, 'start', lesson.dir, '--plain', '--kubeconfig', kube.file, '--yes'], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const end = Date.now() + 30_000;
    while (Date.now() < end && !/✗/.test(out)) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(out).toMatch(/^target: context HXctx HX0 ␛\[1;38;5;196mred/m);
    inert('start --plain: context, checks', { code: 0, stdout: out, stderr: err }, ['HXctx', ...markers(0, 5)]);
  });
});

describe('class', () => {
  it('--plain --once: learner names, steps and last failures inertly', async () => {
    const r = await cli(['class', 'default', '--kubeconfig', kube.file, '--plain', '--once'], { COLUMNS: '200' });
    expect(r.code).toBe(0);
    inert('class --plain: learner names, last failures', r, markers());
  });

  it('--json --once is the exact data, inert', async () => {
    const r = await cli(['class', 'default', '--kubeconfig', kube.file, '--json', '--once']);
    expect(STEERING.test(r.stdout)).toBe(false);
    const doc = JSON.stringify(JSON.parse(r.stdout));
    for (const h of HOSTILE) expect(doc.includes(JSON.stringify(h.text).slice(1, -1)), h.name).toBe(true);
    tally('class --json (exact, escaped)', HOSTILE.length, HOSTILE.length);
  });

  it('on a terminal (a PTY): only its own clear-and-home sequence', async () => {
    const cmd = `node ${CLI} class default --kubeconfig '${kube.file}' --once`;
    const r = await new Promise<Run>((resolve) =>
      execFile('script', ['-qfec', cmd, '/dev/null'], { env: { ...process.env, ...env, COLUMNS: '200', LINES: '50' }, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 }, (e, stdout, stderr) =>
        resolve({ code: e ? 1 : 0, stdout: String(stdout), stderr: String(stderr) }),
      ),
    );
    expect(r.stdout).toContain('\x1b[H\x1b[2J');
    inert('class (TTY): learner names, last failures', r, markers(), ['\x1b[H\x1b[2J']);
  });
});

describe('traces', () => {
  it('--file --plain: span and service names, tags and logs inertly', async () => {
    const file = hostileTraceFile(dir);
    const r = await cli(['traces', '--file', file, '--plain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('op0 HX0 ␛[1;38;5;196mred␛[0m');
    inert('traces --plain: span names, services', r, markers().map((m, i) => `op${i} ${m}`));
  });

  it('--file --json is the exact data, inert', async () => {
    const file = hostileTraceFile(dir);
    const r = await cli(['traces', '--file', file, '--json']);
    expect(STEERING.test(r.stdout)).toBe(false);
    const doc = JSON.stringify(JSON.parse(r.stdout));
    for (const h of HOSTILE) expect(doc.includes(JSON.stringify(`op${HOSTILE.indexOf(h)} ${h.text}`).slice(1, -1)), h.name).toBe(true);
    tally('traces --json (exact, escaped)', HOSTILE.length, HOSTILE.length);
  });

  it('an error quoting the Jaeger server is one inert line', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: null, errors: [{ code: 500, msg: ALL_IN_ONE.slice(0, 400) }] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const r = await cli(['traces', '--jaeger', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--plain']);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n').length).toBe(2);
      inert('error quoting a server answer (Jaeger)', r, markers(0, 5), [], 5);
    } finally {
      server.close();
    }
  });
});

describe('lint and list quote lesson files', () => {
  it('lint: hostile check kinds quoted in its errors', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kt-hostile-lint-'));
    // A lesson file holds no raw control characters (the parser refuses them), but YAML escapes make them.
    const checks = HOSTILE.map((h) => `- kind: ${JSON.stringify(h.text)}`).join('\n');
    writeFileSync(join(d, 'lesson.md'), `---\nid: hl\ntitle: Hostile lint\n---\n\n## One {#one}\n\nText.\n\n\`\`\`check\n${checks}\n\`\`\`\n`);
    const r = await cli(['lint', d]);
    expect(r.code).toBe(1);
    inert('lint: quoted check kinds', r, markers());
  });

  it('list: hostile titles and summaries', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kt-hostile-list-'));
    HOSTILE.slice(0, 12).forEach((h, i) => {
      const esc = JSON.stringify(h.text); // a YAML double-quoted scalar: \\u001b, \\u009b … become the raw characters
      mkdirSync(join(d, `l${i}`));
      writeFileSync(join(d, `l${i}`, 'lesson.md'), `---\nid: hostile-${i}\ntitle: ${esc}\nsummary: ${esc}\n---\n\n## One {#one}\n\nText.\n`);
    });
    const r = await cli(['list', '--lessons', d]);
    inert('list: lesson titles', r, markers(0, 12), [], 12);
  });
});

describe('traffic', () => {
  it('a GATEWAY_URL found from a hostile gateway pod is shown inertly', async () => {
    const pods = sb.types.byKey('/pods')!;
    const gw = sb.store.list(pods, 'istio-system').find((p) => p.metadata.labels?.istio === 'ingressgateway')!;
    sb.store.update(pods, { ...gw, status: { ...(gw.status as object), hostIP: `HX0${HOSTILE.map((h) => h.text.slice(4, 60)).join('')}` } });
    const r = await cli(['traffic', '-n', '1', '--timeout', '1'], { KUBECONFIG: kube.file });
    expect(r.stdout).toMatch(/^GATEWAY_URL=\[?HX0␛\[1;38;5;196m/);
    inert('traffic: GATEWAY_URL from the cluster, errors', r, ['HX0']);
  });
});
