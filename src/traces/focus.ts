/** Finding the spans a lesson talks about, in a trace model. Pure. */
import type { TraceModel } from './model-types.js';

const sameService = (name: string, short: string) => name === short || name.startsWith(`${short}.`);

/** The client span of the first `from` → `to` call (`productpage` matches `productpage.default`). */
export function clientSpanOf(model: TraceModel, from: string, to: string): string | undefined {
  return model.pairs.find((p) => sameService(p.from, from) && sameService(p.to, to))?.clientID;
}
