import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import https from 'node:https';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { startFastSandbox } from '../helpers/sandbox.js';

interface Reply { status: number; contentType: string; body: any } // eslint-disable-line @typescript-eslint/no-explicit-any

/** A raw HTTPS request to the sandbox, so malformed input reaches it exactly as sent. */
function request(sb: Sandbox, method: string, path: string, opts: { body?: string | Buffer; contentType?: string; token?: string | null; accept?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
    if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? sb.token}`;
    if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const req = https.request(`${sb.url}${path}`, { method, headers, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the sandbox answers bad requests with the right Status and keeps serving', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startFastSandbox({ scenario: 'fresh' });
  });
  afterAll(() => sb?.stop());

  const expectStatus = (r: Reply, code: number, reason: string) => {
    expect(r.status).toBe(code);
    expect(r.contentType).toMatch(/^application\/json/);
    expect(r.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });
    expect(typeof r.body.message).toBe('string');
  };

  test('no token, or a wrong one: 401 Unauthorized', async () => {
    expectStatus(await request(sb, 'GET', '/api/v1/pods', { token: null }), 401, 'Unauthorized');
    expectStatus(await request(sb, 'GET', '/version', { token: 'guess' }), 401, 'Unauthorized');
  });

  test('malformed JSON: 400 BadRequest', async () => {
    expectStatus(await request(sb, 'POST', '/api/v1/namespaces/default/configmaps', { body: '{"apiVersion": "v1", "kind": ' }), 400, 'BadRequest');
  });

  test('unknown kinds and resources: 404 NotFound', async () => {
    expectStatus(await request(sb, 'GET', '/api/v1/namespaces/default/widgets'), 404, 'NotFound');
    expectStatus(await request(sb, 'GET', '/apis/example.com/v1/things'), 404, 'NotFound');
    const r = await request(sb, 'POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } }) });
    expectStatus(r, 400, 'BadRequest');
  });

  test('bad label and field selectors: 400 BadRequest', async () => {
    expectStatus(await request(sb, 'GET', '/api/v1/pods?labelSelector=' + encodeURIComponent('app in (a')), 400, 'BadRequest');
    expectStatus(await request(sb, 'GET', '/api/v1/pods?labelSelector=' + encodeURIComponent('=x')), 400, 'BadRequest');
    expectStatus(await request(sb, 'GET', '/api/v1/pods?fieldSelector=' + encodeURIComponent('spec.color=blue')), 400, 'BadRequest');
  });

  test('a body over the 3 MiB limit: 413 RequestEntityTooLarge', async () => {
    const huge = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'a'.repeat(4 * 1024 * 1024) } });
    expectStatus(await request(sb, 'POST', '/api/v1/namespaces/default/configmaps', { body: huge }), 413, 'RequestEntityTooLarge');
  });

  test('a stale resourceVersion: 410 Gone on an exact list, an ERROR 410 event on a watch', async () => {
    expectStatus(await request(sb, 'GET', '/api/v1/pods?resourceVersion=1&resourceVersionMatch=Exact'), 410, 'Expired');
    const w = await request(sb, 'GET', '/api/v1/pods?watch=true&resourceVersion=1');
    expect(w.status).toBe(200);
    const ev = JSON.parse(String(typeof w.body === 'string' ? w.body : JSON.stringify(w.body)).trim().split('\n')[0]);
    expect(ev).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  test('conflicts, duplicates, invalid names, missing namespaces and unsupported media', async () => {
    const cm = (name: string, extra: object = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { a: '1' } });
    const created = await request(sb, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('one') });
    expect(created.status).toBe(201);
    expectStatus(await request(sb, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('one') }), 409, 'AlreadyExists');
    expectStatus(await request(sb, 'PUT', '/api/v1/namespaces/default/configmaps/one', { body: cm('one', { resourceVersion: '1' }) }), 409, 'Conflict');
    expectStatus(await request(sb, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('Not_Valid') }), 422, 'Invalid');
    expectStatus(await request(sb, 'POST', '/api/v1/namespaces/nowhere/configmaps', { body: cm('x') }), 404, 'NotFound');
    expectStatus(await request(sb, 'PATCH', '/api/v1/namespaces/default/configmaps/one', { body: '{}', contentType: 'text/plain' }), 415, 'UnsupportedMediaType');
    expectStatus(await request(sb, 'GET', '/api/v1/pods', { accept: 'application/vnd.kubernetes.protobuf' }), 406, 'NotAcceptable');
  });

  test('protobuf bodies: an unknown kind is a 415 naming it; a broken body is a 400', async () => {
    // k8s\0 + runtime.Unknown{typeMeta{apiVersion "example.com/v1", kind "Widget"}}
    const typeMeta = Buffer.concat([Buffer.from([0x0a, 14]), Buffer.from('example.com/v1'), Buffer.from([0x12, 6]), Buffer.from('Widget')]);
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, typeMeta.length]), typeMeta]);
    const pb = 'application/vnd.kubernetes.protobuf';
    const r = await request(sb, 'POST', '/api/v1/namespaces/default/configmaps', { body, contentType: pb });
    expectStatus(r, 415, 'UnsupportedMediaType');
    expect(r.body.message).toMatch(/Widget \(example\.com\/v1\)/);
    expect(r.body.message).toMatch(/application\/json/);
    expectStatus(await request(sb, 'POST', '/api/v1/namespaces/default/configmaps', { body: '{"kind":"ConfigMap"}', contentType: pb }), 400, 'BadRequest');
    expectStatus(await request(sb, 'POST', '/api/v1/namespaces/default/configmaps', { body: Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x40, 1])]), contentType: pb }), 400, 'BadRequest');
  });

  test('a forbidden verb names the verb, resource and namespace', async () => {
    const strict = await startFastSandbox({ scenario: 'empty', forbid: [{ verb: 'list', resource: 'pods', namespace: 'istio-system' }] });
    try {
      const r = await request(strict, 'GET', '/api/v1/namespaces/istio-system/pods');
      expectStatus(r, 403, 'Forbidden');
      expect(r.body.message).toBe('pods is forbidden: User "learner" cannot list resource "pods" in API group "" in the namespace "istio-system"');
    } finally {
      await strict.stop();
    }
  });

  test('after all that, it still serves', async () => {
    const r = await request(sb, 'GET', '/api/v1/namespaces/default/configmaps/one');
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ a: '1' });
  });
});
