/**
 * The step reads like the doc, in a real terminal: the built CLI in tmux at 80x24, 100x30 and
 * 160x45 (NO_COLOR), step 2 of the Jaeger lesson on the ready sandbox (step 1 passes by itself
 * there), read with `tmux capture-pane -p` and judged as text against the lesson's Markdown
 * (test/helpers/step-screen.ts). The same judgments through Ink's test renderer are in
 * test/ui/step-screen.test.tsx.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tmux } from '../helpers/tmux.js';
import { loadLesson } from '../../src/lesson/load.js';
import { brokenProse, frames, paneLines, proseLineCount, proseWords, screenLines, sourceLines, tooWide } from '../helpers/step-screen.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const terms: Tmux[] = [];
afterAll(() => terms.forEach((t) => t.kill()));

describe.each([[80, 24], [100, 30], [160, 45]])('step 2 in tmux at %ix%i', (width, height) => {
  test('prose first, every command whole after its paragraph, no word cut, nothing wider than the terminal; a notice goes on a key', async () => {
    const lesson = await loadLesson(join(ROOT, 'lessons', 'istio-jaeger'));
    const step = lesson.steps[1];
    const prose = proseWords(step);
    const term = new Tmux(`node ${CLI} start istio-jaeger --sandbox=ready --port 15032=auto`, {
      width,
      height,
      env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'kubetutor-step-')), TERM: 'xterm-256color', NO_COLOR: '1' },
      cwd: ROOT,
    });
    terms.push(term);
    let screen = await term.waitFor(/Step 2 of 5 · [\s\S]*checks: 0 of 1 pass/, 30_000);
    expect(screenLines(screen)[0]).toMatch(/Step 2 of 5 · Open the Jaeger.* · 1 passed/);
    expect(tooWide(screen, width)).toEqual([]);
    expect(brokenProse(screen, prose), screen).toEqual([]);
    if (width === 80) expect(proseLineCount(screen, prose), screen).toBeGreaterThanOrEqual(14);

    // The notice about step 1 is gone after a key (long before it would time out).
    if (/already done on this cluster/.test(term.screen())) {
      term.keys('z'); // a key with nothing else to do
      const t0 = Date.now();
      for (; Date.now() - t0 < 3000 && /already done on this cluster/.test(term.screen()); ) await new Promise((r) => setTimeout(r, 50));
      expect(term.screen()).not.toMatch(/already done on this cluster/);
    }

    // ↓ to each command in turn: focused, whole on screen, shown as written, readable.
    const focusedLabel = () => frames(term.screen()).find((f) => f.focused)?.label ?? '';
    for (const b of step.blocks) {
      if (b.kind !== 'command') continue;
      const label = new RegExp(`command ${b.index + 1} of ${step.commands.length}\\b`);
      for (let i = 0; i < 8 && !label.test(focusedLabel()); i++) {
        const before = term.screen();
        term.keys('Down');
        for (const end = Date.now() + 3000; Date.now() < end && term.screen() === before; ) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 150));
      }
      screen = term.screen();
      const f = frames(screen).find((x) => x.focused);
      expect(f?.label, screen).toMatch(label);
      expect(f!.top, screen).toBeGreaterThan(0);
      expect(f!.bottom, screen).toBeGreaterThan(f!.top);
      // (--port 15032=auto moved the lesson's port: the commands show the one it moved to.)
      const port = (l: string) => l.replace(/\b\d{4,5}\b/g, 'PORT');
      expect(f!.command.map(port), screen).toEqual(sourceLines(step.commands[b.index].run).map(port));
      expect(paneLines(screen)[f!.top - 1].trim()).toBe('');
      expect(tooWide(screen, width)).toEqual([]);
      expect(brokenProse(screen, prose), screen).toEqual([]);
    }
    term.keys('q');
  }, 120_000);
});
