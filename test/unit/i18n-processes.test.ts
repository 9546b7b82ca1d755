/** Traffic reports, a port's unknown holder and an earlier run's leftovers in Chinese (real requests to a real local server), and in English as before. */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setLanguage } from '../../src/i18n/index.js';
import { failureReason, formatReport, generateTraffic } from '../../src/traffic/generator.js';
import { describeHolder } from '../../src/processes/port-owner.js';
import { leftoverHeadline } from '../../src/processes/process-records.js';

let server: http.Server;
let url = '';
beforeAll(async () => {
  server = http.createServer((_req, res) => res.writeHead(503).end('no healthy upstream'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/productpage`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('process and traffic messages in Chinese', () => {
  afterEach(() => setLanguage('en'));

  test('a traffic run that got only 503s: the report and why', async () => {
    const report = await generateTraffic({ url, count: 3 });
    setLanguage('zh-CN');
    const lines = formatReport(report);
    expect(lines[0]).toMatch(new RegExp(`^向 ${url.replace(/[.?]/g, '\\$&')} 发送了 3 个请求，用时 [\\d.]+ 秒（每秒 [\\d.]+ 个），每次并发 1 个$`));
    expect(lines[1]).toBe('状态：');
    expect(lines[2]).toBe('  503: 3');
    expect(lines[3]).toMatch(/^延迟：最小 .+ · 最大 /);
    expect(failureReason(report)).toBe('没有任何请求得到 2xx 应答（3 × 503）：路由存在，但还没有健康的实例提供服务：Bookinfo 的 Pod 都已就绪了吗？');
    setLanguage('en');
    expect(formatReport(report)[0]).toMatch(/^3 requests to .* in [\d.]+ s \([\d.]+ req\/s\), 1 at a time$/);
    expect(failureReason(report)).toBe('no request got a 2xx answer (3 × 503): the route exists but nothing healthy serves it yet: are the Bookinfo pods Ready?');
  });

  test('a holder that cannot be seen, and what an earlier run left', () => {
    setLanguage('zh-CN');
    expect(describeHolder(undefined)).toBe('另一个进程（当前用户无权查看）');
    expect(leftoverHeadline(2)).toBe('之前一次 kubetutor 运行留下的 2 个进程仍在运行');
    setLanguage('en');
    expect(leftoverHeadline(1)).toBe('1 process from an earlier kubetutor run is still running');
  });
});
