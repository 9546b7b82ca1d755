// Every `kubectl create` subcommand with kubectl 1.33 (protobuf bodies) and 1.31 (JSON bodies), and
// the two stored alike (the other versions: kubectl-create-older.test.ts; the suite:
// kubectl-create.suite.ts).
import { expect, test } from 'vitest';
import { kubectlCreateSuite } from './kubectl-create.suite.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sandbox = kubectlCreateSuite(['1.33', '1.31']);

test('kubectl 1.33 and 1.31 (protobuf and JSON bodies) store the same Deployment', () => {
  const sb = sandbox();
  const a = sb.objects('apps', 'deployments', 'room-133').find((d) => d.metadata.name === 'shop')!;
  const b = sb.objects('apps', 'deployments', 'room-131').find((d) => d.metadata.name === 'shop')!;
  expect(a.spec).toStrictEqual(b.spec);
  expect(a.metadata.labels).toStrictEqual(b.metadata.labels);
  const ing = (n: string) => sb.objects('networking.k8s.io', 'ingresses', n).find((d) => d.metadata.name === 'front')!;
  expect(ing('room-133').spec).toStrictEqual(ing('room-131').spec);
  expect((ing('room-133').spec as Any).rules[0].http.paths[0]).toStrictEqual({ path: '/bar', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } });
  const secret = sb.objects('', 'secrets', 'room-133').find((d) => d.metadata.name === 'generic')!;
  expect(Buffer.from((secret.data as Any).password, 'base64').toString()).toBe('s3cr3t');
});
