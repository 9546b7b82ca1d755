/** The built CLI's own commands in Chinese (LANG=zh_CN.UTF-8): lint's tally, cleanup, a traces error, a traffic run against a closed port; English as before with LANG=C. */
import { describe, expect, test } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, LESSON } from '../helpers/lesson-cli.js';
import { freePort } from '../helpers/ports.js';

const zh = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
const en = { LANG: 'C', LC_ALL: '', LC_MESSAGES: '' };

// A loopback port nothing listens on, this worker's own (a listen(0) port let go may be taken again).
const closedPort = freePort;

describe('the commands in Chinese', () => {
  test('lint, cleanup and traces speak Chinese; English stays as it was', async () => {
    const lint = await cli(['lint', LESSON], zh);
    expect(lint.stdout.trim()).toMatch(/：0 个错误，0 个警告$/);
    expect((await cli(['lint', LESSON], en)).stdout.trim()).toMatch(/: 0 errors, 0 warnings$/);
    const state = { XDG_STATE_HOME: join(tmpdir(), `kubetutor-zh-cmd-${process.pid}`) };
    expect((await cli(['cleanup'], { ...zh, ...state })).stdout.trim()).toBe('没有之前的 kubetutor 运行留下的进程在运行。');
    const traces = await cli(['traces', '--file', '/nonexistent/trace.json'], zh);
    expect(traces.code).not.toBe(0);
    expect(traces.stderr.trim()).toBe('kubetutor: 无法读取 /nonexistent/trace.json：没有这个文件');
  });

  test('traffic to a closed port: the report and the reason in Chinese', async () => {
    const port = await closedPort();
    const run = await cli(['traffic', '--url', `http://127.0.0.1:${port}/productpage`, '-n', '2'], { ...zh, NO_PROGRESS: '1' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^向 http:\/\/127\.0\.0\.1:\d+\/productpage 发送了 2 个请求，用时 [\d.]+ 秒/);
    expect(run.stdout).toMatch(/^状态：$/m);
    expect(run.stdout).toMatch(/^延迟：没有可测量的应答$/m);
    expect(run.stderr).toMatch(/没有任何请求得到 2xx 应答（2 × error: ECONNREFUSED）：127\.0\.0\.1:\d+ 不接受连接：GATEWAY_URL 正确吗？网关在运行吗？/);
  });
});
