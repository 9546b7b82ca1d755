/**
 * Compares two traces, A (the baseline) and B: their span trees aligned by
 * the path of `service: operation` from the root. Siblings with the same
 * service and operation are matched in start order; what is left over is only
 * in A (removed) or only in B (added). Service names are compared without
 * their namespace, so a `productpage` trace (Istio 1.0) lines up with a
 * `productpage.default` one (1.1+). Pure; iterative (no recursion), so 50,000
 * spans align in one pass; memoised per pair of models.
 *
 * Marks: `+` only in B, `-` only in A, `~` in both but its duration changed by
 * more than the threshold (20% of A's by default) or something beneath it
 * differs, `=` in both and alike. Durations are B minus A, and percentages
 * are of A (the stated baseline).
 */
import type { TraceModel } from './model-types.js';
import { bareService } from './span-facts.js';
import { formatDuration } from './duration-format.js';
import { t } from '../i18n/index.js';

export type CompareMark = '=' | '~' | '+' | '-';

export interface CompareNode {
  mark: CompareMark;
  /** The names as shown: A's when the node is in A, else B's. */
  service: string;
  operation: string;
  /** The span in A / in B. */
  a?: string;
  b?: string;
  durationA?: number;
  durationB?: number;
  /** B minus A (µs), when in both. */
  delta?: number;
  /** delta as % of A's duration (undefined when A's is 0). */
  deltaPct?: number;
  /** Spans in this node's subtree (itself included) in A and in B. */
  spansA: number;
  spansB: number;
  /** How many siblings share this node's service and operation, in A and in B (a count difference shows here). */
  countA: number;
  countB: number;
  /** The duration alone changed past the threshold. */
  slower?: boolean;
  faster?: boolean;
  /** Something beneath this node is added, removed or changed. */
  childrenDiffer?: boolean;
  depth: number;
  /** Index of the parent row in `rows` (-1 for roots). */
  parent: number;
  /** Indexes of the children rows in `rows`. */
  children: number[];
}

export interface TraceSide {
  traceID: string;
  rootService: string;
  rootOperation: string;
  duration: number;
  spans: number;
}

export interface TraceComparison {
  a: TraceSide;
  b: TraceSide;
  /** Every aligned node, depth first (parents before children, siblings by start). */
  rows: CompareNode[];
  /** Indexes of the root rows. */
  roots: number[];
  counts: { same: number; changed: number; onlyA: number; onlyB: number };
  /** The trace durations' difference, B minus A (µs), and as % of A. */
  delta: number;
  deltaPct?: number;
  /** The nodes in both whose duration changed most (by |delta|), at most 3, as row indexes. */
  biggest: number[];
  /** The threshold used for `~` (a fraction of A's duration). */
  threshold: number;
}

export interface CompareOptions {
  /** A duration change past this fraction of A's makes a node `~`. @default 0.2 */
  threshold?: number;
}

const cache = new WeakMap<TraceModel, WeakMap<TraceModel, Map<number, TraceComparison>>>();

const keysCache = new WeakMap<TraceModel, Map<string, string>>();

/** Every span's alignment key (`service⁠\0operation`, the service without its namespace), built once per model. */
function* alignmentKeys(model: TraceModel): Generator<void, Map<string, string>> {
  let keys = keysCache.get(model);
  if (keys) return keys;
  keys = new Map();
  const bare = new Map<string, string>();
  let k = 0;
  for (const n of model.spans.values()) {
    if (++k % SLICE === 0) yield;
    let b = bare.get(n.service);
    if (b === undefined) bare.set(n.service, (b = bareService(n.service)));
    keys.set(n.spanID, `${b}\u0000${n.operation}`);
  }
  keysCache.set(model, keys);
  return keys;
}

function side(m: TraceModel): TraceSide {
  return { traceID: m.traceID, rootService: m.rootService, rootOperation: m.rootOperation, duration: m.duration, spans: m.order.length };
}

/** Compare traces A and B (memoised per pair and threshold). */
export function compareTraces(A: TraceModel, B: TraceModel, opts: CompareOptions = {}): TraceComparison {
  const threshold = opts.threshold ?? 0.2;
  let byB = cache.get(A);
  if (!byB) cache.set(A, (byB = new WeakMap()));
  let byT = byB.get(B);
  if (!byT) byB.set(B, (byT = new Map()));
  const hit = byT.get(threshold);
  if (hit) return hit;
  const steps = compute(A, B, threshold);
  let r = steps.next();
  while (!r.done) r = steps.next();
  byT.set(threshold, r.value);
  return r.value;
}

/** How many nodes the alignment places between two looks at the clock. */
const SLICE = 2000;

/**
 * The same comparison, computed in slices of at most about `sliceMs` each, so
 * a screen can keep answering keys while a 50,000-span pair is aligned: call
 * `step()` from a timer until it returns the result (memoised like
 * compareTraces once done).
 */
export function compareTracesInSlices(A: TraceModel, B: TraceModel, opts: CompareOptions & { sliceMs?: number } = {}): { step: () => TraceComparison | undefined } {
  const threshold = opts.threshold ?? 0.2;
  const known = cache.get(A)?.get(B)?.get(threshold);
  if (known) return { step: () => known };
  const sliceMs = opts.sliceMs ?? 15;
  let steps: Generator<void, TraceComparison> | undefined;
  let result: TraceComparison | undefined;
  return {
    step() {
      if (result) return result;
      steps ??= compute(A, B, threshold);
      const until = Date.now() + sliceMs;
      for (;;) {
        const r = steps.next();
        if (r.done) {
          result = r.value;
          let byB = cache.get(A);
          if (!byB) cache.set(A, (byB = new WeakMap()));
          let byT = byB.get(B);
          if (!byT) byB.set(B, (byT = new Map()));
          byT.set(threshold, result);
          return result;
        }
        if (Date.now() >= until) return undefined;
      }
    },
  };
}

interface Pending {
  a?: string;
  b?: string;
  /** For ordering siblings: the span's offset from its trace's start. */
  at: number;
  countA: number;
  countB: number;
}

function* compute(A: TraceModel, B: TraceModel, threshold: number): Generator<void, TraceComparison> {
  const keysA = yield* alignmentKeys(A);
  const keysB = yield* alignmentKeys(B);
  const keyOf = (model: TraceModel, id: string): string => (model === A ? keysA : keysB).get(id)!;
  const rows: CompareNode[] = [];
  const roots: number[] = [];

  /** Pairs two sibling lists: same key matched in start order; leftovers on one side. */
  const align = (aKids: readonly string[], bKids: readonly string[]): Pending[] => {
    const queues = new Map<string, string[]>();
    const countA = new Map<string, number>();
    const countB = new Map<string, number>();
    for (const id of aKids) {
      const k = keyOf(A, id);
      let q = queues.get(k);
      if (!q) queues.set(k, (q = []));
      q.push(id);
      countA.set(k, (countA.get(k) ?? 0) + 1);
    }
    for (const id of bKids) {
      const k = keyOf(B, id);
      countB.set(k, (countB.get(k) ?? 0) + 1);
    }
    const heads = new Map<string, number>();
    const out: Pending[] = [];
    for (const id of bKids) {
      const k = keyOf(B, id);
      const q = queues.get(k);
      const i = heads.get(k) ?? 0;
      const counts = { countA: countA.get(k) ?? 0, countB: countB.get(k) ?? 0 };
      if (q && i < q.length) {
        heads.set(k, i + 1);
        out.push({ a: q[i], b: id, at: A.spans.get(q[i])!.offset, ...counts });
      } else out.push({ b: id, at: B.spans.get(id)!.offset, ...counts });
    }
    for (const [k, q] of queues) {
      for (let i = heads.get(k) ?? 0; i < q.length; i++) out.push({ a: q[i], at: A.spans.get(q[i])!.offset, countA: countA.get(k) ?? 0, countB: countB.get(k) ?? 0 });
    }
    // Siblings in start order (A's times for nodes in A); ties keep B's order, then A's leftovers.
    let ordered = true;
    for (let i = 1; i < out.length && ordered; i++) if (out[i].at < out[i - 1].at) ordered = false;
    return ordered ? out : out.map((p, i) => ({ p, i })).sort((x, y) => x.p.at - y.p.at || x.i - y.i).map((x) => x.p);
  };

  // Depth-first, iteratively: a stack of sibling lists still to place, each with its parent row.
  const stack: Array<{ parent: number; depth: number; items: Pending[]; next: number }> = [
    { parent: -1, depth: 0, items: align(A.roots, B.roots), next: 0 },
  ];
  let placed = 0;
  while (stack.length) {
    if (++placed % SLICE === 0) yield;
    const top = stack[stack.length - 1];
    if (top.next >= top.items.length) {
      stack.pop();
      continue;
    }
    const p = top.items[top.next++];
    const an = p.a !== undefined ? A.spans.get(p.a)! : undefined;
    const bn = p.b !== undefined ? B.spans.get(p.b)! : undefined;
    const shown = (an ?? bn)!;
    const node: CompareNode = {
      mark: an && bn ? '=' : an ? '-' : '+',
      service: shown.service,
      operation: shown.operation,
      spansA: an ? 1 + (an.descendants ?? 0) : 0,
      spansB: bn ? 1 + (bn.descendants ?? 0) : 0,
      countA: p.countA,
      countB: p.countB,
      depth: top.depth,
      parent: top.parent,
      children: [],
    };
    if (an) {
      node.a = an.spanID;
      node.durationA = an.duration;
    }
    if (bn) {
      node.b = bn.spanID;
      node.durationB = bn.duration;
    }
    if (an && bn) {
      node.delta = bn.duration - an.duration;
      if (an.duration > 0) node.deltaPct = (node.delta / an.duration) * 100;
      const changed = an.duration > 0 ? Math.abs(node.delta) > threshold * an.duration : bn.duration > 0;
      if (changed) {
        node.mark = '~';
        if (node.delta > 0) node.slower = true;
        else node.faster = true;
      }
    }
    const index = rows.length;
    rows.push(node);
    if (top.parent >= 0) rows[top.parent].children.push(index);
    else roots.push(index);
    if (an && bn) {
      if (an.children.length || bn.children.length) stack.push({ parent: index, depth: top.depth + 1, items: align(an.children, bn.children), next: 0 });
    } else {
      // One side only: its whole subtree is on that side, in its own order.
      const model = an ? A : B;
      const kids = (an ?? bn)!.children;
      if (kids.length) {
        const items = kids.map((id): Pending => (an ? { a: id, at: 0, countA: 0, countB: 0 } : { b: id, at: 0, countA: 0, countB: 0 }));
        const counts = new Map<string, number>();
        for (const id of kids) counts.set(keyOf(model, id), (counts.get(keyOf(model, id)) ?? 0) + 1);
        for (const it of items) {
          const c = counts.get(keyOf(model, (it.a ?? it.b)!)) ?? 0;
          if (an) it.countA = c;
          else it.countB = c;
        }
        stack.push({ parent: index, depth: top.depth + 1, items, next: 0 });
      }
    }
  }

  // Children come after their parents: walk back up, marking parents whose subtree differs.
  const counts = { same: 0, changed: 0, onlyA: 0, onlyB: 0 };
  yield;
  for (let i = rows.length - 1; i >= 0; i--) {
    if (i % SLICE === 0) yield;
    const n = rows[i];
    if (n.mark === '=' && n.childrenDiffer) n.mark = '~';
    if (n.mark !== '=' && n.parent >= 0) rows[n.parent].childrenDiffer = true;
    if (n.mark === '+') counts.onlyB++;
    else if (n.mark === '-') counts.onlyA++;
    else if (n.mark === '~') counts.changed++;
    else counts.same++;
  }
  yield;
  // The three largest duration changes, in one pass (no sort over every node).
  const top: Array<{ i: number; d: number }> = [];
  for (let i = 0; i < rows.length; i++) {
    if (i % (SLICE * 4) === 0) yield;
    const n = rows[i];
    if (!(n.slower || n.faster) || !n.delta) continue;
    const d = Math.abs(n.delta);
    if (top.length === 3 && d <= top[2].d) continue;
    top.push({ i, d });
    top.sort((x, y) => y.d - x.d || x.i - y.i);
    if (top.length > 3) top.length = 3;
  }
  const biggest = top.map((x) => x.i);
  const delta = B.duration - A.duration;
  return {
    a: side(A),
    b: side(B),
    rows,
    roots,
    counts,
    delta,
    ...(A.duration > 0 ? { deltaPct: (delta / A.duration) * 100 } : {}),
    biggest,
    threshold,
  };
}

// ---------------------------------------------------------------------------
// Wording shared by the plain text and the viewer

/** `+1.2ms` / `-850µs`. */
export function signedDuration(us: number): string {
  return `${us >= 0 ? '+' : '-'}${formatDuration(Math.abs(us))}`;
}

/** `+23.5%`, or '' without a baseline. */
export function signedPct(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '';
  const r = Math.round(p * 10) / 10;
  return `${r >= 0 ? '+' : ''}${r}%`;
}

/** What a node's numbers say, after its name: durations, change, counts. */
export function compareNote(n: CompareNode): string {
  const parts: string[] = [];
  if (n.mark === '+') parts.push(t('traces.cmpText.onlyB', { duration: formatDuration(n.durationB ?? 0) }));
  else if (n.mark === '-') parts.push(t('traces.cmpText.onlyA', { duration: formatDuration(n.durationA ?? 0) }));
  else {
    const pct = signedPct(n.deltaPct);
    parts.push(`${formatDuration(n.durationA ?? 0)} → ${formatDuration(n.durationB ?? 0)} (${signedDuration(n.delta ?? 0)}${pct ? `, ${pct}` : ''})`);
  }
  if (n.countA !== n.countB && Math.min(n.countA, n.countB) > 0) parts.push(t('traces.cmpText.counts', { a: n.countA, b: n.countB }));
  if ((n.mark === '~' || n.mark === '=') && n.spansA !== n.spansB) parts.push(t('traces.cmpText.spans', { a: n.spansA, b: n.spansB }));
  return parts.join(' · ');
}

/** The header lines: the two traces, the totals, and the biggest changes. */
export function compareSummary(c: TraceComparison): string[] {
  const pct = signedPct(c.deltaPct);
  const lines = [
    ...(['A', 'B'] as const).map((side) => {
      const x = side === 'A' ? c.a : c.b;
      return t('traces.cmpText.side', { side, id: x.traceID, root: `${x.rootService}: ${x.rootOperation}`, duration: formatDuration(x.duration), count: x.spans });
    }),
    `B - A: ${signedDuration(c.delta)}${pct ? ` ${t('traces.cmpText.pctOfA', { pct })}` : ''} · ${t('traces.cmpText.totals', { onlyB: c.counts.onlyB, onlyA: c.counts.onlyA, changed: c.counts.changed, same: c.counts.same })}`,
  ];
  if (c.biggest.length) {
    lines.push(t('traces.cmpText.largest', { list: c.biggest.map((i) => `${bareService(c.rows[i].service)} ${signedDuration(c.rows[i].delta ?? 0)}`).join(', ') }));
  }
  return lines;
}

/** The comparison as a text tree with `+ - ~ =` marks (the `--compare --plain` output). */
export function comparisonToText(c: TraceComparison): string[] {
  const lines = [...compareSummary(c), ''];
  const isLast = (i: number): boolean => {
    const n = c.rows[i];
    const sibs = n.parent >= 0 ? c.rows[n.parent].children : c.roots;
    return sibs[sibs.length - 1] === i;
  };
  const open: boolean[] = [];
  for (let i = 0; i < c.rows.length; i++) {
    const n = c.rows[i];
    const last = isLast(i);
    open.length = n.depth;
    // Roots draw no guide, so depth 0 leaves no bar for the levels below.
    const guides = open.slice(1).map((o) => (o ? '│  ' : '   ')).join('') + (n.depth === 0 ? '' : last ? '└─ ' : '├─ ');
    open[n.depth] = !last;
    lines.push(`${n.mark} ${guides}${n.service}: ${n.operation}  ${compareNote(n)}`);
  }
  lines.push('', t('traces.cmpText.legend', { pct: Math.round(c.threshold * 100) }));
  return lines;
}

/** The comparison as JSON: the aligned tree, nested. */
export function comparisonToJson(c: TraceComparison): unknown {
  type J = Omit<CompareNode, 'children' | 'parent' | 'depth'> & { children: J[] };
  const out: J[] = c.rows.map((n) => {
    const { children: _c, parent: _p, depth: _d, ...rest } = n;
    return { ...rest, children: [] };
  });
  for (let i = 0; i < c.rows.length; i++) if (c.rows[i].parent >= 0) out[c.rows[i].parent].children.push(out[i]);
  return {
    a: c.a,
    b: c.b,
    delta: c.delta,
    ...(c.deltaPct !== undefined ? { deltaPct: c.deltaPct } : {}),
    counts: c.counts,
    threshold: c.threshold,
    tree: c.roots.map((i) => out[i]),
  };
}
