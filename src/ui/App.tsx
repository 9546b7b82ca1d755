/**
 * The lesson screen. It draws the session's view and turns keys into the
 * session's intents; it never talks to the cluster or spawns anything itself.
 */
import React, { useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import { Line, useTerminalSize } from './terminal.js';
import type { Session } from '../engine/session.js';
import { initialUi, uiReducer } from './ui-state.js';
import { cutToWidth, renderScreen, selectables, textLength } from './screen.js';
import { TraceViewer } from './TraceViewer.js';
import { EarlierPrompt, type EarlierProcesses } from './EarlierPrompt.js';
import { trustScreen, trustScrollMax } from './trust-screen.js';
import { displayView } from './display-view.js';
import { displayText } from '../text/display-text.js';
import { isDestructive } from '../engine/destructive.js';
import type { Player, PlayState } from '../engine/player.js';

function playBanner(p: PlayState): { text: string; color: 'cyan' | 'green' | 'red' | 'yellow' } {
  const cmd = p.command?.replace(/\s*\\\n\s*/g, ' ') ?? '';
  switch (p.phase) {
    case 'typing':
      return { text: ` ▶ auto-play $ ${cmd.slice(0, p.typed)}▏`, color: 'cyan' };
    case 'running':
      return { text: ` ▶ auto-play $ ${cmd}  (running)`, color: 'cyan' };
    case 'waiting':
      return { text: ` ▶ auto-play: ${p.message}`, color: 'yellow' };
    case 'paused':
      return { text: ` ⏸ auto-play: ${p.message ?? 'paused'}`, color: 'green' };
    case 'done':
      return { text: ` ✓ ${p.message}`, color: 'green' };
    default:
      return { text: ` ✗ ${p.message ?? 'auto-play stopped'}`, color: 'red' };
  }
}
import type { TraceSummary } from '../traces/model-types.js';
import { clientSpanOf } from '../traces/focus.js';

export interface AppProps {
  session: Session;
  /** Copies text for the learner's own terminal (OSC 52 by default). */
  copy?: (text: string) => void;
  /** Ask before the first action on a real cluster. @default false */
  confirmTarget?: boolean;
  /** Called once the learner quits (after the app has unmounted its input). */
  onQuit?: () => void;
  /** Colours on (off for NO_COLOR: state is still marked in text). @default true */
  color?: boolean;
  /** Instructor auto-play driving the session (`kubetutor play`). */
  player?: Player;
  /** Processes an earlier run left running: offered to be stopped before the lesson starts. */
  earlier?: EarlierProcesses;
}

const NO_PLAYER = { subscribe: () => () => undefined, state: undefined };


export function osc52Copy(text: string): void {
  process.stdout.write(`\u001B]52;c;${Buffer.from(text).toString('base64')}\u0007`);
}

export function App({ session, copy = osc52Copy, confirmTarget = false, onQuit, color = true, player, earlier }: AppProps) {
  const playSource = player ?? NO_PLAYER;
  const play = useSyncExternalStore(
    (fn) => playSource.subscribe(fn),
    () => playSource.state,
  );
  const sessionView = useSyncExternalStore(
    (fn) => session.subscribe(fn),
    () => session.view,
  );
  // Outside text becomes display text here, before anything lays it out.
  const view = useMemo(() => displayView(sessionView), [sessionView]);
  const [ui, dispatchUi] = useReducer(uiReducer, initialUi);
  // Keys can arrive faster than renders (a paste, tmux send-keys): the handler reads the latest
  // state from this ref, not from the render it was created in.
  const uiRef = useRef(initialUi);
  const dispatch = useCallback((a: Parameters<typeof uiReducer>[1]) => {
    uiRef.current = uiReducer(uiRef.current, a);
    dispatchUi(a);
  }, []);
  const [confirmed, setConfirmed] = useState(!confirmTarget);
  // Asked first, before anything of the lesson runs (EarlierPrompt): null once answered.
  const [earlierAsk, setEarlierAsk] = useState(earlier?.lines.length ? earlier : null);
  const { exit } = useApp();
  // The trace viewer, opened with t over the lesson: null when closed, traces null while loading.
  const [viewer, setViewer] = useState<{ traces: TraceSummary[] | null; open?: string } | null>(null);
  const openViewer = () => {
    setViewer({ traces: null });
    session.traceSummaries().then(
      // Straight into the most recent trace: the one the learner's last request made.
      (traces) => setViewer((v) => (v ? { traces, open: [...traces].sort((a, b) => b.start - a.start)[0]?.traceID } : v)),
      (e: Error) => {
        setViewer(null);
        session.note(`cannot open the trace viewer: ${e.message}`);
      },
    );
  };
  const size = useTerminalSize();

  useEffect(() => {
    if (!confirmed || earlierAsk) return;
    session.start();
    if (player && session.view.untrusted) setTrustAsk({ then: () => void player.play(), scroll: 0 });
    else if (player) void player.play();
  }, [confirmed, earlierAsk, session, player]);
  useEffect(() => dispatch({ type: 'viewing', step: view.engine.viewing }), [view.engine.viewing, dispatch]);

  const quit = () => {
    onQuit?.();
    exit();
  };

  // On a real cluster, a command that deletes things runs only after a y that names the context.
  const [dangerAsk, setDangerAsk] = useState<{ command: string; then: () => void } | null>(null);
  useInput(
    (input) => {
      if (!dangerAsk) return;
      setDangerAsk(null);
      if (input === 'y' || input === 'Y') dangerAsk.then();
    },
    { isActive: confirmed && !!dangerAsk && !viewer },
  );

  // A lesson that is not kubetutor's own runs nothing until the learner has read it and trusts it.
  const [trustAsk, setTrustAsk] = useState<{ then: () => void; scroll: number } | null>(null);
  useInput(
    (input, key) => {
      if (!trustAsk || !view.untrusted) return;
      const max = trustScrollMax(view.untrusted, size);
      const scrollBy = (by: number) => setTrustAsk({ ...trustAsk, scroll: Math.max(0, Math.min(max, trustAsk.scroll + by)) });
      if (input === 'y' || input === 'Y') {
        session.trust();
        setTrustAsk(null);
        trustAsk.then();
      } else if (input === 'n' || input === 'N' || key.escape) {
        setTrustAsk(null);
        player?.stop();
      } else if (input === 'q' || (key.ctrl && input === 'c')) {
        player?.stop();
        quit();
      } else if (key.downArrow || input === 'j') scrollBy(1);
      else if (key.upArrow || input === 'k') scrollBy(-1);
      else if (key.pageDown || input === 'd' || input === ' ') scrollBy(Math.max(1, size.height - 10));
      else if (key.pageUp || input === 'u') scrollBy(-Math.max(1, size.height - 10));
    },
    { isActive: confirmed && !!trustAsk && !viewer },
  );

  useInput(
    (input, key) => {
      if (input === 'y' || input === 'Y') setConfirmed(true);
      else if (input === 'n' || input === 'N' || key.escape || input === 'q') quit();
    },
    { isActive: !confirmed && !earlierAsk },
  );

  const onKey = (input: string, key: Partial<Parameters<Parameters<typeof useInput>[0]>[1]>) => {
      const view = session.view;
      const items = selectables(view);
      const item = items[Math.min(uiRef.current.selected, items.length - 1)];
      const step = view.engine.viewing;
      if (input === 'q' || (key.ctrl && input === 'c')) {
        player?.stop();
        return quit();
      }
      if (player && input === ' ' && play?.phase === 'paused') return player.resume();
      if (input === '?') return dispatch({ type: 'toggle-help' });
      if (key.escape) return dispatch({ type: 'close-overlays' });
      if (key.downArrow || input === 'j') return dispatch({ type: 'select-next', count: items.length });
      if (key.upArrow || input === 'k') return dispatch({ type: 'select-previous' });
      if (key.rightArrow || input === 'n') return session.viewNext();
      if (key.leftArrow || input === 'p') return session.viewPrevious();
      if (input === 'r') return session.recheck();
      if (input === 't') return openViewer();
      if (input === 'm') return void session.moveForward();
      if (input === 'h') return dispatch({ type: 'toggle-hint' });
      if (input === 's') return dispatch({ type: 'toggle-solution' });
      if (key.pageDown || input === 'd' || input === ' ') return dispatch({ type: 'scroll', by: Math.max(1, size.height - 10), max: textLength(view, size.width) });
      if (key.pageUp || input === 'u') return dispatch({ type: 'scroll', by: -Math.max(1, size.height - 10), max: textLength(view, size.width) });
      if (input === 'x') {
        for (const p of view.processes) if (p.background && p.state === 'running') void session.stopProcess(p.name);
        return;
      }
      if (!item) return;
      if (input === 'c' && item.kind === 'command') return copy(view.lesson.steps[step].commands[item.index].run);
      if (key.return) {
        if (item.kind === 'command' && view.untrusted) return setTrustAsk({ then: () => void session.runCommand(step, item.index), scroll: 0 });
        if (item.kind === 'command') {
          const run = () => void session.runCommand(step, item.index);
          const cmd = view.lesson.steps[step].commands[item.index];
          if (view.targetKind === 'cluster' && cmd && isDestructive(cmd.run)) return setDangerAsk({ command: cmd.run, then: run });
          run();
        }
        else session.answer(`${view.lesson.steps[step].id}#${item.checkIndex}`, item.index);
      }
  };

  useInput(
    (input, key) => {
      // A burst of plain keys (a paste, tmux send-keys) arrives as one string: take it key by key.
      const chars = [...input];
      if (chars.length > 1 && !key.ctrl && !key.meta) {
        for (const ch of chars) onKey(ch === '\r' || ch === '\n' ? '' : ch, ch === '\r' || ch === '\n' ? { return: true } : {});
        return;
      }
      onKey(input, key);
    },
    { isActive: confirmed && !viewer && !trustAsk && !dangerAsk && !earlierAsk },
  );

  // Auto-play takes one line above the lesson: what is being typed, run or awaited.
  const banner = play ? playBanner(play) : undefined;
  // The command being typed or run is shown whole (cut at the width, over a few lines), as it will run.
  const bannerLines = useMemo(() => (banner ? cutToWidth(banner.text, size.width).slice(0, Math.max(1, Math.floor(size.height / 3))) : []), [banner?.text, size]);
  const lines = useMemo(() => renderScreen(view, ui, bannerLines.length ? { ...size, height: size.height - bannerLines.length } : size), [view, ui, size, bannerLines.length]);

  if (viewer) {
    return (
      <TraceViewer
        traces={viewer.traces}
        initialTraceId={viewer.open}
        // Point at the call the lesson explains (its client span, details open).
        focus={(model) => {
          const f = session.traceFocus();
          return f && clientSpanOf(model, f.from, f.to);
        }}
        loadTrace={(id) => session.loadTrace(id)}
        onQuit={() => setViewer(null)}
        onOpened={(id) => session.traceOpened(id)}
        color={color}
      />
    );
  }
  if (earlierAsk) {
    return (
      <EarlierPrompt
        earlier={earlierAsk}
        onQuit={quit}
        onDone={(notice) => {
          session.note(notice);
          setEarlierAsk(null);
        }}
      />
    );
  }
  if (confirmed && dangerAsk) {
    return (
      <Box flexDirection="column" paddingX={1}>
        <Text bold color="yellow">This command deletes things from the cluster:</Text>
        {dangerAsk.command.split('\n').map((l, i) => (
          <Text key={i} color="cyan">{`${i ? '  ' : '$ '}${displayText(l)}`}</Text>
        ))}
        <Text> </Text>
        <Text>It runs on:</Text>
        <Text color="magenta" bold>{`  ${view.targetLabel}`}</Text>
        <Text>Run it there? (y/N)</Text>
      </Box>
    );
  }
  if (confirmed && trustAsk && view.untrusted) {
    return (
      <Box flexDirection="column">
        {trustScreen(view.untrusted, size, trustAsk.scroll).map((l, i) => (
          <Line key={i} line={l} />
        ))}
      </Box>
    );
  }
  if (!confirmed) {
    return (
      <Box flexDirection="column" paddingX={1}>
        <Text bold>kubetutor · {view.lesson.title}</Text>
        <Text> </Text>
        <Text>This lesson runs commands against a real cluster:</Text>
        <Text color="magenta" bold>
          {'  '}
          {view.targetLabel}
        </Text>
        <Text>Continue with this context? (y/N)</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {banner && bannerLines.map((t, i) => <Line key={`b${i}`} line={[{ text: t, color: banner.color, bold: true }]} />)}
      {lines.map((l, i) => (
        <Line key={i} line={l} />
      ))}
    </Box>
  );
}
