/**
 * The lesson screen in screen-reader mode: what screen-reader.ts announces, written once through
 * Ink's <Static> (kept in the terminal's history, never redrawn), under it one short live line.
 */
import React, { useMemo, useRef } from 'react';
import { Static, Text } from 'ink';
import type { SessionView } from '../engine/session.js';
import type { UiState } from './ui-state.js';
import { announce, type Announced } from './screen-reader.js';

export function ScreenReaderView({ view, ui, banner, width = 80 }: { view: SessionView; ui: UiState; banner?: string; width?: number }) {
  const prev = useRef<Announced | undefined>(undefined);
  const all = useRef<Array<{ id: number; text: string }>>([]);
  // Announced once per change of what is announced (the view or the UI state changed).
  useMemo(() => {
    const { lines, state } = announce(prev.current, view, ui, width);
    prev.current = state;
    for (const text of lines) all.current = [...all.current, { id: all.current.length, text }];
  }, [view, ui, width]);
  const vi = view.engine.viewing;
  return (
    <>
      <Static items={all.current}>{(item) => <Text key={item.id}>{item.text}</Text>}</Static>
      <Text>{banner ? `${banner.trim()}. ` : ''}{`Step ${vi + 1} of ${view.lesson.steps.length}. Press question mark for keys.`}</Text>
    </>
  );
}
