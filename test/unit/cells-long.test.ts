import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { cellWidth, graphemes, sliceCells, truncateCells } from '../../src/text/cells.js';

/** Cutting the way the terminal draws it, grapheme by grapheme over the whole string. */
function reference(s: string, w: number): string {
  let out = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)) {
    const gw = stringWidth(segment);
    if (used + gw > w) break;
    out += segment;
    used += gw;
  }
  return out;
}

describe('long text (a 10 kB tag value, a run of control pictures)', () => {
  const long = ['␛'.repeat(10_240), '日本語テキスト'.repeat(300), `${'e\u0301👨‍👩‍👧 ✅ 中'.repeat(200)}x`, `${'a'.repeat(2_000)}漢${'b'.repeat(2_000)}`, `\x1b[31m${'赤'.repeat(1_000)}\x1b[39m`];

  it('is measured as string-width measures it, also when asked again', () => {
    for (const s of long) {
      expect(cellWidth(s)).toBe(stringWidth(s));
      expect(cellWidth(s)).toBe(stringWidth(s));
    }
    expect(cellWidth('␛[2J␡')).toBe(5);
    // 100k graphemes: string-width alone took ≈ 19 s over this (superlinear); measured in pieces.
    expect(cellWidth('日本'.repeat(50_000))).toBe(200_000);
  });

  it('is split into the graphemes the whole string has (pieces are cut only where a grapheme must end)', () => {
    const whole = (s: string) => Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s), (g) => g.segment);
    const joiners = ['e\u0301', '👨‍👩‍👧', '🇯🇵', '각', '\u1100\u1161\u11a8', 'क्\u200dष', '\u0600a', 'x\ufe0f', '\r\n'];
    for (const j of joiners) {
      // A joining sequence at every offset around the pieces' 512-unit cuts.
      for (let k = 506; k < 516; k++) {
        const s = `${'a'.repeat(k)}${j}${'b'.repeat(600)}${j}本${'中'.repeat(700)}${j}`;
        expect(graphemes(s)).toEqual(whole(s));
        expect(cellWidth(s)).toBe(stringWidth(s));
      }
    }
  });

  it('is cut to the cells asked for, by grapheme, without measuring what is cut off', () => {
    for (const s of long) {
      for (const w of [0, 1, 2, 7, 80, 2_001]) {
        expect(sliceCells(s, w)).toBe(stringWidth(s) <= w ? s : reference(s, w));
        expect(truncateCells(s, w)).toBe(w <= 0 ? '' : stringWidth(s) <= w ? s : `${reference(s, w - 1)}…`);
      }
    }
  });

  it('costs time in proportion to its length, not the superlinear time of segmenting it whole', () => {
    // 100k graphemes, wide and narrow, each string new (no cached width).
    const wide = (i: number) => `${'日本'.repeat(50_000)}${String.fromCharCode(97 + i)}`;
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      expect(sliceCells(wide(i), 80)).toBe('日本'.repeat(20));
      expect(truncateCells(`${'␛'.repeat(100_000)}${i}`, 80)).toBe(`${'␛'.repeat(79)}…`);
    }
    for (let i = 20; i < 25; i++) expect(cellWidth(wide(i))).toBe(200_001);
    const took = performance.now() - t0;
    // What linear costs here, now (the machine may be loaded): string-width over one such string
    // in 1,000-unit slices. Measured whole in one go, each took it ≈ 19 s (superlinear): the
    // bound, five times linear for each of the five measures, is far below that and far above
    // what the cells take, on an idle machine and on a loaded one.
    const t1 = performance.now();
    const s = wide(25);
    let w = 0;
    for (let at = 0; at < s.length; at += 1_000) w += stringWidth(s.slice(at, at + 1_000));
    expect(w).toBe(200_001);
    const linear = performance.now() - t1;
    expect(took).toBeLessThan(linear * 5 * 5 + 100);
  });
});
