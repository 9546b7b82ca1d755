/**
 * The screen's side of era-aware blocks (src/lesson/eras.ts): what applies to
 * the cluster in front of the learner comes first and says why; the rest stays
 * readable, dimmed and marked with the Istio it is for. Pure.
 */
import type { Command, Step } from '../lesson/types.js';
import { applies, appliesFirst, conditional, eraName, notHereText, whenText, type EraContext, type When } from '../lesson/eras.js';
import { renderMarkdown, type Line as MdLine } from './markdown.js';
import { t } from '../i18n/index.js';

const NO_CONTEXT: EraContext = { tools: new Set() };

export const contextOf = (ctx: EraContext | undefined): EraContext => ctx ?? NO_CONTEXT;

/** `current Istio — detected: istiod 1.29.6`, or that the era is not known yet. */
export function thisCluster(ctx: EraContext): string {
  return ctx.era ? `${eraName(ctx.era)}${ctx.why ? ` — ${ctx.why}` : ''}` : t('era.notDetected');
}

/** The same in fewer cells, for a line at the top of a step: `current Istio (istiod 1.29.6)`. */
export function thisClusterBrief(ctx: EraContext): string {
  if (!ctx.era) return thisCluster(ctx);
  if (!ctx.why) return eraName(ctx.era);
  const lead = t('era.detected', { controlPlane: '' }); // `detected: `, whose word the brief form drops
  return t('era.brief', { era: eraName(ctx.era), why: ctx.why.startsWith(lead) ? ctx.why.slice(lead.length) : ctx.why });
}

const SHORT: Record<string, () => string> = { modern: () => t('era.short.modern'), none: () => t('era.short.none') };

/** A compact mark for a block that does not apply here: `for 1.1-pre`, `for 1.0/1.1`, `needs istioctl`. */
export function shortTag(when: When | undefined, ctx: EraContext | undefined): string {
  const c = contextOf(ctx);
  if (when?.eras && (!c.era || !when.eras.includes(c.era))) return t('era.forShort', { eras: when.eras.map((e) => SHORT[e]?.() ?? e).join('/') });
  const missing = (when?.tools ?? []).filter((t) => !c.tools.has(t));
  return missing.length ? t('era.needs', { tools: missing.join(', ') }) : '';
}

/** Whether a step has blocks for some eras only (then the screen orders and marks them). */
export const eraAware = (items: ReadonlyArray<{ when?: When }>): boolean => items.some((c) => conditional(c.when));

/** A step's commands in screen order (those that apply here first), with their indices in `step.commands`. */
export function commandOrder(step: Step, ctx: EraContext | undefined): Array<{ command: Command; index: number; applies: boolean }> {
  if (!eraAware(step.commands)) return step.commands.map((command, index) => ({ command, index, applies: true }));
  return appliesFirst(step.commands, contextOf(ctx)).map(({ item, index, applies: a }) => ({ command: item, index, applies: a }));
}

/** The short tag a command for other eras carries: `[for Istio 1.0 and Istio 1.1]`. */
export const otherTag = (when: When | undefined, ctx: EraContext | undefined): string => `${whenText(when)} — ${notHereText(when, contextOf(ctx))}`;

/**
 * The step's prose as Markdown lines: a `::: when` section that applies here is
 * labelled as being for this cluster; one that does not is dimmed under a label
 * saying which Istio it is for.
 */
export function proseLines(step: Step, width: number, ctx: EraContext | undefined): MdLine[] {
  if (!step.prose) return renderMarkdown(step.body, width);
  const c = contextOf(ctx);
  const out: MdLine[] = [];
  step.prose.forEach((seg, i) => {
    if (i > 0) out.push([]);
    const lines = renderMarkdown(seg.text, Math.max(1, width - 2));
    if (!conditional(seg.when)) {
      out.push(...renderMarkdown(seg.text, width));
      return;
    }
    const here = applies(seg.when, c);
    out.push([{ text: `▎ ${whenText(seg.when)} — ${here ? t('era.thisCluster') : notHereText(seg.when, c)}`, bold: here, dim: !here }]);
    for (const l of lines) out.push([{ text: '▎ ', dim: true }, ...(here ? l : l.map((s) => ({ ...s, dim: true })))]);
  });
  return out;
}

export interface SolutionView {
  /** The lines that complete the step on this cluster. */
  here: Command[];
  /** The lines for other eras (or missing tools), grouped by what they are for. */
  others: Array<{ label: string; lines: Command[] }>;
  /** Set when the solution differs by era: for which cluster `here` is. */
  heading?: string;
}

export function solutionView(step: Step, ctx: EraContext | undefined): SolutionView {
  const c = contextOf(ctx);
  if (!eraAware(step.solution)) return { here: step.solution, others: [] };
  const here = step.solution.filter((l) => applies(l.when, c));
  const others: SolutionView['others'] = [];
  for (const l of step.solution) {
    if (applies(l.when, c)) continue;
    const label = whenText(l.when);
    const group = others.find((g) => g.label === label);
    if (group) group.lines.push(l);
    else others.push({ label, lines: [l] });
  }
  return { here, others, heading: thisCluster(c) };
}

/** The hints in screen order, those for other eras marked. */
export function hintTexts(step: Step, ctx: EraContext | undefined): string[] {
  if (!step.hintWhen) return step.hints;
  const c = contextOf(ctx);
  const items = step.hints.map((text, i) => ({ text, when: step.hintWhen?.[i] }));
  return appliesFirst(items, c).map(({ item, applies: a }) => (a ? item.text : `*(${whenText(item.when)} — ${notHereText(item.when, c)})*\n${item.text}`));
}
