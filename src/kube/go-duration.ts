/**
 * Parses duration strings the way Go's time.ParseDuration does, since that is
 * what Jaeger's query service applies to `minDuration` / `maxDuration`:
 * "10ms", "1.5s", "250us", "1m30s", "-2h". A bare number other than "0" is an
 * error ("missing unit"), exactly as the real server answers 400 for it.
 */

const MICROS_PER_UNIT: Record<string, number> = {
  ns: 0.001,
  us: 1,
  'µs': 1, // U+00B5 micro sign
  'μs': 1, // U+03BC Greek mu
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
};

export class GoDurationError extends Error {}

/** Duration in microseconds (may be fractional for ns inputs). Throws GoDurationError. */
export function parseGoDuration(input: string): number {
  const quoted = JSON.stringify(input);
  let rest = input;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new GoDurationError(`time: invalid duration ${quoted}`);
  let total = 0;
  while (rest !== '') {
    const num = /^(\d*)(\.(\d*))?/.exec(rest);
    const whole = num?.[1] ?? '';
    const frac = num?.[3] ?? '';
    if (!num || (whole === '' && frac === '')) throw new GoDurationError(`time: invalid duration ${quoted}`);
    rest = rest.slice(num[0].length);
    const unitMatch = /^[^\d.]+/.exec(rest);
    if (!unitMatch) throw new GoDurationError(`time: missing unit in duration ${quoted}`);
    const unit = unitMatch[0];
    const scale = MICROS_PER_UNIT[unit];
    if (scale === undefined) throw new GoDurationError(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    rest = rest.slice(unit.length);
    total += Number(`${whole || '0'}.${frac || '0'}`) * scale;
  }
  return sign * total;
}
