/** What both screens share: the terminal size (following resizes) and a line of styled cells. */
import React, { useCallback, useEffect, useState } from 'react';
import { Text, useStdout } from 'ink';
import chalk, { type ChalkInstance } from 'chalk';
import type { Cell, ScreenLine } from './screen.js';
import { displayText } from '../text/display-text.js';

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

/** A cell as chalk styles it: what Ink's <Text color bold …> would write, without a node per cell. */
function styled(c: Cell): string {
  // The last guard: whatever reached a cell unsanitized is shown, not obeyed (one cell per control,
  // as the layout counted it). The only escape sequences written are chalk's own.
  const text = displayText(c.text, { tabs: 'space' });
  let f: ChalkInstance = chalk;
  if (c.color) f = f[c.color];
  if (c.bold) f = f.bold;
  if (c.dim) f = f.dim;
  if (c.inverse) f = f.inverse;
  if (c.underline) f = f.underline;
  return f === chalk ? text : f(text);
}

const sameLine = (a: ScreenLine, b: ScreenLine) =>
  a.length === b.length && a.every((c, i) => { const d = b[i]; return c.text === d.text && c.color === d.color && c.bold === d.bold && c.dim === d.dim && c.inverse === d.inverse && c.underline === d.underline; });

/**
 * One screen line: a single Ink text node (a screen has hundreds of cells; a node each made
 * every frame slower), re-rendered only when its cells change.
 */
export const Line = React.memo(
  function Line({ line }: { line: ScreenLine }) {
    return <Text wrap="truncate">{line.map(styled).join('')}</Text>;
  },
  (a, b) => sameLine(a.line, b.line),
);
