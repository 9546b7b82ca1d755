/**
 * The lesson screen. It draws the session's view and turns keys into the
 * session's intents; it never talks to the cluster or spawns anything itself.
 */
import React, { useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import { Line, useTerminalSize } from './terminal.js';
import type { Session } from '../engine/session.js';
import { hasOverlay, initialUi, moveFocus, pageSize, revealScroll, scrollTo, stopVisible, uiReducer, type UiState } from './ui-state.js';
import { cutToWidth, layoutScreen, noticeShown, selectableAt, type ScreenNav } from './screen.js';
import { decodeKeys, type KeyPress } from './keys.js';
import { ScreenReaderView } from './ScreenReaderView.js';
import { stopsOf } from './step-document.js';
import { TraceViewer } from './TraceViewer.js';
import { EarlierPrompt, type EarlierProcesses } from './EarlierPrompt.js';
import { trustScreen, trustScrollMax } from './trust-screen.js';
import { displayView } from './display-view.js';
import { displayText } from '../text/display-text.js';
import { isDestructive } from '../engine/destructive.js';
import type { Player, PlayState } from '../engine/player.js';
import { t } from '../i18n/index.js';

function playBanner(p: PlayState): { text: string; color: 'cyan' | 'green' | 'red' | 'yellow' } {
  const cmd = p.command?.replace(/\s*\\\n\s*/g, ' ') ?? '';
  switch (p.phase) {
    case 'typing':
      return { text: ` ▶ ${t('screen.play.label')} $ ${cmd.slice(0, p.typed)}▏`, color: 'cyan' };
    case 'running':
      return { text: ` ▶ ${t('screen.play.label')} $ ${cmd}  ${t('screen.play.running')}`, color: 'cyan' };
    case 'waiting':
      return { text: ` ▶ ${t('screen.play.label')}: ${p.message}`, color: 'yellow' };
    case 'paused':
      return { text: ` ⏸ ${t('screen.play.label')}: ${p.message ?? t('screen.play.paused')}`, color: 'green' };
    case 'done':
      return { text: ` ✓ ${p.message}`, color: 'green' };
    default:
      return { text: ` ✗ ${p.message ?? t('screen.play.stopped')}`, color: 'red' };
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
  /** Where the learner already is (keys answered before Ink was up: the help open, a scroll …). */
  initialUiState?: UiState;
  /** Keys typed before Ink was up that only the live screen can act on (Enter, n, r, q …), in order. */
  pendingKeys?: string;
  /** A linear, label-first rendering for screen readers (no frames, no redraws of unchanged text). */
  screenReader?: boolean;
}

/** How long a notice stays when no key is pressed. */
export const NOTICE_MS = 6000;

const NO_PLAYER = { subscribe: () => () => undefined, state: undefined };


export function osc52Copy(text: string): void {
  process.stdout.write(`\u001B]52;c;${Buffer.from(text).toString('base64')}\u0007`);
}

export function App({ session, copy = osc52Copy, confirmTarget = false, onQuit, color = true, player, earlier, initialUiState, pendingKeys, screenReader = false }: AppProps) {
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
  const [ui, dispatchUi] = useReducer(uiReducer, initialUiState ?? initialUi);
  // Keys can arrive faster than renders (a paste, tmux send-keys): the handler reads the latest
  // state from this ref, not from the render it was created in.
  const uiRef = useRef(initialUiState ?? initialUi);
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
        session.note(t('screen.viewerFailed', { message: e.message }));
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

  // Where the blocks sit on the screen the learner sees (the keys move and scroll over it).
  const navRef = useRef<ScreenNav | undefined>(undefined);
  const currentNav = (): ScreenNav => {
    const { nav } = layoutScreen(displayView(session.view), uiRef.current, screenSize());
    return nav;
  };

  const onKey = (k: KeyPress) => {
      const view = session.view;
      const u = uiRef.current;
      const step = view.engine.viewing;
      // Any key dismisses the notice on screen (a key that gives a new one shows that one).
      const hid = !!view.notice && view.noticeSeq > u.noticeHidden && noticeShown(displayView(view), u);
      if (view.notice && view.noticeSeq > u.noticeHidden) dispatch({ type: 'hide-notice', seq: view.noticeSeq });
      const { input } = k;
      if (input === 'q' || (k.ctrl && input === 'c')) {
        player?.stop();
        return quit();
      }
      if (player && input === ' ' && play?.phase === 'paused') return player.resume();
      if (input === '?') return dispatch({ type: 'toggle-help' });
      if (k.name === 'escape') return dispatch({ type: 'close-overlays' });
      if (input === 'l') return dispatch({ type: 'toggle-steps' });
      if (input === 'h') return dispatch({ type: 'toggle-hint' });
      if (input === 's') return dispatch({ type: 'toggle-solution' });
      if (k.name === 'right' || input === 'n') return session.viewNext();
      if (k.name === 'left' || input === 'p') return session.viewPrevious();
      if (input === 'r') {
        dispatch({ type: 'open-checks' });
        return session.recheck();
      }
      if (input === 't') return openViewer();
      if (input === 'm') return void session.moveForward();
      if (input === 'o') return dispatch({ type: 'toggle-output' });
      if (input === 'x') {
        for (const p of view.processes) if (p.background && p.state === 'running') void session.stopProcess(p.name);
        return;
      }
      // A screen reader has no screen to scroll: the arrows go from block to block, one each press.
      if (screenReader && !hasOverlay(u)) {
        const down = k.name === 'down' || input === 'j' || (k.name === 'tab' && !k.shift);
        const up = k.name === 'up' || input === 'k' || (k.name === 'tab' && k.shift);
        const stops = stopsOf(view.lesson.steps[step]).length;
        if (down || up) {
          if (stops) dispatch({ type: 'focus', focus: Math.max(0, Math.min(stops - 1, u.focus + (down ? 1 : -1))), scroll: u.scroll });
          return;
        }
      }
      // The notice this key took away gave its row back to the text: the moves below use that layout.
      const nav = hid || !navRef.current ? currentNav() : navRef.current;
      const live = { ...nav, focus: u.focus, scroll: hasOverlay(u) ? u.overlayScroll : Math.min(u.scroll, Math.max(0, nav.total - nav.height)) };
      const scroll = (to: number) => {
        if (hasOverlay(u)) return dispatch({ type: 'scroll-to', scroll: Math.max(0, Math.min(to, Math.max(0, live.total - live.height))) });
        const r = scrollTo(live, to);
        dispatch({ type: 'scroll-to', scroll: r.scroll, focus: r.focus });
      };
      if (k.name === 'wheel-down') return scroll(live.scroll + 3);
      if (k.name === 'wheel-up') return scroll(live.scroll - 3);
      if (k.name === 'pagedown' || input === 'd' || input === ' ') return scroll(live.scroll + pageSize(live));
      if (k.name === 'pageup' || input === 'u') return scroll(live.scroll - pageSize(live));
      if (k.name === 'home' || input === 'g') return scroll(0);
      if (k.name === 'end' || input === 'G') return scroll(live.total);
      if (hasOverlay(u)) {
        if (k.name === 'down' || input === 'j') return scroll(live.scroll + 1);
        if (k.name === 'up' || input === 'k') return scroll(live.scroll - 1);
        return;
      }
      if (k.name === 'down' || input === 'j' || (k.name === 'tab' && !k.shift)) {
        const m = moveFocus(live, 1);
        if (m) dispatch({ type: 'focus', ...m });
        return;
      }
      if (k.name === 'up' || input === 'k' || (k.name === 'tab' && k.shift)) {
        const m = moveFocus(live, -1);
        if (m) dispatch({ type: 'focus', ...m });
        return;
      }
      const item = selectableAt(view, u.focus);
      if (!item) return;
      if (input === 'c' && item.kind === 'command') return copy(view.lesson.steps[step].commands[item.index].run);
      if (k.name === 'return') {
        // What Enter runs is on screen first: a focused block scrolled away is brought back, not run.
        if (!screenReader && live.stops.length && !stopVisible(live, u.focus)) return dispatch({ type: 'focus', focus: u.focus, scroll: revealScroll(live, u.focus) });
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

  const mainActive = confirmed && !viewer && !trustAsk && !dangerAsk && !earlierAsk;
  useInput(
    (input, key) => {
      for (const k of decodeKeys(input, key)) onKey(k);
    },
    { isActive: mainActive },
  );
  // Keys typed before Ink was up, that only the live screen can act on: acted on once it is.
  const replayed = useRef(false);
  useEffect(() => {
    if (!mainActive || replayed.current || !pendingKeys) return;
    replayed.current = true;
    for (const k of decodeKeys(pendingKeys)) onKey(k);
  });

  // Auto-play takes one line above the lesson: what is being typed, run or awaited.
  const banner = play ? playBanner(play) : undefined;
  // The command being typed or run is shown whole (cut at the width, over a few lines), as it will run.
  const bannerLines = useMemo(() => (banner ? cutToWidth(banner.text, size.width).slice(0, Math.max(1, Math.floor(size.height / 3))) : []), [banner?.text, size]);
  const screenSize = () => (bannerLines.length ? { ...size, height: size.height - bannerLines.length } : size);
  const layout = useMemo(() => layoutScreen(view, ui, screenSize()), [view, ui, size, bannerLines.length]);
  // The focused block grew (its output came in) past the bottom of the screen: the text scrolls
  // so that it stays whole, as it was (a block the learner scrolled away from is left alone).
  const prevNav = navRef.current;
  navRef.current = layout.nav;
  useEffect(() => {
    const nav = layout.nav;
    if (!prevNav || hasOverlay(uiRef.current) || prevNav.focus !== nav.focus || !stopVisible(prevNav, prevNav.focus)) return;
    const before = prevNav.stops[prevNav.focus];
    const now = nav.stops[nav.focus];
    if (!before || !now || now.top !== before.top || now.bottom <= before.bottom || stopVisible(nav, nav.focus)) return;
    dispatch({ type: 'focus', focus: nav.focus, scroll: revealScroll(nav, nav.focus) });
  }, [layout]);
  const lines = layout.lines;
  // A notice goes after a few seconds even without a key.
  const noticeUp = noticeShown(view, ui);
  useEffect(() => {
    if (!noticeUp) return;
    const seq = view.noticeSeq;
    const timer = setTimeout(() => dispatch({ type: 'hide-notice', seq }), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [noticeUp, view.noticeSeq, dispatch]);

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
        <Text bold color="yellow">{t('screen.danger.title')}</Text>
        {dangerAsk.command.split('\n').map((l, i) => (
          <Text key={i} color="cyan">{`${i ? '  ' : '$ '}${displayText(l)}`}</Text>
        ))}
        <Text> </Text>
        <Text>{t('screen.danger.runsOn')}</Text>
        <Text color="magenta" bold>{`  ${view.targetLabel}`}</Text>
        <Text>{t('screen.danger.ask')}</Text>
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
        <Text>{t('screen.confirm.title')}</Text>
        <Text color="magenta" bold>
          {'  '}
          {view.targetLabel}
        </Text>
        <Text>{t('screen.confirm.ask')}</Text>
      </Box>
    );
  }
  if (screenReader) return <ScreenReaderView view={view} ui={ui} play={play} width={size.width} />;
  return (
    <Box flexDirection="column">
      {banner && bannerLines.map((row, i) => <Line key={`b${i}`} line={[{ text: row, color: banner.color, bold: true }]} />)}
      {lines.map((l, i) => (
        <Line key={i} line={l} />
      ))}
    </Box>
  );
}
