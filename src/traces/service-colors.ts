/** The colours of the trace views: one per service (stable by name), and colour only when it is on. */
import type { Cell } from '../text/cells.js';

export type Color = NonNullable<Cell['color']>;

/** Service colours; red is kept for errors and gray for what is dimmed. */
export const SERVICE_PALETTE: readonly Color[] = ['cyan', 'magenta', 'blue', 'green', 'yellow'];

/** A stable colour for a service: the same name always gets the same palette entry (FNV-1a of the name). */
export function serviceColor(name: string): Color {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return SERVICE_PALETTE[h % SERVICE_PALETTE.length];
}

export const paint = (color: boolean, c: Color | undefined): Color | undefined => (color ? c : undefined);
