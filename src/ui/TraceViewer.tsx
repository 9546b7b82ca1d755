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
import type { ScreenLine } from './screen.js';
import type { JaegerTrace } from '../sandbox/workloads/jaeger-model.js';
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
}

type LoadState = { id: string; status: 'loading' } | { id: string; status: 'ready' } | { id: string; status: 'error'; error: string };

interface ViewerState {
  screen: 'list' | 'trace';
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

export function TraceViewer({ traces: fetched, loadTrace, initialTraceId, onQuit, onOpened, color = true, focus }: TraceViewerProps) {
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

  useEffect(() => {
    if (initialTraceId) openTrace(initialTraceId);
  }, [initialTraceId, openTrace]);

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
    if (input === 'o') {
      const t = mostRecent(rows);
      if (t) {
        update((st) => ({ ...st, selectedID: t.traceID }));
        openTrace(t.traceID);
      }
    }
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
    if (s.help) {
      if (input === '?' || key.escape || input === 'b') update((st) => ({ ...st, help: false }));
      return;
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

  const lines = useMemo((): ScreenLine[] => {
    const { width, height } = size;
    if (state.help) {
      return state.screen === 'list'
        ? layoutHelp('Trace list — keys', TRACE_LIST_KEYS, size, color)
        : layoutHelp('Trace waterfall — keys', WATERFALL_KEYS, size, color);
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
    return layoutTraceList(rows, { selected: index, sort: state.sort, width, height, scroll: state.listScroll, color });
  }, [state, size, sorted, color]);

  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Line key={i} line={l} />
      ))}
    </Box>
  );
}
