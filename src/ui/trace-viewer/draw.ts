/**
 * The trace viewer's screen for a state: which layout draws it (list, waterfall, comparison,
 * statistics, help, loading and failure messages), and the notice line over its footer. Pure.
 */
import { fit, type ScreenLine } from '../screen.js';
import { TRACE_LIST_KEYS, layoutMessage, layoutTraceList } from '../../traces/trace-list-layout.js';
import { layoutHelp, layoutWaterfall } from '../../traces/waterfall-layout.js';
import { COMPARE_KEYS, STATS_KEYS, layoutComparison, layoutComputing, layoutStats } from '../../traces/analysis-layout.js';
import { WATERFALL_KEYS } from '../../traces/waterfall-state.js';
import type { TraceSummary } from '../../traces/model-types.js';
import { compareKey, statsTable, type ViewerCaches, type ViewerState } from './viewer-state.js';

export interface DrawContext extends ViewerCaches {
  /** The list in the state's sort; `null` while it is being fetched. */
  rows: TraceSummary[] | null;
  size: { width: number; height: number };
  color: boolean;
}

export function drawViewer(state: ViewerState, ctx: DrawContext): ScreenLine[] {
  const { size, color } = ctx;
  const { width, height } = size;
  if (state.help) {
    if (state.screen === 'compare') return layoutHelp('Compare — keys and marks', COMPARE_KEYS, size, color);
    if (state.screen === 'stats') return layoutHelp('Statistics — keys and columns', STATS_KEYS, size, color);
    return state.screen === 'list' ? layoutHelp('Trace list — keys', TRACE_LIST_KEYS, size, color) : layoutHelp('Trace waterfall — keys', WATERFALL_KEYS, size, color);
  }
  if (state.screen === 'compare' && state.compare) {
    const cs = state.compare;
    const title = `Compare · A ${cs.a.slice(0, 7)} vs B ${cs.b.slice(0, 7)}`;
    const c = ctx.comparisons.get(compareKey(cs.a, cs.b));
    if (cs.status === 'ready' && c) return layoutComparison(c, cs, size, color);
    if (cs.status === 'error') return layoutMessage(title, [{ text: `✗ Could not load a trace: ${cs.error}`, color: color ? 'red' : undefined }], 'b back · q quit', size);
    return layoutComputing(title, 'Aligning the two traces', size, color);
  }
  if (state.screen === 'stats' && state.stats) {
    const ss = state.stats;
    const model = ctx.models.get(ss.id);
    const table = statsTable(ctx, ss.id, ss.grouping);
    const title = model ? `trace ${ss.id.slice(0, 7)} · ${model.rootService}: ${model.rootOperation}` : `trace ${ss.id.slice(0, 7)}`;
    if (ss.status === 'ready' && table) return layoutStats(table, ss, title, size, color);
    return layoutComputing(`Statistics · ${title}`, 'Adding up the spans', size, color);
  }
  if (state.screen === 'trace' && state.open) {
    const { open } = state;
    const model = ctx.models.get(open.id);
    if (open.status === 'ready' && model && state.wf) return layoutWaterfall(model, state.wf, { width, height, color });
    if (open.status === 'error') {
      return layoutMessage(`Trace ${open.id}`, [{ text: `✗ Could not load the trace: ${open.error}`, color: color ? 'red' : undefined }], 'r retry · b back to the list · q quit', size);
    }
    return layoutMessage(`Trace ${open.id}`, [{ text: '◌ Loading the trace…', color: color ? 'yellow' : undefined }], 'b back to the list · q quit', size);
  }
  const rows = ctx.rows;
  const index = rows ? Math.max(0, rows.findIndex((t) => t.traceID === state.selectedID)) : 0;
  return layoutTraceList(rows, { selected: index, sort: state.sort, width, height, scroll: state.listScroll, color, marked: state.marked });
}

/** A notice (what m or = did) takes the footer line until the next key. */
export function withNotice(drawn: ScreenLine[], notice: string | undefined, color: boolean, width: number): ScreenLine[] {
  return notice && drawn.length ? [...drawn.slice(0, -1), fit([{ text: ` ${notice}`, color: color ? ('yellow' as const) : undefined }], Math.max(30, width))] : drawn;
}
