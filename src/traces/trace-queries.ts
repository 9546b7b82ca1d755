/** What the trace viewer asks of a built model: the rows left visible, hidden errors, span search. Pure. */
import type { JaegerKeyValue } from './jaeger-model.js';
import type { KeyValue, TraceModel } from './model-types.js';

// ---------------------------------------------------------------------------
// Queries the viewer runs on a model

/** The display order with the subtrees of collapsed spans hidden (the collapsed span itself stays). */
export function visibleRows(model: TraceModel, collapsed: ReadonlySet<string>): string[] {
  if (collapsed.size === 0) return model.order.slice();
  const out: string[] = [];
  let hideBelow = -1;
  for (const id of model.order) {
    const node = model.spans.get(id)!;
    if (hideBelow >= 0 && node.depth > hideBelow) continue;
    hideBelow = -1;
    out.push(id);
    if (node.children.length > 0 && collapsed.has(id)) hideBelow = node.depth;
  }
  return out;
}

/** Error spans beneath `id` (what collapsing it hides); 0 for an unknown id. */
export function hiddenErrorCount(model: TraceModel, id: string): number {
  const node = model.spans.get(id);
  if (!node) return 0;
  if (node.descendantErrors !== undefined) return node.descendantErrors;
  let n = 0;
  const stack = [...node.children];
  while (stack.length) {
    const c = model.spans.get(stack.pop()!)!;
    if (c.error) n++;
    for (const k of c.children) stack.push(k);
  }
  return n;
}

/**
 * Spans matching `query` (case-insensitive substring) in service, operation,
 * span id, or a tag's key, value or `key=value`; ids in display order.
 */
export function searchSpans(model: TraceModel, query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const out: string[] = [];
  for (const id of model.order) {
    const node = model.spans.get(id)!;
    if (
      node.service.toLowerCase().includes(q) ||
      node.operation.toLowerCase().includes(q) ||
      node.spanID.toLowerCase().includes(q) ||
      tagsMatch(node.tags, q)
    ) {
      out.push(id);
    }
  }
  return out;
}

function tagsMatch(tags: readonly KeyValue[] | readonly JaegerKeyValue[], q: string): boolean {
  for (const t of tags) {
    if (`${t.key}=${String(t.value)}`.toLowerCase().includes(q)) return true;
  }
  return false;
}
