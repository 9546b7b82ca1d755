/**
 * End-to-end, in Chinese: `LANG=zh_CN.UTF-8` and the built CLI walk the whole Jaeger lesson in a
 * real terminal (tmux, 80×24, the learner's laptop) on a fresh sandbox, and no English message of
 * the runner's reaches the screen. What is English on purpose stays: commands, their output,
 * Kubernetes names. The dashboard port is `--port 15032=auto`: nothing here needs 15032 free.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { Tmux } from '../helpers/tmux.js';
import { ROOT } from '../helpers/lesson-cli.js';
import { en } from '../../src/i18n/en.js';
import { zhCN } from '../../src/i18n/zh-CN.js';

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

const texts = (m: unknown): string[] => (typeof m === 'string' ? [m] : Object.values(m as Record<string, string>));

/**
 * The English catalog cut at its placeholders into runs of at least three words: a run on the
 * screen is a runner message that was not translated. Runs the Chinese catalog or the Chinese
 * lesson also holds (names, commands) say nothing, and are left out.
 */
export function englishRuns(): string[] {
  // (A message still in English is what is looked for: it cannot excuse itself.)
  const zhText = (Object.keys(en) as Array<keyof typeof en>)
    .filter((k) => JSON.stringify(zhCN[k]) !== JSON.stringify(en[k]))
    .flatMap((k) => texts(zhCN[k]))
    .join('\n');
  const lessonText = readFileSync(join(ROOT, 'lessons', 'istio-jaeger', 'lesson.zh.md'), 'utf8');
  const runs = new Set<string>();
  for (const m of Object.values(en).flatMap(texts)) {
    for (const piece of m.split(/\{\w+\}/)) {
      const run = piece.replace(/\s+/g, ' ').trim();
      if ((run.match(/[A-Za-z]{2,}/g) ?? []).length < 3) continue;
      if (zhText.includes(run) || lessonText.includes(run)) continue;
      runs.add(run);
    }
  }
  return [...runs];
}

/** The English runs found on `screen` (tmux wraps at the edge: lines are joined first). */
export function leaks(screen: string, runs: readonly string[]): string[] {
  const flat = screen.replace(/\s+/g, ' ');
  return runs.filter((r) => flat.includes(r));
}

describe('the Jaeger lesson in Chinese, in a real terminal (tmux, 80×24)', () => {
  let term: Tmux;
  const runs = englishRuns();
  const seen: string[] = [];
  beforeAll(() => {
    const state = mkdtempSync(join(tmpdir(), 'kubetutor-zh-'));
    term = new Tmux(`node ${join(ROOT, 'dist', 'cli.js')} start istio-jaeger --sandbox=fresh --port 15032=auto`, {
      width: 80,
      height: 24,
      env: { XDG_STATE_HOME: state, TERM: 'xterm-256color', LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' },
      cwd: ROOT,
    });
  });
  afterAll(() => term?.kill());

  /** Waits for `pattern`, and keeps the screen for the leak check. */
  async function waitFor(pattern: RegExp, ms = 30_000): Promise<string> {
    const s = await term.waitFor(pattern, ms);
    seen.push(s);
    expect(leaks(s, runs), `English on the Chinese screen:\n${s}`).toEqual([]);
    return s;
  }

  async function focus(label: RegExp) {
    const focusedLine = () => term.screen().split('\n').find((l) => /┏━ › |^ +› \(/.test(l)) ?? '';
    const moved = async (before: string, ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end && focusedLine() === before; ) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100));
    };
    let before = focusedLine();
    term.keys('g');
    await moved(before, 1500);
    for (let i = 0; i < 60; i++) {
      if (label.test(focusedLine())) return;
      before = focusedLine();
      term.keys('Down');
      await moved(before, 5000);
    }
    throw new Error(`never focused ${label}:\n${term.screen()}`);
  }
  async function run(label: RegExp, done: RegExp) {
    await focus(label);
    term.keys('Enter');
    await waitFor(done);
  }

  test('the detector knows the English runner text it looks for', () => {
    // Without this, an empty list would pass every screen.
    expect(runs.length).toBeGreaterThan(300);
    expect(leaks(`检查：11 项中 2 项通过\n${en['screen.checks.allPass'].replace('{count}', '11')}`, runs)).not.toEqual([]);
    expect(leaks('检查：11 项全部通过，本步完成', runs)).toEqual([]);
  });

  test('all five steps, and not one English runner message', async () => {
    const first = await waitFor(/第 1 步，共 5 步/);
    expect(first).toMatch(/沙箱（场景 fresh）/);
    // --port 15032=auto: the screen says where the lesson's dashboard went, in Chinese.
    const moved = (await waitFor(/课程的 15032 现在是 localhost:\d+/)).match(/课程的 15032 现在是 localhost:(\d+)/)!;
    const port = Number(moved[1]);
    await waitFor(/检查：11 项中 \d+ 项通过/);

    await run(/命令 1\/4/, /┗━ ✓ 退出码 0/);
    await run(/命令 2\/4/, /┗━ ✓ 退出码 0/);
    await run(/命令 3\/4/, /┗━ ✓ 退出码 0/);
    await run(/命令 4\/4/, /检查：11 项全部通过，本步完成/);
    await waitFor(/已通过 1 步[\s\S]*\bn 下一步/);

    term.keys('n');
    await waitFor(/第 2 步，共 5 步/);
    // Before the forward: the dashboard checks fail, and say why, in Chinese.
    await waitFor(/检查：\d+ 项中 0 项通过/);
    await run(/后台命令 \d+\/\d+：jaeger-forward(?![-\w])/, /┗━ ● 正在 :\d+ 上提供服务/);
    await waitFor(/已通过 2 步/);
    expect(await portFree(port)).toBe(false);

    term.keys('n');
    await waitFor(/第 3 步，共 5 步/);
    await run(/命令 1\/5/, /┗━ ✓ 退出码 0/);
    await run(/命令 2\/5/, /┗━ ✓ 退出码 0/);
    await run(/命令 3\/5/, /┗━ ✓ 退出码 0/);
    await run(/命令 4\/5/, /request 10: 200/);
    await waitFor(/已通过 3 步/);

    term.keys('n');
    await waitFor(/第 4 步，共 5 步/);
    // The quizzes are not answered yet, nor a trace opened: the checks say so in Chinese.
    await waitFor(/尚未回答|还没有打开/);
    await run(/› \( \) 服务端 span/, /\(•\) 服务端 span/);
    await run(/› \( \) Mixer 的 Check 调用/, /\(•\) Mixer 的 Check 调用/);
    term.keys('t');
    await waitFor(/productpage\.default → reviews\.default 的客户端跨度/);
    await waitFor(/两个边车之间耗时/);
    term.keys('b');
    await waitFor(/链路 · 共 \d+ 条/);
    term.keys('q');
    await waitFor(/第 4 步，共 5 步/);
    await waitFor(/已通过 4 步/);

    term.keys('n');
    await waitFor(/第 5 步，共 5 步/);
    term.keys('x');
    for (let i = 0; i < 50 && !(await portFree(port)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await portFree(port)).toBe(true);
    await run(/命令 1\//, /全部 5 步已通过/);
    // The help screen, too: every key explained in Chinese.
    term.keys('?');
    await waitFor(/运行粗框中的命令[\s\S]*显示或隐藏本说明/);
    term.keys('Escape');

    term.keys('q');
    const last = await waitFor(/所有步骤均已通过。/);
    expect(leaks(term.history(), runs), `English in the scrollback:\n${term.history()}`).toEqual([]);
    expect(last).not.toMatch(/Step \d of 5|checks: |passed/);
  }, 300_000);
});
