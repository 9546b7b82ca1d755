/** Wrapping a token longer than many lines (src/text/cells.ts): cut by index, linear in its length, styles kept. */
import { describe, expect, it } from 'vitest';
import { cellWidth, wrapPieces, wrapText } from '../../src/text/cells.js';

describe('wrapping one very long token', () => {
  it('cuts a 20,000-character run into full lines, losing nothing, in linear time', () => {
    const run = '\u241b'.repeat(20_000); // the shown stand-in of ESC: one cell each
    const t0 = performance.now();
    const lines = wrapText(run, 80);
    const ms = performance.now() - t0;
    expect(lines).toHaveLength(250);
    expect(lines.every((l) => cellWidth(l) === 80)).toBe(true);
    expect(lines.join('')).toBe(run);
    // Re-segmenting the rest at every cut took about 40 s for this; one pass takes well under a second.
    expect(ms).toBeLessThan(3000);
  });

  it('still prefers to cut after / - = , and keeps each piece its style across the cuts', () => {
    const url = 'https://example.com/' + 'segment-name/'.repeat(40);
    const lines = wrapText(url, 30);
    expect(lines.join('')).toBe(url);
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/[/-]$/);
    const pieces = [{ text: 'a'.repeat(100), color: 'red' }, { text: 'b'.repeat(100), color: 'green' }];
    const wrapped = wrapPieces(pieces, 40);
    expect(wrapped.map((l) => l.map((p) => p.text).join(''))).toEqual(['a'.repeat(40), 'a'.repeat(40), 'a'.repeat(20) + 'b'.repeat(20), 'b'.repeat(40), 'b'.repeat(40)]);
    expect(wrapped[2]).toEqual([{ text: 'a'.repeat(20), color: 'red' }, { text: 'b'.repeat(20), color: 'green' }]);
  });
});
