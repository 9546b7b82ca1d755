/**
 * A lesson file's bytes as text: UTF-8 (a BOM is allowed), no control characters. What is
 * wrong is told with its line and column, before the file is read as a lesson.
 */
import { LessonError } from './types.js';
import { t } from '../i18n/index.js';


// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x00-\x08\x0b-\x1f\x7f]/;

/** Lines holding a control character other than tab (a CR that ends a line is part of the line break). */
export function controlCharacterLines(lines: string[]): Array<{ line: number; message: string }> {
  const out: Array<{ line: number; message: string }> = [];
  lines.forEach((l, i) => {
    const m = CONTROL_RE.exec(l);
    if (!m) return;
    const code = m[0].charCodeAt(0);
    const col = m.index + 1;
    out.push({
      line: i + 1,
      message:
        code === 0
          ? t('lesson.text.nul', { col })
          : code === 0x0d
            ? t('lesson.text.cr', { col })
            : t('lesson.text.control', { code: code.toString(16).toUpperCase().padStart(4, '0'), col }),
    });
  });
  return out;
}

/**
 * The text of a lesson file's bytes: UTF-8 (a BOM is allowed). Invalid UTF-8 is refused with
 * its line, rather than read with replacement characters the author never wrote.
 */
export function decodeLessonBytes(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const byte = bytes[at]?.toString(16).toUpperCase().padStart(2, '0') ?? '';
    const col = new TextDecoder().decode(bytes.subarray(lineStart, at)).length + 1;
    throw new LessonError([
      {
        file,
        line,
        message: at >= bytes.length
          ? t('lesson.text.truncated')
          : t('lesson.text.notUtf8', { byte, col }),
      },
    ]);
  }
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (bytes.length if the text ends mid-character). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0; // no overlong forms
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return b.length;
      const x = b[i + k];
      if (x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}
