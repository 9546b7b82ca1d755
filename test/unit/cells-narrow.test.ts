import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { cellWidth, graphemes, NARROW_TEXT } from '../../src/text/cells.js';

describe('the narrow-text fast path of cellWidth', () => {
  it('takes only code points string-width measures as one cell, each a grapheme of its own', () => {
    const taken: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if (NARROW_TEXT.test(String.fromCharCode(c))) taken.push(c);
    }
    expect(taken.length).toBeGreaterThan(1000);
    const wrong = taken.filter((c) => stringWidth(String.fromCharCode(c)) !== 1).map((c) => c.toString(16));
    expect(wrong).toEqual([]);
    // Pairs stay two graphemes (no combining or joining code point is in the class).
    const s = String.fromCharCode(...taken);
    expect(cellWidth(s)).toBe(stringWidth(s));
    expect(graphemes(s)).toHaveLength(s.length);
  });

  it('leaves wide, combining and emoji text to string-width', () => {
    for (const s of ['日本語', 'e\u0301', '👨‍👩‍👧', '❤️', '✅', '中文 text', '\u00ad']) expect(cellWidth(s)).toBe(stringWidth(s));
    expect(cellWidth('Step 2 of 5 · ✓ passed — ◌ checking…')).toBe(36);
  });
});
