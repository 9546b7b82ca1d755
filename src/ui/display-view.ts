/**
 * Where outside text enters the lesson screen: the session's view as display text (see
 * src/text/display-text.ts). Every string of the view — check results and diagnoses quoting the
 * cluster, notices quoting processes, the target's context name, the lesson of a file that is
 * not kubetutor's own, its source on the trust screen — is made inert before any layout
 * measures it. The command output keeps its raw lines: the screen draws them through
 * commandOutputRuns, which keeps their colours and nothing else.
 */
import type { SessionView } from '../engine/session.js';
import type { Lesson } from '../lesson/types.js';
import { inertStrings } from '../text/display-text.js';

const lessons = new WeakMap<Lesson, Lesson>();

/** The lesson as display text (computed once per lesson: it never changes). */
export function displayLesson(lesson: Lesson): Lesson {
  let shown = lessons.get(lesson);
  if (!shown) lessons.set(lesson, (shown = inertStrings(lesson, { lines: true })));
  return shown;
}

export function displayView(view: SessionView): SessionView {
  const { lesson, output, ...rest } = view;
  const shown = inertStrings(rest, { lines: true });
  // The command keeps its lines, as the lesson's copy does (the screen finds its frame by it).
  const shownOutput = output && { ...inertStrings({ ...output, lines: [] as string[] }, { lines: true }), lines: output.lines };
  return { ...shown, lesson: displayLesson(lesson), output: shownOutput };
}
