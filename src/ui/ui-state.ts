/** What only the terminal UI tracks: selection, scrolling, which panels are open. A pure reducer. */

export interface UiState {
  /** Selected item in the step pane: commands first, then quiz options. */
  selected: number;
  /** First line of the step text shown. */
  scroll: number;
  showHint: boolean;
  showSolution: boolean;
  showHelp: boolean;
  /** For the step being viewed; reset when the viewed step changes. */
  forStep: number;
}

export type UiAction =
  | { type: 'select-next'; count: number }
  | { type: 'select-previous' }
  | { type: 'scroll'; by: number; max: number }
  | { type: 'toggle-hint' }
  | { type: 'toggle-solution' }
  | { type: 'toggle-help' }
  | { type: 'close-overlays' }
  | { type: 'viewing'; step: number };

export const initialUi: UiState = { selected: 0, scroll: 0, showHint: false, showSolution: false, showHelp: false, forStep: 0 };

export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'select-next':
      return s.selected + 1 < a.count ? { ...s, selected: s.selected + 1 } : s;
    case 'select-previous':
      return s.selected > 0 ? { ...s, selected: s.selected - 1 } : s;
    case 'scroll': {
      const scroll = Math.max(0, Math.min(a.max, s.scroll + a.by));
      return scroll === s.scroll ? s : { ...s, scroll };
    }
    case 'toggle-hint':
      return { ...s, showHint: !s.showHint };
    case 'toggle-solution':
      return { ...s, showSolution: !s.showSolution };
    case 'toggle-help':
      return { ...s, showHelp: !s.showHelp };
    case 'close-overlays':
      return s.showHelp || s.showHint || s.showSolution ? { ...s, showHelp: false, showHint: false, showSolution: false } : s;
    case 'viewing':
      return a.step === s.forStep ? s : { ...initialUi, forStep: a.step };
  }
}
