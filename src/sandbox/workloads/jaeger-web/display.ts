/**
 * Small display helpers for the web page: HTML escaping (every piece of text
 * that came from a span goes through `esc`), a colour per service, and times
 * in the reader's local clock. Pure.
 */
import { escapeHtml } from '../html-escape.js';

/** Text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return escapeHtml(String(value));
}

/** Ten colours that stay apart on white (the common "category 10" set, its red swapped for indigo: red means an error). */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#5254a3', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** A stable CSS colour for a service name (FNV-1a over its characters). */
export function serviceColor(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return PALETTE[h % PALETTE.length];
}

export type ColorOf = (service: string) => string;

/**
 * Colours by place in the store's sorted service list, so that up to ten
 * services never share one; a name not in the list gets its hashed colour.
 */
export function serviceColors(known: readonly string[]): ColorOf {
  const index = new Map(known.map((s, i) => [s, i]));
  return (name) => {
    const i = index.get(name);
    return i === undefined ? serviceColor(name) : PALETTE[i % PALETTE.length];
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** Unix µs as local `HH:MM:SS`. */
export function clockTime(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Unix µs as local `YYYY-MM-DD`. */
export function calendarDay(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** `Today` or the date, for a start time seen at `nowUs`. */
export function dayLabel(us: number, nowUs: number): string {
  const day = calendarDay(us);
  return day === calendarDay(nowUs) ? 'Today' : day;
}

/** `a few seconds ago`, `3 minutes ago`, `2 hours ago`, `5 days ago`. */
export function timeAgo(us: number, nowUs: number): string {
  const s = Math.max(0, Math.round((nowUs - us) / 1_000_000));
  if (s < 45) return 'a few seconds ago';
  const unit = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'} ago`;
  if (s < 90) return 'a minute ago';
  const m = Math.round(s / 60);
  if (m < 60) return unit(m, 'minute');
  const h = Math.round(m / 60);
  if (h < 24) return unit(h, 'hour');
  return unit(Math.round(h / 24), 'day');
}

/** Local `YYYY-MM-DD HH:MM:SS.mmm`, the trace page's start time. */
export function fullTime(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return `${calendarDay(us)} ${clockTime(us)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
