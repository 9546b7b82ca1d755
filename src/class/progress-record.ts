/**
 * One learner's progress as it is stored in the shared cluster: a labelled
 * ConfigMap per learner (`kubetutor-progress-<slug>`) holding `progress.json`.
 * Pure: no I/O.
 */

export interface LearnerProgress {
  learner: string;
  lesson: string;
  /** The current step's id, or 'done'. */
  current: string;
  currentIndex: number;
  steps: number;
  /** step id → ISO time it passed. */
  passed: Record<string, string>;
  lastFailure?: string;
  updatedAt: string;
  /** ISO time the current step became current. */
  stuckSince: string;
}

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'kubetutor';
export const LESSON_LABEL = 'kubetutor.dev/lesson';
export const LEARNER_LABEL = 'kubetutor.dev/learner';
export const PROGRESS_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
export const PROGRESS_KEY = 'progress.json';

/** A DNS-1123 label fragment (lowercase alnum and '-'), never empty, at most 40 characters (+ a hash when shortened or changed). */
export function slug(s: string): string {
  const base = s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const clean = base.slice(0, 40).replace(/-+$/g, '');
  if (clean === s && clean.length > 0) return clean;
  // Different names could slug alike ("Ann B" / "ann-b"): add a short hash of the original.
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  const tag = h.toString(36).slice(0, 6);
  return clean ? `${clean}-${tag}` : `learner-${tag}`;
}

/** A label value: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
function labelValue(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

export function configMapName(learner: string): string {
  return `kubetutor-progress-${slug(learner)}`;
}

export interface ProgressConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace: string; labels: Record<string, string>; resourceVersion?: string };
  data: Record<string, string>;
}

export function toConfigMap(ns: string, p: LearnerProgress): ProgressConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMapName(p.learner),
      namespace: ns,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [LESSON_LABEL]: labelValue(p.lesson), [LEARNER_LABEL]: slug(p.learner) },
    },
    data: { [PROGRESS_KEY]: JSON.stringify(p) },
  };
}

const isStr = (v: unknown): v is string => typeof v === 'string';

/** The progress a ConfigMap holds, or undefined when it holds none (or something malformed). */
export function fromConfigMap(cm: unknown): LearnerProgress | undefined {
  const raw = (cm as { data?: Record<string, unknown> } | undefined)?.data?.[PROGRESS_KEY];
  if (!isStr(raw)) return undefined;
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  if (!isStr(v.learner) || !isStr(v.lesson) || !isStr(v.current)) return undefined;
  const passed: Record<string, string> = {};
  if (v.passed && typeof v.passed === 'object') {
    for (const [k, t] of Object.entries(v.passed as Record<string, unknown>)) if (isStr(t)) passed[k] = t;
  }
  const updatedAt = isStr(v.updatedAt) ? v.updatedAt : new Date(0).toISOString();
  return {
    learner: v.learner,
    lesson: v.lesson,
    current: v.current,
    currentIndex: typeof v.currentIndex === 'number' ? v.currentIndex : 0,
    steps: typeof v.steps === 'number' ? v.steps : 0,
    passed,
    ...(isStr(v.lastFailure) ? { lastFailure: v.lastFailure } : {}),
    updatedAt,
    stuckSince: isStr(v.stuckSince) ? v.stuckSince : updatedAt,
  };
}
