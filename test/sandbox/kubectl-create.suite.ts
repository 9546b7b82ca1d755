// Every `kubectl create` subcommand, with the real kubectl of each version given, on one sandbox
// (the versions are split over two test files, kubectl-create*.test.ts, so that workers balance).
// kubectl 1.32+ sends these bodies as application/vnd.kubernetes.protobuf (client-go 0.32 typed
// clients); 1.27–1.31 send JSON. Each object must read back (`kubectl get -o json`) with every field
// the same kubectl builds for it (`--dry-run=client -o json`).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { selfSignedCertificate } from '../../src/sandbox/tls.js';
import { kubectl, startFastSandbox } from '../helpers/sandbox.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `create` argument lists; `{v}` is the version without the dot (cluster-scoped names must differ). */
function creates(dir: string): Array<{ kind: string; name: string; cluster?: boolean; args: string[] }> {
  return [
    { kind: 'namespace', name: 'room-{v}', cluster: true, args: ['namespace', 'room-{v}'] },
    { kind: 'configmap', name: 'settings', args: ['configmap', 'settings', '--from-literal=colour=blue', '--from-literal=size=10', `--from-file=${join(dir, 'app.conf')}`] },
    { kind: 'secret', name: 'generic', args: ['secret', 'generic', 'generic', '--from-literal=password=s3cr3t', '--type=Opaque'] },
    { kind: 'secret', name: 'tls', args: ['secret', 'tls', 'tls', `--cert=${join(dir, 'tls.crt')}`, `--key=${join(dir, 'tls.key')}`] },
    { kind: 'secret', name: 'registry', args: ['secret', 'docker-registry', 'registry', '--docker-server=registry.example', '--docker-username=ann', '--docker-password=pw', '--docker-email=ann@example.com'] },
    { kind: 'serviceaccount', name: 'robot', args: ['serviceaccount', 'robot'] },
    { kind: 'service', name: 'web', args: ['service', 'clusterip', 'web', '--tcp=80:8080', '--tcp=443:8443'] },
    { kind: 'service', name: 'headless', args: ['service', 'clusterip', 'headless', '--clusterip=None'] },
    { kind: 'service', name: 'nodes', args: ['service', 'nodeport', 'nodes', '--tcp=8080:80'] },
    { kind: 'service', name: 'balancer', args: ['service', 'loadbalancer', 'balancer', '--tcp=5678:8080'] },
    { kind: 'service', name: 'outside', args: ['service', 'externalname', 'outside', '--external-name=example.com', '--tcp=80:80'] },
    { kind: 'deployment', name: 'shop', args: ['deployment', 'shop', '--image=nginx:1.27', '--image=busybox:1.36', '--replicas=3', '--port=80'] },
    { kind: 'deployment', name: 'idle', args: ['deployment', 'idle', '--image=nginx', '--replicas=0'] },
    { kind: 'job', name: 'once', args: ['job', 'once', '--image=busybox', '--', 'echo', 'hello world'] },
    { kind: 'cronjob', name: 'tick', args: ['cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure', '--', 'date'] },
    { kind: 'role', name: 'reader', args: ['role', 'reader', '--verb=get,list,watch', '--resource=pods,deployments.apps', '--resource-name=one'] },
    { kind: 'rolebinding', name: 'reader', args: ['rolebinding', 'reader', '--role=reader', '--user=bob', '--group=devs', '--serviceaccount=room-{v}:robot'] },
    { kind: 'clusterrole', name: 'nodes-{v}', cluster: true, args: ['clusterrole', 'nodes-{v}', '--verb=get,list', '--resource=nodes'] },
    { kind: 'clusterrole', name: 'logs-{v}', cluster: true, args: ['clusterrole', 'logs-{v}', '--verb=get', '--non-resource-url=/logs/*'] },
    { kind: 'clusterrolebinding', name: 'nodes-{v}', cluster: true, args: ['clusterrolebinding', 'nodes-{v}', '--clusterrole=nodes-{v}', '--group=devs'] },
    { kind: 'ingress', name: 'front', args: ['ingress', 'front', '--class=nginx', '--rule=shop.example/bar*=web:80,tls=tls', '--rule=/api=web:https', '--annotation=team=web'] },
    { kind: 'resourcequota', name: 'limits', args: ['quota', 'limits', '--hard=pods=10,cpu=2,memory=1Gi,requests.storage=5Gi'] },
    { kind: 'priorityclass', name: 'high-{v}', cluster: true, args: ['priorityclass', 'high-{v}', '--value=1000', '--description=urgent work', '--preemption-policy=Never'] },
    { kind: 'poddisruptionbudget', name: 'keep', args: ['poddisruptionbudget', 'keep', '--selector=app=shop', '--min-available=50%'] },
  ];
}

/** What the client meant: server-set fields and empty values dropped. */
function intended(o: Any): Any {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const out: Any = {};
      for (const [k, x] of Object.entries(v)) {
        const s = strip(x);
        if (s === null || (typeof s === 'object' && !Array.isArray(s) && Object.keys(s as object).length === 0)) continue;
        out[k] = s;
      }
      return out;
    }
    return v;
  };
  const copy = strip(o) as Any;
  delete copy.status;
  delete copy.metadata?.namespace;
  return copy;
}

/** The suite for `versions`, on a sandbox of the file's own; returns that sandbox (once started). */
export function kubectlCreateSuite(versions: string[]): () => Sandbox {
  let sb: Sandbox;
  let dir: string;

  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'empty' });
    dir = mkdtempSync(join(tmpdir(), 'kubetutor-create-'));
    const cert = await selfSignedCertificate();
    writeFileSync(join(dir, 'tls.crt'), cert.cert);
    writeFileSync(join(dir, 'tls.key'), cert.key);
    writeFileSync(join(dir, 'app.conf'), 'listen 80\nworkers 2\n');
  });
  afterAll(async () => {
    await sb?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe.each(versions)('kubectl %s create', (version) => {
    const v = version.replace('.', '');
    const ns = `room-${v}`;

    test('every subcommand creates its object, and it reads back as the client built it', async () => {
      const check = async (c: ReturnType<typeof creates>[number]) => {
        const args = c.args.map((a) => a.replaceAll('{v}', v));
        const name = c.name.replaceAll('{v}', v);
        const scope = c.cluster ? [] : ['-n', ns];
        const dry = await kubectl(sb, ['create', '--dry-run=client', '-o', 'json', ...scope, ...args], { version });
        expect(dry.stderr, `${args.join(' ')} (dry run)`).toBe('');
        const made = await kubectl(sb, ['create', ...scope, ...args], { version });
        expect(made.stderr, args.join(' ')).toBe('');
        expect(made.code).toBe(0);
        expect(made.stdout).toMatch(/created/);
        const got = await kubectl(sb, ['get', ...scope, c.kind, name, '-o', 'json'], { version });
        expect(got.stderr, `get ${c.kind} ${name}`).toBe('');
        const back = JSON.parse(got.stdout) as Any;
        expect(back, `${c.kind} ${name}`).toMatchObject(intended(JSON.parse(dry.stdout)));
        if (!c.cluster) expect(back.metadata.namespace).toBe(ns);
        expect(back.metadata.uid).toBeTruthy();
      };
      // The namespace first; then the subcommands (independent of each other) four at a time: the
      // 72 runs of the real kubectl one after the other took ~40 s alone, more on a loaded machine.
      const [namespace, ...rest] = creates(dir);
      await check(namespace);
      for (let i = 0; i < rest.length; i += 4) await Promise.all(rest.slice(i, i + 4).map(check));
    }, 180_000);

    test('kubectl get shows the columns a real server prints for them', async () => {
      const r = await kubectl(sb, ['get', '-n', ns, 'job,cronjob,ingress,rolebinding,quota,pdb'], { version });
      expect(r.stderr).toBe('');
      for (const header of [/NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE/, /NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE/, /NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE/,
        /NAME\s+ROLE\s+AGE/, /NAME\s+AGE\s+REQUEST\s+LIMIT/, /NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE/]) expect(r.stdout).toMatch(header);
      expect(r.stdout).toMatch(/front\s+nginx\s+shop\.example\s+80, 443/);
      expect(r.stdout).toMatch(/limits\s+\S+\s+cpu: 0\/2, memory: 0\/1Gi, pods: 0\/10, requests\.storage: 0\/5Gi/);
      expect(r.stdout).toMatch(/keep\s+50%\s+N\/A\s+0/);
      const pc = await kubectl(sb, ['get', 'priorityclass', `high-${v}`], { version });
      expect(pc.stdout).toMatch(new RegExp(`high-${v}\\s+1000\\s+false\\s+\\S+\\s+Never`));
    });

    test('kubectl run sends a Pod the same way, and it reads back as built', async () => {
      const args = ['web', '--image=nginx:1.27', '--port=80', '--labels=app=web,tier=front', '--env=MODE=demo', '--restart=Never', '--', 'nginx', '-g', 'daemon off;'];
      const dry = await kubectl(sb, ['run', '--dry-run=client', '-o', 'json', '-n', ns, ...args], { version });
      const made = await kubectl(sb, ['run', '-n', ns, ...args], { version });
      expect(made.stderr).toBe('');
      expect(made.stdout).toMatch(/pod\/web created/);
      const back = JSON.parse((await kubectl(sb, ['get', '-n', ns, 'pod', 'web', '-o', 'json'], { version })).stdout) as Any;
      expect(back).toMatchObject(intended(JSON.parse(dry.stdout)));
    });

    test('create token prints a token for the service account', async () => {
      const r = await kubectl(sb, ['create', 'token', '-n', ns, 'robot', '--duration=10m'], { version });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const [, payload] = r.stdout.trim().split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Any;
      expect(claims.sub).toBe(`system:serviceaccount:${ns}:robot`);
      expect(claims.exp - claims.iat).toBe(600);
      expect(r.stdout).not.toContain(sb.token);
    });

    test('a second create is refused as AlreadyExists, by kubectl as by the server', async () => {
      const r = await kubectl(sb, ['create', '-n', ns, 'configmap', 'settings', '--from-literal=a=b'], { version });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/configmaps "settings" already exists/);
    });
  });
  return () => sb;
}
