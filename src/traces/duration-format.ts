/** Durations the way Jaeger shows them. */


// ---------------------------------------------------------------------------
// Formatting

function trimNumber(n: number, decimals: number): string {
  return n.toFixed(decimals).replace(/\.?0+$/, '');
}

/**
 * A duration in microseconds the way Jaeger shows it: `850µs`, `24.13ms`,
 * `1.2s`, then `2m 5s` and `1h 3m` for long ones. Negative values keep their sign.
 */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '?';
  if (us < 0) return `-${formatDuration(-us)}`;
  const round2 = (v: number) => Math.round(v * 100) / 100;
  if (round2(us) < 1000) return `${trimNumber(round2(us), 2)}µs`;
  const ms = round2(us / 1000);
  if (ms < 1000) return `${trimNumber(ms, 2)}ms`;
  const s = round2(us / 1_000_000);
  if (s < 60) return `${trimNumber(s, 2)}s`;
  const totalSeconds = Math.round(us / 1_000_000);
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    const sec = totalSeconds % 60;
    return sec ? `${m}m ${sec}s` : `${m}m`;
  }
  const totalMinutes = Math.round(totalSeconds / 60);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  return m ? `${h}h ${m}m` : `${h}h`;
}
