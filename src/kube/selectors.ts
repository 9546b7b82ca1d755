/**
 * Label and field selectors as the Kubernetes API parses them
 * (`app=x,tier!=db`, `env in (a,b)`, `!canary`, `metadata.name=x`).
 */

export type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export class SelectorError extends Error {}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

function checkKey(key: string, whole: string): string {
  if (!KEY.test(key) || key.length > 316) throw new SelectorError(`unable to parse requirement: invalid label key "${key}" in selector "${whole}"`);
  return key;
}
function checkValue(value: string, whole: string): string {
  if (!VALUE.test(value) || value.length > 63) throw new SelectorError(`unable to parse requirement: invalid label value: "${value}" in selector "${whole}"`);
  return value;
}

export function parseLabelSelector(selector: string | undefined | null): Requirement[] {
  if (!selector) return [];
  const reqs: Requirement[] = [];
  for (const term of splitTerms(selector)) {
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^!\s*(\S+)$/))) {
      reqs.push({ key: checkKey(m[1], selector), op: 'notexists' });
    } else if ((m = term.match(/^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const values = m[3].split(',').map((v) => checkValue(v.trim(), selector));
      reqs.push({ key: checkKey(m[1], selector), op: m[2] as 'in' | 'notin', values });
    } else if ((m = term.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      reqs.push({ key: checkKey(m[1], selector), op: m[2] === '!=' ? 'neq' : 'eq', value: checkValue(m[3], selector) });
    } else if ((m = term.match(/^([^=!\s()]+)$/))) {
      reqs.push({ key: checkKey(m[1], selector), op: 'exists' });
    } else {
      throw new SelectorError(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return reqs;
}

export function matchesLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq': return has && l[r.key] === r.value;
      case 'neq': return !has || l[r.key] !== r.value;
      case 'in': return has && r.values.includes(l[r.key]);
      case 'notin': return !has || !r.values.includes(l[r.key]);
      case 'exists': return has;
      case 'notexists': return !has;
    }
  });
}

/** A LabelSelector object (matchLabels/matchExpressions) as workloads carry it. */
export function matchesSelectorObject(
  sel: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!sel) return false;
  const reqs: Requirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, value]) => ({ key, op: 'eq' as const, value }));
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') reqs.push({ key: e.key, op, values: e.values ?? [] });
    else if (op === 'exists') reqs.push({ key: e.key, op: 'exists' });
    else if (op === 'doesnotexist') reqs.push({ key: e.key, op: 'notexists' });
  }
  if (reqs.length === 0) return true;
  return matchesLabels(reqs, labels);
}

export interface FieldRequirement { path: string; op: 'eq' | 'neq'; value: string }

export function parseFieldSelector(selector: string | undefined | null): FieldRequirement[] {
  if (!selector) return [];
  return splitTerms(selector).map((term) => {
    const m = term.match(/^([A-Za-z0-9_.\-]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    return { path: m[1], op: m[2] === '!=' ? 'neq' : 'eq', value: m[3] };
  });
}

/** The field selectors a real API server supports for any resource, plus a few per kind. */
const FIELDS_FOR_ALL = ['metadata.name', 'metadata.namespace'];
const FIELDS_BY_KIND: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName', 'spec.hostNetwork'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  Namespace: ['status.phase'],
  Secret: ['type'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
};

export function checkFieldSelectorSupported(reqs: FieldRequirement[], kind: string): void {
  for (const r of reqs) {
    const allowed = FIELDS_FOR_ALL.includes(r.path) || (FIELDS_BY_KIND[kind] ?? []).includes(r.path);
    if (!allowed) throw new SelectorError(`field label not supported: ${r.path}`);
  }
}

function getPath(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[part];
    else return '';
  }
  if (cur === undefined || cur === null) return '';
  if (path === 'source' && typeof cur === 'object') return String((cur as Record<string, unknown>).component ?? '');
  return String(cur);
}

export function matchesFields(reqs: FieldRequirement[], obj: unknown): boolean {
  return reqs.every((r) => {
    const v = getPath(obj, r.path);
    return r.op === 'eq' ? v === r.value : v !== r.value;
  });
}
