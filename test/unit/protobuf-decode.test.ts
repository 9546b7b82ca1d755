// The Kubernetes protobuf decoder on hand-built bodies (the writer is @bufbuild/protobuf's, the
// field numbers those of the Kubernetes types); the real kubectl's bodies are covered by
// test/sandbox/kubectl-create.test.ts.
import { describe, expect, test } from 'vitest';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { decodeKubernetesProtobuf, goDurationString, ProtobufDecodeError, ProtobufUnknownKindError } from '../../src/sandbox/api/protobuf-decode.js';

const msg = (build: (w: BinaryWriter) => void): Uint8Array => {
  const w = new BinaryWriter();
  build(w);
  return w.finish();
};
/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array, contentEncoding = ''): Uint8Array {
  const body = msg((w) => {
    w.uint32((1 << 3) | 2).bytes(msg((t) => t.uint32((1 << 3) | 2).string(apiVersion).uint32((2 << 3) | 2).string(kind)));
    w.uint32((2 << 3) | 2).bytes(raw);
    if (contentEncoding) w.uint32((3 << 3) | 2).string(contentEncoding);
  });
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), body]);
}
const str = (w: BinaryWriter, no: number, s: string) => w.uint32((no << 3) | 2).string(s);
const sub = (w: BinaryWriter, no: number, b: Uint8Array) => w.uint32((no << 3) | 2).bytes(b);
const varint = (w: BinaryWriter, no: number, n: number) => w.uint32(no << 3).int64(n);
const entry = (k: string, v: Uint8Array | string) => msg((e) => { str(e, 1, k); typeof v === 'string' ? str(e, 2, v) : sub(e, 2, v); });
const meta = (name: string) => msg((m) => { str(m, 1, name); str(m, 3, ''); sub(m, 8, new Uint8Array()); });

describe('decodeKubernetesProtobuf', () => {
  test('a Deployment: pointer zero kept, plain zeros dropped, IntOrString, Quantity, Time, empty structs kept', () => {
    const container = msg((c) => {
      str(c, 1, 'web'); str(c, 2, 'nginx');
      sub(c, 6, msg((p) => { str(p, 1, ''); varint(p, 2, 0); varint(p, 3, 80); str(p, 4, 'TCP'); }));
      sub(c, 8, msg((r) => sub(r, 1, entry('cpu', msg((q) => str(q, 1, '250m'))))));
      sub(c, 11, msg((probe) => { sub(probe, 1, msg((h) => sub(h, 2, msg((g) => { str(g, 1, '/ready'); sub(g, 2, msg((i) => { varint(i, 1, 1); varint(i, 2, 0); str(i, 3, 'http'); })); })))); varint(probe, 2, 5); }));
    });
    const spec = msg((s) => {
      varint(s, 1, 0); // replicas: *int32, set to 0
      sub(s, 2, msg((sel) => sub(sel, 1, entry('app', 'web'))));
      sub(s, 3, msg((t) => { sub(t, 1, meta('')); sub(t, 2, msg((ps) => { sub(ps, 2, container); str(ps, 3, ''); })); }));
      sub(s, 4, new Uint8Array());
      varint(s, 5, 0); // minReadySeconds: plain int32, zero → dropped
    });
    const raw = msg((d) => {
      sub(d, 1, msg((m) => { str(m, 1, 'web'); sub(m, 8, msg((t) => varint(t, 1, 1_700_000_000))); sub(m, 11, entry('tier', 'front')); }));
      sub(d, 2, spec);
      sub(d, 3, new Uint8Array());
    });
    expect(decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', raw))).toStrictEqual({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: '2023-11-14T22:13:20Z', labels: { tier: 'front' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { creationTimestamp: null },
          spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '250m' } }, readinessProbe: { httpGet: { path: '/ready', port: 'http' }, initialDelaySeconds: 5 } }] },
        },
        strategy: {},
      },
      status: {},
    });
  });

  test('Secret bytes become base64; repeated strings; a Service', () => {
    // map<string, bytes>: the entry's value is the raw bytes.
    const secretRaw = msg((s) => { sub(s, 1, meta('s')); sub(s, 2, msg((e) => { str(e, 1, 'k'); sub(e, 2, Buffer.from('v\u0000x')); })); str(s, 3, 'Opaque'); });
    expect(decodeKubernetesProtobuf(envelope('v1', 'Secret', secretRaw))).toMatchObject({ data: { k: Buffer.from('v\u0000x').toString('base64') }, type: 'Opaque' });
    const role = msg((r) => { sub(r, 1, meta('r')); sub(r, 2, msg((p) => { str(p, 1, 'get'); str(p, 1, 'list'); str(p, 2, ''); str(p, 3, 'pods'); })); });
    expect(decodeKubernetesProtobuf(envelope('rbac.authorization.k8s.io/v1', 'Role', role))).toMatchObject({ rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] });
    // A ServicePort list with an IntOrString number; a plain string field.
    const svc = msg((s) => { sub(s, 1, meta('svc')); sub(s, 2, msg((sp) => { sub(sp, 1, msg((p) => { varint(p, 3, 80); sub(p, 4, msg((i) => varint(i, 2, 8080))); })); str(sp, 3, 'None'); })); });
    expect(decodeKubernetesProtobuf(envelope('v1', 'Service', svc)).spec).toStrictEqual({ ports: [{ port: 80, targetPort: 8080 }], clusterIP: 'None' });
  });

  test('an unknown kind is named; a bad magic, a truncated body and a content encoding are errors', () => {
    const unknown = () => decodeKubernetesProtobuf(envelope('example.com/v1', 'Widget', new Uint8Array()));
    expect(unknown).toThrow(ProtobufUnknownKindError);
    expect(unknown).toThrow(/Widget \(example\.com\/v1\)/);
    expect(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"Namespace"}'))).toThrow(ProtobufDecodeError);
    const good = envelope('v1', 'Namespace', msg((n) => sub(n, 1, meta('room'))));
    expect(decodeKubernetesProtobuf(good)).toMatchObject({ kind: 'Namespace', metadata: { name: 'room' } });
    expect(() => decodeKubernetesProtobuf(good.subarray(0, good.length - 3))).toThrow(ProtobufDecodeError);
    expect(() => decodeKubernetesProtobuf(envelope('v1', 'Namespace', new Uint8Array(), 'gzip'))).toThrow(/content encoding "gzip"/);
  });

  test('Go duration strings', () => {
    expect(goDurationString(0)).toBe('0s');
    expect(goDurationString(1_500_000)).toBe('1.5ms');
    expect(goDurationString(90_000_000_000)).toBe('1m30s');
    expect(goDurationString(3_600_000_000_000 + 2_000_000_000)).toBe('1h0m2s');
  });
});
