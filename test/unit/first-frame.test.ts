import { describe, expect, it } from 'vitest';
import { PassThrough, Writable } from 'node:stream';
import { cellWidth } from '../../src/text/cells.js';
import { bundledLessonsDir, loadLesson } from '../../src/lesson/load.js';
import { Session } from '../../src/engine/session.js';
import type { Target } from '../../src/cluster/target.js';
import { renderScreen } from '../../src/ui/screen.js';
import { initialUi } from '../../src/ui/ui-state.js';
import { ansiLine, drawFirstFrame, startingView } from '../../src/ui/first-frame.js';
import { packageRoot } from '../../src/package-root.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const target: Target = {
  kind: 'sandbox',
  label: 'sandbox (scenario ready)',
  key: 'sandbox-ready',
  kubeconfigPath: '/nonexistent',
  context: 'kubetutor-sandbox',
  client: () => Promise.reject(new Error('no cluster in this test')),
  close: async () => undefined,
};

class Capture extends Writable {
  text = '';
  columns = 100;
  rows = 30;
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

describe('the first frame (drawn before Ink loads)', () => {
  it('lays out exactly what the live screen shows for a session that has just begun', async () => {
    const lesson = await loadLesson(`${bundledLessonsDir()}/istio-jaeger`);
    const session = new Session(lesson, target);
    try {
      const size = { width: 100, height: 29 };
      // If the Session's starting view ever diverges, the learner would see the screen jump.
      expect(renderScreen(startingView(lesson, target), initialUi, size)).toEqual(renderScreen(session.view, initialUi, size));
    } finally {
      await session.close();
    }
  });

  it('writes styled lines that fit the width, and erases them the way Ink erases its own', async () => {
    const lesson = await loadLesson(`${bundledLessonsDir()}/istio-jaeger`);
    const out = new Capture();
    const frame = drawFirstFrame(out as unknown as NodeJS.WriteStream, startingView(lesson, target), false);
    const drawn = out.text.replace('\x1b[?25l', '');
    const lines = drawn.split('\n');
    expect(lines).toHaveLength(30); // rows - 1 lines, then the newline Ink also ends with
    expect(lines[0]).toContain('Step 1 of 5 · Check the prerequisites and deploy Bookinfo · 0 passed');
    expect(lines[0]).toContain('sandbox (scenario ready)');
    expect(drawn).toContain('checks: checking 11 checks…');
    expect(drawn).toMatch(/\? keys  q quit/);
    for (const l of lines) expect(cellWidth(l.replace(/\x1b\[[0-9;]*m/g, ''))).toBeLessThanOrEqual(100);
    const before = out.text.length;
    frame.erase();
    frame.erase(); // once only
    const erase = out.text.slice(before);
    expect(erase.match(/\x1b\[1A/g)).toHaveLength(29); // back up over every line written
    expect(erase.endsWith('\x1b[G\x1b[?25h')).toBe(true);
  });

  it('colours cells with the SGR codes chalk uses, and none without colour', () => {
    const line = [{ text: 'ok ', color: 'green' as const, bold: true }, { text: 'plain' }, { text: 'sel', inverse: true }];
    expect(ansiLine(line, 80, true)).toBe('\x1b[1;32mok \x1b[0mplain\x1b[7msel\x1b[0m');
    expect(ansiLine(line, 80, false)).toBe('ok plain\x1b[7msel\x1b[0m');
    expect(ansiLine([{ text: 'abcdefghij' }], 5, false)).toBe('abcd…');
    expect(ansiLine([{ text: '日本語テキスト' }], 7, false)).toBe('日本語…'); // cells, not code points
  });

  it('answers keys at once: ? draws the help from the same layout; keys for the live screen wait, in order', async () => {
    const lesson = await loadLesson(`${bundledLessonsDir()}/istio-jaeger`);
    const out = new Capture();
    const input = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.ReadStream;
    const frame = drawFirstFrame(out as unknown as NodeJS.WriteStream, startingView(lesson, target), false, input);
    const before = out.text.length;
    input.write('?');
    await new Promise((r) => setTimeout(r, 20));
    const redrawn = out.text.slice(before);
    expect(redrawn).toContain('\x1b[1A'); // the frame erased and drawn again in place
    expect(redrawn).toContain('copy that command to the clipboard');
    input.write('\x1b'); // Esc closes it
    input.write('n?\r');
    await new Promise((r) => setTimeout(r, 20));
    const { ui, pending } = frame.handOver();
    expect(ui.showHelp).toBe(false);
    expect(pending).toBe('n?\r'); // after n, even ? waits: the order is kept
    frame.erase();
  });
});

describe('packageRoot', () => {
  it('finds the folder with kubetutor\'s package.json and lessons', () => {
    expect(existsSync(join(packageRoot(), 'lessons', 'istio-jaeger', 'lesson.md'))).toBe(true);
  });
});
