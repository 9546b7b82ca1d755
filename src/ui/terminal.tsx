/** What both screens share: the terminal size (following resizes) and a line of styled cells. */
import React, { useCallback, useEffect, useState } from 'react';
import { Text, useStdout } from 'ink';
import type { ScreenLine } from './screen.js';

/**
 * The terminal size, following resizes; ink-testing-library has no rows, so 24 is assumed.
 * One line is left free so Ink never redraws the whole screen.
 */
export function useTerminalSize(): { width: number; height: number } {
  const { stdout } = useStdout();
  const read = useCallback(() => ({ width: stdout.columns || 80, height: Math.max(1, (stdout.rows || 24) - 1) }), [stdout]);
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, read]);
  return size;
}

export function Line({ line }: { line: ScreenLine }) {
  return (
    <Text wrap="truncate">
      {line.map((c, i) => (
        <Text key={i} color={c.color} bold={c.bold} dimColor={c.dim} inverse={c.inverse} underline={c.underline}>
          {c.text}
        </Text>
      ))}
    </Text>
  );
}
