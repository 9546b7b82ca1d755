/**
 * Small random helpers. Every simulated workload takes an injectable `Rng`
 * so that tests can pin durations and ids; production code uses Math.random.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

export const defaultRng: Rng = Math.random;

/**
 * A deterministic generator for tests and reproducible demos: a 32-bit
 * xorshift whose state is first scrambled from the seed. Not for crypto.
 */
export function seededRng(seed: number): Rng {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  if (state === 0) state = 0x6d2b79f5;
  // Stir the seed a little so that neighbouring seeds diverge immediately.
  for (let i = 0; i < 4; i++) state = step(state);
  return () => {
    state = step(state);
    return state / 0x1_0000_0000;
  };
}

function step(x: number): number {
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

/** An integer in [min, max], both ends included. */
export function randInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** `digits` lowercase hex digits. With `nonZeroLead` the first digit is 1-f. */
export function randomHex(rng: Rng, digits: number, nonZeroLead = false): string {
  let out = '';
  for (let i = 0; i < digits; i++) {
    const lo = i === 0 && nonZeroLead ? 1 : 0;
    out += randInt(rng, lo, 15).toString(16);
  }
  return out;
}

/** Pick one element of a non-empty array. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.min(items.length - 1, Math.floor(rng() * items.length))];
}

/** An x-request-id in the UUID v4 layout Envoy generates. */
export function randomRequestId(rng: Rng): string {
  const h = randomHex(rng, 32);
  const variant = (8 + randInt(rng, 0, 3)).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
