/**
 * A full garbage collection, on demand. After a big trace is parsed, its JSON
 * text (tens of MB) and the parse's leftovers are dead, but V8 collects its old
 * space lazily and would let the process grow by as much again while the model
 * is built and the viewer starts. Collecting once, at that moment (it takes
 * tens of milliseconds, once per big trace), keeps the peak near what is live.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/** Text this long (characters) is a big trace: worth a collection once it is parsed. */
export const BIG_TRACE_TEXT = 8_000_000;

export function releaseMemory(): void {
  if (gc === undefined) {
    try {
      // Node documents this way of reaching V8's gc() without --expose-gc on the command line.
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
