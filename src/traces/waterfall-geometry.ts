/**
 * What the waterfall's reducer (waterfall-state.ts) and its layout (waterfall-layout.ts) must
 * agree on: the rows a collapsed set leaves visible, the display order, and how many rows and
 * columns the screen gives the list. Both import this; neither imports the other's values.
 */
import type { TraceModel } from './model-types.js';
import { visibleRows } from './trace-queries.js';

export interface WaterfallSize {
  width: number;
  height: number;
}

/** The part of the waterfall state the geometry reads. */
export interface GeometryInput {
  detailsOpen: boolean;
  nameWidth?: number;
}

// Memoized per-model indexes (the model is immutable once built).

const rowsCache = new WeakMap<TraceModel, Array<{ collapsed: Set<string> | null; rows: string[] }>>();

/**
 * The visible rows for a collapsed set, memoized by the set's identity (the
 * reducer makes a new set on every change; every empty set is the same key).
 */
export function rowsOf(model: TraceModel, collapsed: Set<string>): string[] {
  const key = collapsed.size ? collapsed : null;
  let entries = rowsCache.get(model);
  if (!entries) rowsCache.set(model, (entries = []));
  const hit = entries.find((e) => e.collapsed === key);
  if (hit) return hit.rows;
  const rows = visibleRows(model, collapsed);
  entries.unshift({ collapsed: key, rows });
  if (entries.length > 4) entries.length = 4;
  return rows;
}

const orderCache = new WeakMap<TraceModel, Map<string, number>>();

/** Position of each span in the depth-first display order. */
export function orderIndex(model: TraceModel): Map<string, number> {
  let m = orderCache.get(model);
  if (!m) {
    m = new Map();
    model.order.forEach((id, i) => m!.set(id, i));
    orderCache.set(model, m);
  }
  return m;
}

// ---------------------------------------------------------------------------
// Geometry: the reducer and the layout must agree on how many rows show.

/** Width of the name column when the learner has not resized it. */
export function defaultNameWidth(width: number): number {
  return Math.max(20, Math.min(60, Math.round(width * 0.4)));
}

export interface Geometry {
  W: number;
  H: number;
  /** Lines above the axis: title and (when there is room) the service legend. */
  headerH: number;
  /** Width of the waterfall (name + separator + bars). */
  listW: number;
  nameW: number;
  barW: number;
  /** Span rows shown. */
  listH: number;
  /** Details pane: to the right (width) or below (height, separator included); 0 when closed. */
  sideW: number;
  belowH: number;
}

export const MIN_W = 30;
export const MIN_H = 8;

export function geometry(state: GeometryInput, size: WaterfallSize): Geometry {
  const W = Math.max(MIN_W, Math.floor(size.width));
  const H = Math.max(MIN_H, Math.floor(size.height));
  const headerH = H >= 12 ? 2 : 1;
  const sideW = state.detailsOpen && W >= 140 ? Math.min(90, Math.floor(W * 0.4)) : 0;
  const listW = sideW ? W - sideW - 1 : W;
  const body = H - headerH - 1 /* axis */ - 1; /* footer */
  const belowH = state.detailsOpen && !sideW ? Math.max(4, Math.min(body - 3, Math.floor(H * 0.45))) : 0;
  const listH = Math.max(1, body - belowH);
  const nameW = Math.max(12, Math.min(listW - 12, state.nameWidth ?? defaultNameWidth(listW)));
  const barW = Math.max(1, listW - nameW - 1);
  return { W, H, headerH, listW, nameW, barW, listH, sideW, belowH };
}

/** The width of the name column for this state and size (the learner's choice, clamped to what fits). */
export function waterfallNameWidth(state: GeometryInput, size: WaterfallSize): number {
  return geometry(state, size).nameW;
}

/** How many span rows the waterfall shows for this state and size (for paging and scrolling). */
export function waterfallListRows(state: GeometryInput, size: WaterfallSize): number {
  return geometry(state, size).listH;
}
