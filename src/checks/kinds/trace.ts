/**
 * trace: a span-path assertion over the recent traces in the lesson's Jaeger.
 *
 *   - kind: trace
 *     url: http://localhost:15032
 *     path: productpage -> reviews -> ratings
 *
 * passes when one of the newest traces since the lesson started (20 by
 * default, `within`) shows the path: for each `a -> b` hop, a client span of
 * `a` whose direct child is a server span of `b` (the two halves of one RPC,
 * as the sidecars report it), the next hop starting inside that server span.
 * `a > b` is a span of `b` directly under a span of `a` with no client span
 * (how Istio 1.0/1.1's istio-policy reports the Mixer Check). Services match
 * with or without their namespace (`reviews`, `reviews.default`).
 *
 * Optional conditions: `tags` every call on the path carries (both spans of
 * each `->` hop, string comparison: `http.status_code: 200`), `maxDuration` /
 * `minDuration` of each call's client span (Go durations: `250ms`, `1.5s`),
 * `min` traces that must show it (default 1), and `eras` (the Istio eras the
 * check applies to; on another era it passes, saying so: no Mixer, no
 * istio-policy span on modern Istio).
 *
 * On failure the diagnosis names how far the traces got (`newest 20 traces:
 * reviews was reached 20 times, ratings never`), the nearest trace and where
 * it diverged, and the likely cause (reviews v1 answered: it does not call
 * ratings; a client span without its server half: no sidecar on the callee).
 * Unreachable Jaeger, or no trace at all, is told as the jaeger-traces check
 * tells it (forwards, sampling, sidecars), by that check's own module.
 *
 * The path syntax and parameter validation live in trace-path.ts, which the
 * lesson parser loads without this module's Jaeger client; gather (Jaeger's
 * API, the cluster's era) and judge (pure, over the traces) are here.
 */
import type { IstioEraName, IstioFacts } from '../../cluster/era.js';
import { parseTracePath, type TraceHop } from '../../lesson/trace-path.js';
import type { JaegerTrace } from '../../traces/jaeger-model.js';
import { parseGoDuration } from '../../kube/go-duration.js';
import { JaegerClient, JaegerError } from '../../traces/jaeger-client.js';
import type { SpanNode, TraceModel } from '../../traces/model-types.js';
import { bareService, buildTraceModel, formatDuration } from '../../traces/trace-model.js';
import { failed, listing, passed } from '../common.js';
import { jaegerTracesCheck, matchServices, type JaegerFacts } from './jaeger.js';
import type { CheckKindModule, CheckOf } from '../types.js';
import { t } from '../../i18n/index.js';

// ---------------------------------------------------------------------------
// Gather

export interface TraceCheckFacts {
  url: string;
  /** The Jaeger services taken to be the path's first service. */
  matched: string[];
  since?: number;
  within: number;
  /** The traces searched, newest first (at most `within`). */
  traces: JaegerTrace[];
  /** The installed Istio's era, when it could be told. */
  era?: IstioEraName | null;
  /** Jaeger could not be asked, or holds no such trace: the jaeger-traces check's facts, for its diagnosis. */
  jaeger?: JaegerFacts;
  /** A search that failed after the API answered. */
  error?: string;
}

const DEFAULT_WITHIN = 20;

async function gatherTrace(check: CheckOf<'trace'>, env: Parameters<CheckKindModule['gather']>[1]): Promise<TraceCheckFacts> {
  const within = check.within ?? DEFAULT_WITHIN;
  const since = check.sinceLessonStart === false || env.lessonStartMicros <= 0 ? undefined : env.lessonStartMicros;
  const istio: IstioFacts | undefined = env.istio ? await env.istio().catch(() => undefined) : undefined;
  const facts: TraceCheckFacts = { url: check.url, matched: [], within, traces: [], ...(since !== undefined ? { since } : {}), ...(istio ? { era: istio.era } : {}) };
  if (check.eras && istio?.era && !check.eras.includes(istio.era)) return facts; // not for this Istio: nothing to ask
  const path = parseTracePath(check.path);
  if ('error' in path) {
    facts.error = path.error;
    return facts;
  }
  const first = path.services[0];
  const delegate = async () => {
    facts.jaeger = await jaegerTracesCheck.gather({ kind: 'jaeger-traces', url: check.url, service: first, min: 1, ...(check.sinceLessonStart === false ? { sinceLessonStart: false } : {}), title: check.title, source: check.source }, env);
    return facts;
  };
  let client: JaegerClient;
  try {
    client = await JaegerClient.connect(check.url, { timeoutMs: 5000 });
  } catch (e) {
    if (e instanceof JaegerError) return delegate();
    throw e;
  }
  try {
    const services = await client.services();
    facts.matched = matchServices(first, services);
    if (!facts.matched.length) return delegate();
    const found = new Map<string, JaegerTrace>();
    for (const service of facts.matched) {
      for (const t of await client.search({ service, limit: within, ...(since !== undefined ? { start: since } : {}) })) found.set(t.traceID, t);
    }
    const start = (t: JaegerTrace) => t.spans.reduce((m, s) => Math.min(m, s.startTime), Number.POSITIVE_INFINITY);
    facts.traces = [...found.values()].sort((a, b) => start(b) - start(a)).slice(0, within);
    if (!facts.traces.length) return delegate();
  } catch (e) {
    if (e instanceof JaegerError) facts.error = e.message;
    else throw e;
  }
  return facts;
}

// ---------------------------------------------------------------------------
// Judge (pure)

/** Whether a span's service is `want`: the same name, or it with a namespace (`reviews.default`). */
export function serviceIs(service: string, want: string): boolean {
  return service === want || bareService(service) === want || (want.includes('.') && service === want.split('.')[0]);
}

/** A Bookinfo-style version of the workload that wrote a span: `v1` from pod `reviews-v1-5d7b…`, or Istio's canonical revision. */
export function workloadVersion(span: SpanNode): string | undefined {
  const rev = span.tags.find((t) => t.key === 'istio.canonical_revision');
  if (rev && rev.value !== 'latest') return String(rev.value);
  const texts = [span.tags.find((t) => t.key === 'node_id')?.value, span.processTags.find((t) => t.key === 'hostname')?.value];
  for (const t of texts) {
    const m = typeof t === 'string' ? /(?:^|[~/])[a-z0-9]+(?:-[a-z0-9]+)*?-(v\d+)-[a-z0-9]+(?:-[a-z0-9]+)?(?:\.|$)/.exec(t) : null;
    if (m) return m[1];
  }
  return undefined;
}

interface HopCheck {
  /** Spans of `from` the hop may start in. */
  contexts: SpanNode[];
  /** What continues the path: the callee's spans (server spans for a call). */
  reached: SpanNode[];
  /** Client spans of `from` to `to` that have no server span of `to` beneath (call hops). */
  unpaired: SpanNode[];
  /** Calls found that failed the check's conditions, with why. */
  rejected: Array<{ span: SpanNode; why: string }>;
}

interface Walk {
  model: TraceModel;
  /** Hops satisfied, in order (0..hops.length). */
  reached: number;
  hops: HopCheck[];
}

/** The spans beneath `from` (itself included) in its own service, without crossing into another service. */
function ownSubtree(model: TraceModel, from: SpanNode, service: string): SpanNode[] {
  const out: SpanNode[] = [];
  const stack = [from];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    for (const id of n.children) {
      const c = model.spans.get(id);
      if (c && serviceIs(c.service, service)) stack.push(c);
    }
  }
  return out;
}

function tagText(n: SpanNode, key: string): string | undefined {
  const t = n.tags.find((x) => x.key === key);
  if (!t) return undefined;
  return t.type === 'bool' ? String(t.value === true || t.value === 'true') : String(t.value);
}

function conditionsFail(check: CheckOf<'trace'>, client: SpanNode, server: SpanNode): string | undefined {
  for (const [k, want] of Object.entries(check.tags ?? {})) {
    for (const s of [client, server]) {
      const got = tagText(s, k);
      if (got !== want) {
        const kind = s.kind === 'client' ? t('kinds.trace.kindClient') : s.kind === 'server' ? t('kinds.trace.kindServer') : s.kind === 'unknown' ? '' : `${s.kind} `;
        const where = { key: k, kind, service: bareService(s.service), want };
        return got === undefined ? t('kinds.trace.tagMissing', where) : t('kinds.trace.tagWrong', { ...where, got });
      }
    }
  }
  if (check.maxDuration !== undefined && client.duration > parseGoDuration(check.maxDuration)) return t('kinds.trace.tookMore', { took: formatDuration(client.duration), limit: check.maxDuration });
  if (check.minDuration !== undefined && client.duration < parseGoDuration(check.minDuration)) return t('kinds.trace.tookLess', { took: formatDuration(client.duration), limit: check.minDuration });
  return undefined;
}

function walkTrace(check: CheckOf<'trace'>, hops: TraceHop[], model: TraceModel): Walk {
  let contexts = [...model.spans.values()].filter((n) => serviceIs(n.service, hops[0].from));
  const walk: Walk = { model, reached: 0, hops: [] };
  for (const hop of hops) {
    const hc: HopCheck = { contexts, reached: [], unpaired: [], rejected: [] };
    walk.hops.push(hc);
    const seen = new Set<string>();
    for (const ctx of contexts) {
      for (const n of ownSubtree(model, ctx, hop.from)) {
        if (seen.has(n.spanID)) continue;
        seen.add(n.spanID);
        if (hop.link === 'call') {
          if (n.kind !== 'client' && !(n.kind === 'unknown' && n.pairedWith)) continue;
          const kids = n.children.map((id) => model.spans.get(id)!).filter(Boolean);
          const server = kids.find((k) => serviceIs(k.service, hop.to) && (k.kind === 'server' || (k.kind === 'unknown' && k.pairedWith === n.spanID)));
          if (!server) {
            // A client span towards `to` (named after its host) without the callee's half beneath it.
            if (n.operation.startsWith(`${bareService(hop.to)}.`) || n.operation.startsWith(`${hop.to}:`)) hc.unpaired.push(n);
            continue;
          }
          const why = conditionsFail(check, n, server);
          if (why) hc.rejected.push({ span: n, why });
          else hc.reached.push(server);
        } else {
          for (const id of n.children) {
            const k = model.spans.get(id);
            if (k && serviceIs(k.service, hop.to)) hc.reached.push(k);
          }
        }
      }
    }
    if (!hc.reached.length) return walk;
    walk.reached++;
    contexts = hc.reached;
  }
  return walk;
}

function arrow(h: TraceHop): string {
  return `${h.from} ${h.link === 'call' ? '->' : '>'} ${h.to}`;
}

function clock(micros: number): string {
  return new Date(micros / 1000).toISOString().slice(11, 19) + ' UTC';
}

/** Why the nearest trace stopped at `hop`, in a learner's words, and what to do. */
function divergence(check: CheckOf<'trace'>, hop: TraceHop, walks: Walk[], index: number): string[] {
  const out: string[] = [];
  const stuck = walks.filter((w) => w.reached === index);
  const contexts = stuck.flatMap((w) => w.hops[index]?.contexts ?? []);
  const rejected = stuck.flatMap((w) => w.hops[index]?.rejected ?? []);
  const unpaired = stuck.flatMap((w) => w.hops[index]?.unpaired ?? []);
  if (rejected.length) {
    out.push(t('kinds.trace.rejected', { count: rejected.length, hop: arrow(hop), why: listing([...new Set(rejected.map((r) => r.why))], 3) }));
    return out;
  }
  if (unpaired.length) {
    out.push(t('kinds.trace.unpaired', { count: unpaired.length, from: hop.from, to: hop.to }));
    return out;
  }
  // The caller never made the call. Which versions of the caller answered?
  const versions = new Map<string, number>();
  for (const c of contexts) {
    const v = workloadVersion(c);
    if (v) versions.set(v, (versions.get(v) ?? 0) + 1);
  }
  const from = bareService(hop.from);
  const to = bareService(hop.to);
  if (from === 'reviews' && to === 'ratings' && versions.size) {
    const vs = [...versions.keys()].sort();
    if (vs.every((v) => v === 'v1')) {
      out.push(t('kinds.trace.reviewsV1', { count: contexts.length }));
      return out;
    }
  }
  if (to === 'istio-policy') {
    out.push(t('kinds.trace.noMixer', { from: hop.from }));
    return out;
  }
  const vText = versions.size ? t('kinds.trace.versionsSeen', { versions: [...versions.keys()].sort().join(', ') }) : '';
  out.push(t('kinds.trace.noCall', { from: hop.from, versions: vText, to: hop.to }));
  return out;
}

export const traceCheck: CheckKindModule<CheckOf<'trace'>, TraceCheckFacts> = {
  kind: 'trace',
  gather: (check, env) => gatherTrace(check, env),
  judge(check, facts) {
    if (check.eras && facts.era && !check.eras.includes(facts.era)) {
      return passed(t('kinds.trace.notThisEra', { era: facts.era, path: check.path, eras: check.eras.join(', ') }));
    }
    const parsed = parseTracePath(check.path);
    if ('error' in parsed) return failed(check, t('kinds.trace.badPath', { error: parsed.error }));
    const { hops, services } = parsed;
    const min = check.min ?? 1;
    const window = facts.since !== undefined ? t('kinds.trace.sinceStart', { clock: clock(facts.since) }) : '';
    const expected = t('kinds.trace.expected', { count: min, window, hops: hops.map(arrow).join(t('kinds.trace.then')) });
    if (facts.jaeger) {
      // Jaeger unreachable, or nothing from the path's first service yet: the jaeger-traces check says why.
      const r = jaegerTracesCheck.judge({ kind: 'jaeger-traces', url: check.url, service: services[0], min: 1, title: check.title, source: check.source, ...(check.hint ? { hint: check.hint } : {}) }, facts.jaeger);
      if (!r.ok) return { ...r, expected };
    }
    if (facts.error !== undefined) return failed(check, t('kinds.trace.searchFailed', { url: facts.url }), { expected, found: facts.error });
    const walks = facts.traces.map((t) => walkTrace(check, hops, buildTraceModel(t)));
    const full = walks.filter((w) => w.reached === hops.length);
    const n = walks.length;
    const of = t('kinds.trace.newest', { count: n, window });
    if (full.length >= min) {
      const w = full[0];
      const timings = w.hops
        .map((h, i) => {
          const s = h.reached[0];
          const client = hops[i].link === 'call' && s.parentID ? w.model.spans.get(s.parentID) : undefined;
          return `${arrow(hops[i])} ${client ? t('kinds.trace.hopTimes', { client: formatDuration(client.duration), server: formatDuration(s.duration) }) : formatDuration(s.duration)}`;
        })
        .join('; ');
      return passed(t('kinds.trace.shown', { count: full.length, of, path: check.path, id: w.model.traceID.slice(0, 12), timings }));
    }
    // How far the traces got: each service on the path, how many traces reached it.
    const reachedCount = services.map((_, i) => (i === 0 ? n : walks.filter((w) => w.reached >= i).length));
    const counts = services.map((s, i) => (reachedCount[i] === 0 ? t('kinds.trace.never', { service: s }) : reachedCount[i] === n ? t('kinds.trace.inAll', { service: s, count: n }) : t('kinds.trace.inSome', { service: s, count: reachedCount[i] })));
    const best = walks.reduce((b, w) => (w.reached > b.reached ? w : b), walks[0]);
    const stopAt = best.reached;
    const hop = hops[stopAt];
    const nearest = best.model;
    const diagnosis: string[] = [];
    const near = { id: nearest.traceID.slice(0, 16), clock: clock(nearest.start), spans: nearest.spans.size, hop: arrow(hop) };
    diagnosis.push(stopAt ? t('kinds.trace.nearest', { ...near, service: services[stopAt] }) : t('kinds.trace.nearestNowhere', near), ...divergence(check, hop, walks, stopAt));
    const summary = full.length
      ? t('kinds.trace.tooFew', { count: full.length, min, path: check.path, of })
      : t('kinds.trace.noneShows', { path: check.path, of, from: hop.from, to: hop.to });
    return failed(check, summary, {
      expected,
      found: t('kinds.trace.found', { of, counts: counts.join(', ') }),
      diagnosis,
    });
  },
};
