/**
 * What only the terminal UI tracks: the focused block, the scroll, which panels are open, which
 * notice was dismissed. A pure reducer; moves that need the laid-out document (where each block
 * sits) take it as `ScreenNav` (from screen.ts) and stay pure too.
 */
import type { PlacedStop } from './step-document.js';

/** What the keys need to know of the laid-out screen: where the stops are and how much shows. */
export interface ScreenNav {
  stops: PlacedStop[];
  /** Rows of the document window, and the document's length. */
  height: number;
  total: number;
  /** The scroll actually used (the UI's, clamped). */
  scroll: number;
  focus: number;
}


export interface UiState {
  /** The focused stop (a command, or a quiz option) of the viewed step, in document order. */
  focus: number;
  /** First line of the step's document shown. */
  scroll: number;
  /** First line shown of an overlay (help, hints, solution, steps). */
  overlayScroll: number;
  showHint: boolean;
  showSolution: boolean;
  showHelp: boolean;
  /** The step list (below the width that has a sidebar). */
  showSteps: boolean;
  /** Every check with its reason, even where they would fold into one line (r). */
  checksOpen: boolean;
  /** More lines of the latest output (o). */
  outputOpen: boolean;
  /** Notices up to this `noticeSeq` are dismissed (a key was pressed, or they timed out). */
  noticeHidden: number;
  /** For the step being viewed; reset when the viewed step changes. */
  forStep: number;
}

export type UiAction =
  | { type: 'focus'; focus: number; scroll: number }
  | { type: 'scroll-to'; scroll: number; focus?: number }
  | { type: 'toggle-hint' }
  | { type: 'toggle-solution' }
  | { type: 'toggle-help' }
  | { type: 'toggle-steps' }
  | { type: 'toggle-output' }
  | { type: 'open-checks' }
  | { type: 'close-overlays' }
  | { type: 'hide-notice'; seq: number }
  | { type: 'viewing'; step: number };

export const initialUi: UiState = {
  focus: 0,
  scroll: 0,
  overlayScroll: 0,
  showHint: false,
  showSolution: false,
  showHelp: false,
  showSteps: false,
  checksOpen: false,
  outputOpen: false,
  noticeHidden: 0,
  forStep: 0,
};

const overlays = { showHint: false, showSolution: false, showHelp: false, showSteps: false };

export const hasOverlay = (s: UiState) => s.showHelp || s.showHint || s.showSolution || s.showSteps;

export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'focus':
      return a.focus === s.focus && a.scroll === s.scroll ? s : { ...s, focus: a.focus, scroll: a.scroll };
    case 'scroll-to':
      if (hasOverlay(s)) return a.scroll === s.overlayScroll ? s : { ...s, overlayScroll: a.scroll };
      return a.scroll === s.scroll && (a.focus === undefined || a.focus === s.focus) ? s : { ...s, scroll: a.scroll, focus: a.focus ?? s.focus };
    case 'toggle-hint':
      return { ...s, ...overlays, overlayScroll: 0, showHint: !s.showHint };
    case 'toggle-solution':
      return { ...s, ...overlays, overlayScroll: 0, showSolution: !s.showSolution };
    case 'toggle-help':
      return { ...s, ...overlays, overlayScroll: 0, showHelp: !s.showHelp };
    case 'toggle-steps':
      return { ...s, ...overlays, overlayScroll: 0, showSteps: !s.showSteps };
    case 'toggle-output':
      return { ...s, outputOpen: !s.outputOpen };
    case 'open-checks':
      return s.checksOpen ? s : { ...s, checksOpen: true };
    case 'close-overlays':
      return hasOverlay(s) || s.checksOpen ? { ...s, ...overlays, checksOpen: false } : s;
    case 'hide-notice':
      return a.seq > s.noticeHidden ? { ...s, noticeHidden: a.seq } : s;
    case 'viewing':
      // The help and the step list are the same on every step: they stay open (a ? typed at
      // start-up is still answered when the lesson moves on by itself to the first open step).
      if (a.step === s.forStep) return s;
      return { ...initialUi, noticeHidden: s.noticeHidden, outputOpen: s.outputOpen, showHelp: s.showHelp, showSteps: s.showSteps, overlayScroll: s.showHelp || s.showSteps ? s.overlayScroll : 0, forStep: a.step };
  }
}

// ---------------------------------------------------------------------------
// Moves over the laid-out document

const maxScroll = (nav: ScreenNav) => Math.max(0, nav.total - nav.height);
const clampScroll = (nav: ScreenNav, s: number) => Math.max(0, Math.min(maxScroll(nav), s));

/** Whether stop `i` is whole on screen at `scroll`. */
export function stopVisible(nav: ScreenNav, i: number, scroll = nav.scroll): boolean {
  const p = nav.stops[i];
  return !!p && p.top >= scroll && p.bottom < scroll + nav.height;
}

/** Whether some of stop `i` (not all of it) is on screen at `scroll`. */
function partlyVisible(nav: ScreenNav, i: number, scroll: number): boolean {
  const p = nav.stops[i];
  return !!p && !stopVisible(nav, i, scroll) && p.bottom >= scroll && p.top < scroll + nav.height;
}

/**
 * The focus once the text has scrolled to `scroll`: the focused block if it is whole on screen,
 * else the first block that is, else none (-1) rather than a block cut by the screen's edge (a
 * block wholly off screen keeps the focus: Enter brings it back).
 */
function focusAfterScroll(nav: ScreenNav, scroll: number): number {
  if (stopVisible(nav, nav.focus, scroll)) return nav.focus;
  return firstVisible(nav, scroll) ?? (partlyVisible(nav, nav.focus, scroll) ? -1 : nav.focus);
}

/** The scroll that shows stop `i` whole, with the prose that introduces it when both fit, moving as little as it can. */
export function revealScroll(nav: ScreenNav, i: number, scroll = nav.scroll): number {
  const p = nav.stops[i];
  if (!p) return scroll;
  if (stopVisible(nav, i, scroll)) return scroll;
  const tall = p.bottom - p.top + 1 > nav.height;
  if (tall) return clampScroll(nav, p.top);
  if (p.bottom >= scroll + nav.height) return clampScroll(nav, Math.max(p.bottom - nav.height + 1, Math.min(p.introTop, p.top)));
  // Above the window: from its introduction down, if that fits, else from its top.
  return clampScroll(nav, p.bottom - p.introTop + 1 <= nav.height ? p.introTop : p.top);
}

/** ↓/Tab (+1) or ↑/Shift-Tab (−1): the next block from the focused one, or from what is on screen if the focus scrolled away. */
export function moveFocus(nav: ScreenNav, dir: 1 | -1): { focus: number; scroll: number } | undefined {
  const n = nav.stops.length;
  if (n === 0) {
    // Nothing to focus: the arrows scroll the text a line.
    return { focus: nav.focus, scroll: clampScroll(nav, nav.scroll + dir) };
  }
  let next: number;
  if (stopVisible(nav, nav.focus)) next = nav.focus + dir;
  else if (dir > 0) {
    next = nav.stops.findIndex((p) => p.top >= nav.scroll);
    if (next < 0) next = n; // all above: past the end
  } else {
    next = -1;
    for (let i = n - 1; i >= 0; i--) if (nav.stops[i].bottom < nav.scroll + nav.height) { next = i; break; }
  }
  if (next < 0 || next >= n) {
    // Past the first or last block: the text scrolls on, so the prose around it can be read.
    return { focus: nav.focus, scroll: clampScroll(nav, nav.scroll + dir * Math.max(1, Math.floor(nav.height / 2))) };
  }
  // A block far below or above: scroll a screen towards it first, so no text is skipped unseen.
  const target = revealScroll(nav, next);
  const jump = target - nav.scroll;
  if (Math.abs(jump) > nav.height && !stopVisible(nav, next)) {
    const scroll = clampScroll(nav, nav.scroll + Math.sign(jump) * Math.max(1, nav.height - 2));
    return { focus: focusAfterScroll(nav, scroll), scroll };
  }
  return { focus: next, scroll: target };
}

function firstVisible(nav: ScreenNav, scroll: number): number | undefined {
  const i = nav.stops.findIndex((_, k) => stopVisible(nav, k, scroll));
  return i < 0 ? undefined : i;
}

/** PgDn/PgUp/wheel/Home/End: the scroll moves; the focus follows onto the screen when it went off it. */
export function scrollTo(nav: ScreenNav, scroll: number): { scroll: number; focus: number } {
  const s = clampScroll(nav, scroll);
  return { scroll: s, focus: focusAfterScroll(nav, s) };
}

export const pageSize = (nav: ScreenNav) => Math.max(1, nav.height - 2);
export const maxScrollOf = maxScroll;
