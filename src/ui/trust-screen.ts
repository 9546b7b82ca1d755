/**
 * The screen shown before a lesson that is not kubetutor's own runs anything:
 * its whole source, numbered and scrollable, with what trusting it means.
 * Pure: a function of the lesson's source, the terminal size and the scroll.
 */
import type { ScreenLine } from './screen.js';
import { cutToWidth, truncate, wrap } from './screen.js';
import { t } from '../i18n/index.js';

export interface TrustSource { file: string; sha256: string; source: string }

/** The source as numbered display lines, each cut (never re-spaced) to the width; code blocks in cyan. */
export function sourceLines(src: TrustSource, width: number): ScreenLine[] {
  const lines = src.source.replace(/\r\n?/g, '\n').split('\n');
  const gutter = String(lines.length).length + 1;
  const w = Math.max(10, width - gutter - 2);
  const out: ScreenLine[] = [];
  let inCode = false;
  lines.forEach((line, i) => {
    const fence = /^\s*(```|~~~)/.test(line);
    const code = inCode || fence;
    if (fence) inCode = !inCode;
    cutToWidth(line.replace(/\t/g, '  '), w).forEach((piece, k) => {
      out.push([{ text: `${k ? '' : String(i + 1)}`.padStart(gutter) + ' ', dim: true }, { text: piece, color: code ? 'cyan' : undefined }]);
    });
  });
  return out;
}

/** What trusting means, above the source. */
function headLines(src: TrustSource, W: number): ScreenLine[] {
  return [
    [{ text: ` ${t('screen.trust.title')}`, bold: true, color: 'yellow' }],
    [{ text: ` ${truncate(src.file, W - 2)}`, color: 'cyan' }, { text: src.sha256 ? `  sha256 ${src.sha256.slice(0, 16)}…` : '', dim: true }],
    ...wrap(t('screen.trust.explain'), W - 2, ' ').map((t): ScreenLine => [{ text: t }]),
    [{ text: '─'.repeat(W), dim: true }],
  ];
}

export function trustScreen(src: TrustSource, size: { width: number; height: number }, scroll: number): ScreenLine[] {
  const W = Math.max(40, size.width);
  const H = Math.max(10, size.height);
  const head = headLines(src, W);
  const body = sourceLines(src, W);
  const bodyH = Math.max(1, H - head.length - 2);
  const first = Math.max(0, Math.min(scroll, body.length - bodyH));
  const shown = body.slice(first, first + bodyH);
  while (shown.length < bodyH) shown.push([{ text: '' }]);
  const where = body.length > bodyH ? t('screen.trust.where', { from: first + 1, to: first + bodyH, total: body.length }) : '';
  return [
    ...head,
    ...shown,
    [{ text: '─'.repeat(W), dim: true }],
    [{ text: ' y', bold: true, color: 'green' }, { text: ` ${t('screen.trust.yes')}` }, { text: 'n', bold: true }, { text: t('screen.trust.no') }, { text: where, dim: true }, { text: `q ${t('screen.footer.quit')}` }],
  ];
}

/** The largest useful scroll offset (for the reducer-less scrolling in the App). */
export function trustScrollMax(src: TrustSource, size: { width: number; height: number }): number {
  const W = Math.max(40, size.width);
  return Math.max(0, sourceLines(src, W).length - Math.max(1, Math.max(10, size.height) - headLines(src, W).length - 2));
}
