/**
 * A trace as text: one line per span with tree guides, durations, span kinds
 * and client/server pair annotations (`--plain`, non-TTY), and as JSON
 * (`--json`: the tree, the pairs and the critical path). Pure.
 */
import type { SpanNode, TraceModel } from './model-types.js';
import { formatDuration } from './duration-format.js';
import { t } from '../i18n/index.js';

function pairNote(model: TraceModel, span: SpanNode): string {
  if (!span.pairedWith) return '';
  const other = model.spans.get(span.pairedWith);
  if (!other) return '';
  if (span.kind === 'client' || (span.kind !== 'server' && other.parentID === span.spanID)) {
    const gap = span.duration - other.duration;
    return `  ${t('traces.plain.clientOf', { service: other.service, duration: formatDuration(other.duration), gap: formatDuration(Math.max(0, gap)) })}`;
  }
  return `  ${t('traces.plain.serverFor', { service: other.service })}`;
}

/** The tree as text lines, in display order. */
export function traceToText(model: TraceModel): string[] {
  const root = `${model.rootService}: ${model.rootOperation}`;
  const header = `${t('traces.plain.header', { id: model.traceID, root, duration: formatDuration(model.duration), spans: model.spans.size, services: model.services.length })}${model.errorCount ? ` · ${t('traces.plain.errors', { count: model.errorCount })}` : ''}`;
  const lines = [header];
  const critical = new Set(model.criticalPath);
  // Guides: for each depth, whether an ancestor at that depth still has siblings below.
  const lastChild = (s: SpanNode): boolean => {
    if (!s.parentID) return model.roots[model.roots.length - 1] === s.spanID;
    const p = model.spans.get(s.parentID);
    return !p || p.children[p.children.length - 1] === s.spanID;
  };
  const open: boolean[] = [];
  for (const id of model.order) {
    const s = model.spans.get(id)!;
    const isLast = lastChild(s);
    open.length = s.depth;
    const guides = open.map((o) => (o ? '│  ' : '   ')).join('') + (s.depth === 0 ? '' : isLast ? '└─ ' : '├─ ');
    open[s.depth] = !isLast;
    const marks = [s.kind !== 'unknown' ? s.kind : '', s.error ? t('traces.details.error') : '', s.orphan ? t('traces.plain.orphan') : '', critical.has(id) ? t('traces.details.critical') : ''].filter(Boolean).join(', ');
    lines.push(`${guides}${s.service}: ${s.operation}  ${formatDuration(s.duration)}  (+${formatDuration(s.offset)})${marks ? `  [${marks}]` : ''}${pairNote(model, s)}`);
  }
  if (model.pairs.length) {
    lines.push('', t('traces.plain.rpcIntro'));
    for (const p of model.pairs) {
      const c = model.spans.get(p.clientID)!;
      const sv = model.spans.get(p.serverID)!;
      lines.push(`  ${t('traces.plain.pair', { from: p.from, to: p.to, client: formatDuration(c.duration), server: formatDuration(sv.duration), gap: formatDuration(Math.max(0, p.gap)) })}`);
    }
  }
  return lines;
}

interface JsonNode {
  spanID: string;
  service: string;
  operation: string;
  kind: string;
  start: number;
  offset: number;
  duration: number;
  error: boolean;
  critical: boolean;
  orphan: boolean;
  pairedWith?: string;
  tags: Record<string, unknown>;
  children: JsonNode[];
}

/** The model as plain JSON: nested tree (built without recursion), pairs, critical path, services. */
export function traceToJson(model: TraceModel): unknown {
  const nodes = new Map<string, JsonNode>();
  for (const id of model.order) {
    const s = model.spans.get(id)!;
    nodes.set(id, {
      spanID: s.spanID, service: s.service, operation: s.operation, kind: s.kind, start: s.start, offset: s.offset, duration: s.duration,
      error: s.error, critical: s.critical, orphan: s.orphan, ...(s.pairedWith ? { pairedWith: s.pairedWith } : {}),
      tags: Object.fromEntries(s.tags.map((t) => [t.key, t.value])), children: [],
    });
  }
  for (const id of model.order) {
    const s = model.spans.get(id)!;
    if (s.parentID && nodes.has(s.parentID) && !s.orphan) nodes.get(s.parentID)!.children.push(nodes.get(id)!);
  }
  return {
    traceID: model.traceID,
    start: model.start,
    duration: model.duration,
    rootService: model.rootService,
    rootOperation: model.rootOperation,
    services: model.services,
    errorCount: model.errorCount,
    pairs: model.pairs,
    criticalPath: model.criticalPath,
    tree: model.roots.map((r) => nodes.get(r)!),
    warnings: model.warnings,
  };
}
