/** The trace viewer in Simplified Chinese: every label from the catalog (no English left), columns aligned by terminal cells. */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { buildProductpageTrace } from '../../src/sandbox/workloads/istio-trace.js';
import { seededRng } from '../../src/kube/rng.js';
import { summarizeTrace } from '../../src/traces/trace-model.js';
import { TraceViewer } from '../../src/ui/TraceViewer.js';
import { setLanguage } from '../../src/i18n/index.js';
import { enTraces } from '../../src/i18n/en-traces.js';
import { cellWidth } from '../../src/text/cells.js';
import { frameMatching } from '../helpers/frames.js';
import { buildTraceModel } from '../../src/traces/trace-model.js';
import { traceToText } from '../../src/traces/plain-tree.js';
import { statsToText, traceStats } from '../../src/traces/trace-stats.js';
import { compareTraces, comparisonToText } from '../../src/traces/trace-compare.js';
import { parseJaegerFile } from '../../src/traces/jaeger-file.js';
import { layoutMessage } from '../../src/traces/trace-list-layout.js';
import { tIn } from '../../src/i18n/index.js';

const NOW = 1_700_000_000_000_000;
const strip = (s: string) => s.replace(/\u001B\[[0-9;]*m/g, '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const traces = [
  buildProductpageTrace({ era: '1.1', reviewsVersion: 'v1', nowMicros: NOW, rng: seededRng(1) }),
  buildProductpageTrace({ era: '1.1', reviewsVersion: 'v3', nowMicros: NOW + 2_000_000, rng: seededRng(2), failing: { service: 'ratings', status: 503 } }),
];
const byId = new Map(traces.map((t) => [t.traceID, t]));

/** The English words of the viewer's messages, less those the traces themselves hold (service names such as `details`, tag keys). */
const shown = (kvs: Array<{ key: string; value: unknown }>) => kvs.flatMap((kv) => [kv.key, String(kv.value)]);
const data = traces
  .flatMap((t) => [...t.spans.flatMap((s) => [s.operationName, ...shown(s.tags)]), ...Object.values(t.processes).flatMap((p) => [p.serviceName, ...shown(p.tags)])])
  .join(' ')
  .toLowerCase();
const englishWords = [
  ...new Set(
    Object.values(enTraces)
      .flatMap((m) => (typeof m === 'string' ? [m] : [m.one ?? '', m.other]))
      .flatMap((m) => m.replace(/\{\w+\}/g, '').match(/\b[A-Za-z]{3,}\b/g) ?? []),
  ),
].filter((w) => !data.includes(w.toLowerCase()) && !['Enter', 'Space', 'Tab', 'Esc', 'PgUp', 'PgDn', 'FOLLOWS_FROM', 'CHILD_OF'].includes(w));
const englishLeft = (frame: string) => englishWords.filter((w) => new RegExp(`\\b${w}\\b`).test(frame));

/** The cell column where `needle` ends on `line`. */
const endCell = (line: string, needle: string) => {
  const at = line.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not on: ${line}`);
  return cellWidth(line.slice(0, at + needle.length));
};

describe('the trace viewer in zh-CN', () => {
  beforeAll(() => setLanguage('zh-CN'));
  afterAll(() => setLanguage('en'));

  test('list, waterfall, details, help, statistics and comparison: Chinese labels only, columns aligned by cells', async () => {
    expect(englishWords).toEqual(expect.arrayContaining(['Traces', 'Spans', 'Duration', 'critical', 'Self', 'quit']));
    const r = render(<TraceViewer traces={traces.map(summarizeTrace)} loadTrace={vi.fn(async (id: string) => byId.get(id)!)} onQuit={vi.fn()} color={false} />);
    try {
      await sleep(30);
      const frame = (re: RegExp) => frameMatching(r.lastFrame, re, 5_000, strip);
      const seen: string[] = [];
      const look = async (re: RegExp, key?: string) => {
        if (key) r.stdin.write(key);
        const f = await frame(re);
        seen.push(f);
        expect(englishLeft(f), f).toEqual([]);
        // No line is wider than the terminal (100 columns here), in cells: nothing wraps.
        const lines = f.split('\n');
        expect(Math.max(...lines.map(cellWidth)), f).toBeLessThanOrEqual(100);
        return lines;
      };

      // The list: the header's 跨度数 / 错误数 right-aligned over the numbers.
      const list = await look(/链路 · 共 2 条 · 排序：最新优先/);
      // The sort hint sits at the right edge, one cell in (Ink trims the trailing space).
      expect(cellWidth(list[0])).toBe(99);
      const header = list.find((l) => l.includes('跨度数'))!;
      const row = list.find((l) => l.startsWith('›'))!;
      const nums = /\s(\d+)\s+(!?\d+)\s/.exec(row)!;
      const spansEnd = cellWidth(row.slice(0, nums.index + 1 + nums[1].length));
      const errorsEnd = cellWidth(row.slice(0, nums.index + nums[0].length - 1));
      expect(endCell(header, '跨度数')).toBe(spansEnd);
      expect(endCell(header, '错误数')).toBe(errorsEnd);
      await look(/链路列表 — 按键/, '?');
      await look(/链路 · 共 2 条/, '?');
      // The waterfall, its details and its help.
      await look(/服务  操作/, '\r');
      await look(/─ 跨度详情 ─[\s\S]*父跨度 /, 'd');
      await look(/\[关键路径\]/, 'c');
      await look(/链路瀑布图 — 按键/, '?');
      await look(/服务  操作/, '?');
      // Statistics: the column heads right-aligned over their numbers.
      const stats = await look(/统计 · 链路 [0-9a-f]{7}[\s\S]*次数/, 'T');
      const head = stats.find((l) => l.includes('次数'))!;
      const first = stats.find((l) => l.startsWith('›'))!;
      const count = /\s(\d+)\s/.exec(first)!;
      expect(endCell(head, '次数')).toBe(cellWidth(first.slice(0, count.index + 1 + count[1].length)));
      await look(/统计 — 按键与列/, '?');
      await look(/统计 · 链路[\s\S]*次数/, '?');
      // Compare: mark one trace, compare with the other.
      await look(/服务  操作/, 'b');
      await look(/链路 · 共 2 条/, 'b');
      await look(/已标记为 A/, 'm');
      r.stdin.write('j');
      await look(/对比 · A [0-9a-f]{7}[\s\S]*个仅在 B 中/, '=');
      await look(/对比 — 按键与标记/, '?');
      expect(seen.length).toBeGreaterThan(10);
    } finally {
      r.unmount();
    }
  });

  test('kubetutor traces without a screen: the tree, the table and the comparison in Chinese, the table aligned by cells', () => {
    const [a, b] = traces.map(buildTraceModel);
    const text = [...traceToText(b), ...comparisonToText(compareTraces(a, b))].join('\n');
    expect(text).toContain('个跨度');
    expect(englishLeft(text), text).toEqual([]);
    const table = statsToText(b, traceStats(b, { by: 'operation' }));
    expect(englishLeft(table.join('\n')), table.join('\n')).toEqual([]);
    // The head row and every data row end each column at the same cell: the count column is the second.
    const [head, ...rows] = table.slice(3);
    const headEnd = endCell(head, '次数');
    for (const r of rows) expect(cellWidth(r.slice(0, /\s(\d+)\s/.exec(r)!.index + 1 + /\s(\d+)\s/.exec(r)![1].length)), `${head}\n${r}`).toBe(headEnd);
    expect(() => parseJaegerFile('{"nothing": 1}')).toThrow(/^这个文件里没有 Jaeger 链路/);
  });

  test('a long Chinese error on the failure screen wraps by cells and loses nothing', () => {
    const error = tIn('zh-CN', 'traces.jaeger.timeout', { url: 'http://localhost:15032', time: '5s' });
    const text = tIn('zh-CN', 'traces.viewer.loadFailed', { error });
    const lines = layoutMessage('链路 abc', [{ text }], tIn('zh-CN', 'traces.viewer.retryFooter'), { width: 40, height: 10 }).map((l) => l.map((c) => c.text).join(''));
    for (const l of lines) expect(cellWidth(l), l).toBe(40);
    expect(lines.slice(2).join('').replace(/\s/g, '')).toContain(text.replace(/\s/g, ''));
  });
});
