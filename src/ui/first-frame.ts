/**
 * The lesson's first frame, drawn straight to the terminal before Ink, React
 * and the cluster code have loaded (they take most of a second to load; this
 * takes a few milliseconds). It is the same layout the live screen draws
 * (screen.ts) for a session that has just begun, so when Ink takes over, it
 * erases these lines and draws the same picture in their place.
 *
 * It answers keys at once: those that only change what is shown (? help, the
 * step list, scrolling, moving between blocks) are applied to the same UI
 * state and the frame is drawn again; the others (Enter, n, r, q …) wait, in
 * order, for the live screen, which starts from that UI state and acts on them.
 */
import type { Lesson } from '../lesson/types.js';
import type { SessionView } from '../engine/session.js';
import { initialState } from '../engine/engine-state.js';
import { layoutScreen, type Cell, type ScreenLine } from './screen.js';
import { hasOverlay, initialUi, moveFocus, pageSize, scrollTo, uiReducer, type UiAction, type UiState } from './ui-state.js';
import { cellWidth, truncateCells } from '../text/cells.js';
import { parseRawKeys, type KeyPress } from './keys.js';
import { untrustedNotice } from '../lesson/trust.js';
import { displayText } from '../text/display-text.js';
import { displayView } from './display-view.js';

/** What a Session's view is before anything has happened: every step still to be checked. */
export function startingView(lesson: Lesson, target: { label: string; kind: 'sandbox' | 'cluster' }, vars: Record<string, string> = {}, untrusted: SessionView['untrusted'] = null): SessionView {
  return {
    lesson,
    targetLabel: target.label,
    targetKind: target.kind,
    engine: initialState(lesson.steps.map((s) => s.id)),
    processes: [],
    forwards: [],
    running: null,
    output: null,
    vars,
    found: {},
    notice: untrusted ? untrustedNotice() : null,
    noticeSeq: untrusted ? 1 : 0,
    noticeStep: 0,
    finished: false,
    untrusted,
  };
}

// The SGR codes chalk uses for the same styles, so both frames look alike.
const FG: Record<NonNullable<Cell['color']>, number> = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 };

export function ansiLine(line: ScreenLine, width: number, color: boolean): string {
  let out = '';
  let left = width;
  for (const c of line) {
    if (left <= 0) break;
    const text = truncateCells(displayText(c.text, { tabs: 'space' }), left);
    left -= cellWidth(text);
    const codes = color ? [c.bold && 1, c.dim && 2, c.underline && 4, c.inverse && 7, c.color && FG[c.color]].filter(Boolean) : c.inverse ? [7] : [];
    out += codes.length ? `\x1b[${codes.join(';')}m${text}\x1b[0m` : text;
  }
  return out;
}

export interface DrawnFrame {
  /** Erases the frame (the cursor ends where the frame began); idempotent. */
  erase(): void;
  /** Stops answering keys: the UI state the keys made, and the keys left for the live screen. */
  handOver(): { ui: UiState; pending: string };
}

/**
 * Writes the frame where the cursor is, as Ink would (its height is the terminal's less one
 * line), and answers the keys read from `input` until `handOver`.
 */
export function drawFirstFrame(out: NodeJS.WriteStream, view: SessionView, color: boolean, input?: NodeJS.ReadStream): DrawnFrame {
  const size = { width: out.columns || 80, height: Math.max(1, (out.rows || 24) - 1) };
  let ui = initialUi;
  let drawnLines = 0;
  view = displayView(view); // outside text as display text, as the live screen shows it
  // The screen as drawn: the keys move over it (one layout per change, not one per key and draw).
  let layout = layoutScreen(view, ui, size);
  let laidFor = ui;
  const laidOut = () => {
    if (laidFor !== ui) {
      layout = layoutScreen(view, ui, size);
      laidFor = ui;
    }
    return layout;
  };
  const draw = (prefix = '') => {
    const lines = laidOut().lines.map((l) => ansiLine(l, size.width, color));
    const text = `${lines.join('\n')}\n`;
    drawnLines = text.split('\n').length;
    out.write(`${prefix}\x1b[?25l${text}`); // cursor hidden, as Ink hides it
  };
  // Ink's eraseLines: clear each line the frame wrote, moving up, then go to column 1.
  const eraseText = () => `\x1b[2K${'\x1b[1A\x1b[2K'.repeat(drawnLines - 1)}\x1b[G`;
  // Keys typed before raw mode was set were echoed where the frame begins: wipe them off that line.
  draw('\r\x1b[2K');
  let erased = false;
  let pending = '';
  const apply = (a: UiAction) => {
    ui = uiReducer(ui, a);
  };
  const onData = (chunk: Buffer | string) => {
    const raw = chunk.toString();
    if (pending) {
      pending += raw;
      return;
    }
    const before = ui;
    const keys = parseRawKeys(raw);
    let consumed = 0;
    for (const k of keys) {
      if (!answer(k)) break;
      consumed++;
    }
    if (consumed < keys.length) pending = keysText(keys.slice(consumed));
    if (ui !== before && !erased) draw(eraseText());
  };
  /** Applies a key that only changes what is shown; false for one the live screen must act on. */
  const answer = (k: KeyPress): boolean => {
    if (k.ctrl && k.input === 'c') {
      // Ctrl-C before the live screen: stop now, as the signal would (raw mode swallowed it).
      process.kill(process.pid, 'SIGINT');
      return true;
    }
    const nav = laidOut().nav;
    const overlay = hasOverlay(ui);
    const scroll = (to: number) => {
      if (overlay) return apply({ type: 'scroll-to', scroll: Math.max(0, Math.min(to, Math.max(0, nav.total - nav.height))) });
      const r = scrollTo(nav, to);
      apply({ type: 'scroll-to', scroll: r.scroll, focus: r.focus });
    };
    if (k.input === '?') apply({ type: 'toggle-help' });
    else if (k.name === 'escape') apply({ type: 'close-overlays' });
    else if (k.input === 'l') apply({ type: 'toggle-steps' });
    else if (k.input === 'h') apply({ type: 'toggle-hint' });
    else if (k.input === 's') apply({ type: 'toggle-solution' });
    else if (k.name === 'pagedown' || k.input === ' ' || k.input === 'd') scroll(nav.scroll + pageSize(nav));
    else if (k.name === 'pageup' || k.input === 'u') scroll(nav.scroll - pageSize(nav));
    else if (k.name === 'home' || k.input === 'g') scroll(0);
    else if (k.name === 'end' || k.input === 'G') scroll(nav.total);
    else if (k.name === 'wheel-down') scroll(nav.scroll + 3);
    else if (k.name === 'wheel-up') scroll(nav.scroll - 3);
    else if (overlay && (k.name === 'down' || k.input === 'j')) scroll(nav.scroll + 1);
    else if (overlay && (k.name === 'up' || k.input === 'k')) scroll(nav.scroll - 1);
    else if (!overlay && (k.name === 'down' || k.input === 'j' || (k.name === 'tab' && !k.shift))) {
      const m = moveFocus(nav, 1);
      if (m) apply({ type: 'focus', ...m });
    } else if (!overlay && (k.name === 'up' || k.input === 'k' || (k.name === 'tab' && k.shift))) {
      const m = moveFocus(nav, -1);
      if (m) apply({ type: 'focus', ...m });
    } else return false;
    return true;
  };
  // Read as Ink reads ('readable', not 'data'): bytes typed after the hand-over stay buffered for Ink.
  const onReadable = () => {
    let chunk: Buffer | string | null;
    while ((chunk = input!.read() as Buffer | string | null) !== null) onData(chunk);
  };
  let listening = false;
  if (input?.isTTY) {
    input.on('readable', onReadable);
    listening = true;
  }
  const stopListening = () => {
    if (!listening || !input) return;
    listening = false;
    input.off('readable', onReadable);
  };
  return {
    erase() {
      if (erased) return;
      erased = true;
      stopListening();
      out.write(`${eraseText()}\x1b[?25h`);
    },
    handOver() {
      stopListening();
      return { ui, pending };
    },
  };
}

/** Key presses back as the bytes a terminal sends (for the live screen to read as if typed now). */
function keysText(keys: KeyPress[]): string {
  const NAMED: Record<string, string> = { up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D', pageup: '\x1b[5~', pagedown: '\x1b[6~', home: '\x1b[H', end: '\x1b[F', return: '\r', escape: '\x1b', backspace: '\x7f', 'wheel-up': '\x1b[<64;1;1M', 'wheel-down': '\x1b[<65;1;1M' };
  return keys.map((k) => (k.name === 'tab' ? (k.shift ? '\x1b[Z' : '\t') : k.name ? NAMED[k.name] : k.ctrl ? String.fromCharCode(k.input.charCodeAt(0) - 96) : k.input)).join('');
}
