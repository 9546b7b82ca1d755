/** Figures: what the benchmark prints and writes as JSON. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The bound from the issue, in words ("<= 150 ms"); empty for figures shown for context. */
  target: string;
  pass: boolean | null;
  detail?: string;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The nearest-rank percentile. */
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
