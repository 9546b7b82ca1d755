/**
 * Counts what a test file covered — per surface, how many of the hostile strings were planted in
 * the data it shows — and prints the figure at the end (the issue asks for it).
 */
import { afterAll } from 'vitest';

const counts = new Map<string, { planted: number; findable: number }>();
export function tally(surface: string, planted: number, findable: number): void {
  const c = counts.get(surface) ?? { planted: 0, findable: 0 };
  counts.set(surface, { planted: Math.max(c.planted, planted), findable: Math.max(c.findable, findable) });
}
afterAll(() => {
  if (!counts.size) return;
  const total = [...counts.values()].reduce((a, b) => a + b.planted, 0);
  const lines = [...counts].map(([s, n]) => `  ${String(n.planted).padStart(3)} planted, ${String(n.findable).padStart(2)} looked up  ${s}`);
  process.stdout.write(`hostile inputs × surfaces: ${total} over ${counts.size} surfaces\n${lines.join('\n')}\n`);
});
