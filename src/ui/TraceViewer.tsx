/**
 * The trace viewer: a Jaeger-like trace list, then the waterfall of the trace
 * the learner opens. It draws lines laid out by pure functions
 * (trace-list-layout.ts, waterfall-layout.ts) and turns keys into intents
 * (waterfall-state.ts); it fetches nothing itself: traces come in as props and
 * `loadTrace` is called for the one to open. Loading and failures are states
 * on screen, never thrown.
 */
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, useInput } from 'ink';
import { Line, useTerminalSize } from './terminal.js';
import { fit, type ScreenLine } from './screen.js';
import type { JaegerTrace } from '../traces/jaeger-model.js';
import type { TraceModel, TraceSummary } from '../traces/model-types.js';
import { buildTraceModel } from '../traces/trace-model.js';
import { displayText, inertStrings } from '../text/display-text.js';
import { displayModel } from '../traces/display-model.js';
import {
  TRACE_LIST_KEYS,
  layoutMessage,
  layoutTraceList,
  mostRecent,
  nextSort,
  sortSummaries,
  traceListCapacity,
  traceListScroll,
  type TraceSort,
} from '../traces/trace-list-layout.js';
import { layoutHelp, layoutWaterfall } from '../traces/waterfall-layout.js';
import { compareTracesInSlices, type TraceComparison } from '../traces/trace-compare.js';
import { groupableTagKeys, traceStatsInSlices, type StatsGrouping, type TraceStats } from '../traces/trace-stats.js';
import {
  COMPARE_KEYS,
  STATS_KEYS,
  analysisRows,
  compareRowsShown,
  fitTableScroll,
  layoutComparison,
  layoutComputing,
  layoutStats,
  statsColumns,
  type CompareView,
  type StatsView,
} from '../traces/analysis-layout.js';
import {
  WATERFALL_KEYS,
  initialWaterfallState,
  waterfallKeyAction,
  waterfallReducer,
  type KeyLike,
  type WaterfallState,
} from '../traces/waterfall-state.js';

export interface TraceViewerProps {
  /** The traces to list, like Jaeger's "Find Traces"; `null` while they are being fetched. */
  traces: TraceSummary[] | null;
  /** Fetches one whole trace; a rejection is shown on screen (b goes back, r retries). */
  loadTrace: (traceID: string) => Promise<JaegerTrace>;
  /** Open this trace straight away (the list is one `b` away). */
  initialTraceId?: string;
  /**
   * The span to select (with its details open) when a trace is first opened — how a lesson
   * points at the span it talks about. @default the root span, details closed
   */
  focus?: (model: TraceModel) => string | undefined;
  /** The learner pressed q (or Ctrl-C). The caller unmounts or exits. */
  onQuit: () => void;
  /** A trace was opened and is on screen. */
  onOpened?: (traceID: string) => void;
  /** Colour services, errors and bars; text markers remain without it. @default true */
  color?: boolean;
  /** Open on the comparison of these two traces (A, B), as `kubetutor traces --compare A B` does. */
  initialCompare?: [string, string];
  /** Open the statistics table of the initial trace (`kubetutor traces --stats`). */
  initialStats?: boolean;
}

type LoadState = { id: string; status: 'loading' } | { id: string; status: 'ready' } | { id: string; status: 'error'; error: string };

/** The comparison screen: A (the marked trace) against B, computed off the key path. */
interface CompareScreen extends CompareView {
  a: string;
  b: string;
  status: 'loading' | 'ready' | 'error';
  error?: string;
  /** Where b/Esc goes back to. */
  from: 'list' | 'trace';
}

/** The statistics screen of the open trace. */
interface StatsScreen extends StatsView {
  id: string;
  /** Index into the groupings offered (service, service: operation, then tag keys). */
  grouping: number;
  status: 'computing' | 'ready';
}

interface ViewerState {
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

const initialState: ViewerState = { screen: 'list', sort: 'recent', listScroll: 0, help: false };


const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The groupings the statistics table cycles through with t: service, service: operation, each tag key. */
function groupingsOf(model: TraceModel): StatsGrouping[] {
  return [{ by: 'service' }, { by: 'operation' }, ...groupableTagKeys(model).map((key): StatsGrouping => ({ by: 'tag', key }))];
}

export function TraceViewer({ traces: fetched, loadTrace, initialTraceId, onQuit, onOpened, color = true, focus, initialCompare, initialStats }: TraceViewerProps) {
  const size = useTerminalSize();
  // Outside text enters here: the names in the trace list, and (displayModel) those of each opened
  // trace, are display text before any layout or search sees them (src/text/display-text.ts).
  // (A trace's id stays as it came: it is how the trace is fetched; the screen's last guard still shows it inertly.)
  const traces = useMemo(() => fetched && fetched.map((t) => ({ ...inertStrings(t), traceID: t.traceID })), [fetched]);
  const [state, setState] = useState<ViewerState>(initialState);
  // Keys can arrive faster than renders (a paste, tmux send-keys): handlers read and write this ref,
  // so each key sees the state the previous one left.
  const stateRef = useRef(state);
  const update = useCallback((f: (s: ViewerState) => ViewerState) => {
    const next = f(stateRef.current);
    if (next === stateRef.current) return;
    stateRef.current = next;
    setState(next);
  }, []);

  const models = useRef(new Map<string, TraceModel>());
  /** Where the learner left each trace, restored when it is opened again. */
  const saved = useRef(new Map<string, WaterfallState>());
  const loadSeq = useRef(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // The sorted list, for rendering and for keys (which may change the sort between renders).
  const sortCache = useRef<{ traces: TraceSummary[]; sort: TraceSort; rows: TraceSummary[] } | null>(null);
  const sortedFor = useCallback((list: TraceSummary[] | null, sort: TraceSort): TraceSummary[] | null => {
    if (!list) return null;
    const c = sortCache.current;
    if (c && c.traces === list && c.sort === sort) return c.rows;
    const rows = sortSummaries(list, sort);
    sortCache.current = { traces: list, sort, rows };
    return rows;
  }, []);
  const sorted = sortedFor(traces, state.sort);
  const live = useRef({ traces, size, onQuit, onOpened, loadTrace });
  live.current = { traces, size, onQuit, onOpened, loadTrace };

  const focusRef = useRef(focus);
  focusRef.current = focus;
  const focused = (model: TraceModel) => {
    const first = initialWaterfallState(model);
    const id = focusRef.current?.(model);
    return id && model.spans.has(id) ? { ...first, selected: id, detailsOpen: true } : first;
  };

  const openTrace = useCallback(
    (id: string) => {
      const token = ++loadSeq.current;
      const ready = (model: TraceModel) =>
        update((s) => (s.open?.id === id ? { ...s, open: { id, status: 'ready' }, wf: saved.current.get(id) ?? focused(model) } : s));
      const cached = models.current.get(id);
      update((s) => ({ ...s, screen: 'trace', selectedID: s.selectedID ?? id, help: false, wf: undefined, open: { id, status: cached ? 'ready' : 'loading' } }));
      if (cached) {
        ready(cached);
        live.current.onOpened?.(id);
        return;
      }
      Promise.resolve()
        .then(() => live.current.loadTrace(id))
        .then((trace) => {
          const model = displayModel(buildTraceModel(trace));
          models.current.set(id, model);
          if (!mounted.current || token !== loadSeq.current) return;
          ready(model);
          live.current.onOpened?.(id);
        })
        .catch((e: unknown) => {
          if (!mounted.current || token !== loadSeq.current) return;
          update((s) => (s.open?.id === id ? { ...s, open: { id, status: 'error', error: displayText(message(e)) } } : s));
        });
    },
    [update],
  );

  /** A trace's model: cached, or fetched and built (the same cache the waterfall uses). */
  const modelFor = useCallback(async (id: string): Promise<TraceModel> => {
    const cached = models.current.get(id);
    if (cached) return cached;
    const model = displayModel(buildTraceModel(await live.current.loadTrace(id)));
    models.current.set(id, model);
    return model;
  }, []);

  // Comparisons and tables are computed once per trace (pair), after the key's frame is drawn
  // (a timer, off the key path), and memoised here and in trace-compare / trace-stats.
  const comparisons = useRef(new Map<string, TraceComparison>());
  /** Runs `step` in timer slices (about 15 ms each) until it gives a result, so keys keep being read meanwhile. */
  const inSlices = <T,>(step: () => T | undefined, done: (v: T) => void) => {
    const tick = () => {
      if (!mounted.current) return;
      const v = step();
      if (v === undefined) setTimeout(tick, 0);
      else done(v);
    };
    setTimeout(tick, 0);
  };

  const startCompare = useCallback(
    (a: string, b: string, from: 'list' | 'trace') => {
      update((s) => ({ ...s, screen: 'compare', help: false, compare: { a, b, from, status: comparisons.current.has(`${a} ${b}`) ? 'ready' : 'loading', selected: 0, scroll: 0, differencesOnly: false } }));
      if (comparisons.current.has(`${a} ${b}`)) return;
      Promise.all([modelFor(a), modelFor(b)])
        .then(([ma, mb]) => {
          const job = compareTracesInSlices(ma, mb);
          inSlices(job.step, (c) => {
            comparisons.current.set(`${a} ${b}`, c);
            update((s) => (s.compare?.a === a && s.compare.b === b ? { ...s, compare: { ...s.compare, status: 'ready' } } : s));
          });
        })
        .catch((e: unknown) => {
          if (!mounted.current) return;
          update((s) => (s.compare?.a === a && s.compare.b === b ? { ...s, compare: { ...s.compare, status: 'error', error: displayText(message(e)) } } : s));
        });
    },
    [update, modelFor],
  );

  const statsCache = useRef(new Map<string, TraceStats>());
  const statsKey = (id: string, g: StatsGrouping) => `${id} ${g.by === 'tag' ? `tag:${g.key}` : g.by}`;
  const groupingFor = (id: string, index: number): StatsGrouping => {
    // The tag keys take a pass over every span: only looked for once the learner asks for them.
    if (index === 0) return { by: 'service' };
    if (index === 1) return { by: 'operation' };
    const model = models.current.get(id);
    const all = model ? groupingsOf(model) : [{ by: 'service' as const }];
    return all[index % all.length];
  };
  const computeStats = useCallback(
    (id: string, grouping: number) => {
      const g = groupingFor(id, grouping);
      if (statsCache.current.has(statsKey(id, g))) return;
      const model = models.current.get(id);
      if (!model) return;
      inSlices(traceStatsInSlices(model, g).step, (table) => {
        statsCache.current.set(statsKey(id, g), table);
        update((s) => (s.stats?.id === id && s.stats.grouping === grouping ? { ...s, stats: { ...s.stats, status: 'ready' } } : s));
      });
    },
    [update],
  );
  const openStats = useCallback(
    (id: string) => {
      const g = groupingFor(id, 0);
      const ready = statsCache.current.has(statsKey(id, g));
      update((s) => ({ ...s, screen: 'stats', help: false, stats: s.stats?.id === id ? { ...s.stats, grouping: 0, status: ready ? 'ready' : 'computing' } : { id, grouping: 0, sort: 'total', descending: true, selected: 0, scroll: 0, status: ready ? 'ready' : 'computing' } }));
      computeStats(id, 0);
    },
    [update, computeStats],
  );

  useEffect(() => {
    if (initialCompare) startCompare(initialCompare[0], initialCompare[1], 'list');
    else if (initialTraceId) openTrace(initialTraceId);
    // --stats: the table once the trace is open.
    if (initialStats && initialTraceId && !initialCompare) {
      modelFor(initialTraceId).then(
        () => mounted.current && stateRef.current.open?.id === initialTraceId && openStats(initialTraceId),
        () => undefined,
      );
    }
  }, [initialTraceId, openTrace, initialCompare, startCompare, initialStats, modelFor, openStats]);

  const back = () => {
    loadSeq.current++; // a load still in flight no longer opens anything
    update((s) => {
      if (s.open && s.wf) saved.current.set(s.open.id, s.wf);
      return { ...s, screen: 'list', open: undefined, wf: undefined, help: false };
    });
  };

  const onListKey = (input: string, key: KeyLike, s: ViewerState) => {
    const rows = sortedFor(live.current.traces, s.sort) ?? [];
    const { height } = live.current.size;
    const index = Math.max(0, rows.findIndex((t) => t.traceID === s.selectedID));
    const select = (i: number) => {
      if (!rows.length) return;
      const to = Math.max(0, Math.min(rows.length - 1, i));
      update((st) => {
        const listScroll = traceListScroll(to, st.listScroll, rows.length, height);
        return st.selectedID === rows[to].traceID && st.listScroll === listScroll ? st : { ...st, selectedID: rows[to].traceID, listScroll };
      });
    };
    const page = Math.max(1, traceListCapacity(height) - 1);
    if (key.downArrow || input === 'j') return select(index + 1);
    if (key.upArrow || input === 'k') return select(index - 1);
    if (key.pageDown) return select(index + page);
    if (key.pageUp) return select(index - page);
    if (input === 'g' || key.home) return select(0);
    if (input === 'G' || key.end) return select(rows.length - 1);
    if (input === 's') {
      // Keep the selected trace selected; the new order puts it elsewhere.
      return update((st) => ({ ...st, sort: nextSort(st.sort), selectedID: st.selectedID ?? rows[0]?.traceID }));
    }
    if (key.return && rows[index]) return openTrace(rows[index].traceID);
    if (input === 'm' && rows[index]) return toggleMark(rows[index].traceID);
    if (input === '=' && rows[index]) return compareWith(rows[index].traceID, 'list');
    if (input === 'o') {
      const t = mostRecent(rows);
      if (t) {
        update((st) => ({ ...st, selectedID: t.traceID }));
        openTrace(t.traceID);
      }
    }
  };

  const toggleMark = (id: string) =>
    update((st) => (st.marked === id ? { ...st, marked: undefined, notice: `trace ${id.slice(0, 7)} unmarked` } : { ...st, marked: id, notice: `trace ${id.slice(0, 7)} marked as A: open another trace and press = to compare` }));

  const compareWith = (b: string, from: 'list' | 'trace') => {
    const a = stateRef.current.marked;
    if (!a) return update((st) => ({ ...st, notice: 'mark a trace first: m marks the trace as A (the baseline), then = on another compares' }));
    if (a === b) return update((st) => ({ ...st, notice: 'this is the marked trace: open or select another one, then press =' }));
    if (from === 'trace' && stateRef.current.open && stateRef.current.wf) saved.current.set(stateRef.current.open.id, stateRef.current.wf);
    startCompare(a, b, from);
  };

  /** Leaves the comparison or the table for where it was opened from. */
  const leaveAnalysis = () =>
    update((st) => {
      const to = st.screen === 'compare' ? (st.compare?.from === 'trace' && st.open ? 'trace' : 'list') : st.open ? 'trace' : 'list';
      return { ...st, screen: to, help: false };
    });

  const tableMove = (input: string, key: KeyLike, total: number, view: { selected: number; scroll: number }): { selected: number; scroll: number } | undefined => {
    const rows = analysisRows(live.current.size.height);
    let to: number | undefined;
    if (key.downArrow || input === 'j') to = view.selected + 1;
    else if (key.upArrow || input === 'k') to = view.selected - 1;
    else if (key.pageDown || (key.ctrl && input === 'f')) to = view.selected + rows - 1;
    else if (key.pageUp || (key.ctrl && input === 'b')) to = view.selected - (rows - 1);
    else if (input === 'g' || key.home) to = 0;
    else if (input === 'G' || key.end) to = total - 1;
    if (to === undefined) return undefined;
    const selected = Math.max(0, Math.min(total - 1, to));
    return { selected, scroll: fitTableScroll(selected, view.scroll, total, rows) };
  };

  const onCompareKey = (input: string, key: KeyLike, s: ViewerState) => {
    const cs = s.compare;
    if (!cs || input === 'b' || key.escape || key.leftArrow) return leaveAnalysis();
    const c = comparisons.current.get(`${cs.a} ${cs.b}`);
    if (cs.status !== 'ready' || !c) return;
    if (input === 'f') return update((st) => (st.compare ? { ...st, compare: { ...st.compare, differencesOnly: !st.compare.differencesOnly, selected: 0, scroll: 0 } } : st));
    const shown = compareRowsShown(c, cs.differencesOnly);
    const moved = tableMove(input, key, shown ? shown.length : c.rows.length, cs);
    if (moved && (moved.selected !== cs.selected || moved.scroll !== cs.scroll)) update((st) => (st.compare ? { ...st, compare: { ...st.compare, ...moved } } : st));
  };

  const onStatsKey = (input: string, key: KeyLike, s: ViewerState) => {
    const ss = s.stats;
    if (!ss || input === 'b' || key.escape) return leaveAnalysis();
    if (input === 't') {
      const grouping = ss.grouping + 1;
      const model = models.current.get(ss.id);
      const next = grouping < 2 ? grouping : grouping % (model ? groupingsOf(model).length : 1);
      update((st) => (st.stats ? { ...st, stats: { ...st.stats, grouping: next, selected: 0, scroll: 0, status: statsCache.current.has(statsKey(ss.id, groupingFor(ss.id, next))) ? 'ready' : 'computing' } } : st));
      return computeStats(ss.id, next);
    }
    const table = statsCache.current.get(statsKey(ss.id, groupingFor(ss.id, ss.grouping)));
    if (ss.status !== 'ready' || !table) return;
    const cols = statsColumns(live.current.size.width);
    if (input === 's' || input === 'S' || key.rightArrow || key.leftArrow) {
      const by = input === 'S' || key.leftArrow ? -1 : 1;
      const at = cols.indexOf(ss.sort);
      const sort = cols[((at < 0 ? 0 : at) + by + cols.length) % cols.length];
      // Names read best A→Z; numbers largest first.
      return update((st) => (st.stats ? { ...st, stats: { ...st.stats, sort, descending: sort !== 'group', selected: 0, scroll: 0 } } : st));
    }
    if (input === 'r') return update((st) => (st.stats ? { ...st, stats: { ...st.stats, descending: !st.stats.descending, selected: 0, scroll: 0 } } : st));
    const moved = tableMove(input, key, table.rows.length, ss);
    if (moved && (moved.selected !== ss.selected || moved.scroll !== ss.scroll)) update((st) => (st.stats ? { ...st, stats: { ...st.stats, ...moved } } : st));
  };

  const onTraceKey = (input: string, key: KeyLike, s: ViewerState) => {
    const open = s.open;
    if (!open) return back();
    const model = models.current.get(open.id);
    if (open.status !== 'ready' || !model || !s.wf) {
      if (input === 'b' || key.escape || key.leftArrow) return back();
      if (input === 'r' && open.status === 'error') return openTrace(open.id);
      return;
    }
    const wf = s.wf;
    const editing = !!wf.search?.editing;
    if (!editing) {
      if (input === '?') return update((st) => ({ ...st, help: true }));
      if (input === 'b' || (key.escape && !wf.search)) return back();
      if (input === 'm') return toggleMark(open.id);
      if (input === '=') return compareWith(open.id, 'trace');
      if (input === 'T') return openStats(open.id);
    }
    const action = waterfallKeyAction(input, key, wf);
    if (!action) return;
    update((st) => {
      if (!st.wf) return st;
      const next = waterfallReducer(st.wf, action, { model, size: live.current.size });
      return next === st.wf ? st : { ...st, wf: next };
    });
  };

  const onKey = (input: string, key: KeyLike) => {
    const s = stateRef.current;
    const typing = s.screen === 'trace' && !!s.wf?.search?.editing;
    if (key.ctrl && input === 'c') return live.current.onQuit();
    if (input === 'q' && !typing) return live.current.onQuit();
    if (s.notice) update((st) => ({ ...st, notice: undefined }));
    if (s.help) {
      if (input === '?' || key.escape || input === 'b') update((st) => ({ ...st, help: false }));
      return;
    }
    if (s.screen === 'compare' || s.screen === 'stats') {
      if (input === '?') return update((st) => ({ ...st, help: true }));
      return s.screen === 'compare' ? onCompareKey(input, key, s) : onStatsKey(input, key, s);
    }
    if (s.screen === 'list') {
      if (input === '?') return update((st) => ({ ...st, help: true }));
      return onListKey(input, key, s);
    }
    return onTraceKey(input, key, s);
  };

  useInput((input, key) => {
    // Ink hands a burst of plain keys (a paste, tmux send-keys "jjG") over as one string: take it key by key.
    const chars = [...input];
    if (chars.length > 1 && !key.ctrl && !key.meta) {
      for (const ch of chars) {
        if (ch === '\r' || ch === '\n') onKey('', { return: true });
        else if (ch === '\t') onKey('', { tab: true });
        else if (ch === '\u007f' || ch === '\b') onKey('', { backspace: true });
        else onKey(ch, {});
      }
      return;
    }
    onKey(input, key);
  });

  const drawn = useMemo((): ScreenLine[] => {
    const { width, height } = size;
    if (state.help) {
      if (state.screen === 'compare') return layoutHelp('Compare — keys and marks', COMPARE_KEYS, size, color);
      if (state.screen === 'stats') return layoutHelp('Statistics — keys and columns', STATS_KEYS, size, color);
      return state.screen === 'list'
        ? layoutHelp('Trace list — keys', TRACE_LIST_KEYS, size, color)
        : layoutHelp('Trace waterfall — keys', WATERFALL_KEYS, size, color);
    }
    if (state.screen === 'compare' && state.compare) {
      const cs = state.compare;
      const title = `Compare · A ${cs.a.slice(0, 7)} vs B ${cs.b.slice(0, 7)}`;
      const c = comparisons.current.get(`${cs.a} ${cs.b}`);
      if (cs.status === 'ready' && c) return layoutComparison(c, cs, size, color);
      if (cs.status === 'error') return layoutMessage(title, [{ text: `✗ Could not load a trace: ${cs.error}`, color: color ? 'red' : undefined }], 'b back · q quit', size);
      return layoutComputing(title, 'Aligning the two traces', size, color);
    }
    if (state.screen === 'stats' && state.stats) {
      const ss = state.stats;
      const model = models.current.get(ss.id);
      const table = statsCache.current.get(statsKey(ss.id, groupingFor(ss.id, ss.grouping)));
      const title = model ? `trace ${ss.id.slice(0, 7)} · ${model.rootService}: ${model.rootOperation}` : `trace ${ss.id.slice(0, 7)}`;
      if (ss.status === 'ready' && table) return layoutStats(table, ss, title, size, color);
      return layoutComputing(`Statistics · ${title}`, 'Adding up the spans', size, color);
    }
    if (state.screen === 'trace' && state.open) {
      const { open } = state;
      const model = models.current.get(open.id);
      if (open.status === 'ready' && model && state.wf) return layoutWaterfall(model, state.wf, { width, height, color });
      if (open.status === 'error') {
        return layoutMessage(
          `Trace ${open.id}`,
          [{ text: `✗ Could not load the trace: ${open.error}`, color: color ? 'red' : undefined }],
          'r retry · b back to the list · q quit',
          size,
        );
      }
      return layoutMessage(`Trace ${open.id}`, [{ text: '◌ Loading the trace…', color: color ? 'yellow' : undefined }], 'b back to the list · q quit', size);
    }
    const rows = sorted;
    const index = rows ? Math.max(0, rows.findIndex((t) => t.traceID === state.selectedID)) : 0;
    return layoutTraceList(rows, { selected: index, sort: state.sort, width, height, scroll: state.listScroll, color, marked: state.marked });
  }, [state, size, sorted, color]);
  // A notice (what m or = did) takes the footer line until the next key.
  const lines = useMemo(
    () => (state.notice && drawn.length ? [...drawn.slice(0, -1), fit([{ text: ` ${state.notice}`, color: color ? ('yellow' as const) : undefined }], Math.max(30, size.width))] : drawn),
    [drawn, state.notice, color, size.width],
  );

  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Line key={i} line={l} />
      ))}
    </Box>
  );
}
