// One kept-alive https.Agent per cluster and credentials (src/kube/kubeconfig.ts): client-node
// would make a new agent, and so a new connection and TLS context, for every request.
import { expect, test } from 'vitest';
import https from 'node:https';
import { loadKubeconfig } from '../../src/kube/kubeconfig.js';

const text = `apiVersion: v1
kind: Config
clusters:
- name: one
  cluster: { server: 'https://127.0.0.1:6443', insecure-skip-tls-verify: true }
- name: two
  cluster: { server: 'https://127.0.0.1:7443', insecure-skip-tls-verify: true }
- name: proxied
  cluster: { server: 'https://127.0.0.1:8443', insecure-skip-tls-verify: true, proxy-url: 'http://127.0.0.1:3128' }
users:
- name: learner
  user: { token: abc }
contexts:
- { name: one, context: { cluster: one, user: learner } }
- { name: two, context: { cluster: two, user: learner } }
- { name: proxied, context: { cluster: proxied, user: learner } }
current-context: one
`;

const agentOf = async (kc: ReturnType<typeof loadKubeconfig>) => (await kc.applyToFetchOptions({})).agent as https.Agent;

test('requests to one cluster share one agent that keeps connections alive', async () => {
  const kc = loadKubeconfig({ text });
  const first = await agentOf(kc);
  expect(first).toBeInstanceOf(https.Agent);
  expect(await agentOf(kc)).toBe(first);
  expect((first as unknown as { keepAlive: boolean }).keepAlive).toBe(true);
  expect((first.options as { secureContext?: unknown }).secureContext).toBeDefined();
});

test('another cluster gets its own agent; a proxied one is left to client-node', async () => {
  const kc = loadKubeconfig({ text });
  const one = await agentOf(kc);
  kc.setCurrentContext('two');
  const two = await agentOf(kc);
  expect(two).not.toBe(one);
  expect(await agentOf(kc)).toBe(two);
  kc.setCurrentContext('proxied');
  expect(await agentOf(kc)).not.toBe(await agentOf(kc));
});
