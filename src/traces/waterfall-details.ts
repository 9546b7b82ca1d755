/**
 * The waterfall's details pane: a span's operation, timing, tags, process and logs as wrapped
 * lines of styled cells, and the client/server pair it belongs to. Pure.
 */
import type { Cell, ScreenLine } from '../text/cells.js';
import { cellWidth as textWidth, fit, truncateCells as truncate } from '../text/cells.js';
import type { KeyValue, TraceModel } from './model-types.js';
import { formatDuration } from './duration-format.js';
import { paint, serviceColor } from './service-colors.js';
import { t } from '../i18n/index.js';

// ---------------------------------------------------------------------------
// Details pane.

const fmtValue = (kv: KeyValue): string => String(kv.value);

/** `text` after `lead`, wrapped by character onto lines indented by `indent`, at most `maxLines` lines. */
function wrapCells(lead: Cell[], text: string, style: Omit<Cell, 'text'>, w: number, indent: number, maxLines = 4): ScreenLine[] {
  const leadW = lead.reduce((n, c) => n + textWidth(c.text), 0);
  const chars = [...text];
  const out: ScreenLine[] = [];
  let i = 0;
  let room = Math.max(1, w - leadW);
  out.push(fit([...lead, { text: chars.slice(0, room).join(''), ...style }], w));
  i = room;
  room = Math.max(1, w - indent);
  while (i < chars.length && out.length < maxLines) {
    const last = out.length === maxLines - 1 && i + room < chars.length;
    const piece = chars.slice(i, i + room).join('');
    out.push(fit([{ text: ' '.repeat(indent) }, { text: last ? truncate(piece + '…', room) : piece, ...style }], w));
    i += room;
  }
  return out;
}

/** Word-wrapped text (for sentences), continuation lines indented by `indent`. */
function wrapWords(lead: Cell[], text: string, style: Omit<Cell, 'text'>, w: number, indent: number): ScreenLine[] {
  const leadW = lead.reduce((n, c) => n + textWidth(c.text), 0);
  const out: ScreenLine[] = [];
  let cur: Cell[] = lead;
  let used = leadW;
  let line = '';
  const flush = () => {
    out.push(fit([...cur, { text: line, ...style }], w));
    cur = [{ text: ' '.repeat(indent) }];
    used = indent;
    line = '';
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const need = textWidth(word) + (line ? 1 : 0);
    if (line && used + textWidth(line) + need > w) flush();
    line = line ? `${line} ${word}` : word;
  }
  flush();
  return out;
}

function kvLines(title: string, kvs: KeyValue[], w: number, color: boolean): ScreenLine[] {
  if (!kvs.length) return [];
  const keyW = Math.min(24, Math.max(...kvs.map((k) => textWidth(k.key))));
  return [
    [{ text: title, bold: true }],
    ...kvs.flatMap((kv): ScreenLine[] => {
      const err = (kv.key === 'error' && kv.value === true) || (kv.key === 'http.status_code' && Number(kv.value) >= 500);
      const key = truncate(kv.key, keyW);
      const lead: Cell[] = [{ text: `  ${key}${' '.repeat(keyW - textWidth(key))} `, color: paint(color, 'cyan') }];
      return wrapCells(lead, fmtValue(kv), { color: err ? paint(color, 'red') : undefined }, w, keyW + 3, 3);
    }),
  ].map((l) => fit(l, w));
}

/** What a client/server pair says about the span: who called whom, and the time between the sidecars. */
export function pairText(model: TraceModel, id: string): string | undefined {
  const node = model.spans.get(id);
  const other = node?.pairedWith !== undefined ? model.spans.get(node.pairedWith) : undefined;
  if (!node || !other) return undefined;
  // Kind tags say which half is which; without them the server half is the client's child.
  const client = node.kind === 'client' ? node : other.kind === 'client' ? other : other.parentID === node.spanID ? node : other;
  const server = client === node ? other : node;
  const gap = t('traces.details.pairGap', { gap: formatDuration(client.duration - server.duration) });
  const names = { client: client.service, server: server.service, gap };
  return id === client.spanID
    ? t('traces.details.pairClient', { ...names, took: formatDuration(server.duration) })
    : t('traces.details.pairServer', { ...names, took: formatDuration(client.duration) });
}

/** Every line of the details of one span (the caller shows what fits). */
export function detailLines(model: TraceModel, id: string, w: number, color: boolean): ScreenLine[] {
  const n = model.spans.get(id);
  if (!n) return [fit([{ text: t('traces.details.none'), dim: true }], w)];
  const out: ScreenLine[] = [];
  const push = (...l: Cell[]) => out.push(fit(l, w));
  push({ text: n.service, color: paint(color, serviceColor(n.service)), bold: true }, { text: '  ' }, { text: n.operation, bold: true });
  push(
    { text: t('traces.details.timing', { kind: n.kind, start: formatDuration(n.offset), duration: formatDuration(n.duration), depth: n.depth }) },
    ...(n.error ? [{ text: ` · ${t('traces.details.error')}`, color: paint(color, 'red'), bold: true }] : []),
    ...(n.critical ? [{ text: ` · ${t('traces.details.critical')}`, color: paint(color, 'yellow') }] : []),
  );
  const pair = pairText(model, id);
  if (pair) out.push(...wrapWords([{ text: '⇄ ', color: paint(color, 'yellow') }], pair, {}, w, 2));
  if (n.orphan) {
    const missing = n.missingParentID ?? (n.references.find((r) => r.refType === 'CHILD_OF') ?? n.references[0])?.spanID;
    push({ text: t('traces.details.orphan', { parent: missing ?? t('traces.unknownService') }), color: paint(color, 'yellow') });
  }
  if (n.overrunsParent) push({ text: t('traces.details.overruns'), color: paint(color, 'yellow') });
  if (n.followsFrom) push({ text: t('traces.details.followsFrom'), dim: true });
  for (const warning of n.warnings ?? []) push({ text: t('traces.details.warning', { warning }), color: paint(color, 'yellow') });
  push(
    { text: `${t('traces.details.span')} `, dim: true },
    { text: n.spanID },
    { text: `  ${t('traces.details.parent')} `, dim: true },
    { text: n.parentID ?? '—' },
    { text: `  ${t('traces.details.trace')} `, dim: true },
    { text: n.traceID },
  );
  out.push(...kvLines(t('traces.details.tags', { count: n.tags.length }), n.tags, w, color));
  out.push(...kvLines(t('traces.details.process', { service: n.service }), n.processTags, w, color));
  if (n.logs.length) {
    push({ text: t('traces.details.logs', { count: n.logs.length }), bold: true });
    for (const log of n.logs) {
      const at = `  +${formatDuration(Math.max(0, log.timestamp - model.start))} `;
      out.push(...wrapCells([{ text: at, color: paint(color, 'cyan') }], log.fields.map((f) => `${f.key}=${fmtValue(f)}`).join(' '), {}, w, textWidth(at), 3));
    }
  }
  if (n.references.length) {
    push({ text: t('traces.details.references', { count: n.references.length }), bold: true });
    for (const r of n.references) {
      const target = model.spans.get(r.spanID);
      const what = target ? `${target.service} ${target.operation}` : r.traceID === n.traceID ? t('traces.details.notInTrace') : t('traces.details.otherTrace', { id: r.traceID });
      push({ text: `  ${r.refType} `, color: paint(color, 'cyan') }, { text: `${r.spanID} ` }, { text: what, dim: true });
    }
  }
  return out;
}

/** The details pane, exactly `w`×`h`: a title rule, then the lines that fit. */
export function detailsPane(model: TraceModel, id: string, w: number, h: number, color: boolean, rule: boolean): ScreenLine[] {
  const lines = detailLines(model, id, w - 1, color).map((l) => [{ text: ' ' }, ...l]);
  const out: ScreenLine[] = [];
  if (rule) {
    const title = `─ ${t('traces.details.rule')} `;
    out.push(fit([{ text: title + '─'.repeat(Math.max(0, w - textWidth(title))), dim: true }], w));
  }
  const room = h - out.length;
  if (lines.length > room) {
    out.push(...lines.slice(0, Math.max(0, room - 1)));
    out.push(fit([{ text: ` ${t('traces.details.moreLines', { count: lines.length - room + 1 })}`, dim: true }], w));
  } else out.push(...lines);
  while (out.length < h) out.push(fit([], w));
  return out.slice(0, h);
}
