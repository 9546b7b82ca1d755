import { describe, expect, it } from 'vitest';
import { displayText, hasSteering, inertJson, inertStrings } from '../../src/text/display-text.js';
import { displayWidth } from '../../src/text/display-width.js';
import { commandOutputRuns, commandOutputText } from '../../src/text/command-output.js';
import { nearest } from '../../src/commands/nearest.js';
import { HOSTILE, STEERING } from './corpus.js';

describe('displayText', () => {
  it('shows every hostile string inertly and keeps its marker', () => {
    for (const h of HOSTILE) {
      const shown = displayText(h.text);
      expect(STEERING.test(shown), h.name).toBe(false);
      expect(shown.startsWith(`${h.marker} `), h.name).toBe(true);
    }
  });

  it('uses control pictures for C0 and DEL, <U+XXXX> for C1 and bidi controls', () => {
    expect(displayText('a\x1b[31mb\x07\x7f')).toBe('a␛[31mb␇␡');
    expect(displayText('\u009b2J')).toBe('<U+009B>2J');
    expect(displayText('x\u202ey\u2066z')).toBe('x<U+202E>y<U+2066>z');
    expect(displayText('a\r\nb\n')).toBe('a␍␊b␊');
    expect(displayText('a\r\nb\tc', { lines: true })).toBe('a\nb\tc');
    expect(displayText('a\tb', { tabs: 'space' })).toBe('a b');
  });

  it('returns clean text as it is, and ordinary Unicode untouched', () => {
    const clean = 'productpage.default: GET /productpage ⇄ 東京 é 👍';
    expect(displayText(clean)).toBe(clean);
    expect(hasSteering(clean)).toBe(false);
    expect(hasSteering('a\x1bb')).toBe(true);
  });

  it('counts the width of what is shown', () => {
    expect(displayWidth('\x1b[31m')).toBe(5); // ␛[31m
    expect(displayWidth('\u009b')).toBe(8); // <U+009B>
    expect(displayWidth('東京')).toBe(4);
    expect(displayWidth('a\tb')).toBe(3);
  });

  it('a 10 kB run of ESC is shown (one picture each) quickly', () => {
    const shown = displayText('\x1b'.repeat(10_240));
    expect(shown).toBe('␛'.repeat(10_240));
  });
});

describe('inertStrings', () => {
  it('maps strings at any depth and keeps clean objects identical', () => {
    const clean = { a: ['x', { b: 'y' }], n: 1 };
    expect(inertStrings(clean)).toBe(clean);
    const dirty = { a: ['x', { b: 'y\x1b[2J' }], keep: clean, m: new Map([['k', '\x1b']]) };
    const out = inertStrings(dirty);
    expect(out.a[1]).toEqual({ b: 'y␛[2J' });
    expect(out.keep).toBe(clean);
    expect(out.m).toBe(dirty.m); // not display data
    expect(dirty.a[1]).toEqual({ b: 'y\x1b[2J' }); // the original is untouched
  });
});

describe('inertJson', () => {
  it('is exact data that no terminal obeys', () => {
    for (const h of HOSTILE) {
      const json = inertJson({ name: h.text }, 2);
      expect(STEERING.test(json), h.name).toBe(false);
      expect(JSON.parse(json)).toEqual({ name: h.text });
    }
  });
});

describe('command output', () => {
  it('keeps SGR colours as styles and shows every other sequence', () => {
    expect(commandOutputRuns('\x1b[32mok\x1b[0m plain \x1b[1;31mbad\x1b[m')).toEqual([
      { text: 'ok', color: 'green' },
      { text: ' plain ' },
      { text: 'bad', color: 'red', bold: true },
    ]);
    expect(commandOutputText('a\x1b]52;c;eA==\x07b\x1b[2Jc\x1b[5Ad')).toBe('a␛]52;c;eA==␇b␛[2Jc␛[5Ad');
    expect(commandOutputText('\u009b31mx')).toBe('x'); // 8-bit SGR: a colour, kept as a style
    expect(commandOutputRuns('\u009b31mx')).toEqual([{ text: 'x', color: 'red' }]);
    expect(commandOutputText('\u009b2Jx')).toBe('<U+009B>2Jx');
  });

  it('a carriage return keeps what follows it; a base style for unstyled runs', () => {
    expect(commandOutputText(' 10%\r 50%\r100%\r')).toBe('100%');
    expect(commandOutputRuns('plain \x1b[36mcyan', { dim: true })).toEqual([{ text: 'plain ', dim: true }, { text: 'cyan', color: 'cyan' }]);
  });

  it('no hostile string leaves a steering character in the runs', () => {
    for (const h of HOSTILE) {
      const text = commandOutputRuns(h.text).map((r) => r.text).join('');
      expect(STEERING.test(text), h.name).toBe(false);
      expect(text.includes(h.marker), h.name).toBe(true);
    }
  });
});

describe('nearest', () => {
  it('suggests the option that was meant', () => {
    expect(nearest('--scenaro', ['--scenario', '--port', '--kubeconfig-out'])).toBe('--scenario');
    expect(nearest('--kubeconfg', ['--kubeconfig', '--context'])).toBe('--kubeconfig');
    expect(nearest('--jsno', ['--json', '--step'])).toBe('--json');
    expect(nearest('--frobnicate', ['--json', '--step'])).toBeUndefined();
  });
});
