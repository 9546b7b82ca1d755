/**
 * The lesson screen in screen-reader mode: what screen-reader.ts announces, written once through
 * Ink's <Static> (kept in the terminal's history, never redrawn or erased). There is no live
 * area at all: in screen-reader mode Ink erases and rewrites its live lines on every change,
 * which a screen reader would read out again each time.
 */
import React, { useMemo, useRef } from 'react';
import { Static, Text } from 'ink';
import type { SessionView } from '../engine/session.js';
import type { PlayState } from '../engine/player.js';
import type { UiState } from './ui-state.js';
import { announce, type Announced } from './screen-reader.js';

export function ScreenReaderView({ view, ui, play, width = 80 }: { view: SessionView; ui: UiState; play?: PlayState; width?: number }) {
  const prev = useRef<Announced | undefined>(undefined);
  const all = useRef<Array<{ id: number; text: string }>>([]);
  // Announced once per change of what is announced (the view, the UI state or auto-play changed).
  useMemo(() => {
    const { lines, state } = announce(prev.current, view, ui, width, play);
    prev.current = state;
    if (lines.length) all.current = [...all.current, ...lines.map((text, i) => ({ id: all.current.length + i, text }))];
  }, [view, ui, width, play]);
  return <Static items={all.current}>{(item) => <Text key={item.id}>{item.text || ' '}</Text>}</Static>;
}
