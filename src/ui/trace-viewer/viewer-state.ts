/**
 * What the trace viewer holds between keys (which screen, the selection, the open trace's
 * waterfall, the analysis screens), and what it reads but does not own: the caches of models,
 * comparisons and statistics the component fills off the key path. Pure types and lookups.
 */
import type { TraceModel, TraceSummary } from '../../traces/model-types.js';
import type { TraceSort } from '../../traces/trace-list-layout.js';
import type { TraceComparison } from '../../traces/trace-compare.js';
import { groupableTagKeys, type StatsGrouping, type TraceStats } from '../../traces/trace-stats.js';
import type { CompareView, StatsView } from '../../traces/analysis-layout.js';
import type { WaterfallState } from '../../traces/waterfall-state.js';

export type LoadState = { id: string; status: 'loading' } | { id: string; status: 'ready' } | { id: string; status: 'error'; error: string };

/** The comparison screen: A (the marked trace) against B, computed off the key path. */
export interface CompareScreen extends CompareView {
  a: string;
  b: string;
  status: 'loading' | 'ready' | 'error';
  error?: string;
  /** Where b/Esc goes back to. */
  from: 'list' | 'trace';
}

/** The statistics screen of the open trace. */
export interface StatsScreen extends StatsView {
  id: string;
  /** Index into the groupings offered (service, service: operation, then tag keys). */
  grouping: number;
  status: 'computing' | 'ready';
}

export interface ViewerState {
  screen: 'list' | 'trace' | 'compare' | 'stats';
  /** The trace marked as A for a comparison (m). */
  marked?: string;
  compare?: CompareScreen;
  stats?: StatsScreen;
  /** One line for the footer until the next key (what m and = did, or why they could not). */
  notice?: string;
  sort: TraceSort;
  /** The selected trace in the list (by id, so it stays put when the list re-sorts or grows). */
  selectedID?: string;
  listScroll: number;
  open?: LoadState;
  /** The waterfall of the open trace, once it is ready. */
  wf?: WaterfallState;
  help: boolean;
}

export const initialViewerState: ViewerState = { screen: 'list', sort: 'recent', listScroll: 0, help: false };

/** What the viewer has fetched and computed so far, read by the key reducer and the drawing. */
export interface ViewerCaches {
  /** Built models of the traces fetched, by id. */
  models: ReadonlyMap<string, TraceModel>;
  /** Comparisons by `"A B"`. */
  comparisons: ReadonlyMap<string, TraceComparison>;
  /** Statistics tables by statsKey(). */
  stats: ReadonlyMap<string, TraceStats>;
  /** Where the learner left each trace, restored when it is opened again. */
  saved: ReadonlyMap<string, WaterfallState>;
}

/** The caches plus what the screen is now: the list in its current sort, and the terminal's size. */
export interface ViewerContext extends ViewerCaches {
  rows: TraceSummary[];
  size: { width: number; height: number };
  /** The span a lesson points at when a trace is first opened. */
  focus?: (model: TraceModel) => string | undefined;
}

export const compareKey = (a: string, b: string): string => `${a} ${b}`;

/** The groupings the statistics table cycles through with t: service, service: operation, each tag key. */
export function groupingsOf(model: TraceModel): StatsGrouping[] {
  return [{ by: 'service' }, { by: 'operation' }, ...groupableTagKeys(model).map((key): StatsGrouping => ({ by: 'tag', key }))];
}

/** The `index`th grouping of trace `id`. */
export function groupingFor(models: ReadonlyMap<string, TraceModel>, id: string, index: number): StatsGrouping {
  // The tag keys take a pass over every span: only looked for once the learner asks for them.
  if (index === 0) return { by: 'service' };
  if (index === 1) return { by: 'operation' };
  const model = models.get(id);
  const all = model ? groupingsOf(model) : [{ by: 'service' as const }];
  return all[index % all.length];
}

export const statsKey = (id: string, g: StatsGrouping): string => `${id} ${g.by === 'tag' ? `tag:${g.key}` : g.by}`;

/** The statistics table of trace `id` in its `grouping`th grouping, once computed. */
export const statsTable = (c: ViewerCaches, id: string, grouping: number): TraceStats | undefined => c.stats.get(statsKey(id, groupingFor(c.models, id, grouping)));
