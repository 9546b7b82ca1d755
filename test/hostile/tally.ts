/** Counts hostile inputs × surfaces a test file checked, printed at its end (the issue asks for the figure). */
import { afterAll } from 'vitest';

const counts = new Map<string, number>();
export function tally(surface: string, inputs: number): void {
  counts.set(surface, (counts.get(surface) ?? 0) + inputs);
}
afterAll(() => {
  if (!counts.size) return;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const lines = [...counts].map(([s, n]) => `  ${String(n).padStart(3)}  ${s}`);
  process.stdout.write(`hostile inputs × surfaces: ${total} over ${counts.size} surfaces\n${lines.join('\n')}\n`);
});
