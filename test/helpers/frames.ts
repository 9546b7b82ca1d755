/** Waiting on ink-testing-library frames: React 19 batches renders, so assertions wait for a frame, never a fixed sleep. */
import { sleep } from './sandbox.js';

/** The first frame (after `transform`) that matches, within `ms`. */
export async function frameMatching(lastFrame: () => string | undefined, pattern: RegExp, ms = 15_000, transform: (frame: string) => string = (f) => f): Promise<string> {
  const end = Date.now() + ms;
  let f = '';
  while (Date.now() < end) {
    f = transform(lastFrame() ?? '');
    if (pattern.test(f)) return f;
    await sleep(10);
  }
  throw new Error(`no frame matched ${pattern}; last frame:\n${f}`);
}

/** Presses a key until the frame matches (an input handler attaches after the frame that shows it). */
export async function pressUntil(stdin: { write(s: string): void }, key: string, lastFrame: () => string | undefined, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 50; i++) {
    stdin.write(key);
    const f = await frameMatching(lastFrame, pattern, 300).catch(() => undefined);
    if (f) return f;
  }
  throw new Error(`pressing ${JSON.stringify(key)} never showed ${pattern}:\n${lastFrame()}`);
}
