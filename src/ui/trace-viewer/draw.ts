/**
 * The trace viewer's screen for a state: which layout draws it (list, waterfall, comparison,
 * statistics, help, loading and failure messages), and the notice line over its footer. Pure.
 */
import { fit, type ScreenLine } from '../screen.js';
import { layoutMessage, layoutTraceList, traceListKeys } from '../../traces/trace-list-layout.js';
import { layoutHelp, layoutWaterfall } from '../../traces/waterfall-layout.js';
import { compareKeys, layoutComparison, layoutComputing, layoutStats, statsKeys } from '../../traces/analysis-layout.js';
import { waterfallKeys } from '../../traces/waterfall-state.js';
import { t } from '../../i18n/index.js';
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
    if (state.screen === 'compare') return layoutHelp(t('traces.help.compare'), compareKeys(), size, color);
    if (state.screen === 'stats') return layoutHelp(t('traces.help.stats'), statsKeys(), size, color);
    return state.screen === 'list' ? layoutHelp(t('traces.help.list'), traceListKeys(), size, color) : layoutHelp(t('traces.help.waterfall'), waterfallKeys(), size, color);
  }
  if (state.screen === 'compare' && state.compare) {
    const cs = state.compare;
    const title = t('traces.viewer.compareTitle', { a: cs.a.slice(0, 7), b: cs.b.slice(0, 7) });
    const c = ctx.comparisons.get(compareKey(cs.a, cs.b));
    if (cs.status === 'ready' && c) return layoutComparison(c, cs, size, color);
    if (cs.status === 'error') return layoutMessage(title, [{ text: t('traces.viewer.compareFailed', { error: cs.error ?? '' }), color: color ? 'red' : undefined }], t('traces.backQuit'), size);
    return layoutComputing(title, t('traces.viewer.aligning'), size, color);
  }
  if (state.screen === 'stats' && state.stats) {
    const ss = state.stats;
    const model = ctx.models.get(ss.id);
    const table = statsTable(ctx, ss.id, ss.grouping);
    const short = t('traces.viewer.traceShort', { id: ss.id.slice(0, 7) });
    const title = model ? `${short} · ${model.rootService}: ${model.rootOperation}` : short;
    if (ss.status === 'ready' && table) return layoutStats(table, ss, title, size, color);
    return layoutComputing(t('traces.stats.title', { title }), t('traces.viewer.adding'), size, color);
  }
  if (state.screen === 'trace' && state.open) {
    const { open } = state;
    const model = ctx.models.get(open.id);
    if (open.status === 'ready' && model && state.wf) return layoutWaterfall(model, state.wf, { width, height, color });
    if (open.status === 'error') {
      const failed = t('traces.viewer.loadFailed', { error: open.error });
      return layoutMessage(t('traces.viewer.traceTitle', { id: open.id }), [{ text: failed, color: color ? 'red' : undefined }], t('traces.viewer.retryFooter'), size);
    }
    return layoutMessage(t('traces.viewer.traceTitle', { id: open.id }), [{ text: t('traces.viewer.loading'), color: color ? 'yellow' : undefined }], t('traces.viewer.loadingFooter'), size);
  }
  const rows = ctx.rows;
  const index = rows ? Math.max(0, rows.findIndex((t) => t.traceID === state.selectedID)) : 0;
  return layoutTraceList(rows, { selected: index, sort: state.sort, width, height, scroll: state.listScroll, color, marked: state.marked });
}

/** A notice (what m or = did) takes the footer line until the next key. */
export function withNotice(drawn: ScreenLine[], notice: string | undefined, color: boolean, width: number): ScreenLine[] {
  return notice && drawn.length ? [...drawn.slice(0, -1), fit([{ text: ` ${notice}`, color: color ? ('yellow' as const) : undefined }], Math.max(30, width))] : drawn;
}
