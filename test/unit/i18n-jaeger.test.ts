/** The jaeger-traces check speaks the learner's language: its summaries and diagnoses come from the catalog. */
import { afterEach, describe, expect, test } from 'vitest';
import { jaegerTracesCheck, type JaegerFacts } from '../../src/checks/kinds/jaeger.js';
import { setLanguage } from '../../src/i18n/index.js';
import type { CheckOf } from '../../src/checks/types.js';

const c = { kind: 'jaeger-traces', url: 'http://localhost:15032', service: 'productpage', min: 2 } as CheckOf<'jaeger-traces'>;
const base: JaegerFacts = {
  url: 'http://localhost:15032',
  probes: [{ url: 'http://localhost:15032/api/services', result: 'api', status: 200 }],
  api: { root: 'http://localhost:15032/api', flavour: 'v1' },
  services: ['istio-ingressgateway', 'productpage.default'],
  matched: ['productpage.default'],
  since: Date.UTC(2025, 10, 25, 10, 0, 0) * 1000,
  limit: 20,
  traces: 3,
};

describe('jaeger-traces in Chinese', () => {
  afterEach(() => setLanguage('en'));

  test('traces found, too few, and a service Jaeger does not know', () => {
    setLanguage('zh-CN');
    expect(jaegerTracesCheck.judge(c, base).summary).toBe('✓ Jaeger 中有 3 条 productpage.default 的链路（自本课开始，即 10:00:00 UTC 起）');
    const few = jaegerTracesCheck.judge(c, { ...base, traces: 1 });
    expect(few.summary).toBe('✗ Jaeger 中 productpage.default 的链路（自本课开始，即 10:00:00 UTC 起）只有 1 条，需要 2 条');
    expect(few.expected).toBe('http://localhost:15032 上的 Jaeger 中至少有 2 条 productpage 的链路（自本课开始起）');
    // The command stays a command: not translated.
    expect(few.diagnosis?.[0]).toBe('经网关发往 productpage 的每个请求被采样后都会产生一条链路：再发送一个请求（例如 curl http://$GATEWAY_URL/productpage）');
    const unknown = jaegerTracesCheck.judge(c, { ...base, services: ['istio-ingressgateway'], matched: [], traces: undefined });
    expect(unknown.summary).toBe('✗ Jaeger 中没有服务 productpage');
    expect(unknown.found).toBe('Jaeger 中的服务：istio-ingressgateway');
    expect(unknown.diagnosis?.map((d) => d.split('：')[0])).toEqual(['入口网关上报了跨度，但 productpage 没有', '还没有流量', '缺少边车', '采样率低']);
    setLanguage('en');
    expect(jaegerTracesCheck.judge(c, base).summary).toBe('✓ 3 traces for productpage.default in Jaeger since the lesson started (10:00:00 UTC)');
  });
});
