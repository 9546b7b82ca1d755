/**
 * The `trace` check's path syntax and parameter types, for the lesson parser
 * and linter (pure, and light: the parser loads it without the Jaeger client
 * that src/checks/trace.ts, the kind's gather and judge, needs).
 *
 *   productpage -> reviews -> ratings     each -> a call: a client span of the
 *                                         caller, the callee's server span its child
 *   reviews > istio-policy                a span of istio-policy right under one of
 *                                         reviews, with no client span (Mixer's Check)
 */
import type { IstioEraName } from '../cluster/era.js';
import type { CheckOf } from './types.js';
import { parseGoDuration } from '../sandbox/workloads/go-duration.js';
import { bareService } from '../traces/trace-model.js';

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
  if (parts.length < 3) return { error: `"path" needs at least two services joined by -> (a call) or > (a direct child span), like "productpage -> reviews"; got "${text.trim()}"` };
  const services: string[] = [];
  const hops: TraceHop[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const name = parts[i];
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(name)) {
      return { error: name === '' ? `"path" has an arrow with no service on one side: "${text.trim()}"` : `"path": "${name}" is not a service name (letters, digits, - _ . :)` };
    }
    services.push(name);
    if (i > 0) hops.push({ from: services[services.length - 2], to: name, link: parts[i - 1] === '->' ? 'call' : 'child' });
  }
  return { hops, services };
}

export type TraceParamType = 'path' | 'tags' | 'duration' | 'eras';

const ERAS: readonly IstioEraName[] = ['1.0', '1.1', 'modern'];

/**
 * Validates one of the kind's own parameter types for the lesson parser:
 * the converted value, or an error message (without the "trace check:" prefix).
 */
export function convertTraceParam(type: TraceParamType, param: string, v: unknown): { value: unknown } | { error: string } {
  switch (type) {
    case 'path': {
      if (typeof v !== 'string' || v.trim() === '') return { error: `"${param}" must be a path like "productpage -> reviews -> ratings"` };
      if (v.includes('${')) return { value: v.trim() };
      const p = parseTracePath(v);
      return 'error' in p ? { error: p.error } : { value: v.trim() };
    }
    case 'tags': {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length === 0) return { error: `"${param}" must be a mapping of tag names to values, like {http.status_code: 200}` };
      const out: Record<string, string> = {};
      for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
        if (!['string', 'number', 'boolean'].includes(typeof raw)) return { error: `tag "${k}" must have a string, number or true/false value` };
        out[k] = String(raw);
      }
      return { value: out };
    }
    case 'duration': {
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return { value: `${v}ms` };
      if (typeof v !== 'string') return { error: `"${param}" must be a duration like 250ms or 1.5s` };
      if (v.includes('${')) return { value: v };
      try {
        const us = parseGoDuration(v.trim());
        if (us < 0) return { error: `"${param}" must not be negative` };
        return { value: v.trim() };
      } catch {
        return { error: `"${param}" must be a duration like 250ms or 1.5s, not "${v}"` };
      }
    }
    case 'eras': {
      const list = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'number' ? x.toFixed(1) : String(x)));
      const bad = list.find((x) => !(ERAS as readonly string[]).includes(x));
      if (bad !== undefined || list.length === 0) return { error: `"${param}" must list Istio eras among ${ERAS.join(', ')}${bad !== undefined ? `, not "${bad}"` : ''}` };
      return { value: list };
    }
  }
}

/** What the lesson linter warns about in a trace check (it parses, but will not do what the author means). */
export function lintTraceCheck(check: CheckOf<'trace'>): string[] {
  const p = parseTracePath(check.path);
  if ('error' in p) return [];
  const out: string[] = [];
  for (const h of p.hops) {
    if (h.link === 'call' && bareService(h.to) === 'istio-policy') {
      out.push(`trace check: "${h.from} -> ${h.to}": istio-policy's Check span has no client span above it (the sidecar's Mixer filter makes the call); write "${h.from} > ${h.to}"`);
    }
  }
  // Either the check's own eras, or its block's (`check {when=era:1.0,1.1}`), may keep it off modern Istio.
  const offModern = !!check.eras || (!!check.when?.eras && !check.when.eras.includes('modern'));
  if (p.hops.some((h) => bareService(h.to) === 'istio-policy') && !offModern) {
    out.push('trace check: istio-policy spans exist only on Istio 1.0 and 1.1 (Mixer); add eras: [1.0, 1.1] (or put it in a check {when=era:1.0,1.1} block) so the check passes on modern Istio');
  }
  return out;
}

