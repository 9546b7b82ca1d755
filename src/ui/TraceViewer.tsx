/**
 * The trace viewer: a Jaeger-like trace list, then the waterfall of the trace
 * the learner opens. It draws lines laid out by pure functions
 * (trace-list-layout.ts, waterfall-layout.ts) and turns keys into intents
 * (trace-viewer/viewer-keys.ts, over waterfall-state.ts); it fetches nothing itself: traces come in as props and
 * `loadTrace` is called for the one to open. Loading and failures are states
 * on screen, never thrown.
 */
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, useInput } from 'ink';
import { Line, useTerminalSize } from './terminal.js';
import type { ScreenLine } from './screen.js';
import type { JaegerTrace } from '../traces/jaeger-model.js';
import type { TraceModel, TraceSummary } from '../traces/model-types.js';
import { buildTraceModel } from '../traces/trace-model.js';
import { displayText, inertStrings } from '../text/display-text.js';
import { displayModel } from '../traces/display-model.js';
import { sortSummaries, type TraceSort } from '../traces/trace-list-layout.js';
import { compareTracesInSlices, type TraceComparison } from '../traces/trace-compare.js';
import { traceStatsInSlices, type TraceStats } from '../traces/trace-stats.js';
import type { WaterfallState } from '../traces/waterfall-state.js';
import { compareKey, groupingFor, initialViewerState, statsKey, type ViewerContext, type ViewerState } from './trace-viewer/viewer-state.js';
import { openStats, openTrace, splitKeys, startCompare, traceFailed, traceReady, viewerKey, type ViewerEffect, type ViewerStep } from './trace-viewer/viewer-keys.js';
import { drawViewer, withNotice } from './trace-viewer/draw.js';

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

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function TraceViewer({ traces: fetched, loadTrace, initialTraceId, onQuit, onOpened, color = true, focus, initialCompare, initialStats }: TraceViewerProps) {
  const size = useTerminalSize();
  // Outside text enters here: the names in the trace list, and (displayModel) those of each opened
  // trace, are display text before any layout or search sees them (src/text/display-text.ts).
  // (A trace's id stays as it came: it is how the trace is fetched; the screen's last guard still shows it inertly.)
  const traces = useMemo(() => fetched && fetched.map((t) => ({ ...inertStrings(t), traceID: t.traceID })), [fetched]);
  const [state, setState] = useState<ViewerState>(initialViewerState);
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
  // Comparisons and tables are computed once per trace (pair), after the key's frame is drawn
  // (a timer, off the key path), and memoised here and in trace-compare / trace-stats.
  const comparisons = useRef(new Map<string, TraceComparison>());
  const statsCache = useRef(new Map<string, TraceStats>());
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
  const live = useRef({ traces, size, onQuit, onOpened, loadTrace, focus });
  live.current = { traces, size, onQuit, onOpened, loadTrace, focus };

  /** What the reducer reads: the caches as they are now, the list in `s`'s sort. */
  const context = useCallback(
    (s: ViewerState): ViewerContext => ({
      rows: sortedFor(live.current.traces, s.sort) ?? [],
      size: live.current.size,
      models: models.current,
      comparisons: comparisons.current,
      stats: statsCache.current,
      saved: saved.current,
      focus: live.current.focus,
    }),
    [sortedFor],
  );

  /** A trace's model: cached, or fetched and built (the same cache the waterfall uses). */
  const modelFor = useCallback(async (id: string): Promise<TraceModel> => {
    const cached = models.current.get(id);
    if (cached) return cached;
    const model = displayModel(buildTraceModel(await live.current.loadTrace(id)));
    models.current.set(id, model);
    return model;
  }, []);

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

  const load = (id: string) => {
    const token = ++loadSeq.current;
    Promise.resolve()
      .then(() => live.current.loadTrace(id))
      .then((trace) => {
        const model = displayModel(buildTraceModel(trace));
        models.current.set(id, model);
        if (!mounted.current || token !== loadSeq.current) return;
        update((s) => traceReady(s, id, model, context(s)));
        live.current.onOpened?.(id);
      })
      .catch((e: unknown) => {
        if (!mounted.current || token !== loadSeq.current) return;
        update((s) => traceFailed(s, id, displayText(message(e))));
      });
  };

  const compare = (a: string, b: string) => {
    const same = (s: ViewerState) => s.compare?.a === a && s.compare.b === b;
    Promise.all([modelFor(a), modelFor(b)])
      .then(([ma, mb]) => {
        inSlices(compareTracesInSlices(ma, mb).step, (c) => {
          comparisons.current.set(compareKey(a, b), c);
          update((s) => (same(s) && s.compare ? { ...s, compare: { ...s.compare, status: 'ready' } } : s));
        });
      })
      .catch((e: unknown) => {
        if (!mounted.current) return;
        update((s) => (same(s) && s.compare ? { ...s, compare: { ...s.compare, status: 'error', error: displayText(message(e)) } } : s));
      });
  };

  const computeStats = (id: string, grouping: number) => {
    const g = groupingFor(models.current, id, grouping);
    if (statsCache.current.has(statsKey(id, g))) return;
    const model = models.current.get(id);
    if (!model) return;
    inSlices(traceStatsInSlices(model, g).step, (table) => {
      statsCache.current.set(statsKey(id, g), table);
      update((s) => (s.stats?.id === id && s.stats.grouping === grouping ? { ...s, stats: { ...s.stats, status: 'ready' } } : s));
    });
  };

  const run = (effect: ViewerEffect) => {
    switch (effect.kind) {
      case 'quit': return live.current.onQuit();
      case 'load': return load(effect.id);
      case 'cancelLoad': loadSeq.current++; return;
      case 'opened': return live.current.onOpened?.(effect.id);
      case 'save': saved.current.set(effect.id, effect.wf); return;
      case 'compare': return compare(effect.a, effect.b);
      case 'stats': return computeStats(effect.id, effect.grouping);
    }
  };
  /** The reducer's next state, then its effects. */
  const apply = (step: ViewerStep) => {
    update(() => step.state);
    for (const e of step.effects) run(e);
  };
  const applyRef = useRef(apply);
  applyRef.current = apply;

  useEffect(() => {
    const start = (f: (s: ViewerState, ctx: ViewerContext) => ViewerStep) => applyRef.current(f(stateRef.current, context(stateRef.current)));
    if (initialCompare) start((s, ctx) => startCompare(s, initialCompare[0], initialCompare[1], 'list', ctx));
    else if (initialTraceId) start((s, ctx) => openTrace(s, initialTraceId, ctx));
    // --stats: the table once the trace is open.
    if (initialStats && initialTraceId && !initialCompare) {
      modelFor(initialTraceId).then(
        () => mounted.current && stateRef.current.open?.id === initialTraceId && start((s, ctx) => openStats(s, initialTraceId, ctx)),
        () => undefined,
      );
    }
  }, [initialTraceId, initialCompare, initialStats, modelFor, context]);

  useInput((input, key) => {
    for (const [ch, k] of splitKeys(input, key)) apply(viewerKey(stateRef.current, ch, k, context(stateRef.current)));
  });

  const drawn = useMemo(
    (): ScreenLine[] =>
      drawViewer(state, { rows: sorted, size, color, models: models.current, comparisons: comparisons.current, stats: statsCache.current, saved: saved.current }),
    [state, size, sorted, color],
  );
  const lines = useMemo(() => withNotice(drawn, state.notice, color, size.width), [drawn, state.notice, color, size.width]);

  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Line key={i} line={l} />
      ))}
    </Box>
  );
}
