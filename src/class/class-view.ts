/**
 * The instructor's view of a class: learners × steps, who is stuck longest and on what,
 * totals per step. Pure: records in, a summary and lines of text out.
 */
import type { LearnerProgress } from './progress-record.js';
import { t } from '../i18n/index.js';
import { cellWidth, padCells, truncateCells } from '../text/cells.js';

export interface ClassRow {
  learner: string;
  lesson: string;
  current: string;
  currentIndex: number;
  /** How long the learner has been on the current step (0 when done). */
  stuckForMs: number;
  lastFailure?: string;
  passedCount: number;
  passed: Record<string, string>;
  updatedAt: string;
}

export interface ClassSummary {
  /** The step ids, in lesson order (the grid's columns). */
  stepIds: string[];
  rows: ClassRow[];
  /** step id → learners on it now (`at`) and learners who passed it. */
  perStep: Record<string, { at: number; passed: number }>;
  done: number;
  stuckLongest?: { learner: string; step: string; stuckForMs: number; lastFailure?: string };
}

export function summarizeClass(records: LearnerProgress[], stepIds: string[], now: number): ClassSummary {
  const perStep: Record<string, { at: number; passed: number }> = {};
  for (const id of stepIds) perStep[id] = { at: 0, passed: 0 };
  let done = 0;
  const rows: ClassRow[] = records.map((r) => {
    const finished = r.current === 'done';
    if (finished) done++;
    else (perStep[r.current] ??= { at: 0, passed: 0 }).at++;
    for (const id of Object.keys(r.passed)) (perStep[id] ??= { at: 0, passed: 0 }).passed++;
    const since = Date.parse(r.stuckSince);
    return {
      learner: r.learner,
      lesson: r.lesson,
      current: r.current,
      currentIndex: r.currentIndex,
      stuckForMs: finished || Number.isNaN(since) ? 0 : Math.max(0, now - since),
      ...(r.lastFailure && !finished ? { lastFailure: r.lastFailure } : {}),
      passedCount: Object.keys(r.passed).length,
      passed: r.passed,
      updatedAt: r.updatedAt,
    };
  });
  rows.sort((a, b) => b.stuckForMs - a.stuckForMs || a.learner.localeCompare(b.learner));
  const top = rows.find((r) => r.current !== 'done');
  return {
    stepIds: [...stepIds, ...Object.keys(perStep).filter((id) => !stepIds.includes(id))],
    rows,
    perStep,
    done,
    ...(top ? { stuckLongest: { learner: top.learner, step: top.current, stuckForMs: top.stuckForMs, ...(top.lastFailure ? { lastFailure: top.lastFailure } : {}) } } : {}),
  };
}

/** The step ids of a class when no lesson is at hand: ordered by the learners' indexes where known. */
export function stepIdsOf(records: LearnerProgress[]): string[] {
  const pos = new Map<string, number>();
  for (const r of records) {
    if (r.current !== 'done' && !pos.has(r.current)) pos.set(r.current, r.currentIndex);
    const ordered = Object.entries(r.passed).sort((a, b) => a[1].localeCompare(b[1]));
    ordered.forEach(([id], i) => {
      if (!pos.has(id)) pos.set(id, i);
    });
  }
  return [...pos.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([id]) => id);
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `s` in exactly `w` terminal cells: padded, or cut with `…` (a Chinese word is two cells a character). */
const fit = (s: string, w: number) => (w <= 0 ? '' : cellWidth(s) <= w ? padCells(s, w) : truncateCells(s, w));

/** A learners × steps grid: ✓ passed, ● current, · not yet; stuck time and last failure; a totals row. */
export function classToText(summary: ClassSummary, width = 100): string[] {
  const stepIds = summary.stepIds;
  const labels = [t('author.class.step'), t('author.class.onStep'), t('author.class.passed')];
  const nameW = Math.min(20, Math.max(7, ...labels.map(cellWidth), ...summary.rows.map((r) => cellWidth(r.learner))));
  const cellW = 4;
  const lines: string[] = [];
  const learners = summary.rows.length;
  const longest = summary.stuckLongest;
  lines.push(fit(`${t('author.class.learners', { count: learners, done: summary.done })}${longest ? t('author.class.stuckLongest', { learner: longest.learner, step: longest.step, duration: formatDuration(longest.stuckForMs) }) : ''}`, width).trimEnd());
  lines.push(fit(`${padCells(t('author.class.step'), nameW)} ${stepIds.map((_, i) => String(i + 1).padStart(3).padEnd(cellW)).join('')} ${padCells(t('author.class.stuck'), 7)} ${t('author.class.lastFailure')}`, width).trimEnd());
  for (const r of summary.rows) {
    const cells = stepIds
      .map((id) => (r.passed[id] ? '  ✓ ' : r.current === id ? '  ● ' : '  · '))
      .join('');
    const stuck = r.current === 'done' ? t('author.class.done') : formatDuration(r.stuckForMs);
    const head = `${fit(r.learner, nameW)} ${cells} ${padCells(stuck, 7)} `;
    lines.push(`${head}${fit(r.lastFailure ?? '', width - cellWidth(head))}`.trimEnd());
  }
  const at = stepIds.map((id) => String(summary.perStep[id]?.at ?? 0).padStart(3).padEnd(cellW)).join('');
  const passed = stepIds.map((id) => String(summary.perStep[id]?.passed ?? 0).padStart(3).padEnd(cellW)).join('');
  lines.push(`${fit(t('author.class.onStep'), nameW)} ${at}`.trimEnd());
  lines.push(`${fit(t('author.class.passed'), nameW)} ${passed}`.trimEnd());
  lines.push(fit(t('author.class.steps', { steps: stepIds.map((id, i) => `${i + 1}=${id}`).join(' ') }), width).trimEnd());
  return lines;
}
