/**
 * The `trace` check's path syntax and parameter types, for the lesson parser
 * and linter (pure, and light: the parser loads it without the Jaeger client
 * that src/checks/kinds/trace.ts, the kind's gather and judge, needs; the linter's
 * warnings about trace checks are in src/authoring/lint.ts).
 *
 *   productpage -> reviews -> ratings     each -> a call: a client span of the
 *                                         caller, the callee's server span its child
 *   reviews > istio-policy                a span of istio-policy right under one of
 *                                         reviews, with no client span (Mixer's Check)
 */
import { ISTIO_ERA_NAMES } from '../kube/istio-era.js';
import { parseGoDuration } from '../kube/go-duration.js';
import { t } from '../i18n/index.js';

export interface TraceHop {
  from: string;
  to: string;
  /** call: client span of `from` with a server span of `to` as its child; child: a span of `to` right under one of `from`. */
  link: 'call' | 'child';
}

/** `productpage -> reviews > istio-policy` into hops, or an error a lesson author can act on. */
export function parseTracePath(text: string): { hops: TraceHop[]; services: string[] } | { error: string } {
  const parts = text.trim().split(/\s*(->|>)\s*/);
  // parts: service, arrow, service, arrow, service …
  if (parts.length < 3) return { error: t('lesson.trace.pathShort', { text: text.trim() }) };
  const services: string[] = [];
  const hops: TraceHop[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const name = parts[i];
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(name)) {
      return { error: name === '' ? t('lesson.trace.pathNoService', { text: text.trim() }) : t('lesson.trace.pathBadName', { name }) };
    }
    services.push(name);
    if (i > 0) hops.push({ from: services[services.length - 2], to: name, link: parts[i - 1] === '->' ? 'call' : 'child' });
  }
  return { hops, services };
}

export type TraceParamType = 'path' | 'tags' | 'duration' | 'eras';

const ERAS = ISTIO_ERA_NAMES;

/**
 * Validates one of the kind's own parameter types for the lesson parser:
 * the converted value, or an error message (without the "trace check:" prefix).
 */
export function convertTraceParam(type: TraceParamType, param: string, v: unknown): { value: unknown } | { error: string } {
  switch (type) {
    case 'path': {
      if (typeof v !== 'string' || v.trim() === '') return { error: t('lesson.trace.notPath', { param }) };
      if (v.includes('${')) return { value: v.trim() };
      const p = parseTracePath(v);
      return 'error' in p ? { error: p.error } : { value: v.trim() };
    }
    case 'tags': {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length === 0) return { error: t('lesson.trace.notTags', { param }) };
      const out: Record<string, string> = {};
      for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
        if (!['string', 'number', 'boolean'].includes(typeof raw)) return { error: t('lesson.trace.tagValue', { tag: k }) };
        out[k] = String(raw);
      }
      return { value: out };
    }
    case 'duration': {
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return { value: `${v}ms` };
      if (typeof v !== 'string') return { error: t('lesson.trace.notDuration', { param }) };
      if (v.includes('${')) return { value: v };
      try {
        const us = parseGoDuration(v.trim());
        if (us < 0) return { error: t('lesson.trace.negative', { param }) };
        return { value: v.trim() };
      } catch {
        return { error: t('lesson.trace.badDuration', { param, value: v }) };
      }
    }
    case 'eras': {
      const list = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'number' ? x.toFixed(1) : String(x)));
      const bad = list.find((x) => !(ERAS as readonly string[]).includes(x));
      if (bad !== undefined || list.length === 0) return { error: bad !== undefined ? t('lesson.trace.badErasNot', { param, eras: ERAS.join(', '), bad }) : t('lesson.trace.badEras', { param, eras: ERAS.join(', ') }) };
      return { value: list };
    }
  }
}
