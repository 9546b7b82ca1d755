/** The cluster client's and the kubeconfig's errors in Chinese (kube.*): what a learner sees when the cluster cannot be used. */
import { afterEach, describe, expect, test } from 'vitest';
import { freePort as closedPort } from '../helpers/ports.js';
import { setLanguage } from '../../src/i18n/index.js';
import { ClusterError, KubeClient, forbiddenMessage } from '../../src/cluster/kube-client.js';
import { loadKubeconfig } from '../../src/kube/kubeconfig.js';
import { openTarget } from '../../src/cluster/target.js';
import { dashboardAccess, dashboardAccessOn, samplingRaiseAdvice, samplingText } from '../../src/cluster/era.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const kubeconfig = (server: string) => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: lab, context: { cluster: c, user: u } }]
current-context: lab
`;

describe('kube.* in Chinese', () => {
  afterEach(() => setLanguage('en'));

  test('an unreachable cluster: what happened and what to run, the address and the command as they are', async () => {
    const server = `https://127.0.0.1:${await closedPort()}`;
    setLanguage('zh-CN');
    const client = KubeClient.fromKubeconfigText(kubeconfig(server), undefined, { requestTimeoutMs: 1000 });
    const err = await client.list('v1', 'Pod', 'default').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterError);
    expect(err).toMatchObject({ kind: 'unreachable', message: `无法连接 ${server} 上的集群：connect ECONNREFUSED —— 它在运行吗？（kubectl --context lab cluster-info）` });
    setLanguage('en');
    const again = await client.list('v1', 'Pod', 'default').catch((e: unknown) => e);
    expect((again as Error).message).toBe(`cannot reach the cluster at ${server}: connect ECONNREFUSED — is it running? (kubectl --context lab cluster-info)`);
  });

  test('an RBAC refusal and a missing context', () => {
    setLanguage('zh-CN');
    const status = 'pods is forbidden: User "ann" cannot list resource "pods" in API group "" in the namespace "istio-system"';
    expect(forbiddenMessage(status, { verb: 'list', kind: 'Pod', namespace: 'istio-system' })).toBe('RBAC 拒绝：不能对命名空间 istio-system 中的 pods 执行 list（请为用户“ann”申请对“pods”的“list”权限）');
    expect(() => loadKubeconfig({ text: kubeconfig('https://x') }, 'prod')).toThrow('kubeconfig 中没有上下文“prod”（其中的上下文：lab）');
  });

  test('a real cluster\'s target: its label, and a context the kubeconfig lacks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-i18n-kube-'));
    try {
      const file = join(dir, 'config');
      writeFileSync(file, kubeconfig('https://203.0.113.7:6443'));
      setLanguage('zh-CN');
      await expect(openTarget({ kubeconfig: file, context: 'prod' })).rejects.toThrow(`${file} 中找不到上下文“prod”；其中的上下文：lab`);
      const target = await openTarget({ kubeconfig: file });
      expect(target.label).toBe('上下文 lab（https://203.0.113.7:6443）');
      await target.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the dashboard\'s reason and the sampling advice, with a moved port and the Telemetry resource\'s name put in', () => {
    const facts = { era: '1.1' as const, version: '1.1.4', tracingInstalled: true, jaegerBasePath: '', productpageService: 'productpage.default' as const, gatewayListens15032: false, gatewayService15032: true, unread: [] };
    setLanguage('zh-CN');
    const zh = dashboardAccess(facts);
    expect(zh.why).toBe('Istio 1.1.4（正式版）：网关服务列出了 15032 端口，但没有 Gateway 监听它 —— 追踪 Gateway 只存在于 1.1 的预发布版本中；把 Jaeger Pod（app=jaeger）的界面端口 16686 转发到本地端口 15032');
    expect(dashboardAccessOn(zh, 15099).why).toMatch(/转发到本地端口 15099$/);
    const telemetry = { era: 'modern' as const, samplingPercent: 1, samplingSource: 'telemetry' as const, samplingFrom: 'Telemetry 资源 istio-system/mesh-default 中的 randomSamplingPercentage' };
    expect(samplingText(telemetry)).toBe('1%（Telemetry 资源 istio-system/mesh-default 中的 randomSamplingPercentage）');
    expect(samplingRaiseAdvice(telemetry)).toBe('在 Telemetry 资源 istio-system/mesh-default 中设置 randomSamplingPercentage: 100（kubectl -n istio-system edit telemetry mesh-default）');
    setLanguage('en');
    expect(dashboardAccessOn(dashboardAccess(facts), 15099).why).toMatch(/to local 15099, its UI port 16686$/);
    expect(samplingRaiseAdvice({ ...telemetry, samplingFrom: 'randomSamplingPercentage of the Telemetry resource default/tel-1.a' })).toBe('set randomSamplingPercentage: 100 in the Telemetry resource default/tel-1.a (kubectl -n default edit telemetry tel-1.a)');
  });
});
