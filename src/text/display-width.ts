/** How many terminal columns outside text takes once it is display text (string-width, as Ink measures). */
import stringWidth from 'string-width';
import { displayText } from './display-text.js';

/** The columns `text` takes once shown: its stand-ins counted, wide characters as two, a tab as one. */
export function displayWidth(text: string): number {
  return stringWidth(displayText(text, { tabs: 'space' }));
}
