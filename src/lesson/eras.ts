/**
 * Era-aware lesson blocks: which Istio a command, solution, hint or paragraph
 * is for, and whether it applies to the cluster in front of the learner.
 * Pure: the runner detects the era (src/cluster/era.ts) and the tools on PATH;
 * this module only names, parses and matches.
 *
 * An author writes `when=era:1.0,1.1` on a fence (or `when="era:modern tool:istioctl"`),
 * and `::: when era:modern` … `:::` around prose (docs/lesson-format.md, "Eras").
 */
import { listText, t } from '../i18n/index.js';

/**
 * The eras a block may be for: the values of ISTIO_ERA (`1.0`, `1.1`, `modern`,
 * `none`), with 1.1 split in two where a lesson asks for it: `1.1-pre` is an
 * Istio 1.1 whose ingress gateway has the pre-release tracing Gateway on 15032
 * (the source doc's world); `1.1` is then released 1.1 only.
 */
export const ERAS = ['1.0', '1.1-pre', '1.1', 'modern', 'none'] as const;
export type Era = (typeof ERAS)[number];

export const isEra = (s: string): s is Era => (ERAS as readonly string[]).includes(s);

/** What a block is for: all of its conditions must hold. */
export interface When {
  /** For these eras only (any of them). */
  eras?: readonly Era[];
  /** Only where these commands are on PATH (all of them), e.g. istioctl. */
  tools?: readonly string[];
}

/** What the runner found that `when` conditions are matched against. */
export interface EraContext {
  /** The lesson era of this cluster (see `lessonEra`); undefined until it is known. */
  era?: Era;
  /** Commands found on PATH (of those the lesson's `when`s name). */
  tools: ReadonlySet<string>;
  /** Why this era, in a few words: `detected: istiod 1.29.6`. */
  why?: string;
}

const TOOL_RE = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

/**
 * Parses a `when` value: space-separated conditions `era:V[,V…]` and `tool:NAME[,NAME…]`.
 * Returns the conditions, or an error in the author's terms.
 */
export function parseWhen(text: string): { when: When } | { error: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return { error: t('lesson.when.empty') };
  const eras: Era[] = [];
  const tools: string[] = [];
  for (const w of words) {
    const m = /^([a-z]+)[:=](.*)$/.exec(w);
    if (!m) return { error: t('lesson.when.notCondition', { word: w }) };
    const values = m[2].split(',').map((v) => v.trim()).filter(Boolean);
    if (!values.length) return { error: t('lesson.when.noValues', { word: w, what: m[1] }) };
    if (m[1] === 'era') {
      for (const v of values) {
        if (!isEra(v)) return { error: t('lesson.when.unknownEra', { era: v, eras: ERAS.join(', ') }) };
        if (!eras.includes(v)) eras.push(v);
      }
    } else if (m[1] === 'tool') {
      for (const v of values) {
        if (!TOOL_RE.test(v)) return { error: t('lesson.when.notTool', { tool: v }) };
        if (!tools.includes(v)) tools.push(v);
      }
    } else return { error: t('lesson.when.unknownCondition', { what: m[1] }) };
  }
  return { when: { ...(eras.length ? { eras } : {}), ...(tools.length ? { tools } : {}) } };
}

/** Whether a block with these conditions applies here. Unknown era: era-specific blocks do not (yet). */
export function applies(when: When | undefined, ctx: EraContext): boolean {
  if (!when) return true;
  if (when.eras && (!ctx.era || !when.eras.includes(ctx.era))) return false;
  if (when.tools && !when.tools.every((t) => ctx.tools.has(t))) return false;
  return true;
}

/** True when the block is for some eras or tools only. */
export const conditional = (when: When | undefined): boolean => !!(when && (when.eras?.length || when.tools?.length));

/** An era in words, in the run's language: `current Istio`, `Istio 1.1 pre-release`. */
export const eraName = (era: Era): string => t(`era.${era}`);

/** The conditions in words: `for Istio 1.0, Istio 1.1 and current Istio, with istioctl`. */
export function whenText(when: When | undefined): string {
  if (!conditional(when)) return t('era.forEvery');
  const eras = when!.eras?.length ? listText(when!.eras.map(eraName)) : '';
  const tools = when!.tools?.length ? t('era.with', { tools: listText([...when!.tools]) }) : '';
  return t('era.for', { what: [eras, tools].filter(Boolean).join(' ') });
}

/** Why a block does not apply here, in a few words (for marking it on screen). */
export function notHereText(when: When | undefined, ctx: EraContext): string {
  if (when?.eras && (!ctx.era || !when.eras.includes(ctx.era))) return ctx.era ? t('era.notThisCluster', { era: eraName(ctx.era) }) : t('era.eraNotYet');
  const missing = (when?.tools ?? []).filter((t) => !ctx.tools.has(t));
  return missing.length ? t('era.notOnPath', { tools: listText(missing) }) : '';
}

/**
 * The lesson era of a cluster: the detected Istio era (ISTIO_ERA's value), with a
 * pre-release 1.1 (a Gateway on the gateway's 15032) told apart only when the
 * lesson names `1.1-pre` among its eras; otherwise it counts as `1.1`.
 */
export function lessonEra(istio: { era: '1.0' | '1.1' | 'modern' | null; gatewayListens15032: boolean }, lessonEras: readonly Era[]): Era {
  if (istio.era === null) return 'none';
  if (istio.era === '1.1' && istio.gatewayListens15032 && lessonEras.includes('1.1-pre')) return '1.1-pre';
  return istio.era;
}

/** Why the cluster is of that era, in a few words: `detected: istiod 1.29.6`. */
export function eraWhy(istio: { era: '1.0' | '1.1' | 'modern' | null; version?: string; controlPlane?: string; gatewayListens15032: boolean }, era: Era): string {
  if (era === 'none') return t('era.detectedNone');
  const cp = `${istio.controlPlane ?? (era === 'modern' ? 'istiod' : 'istio-pilot')}${istio.version ? ` ${istio.version}` : ''}`;
  if (era === '1.1-pre') return t('era.detectedGateway', { controlPlane: cp });
  if (era === '1.1' && !istio.gatewayListens15032) return t('era.detectedNoGateway', { controlPlane: cp });
  return t('era.detected', { controlPlane: cp });
}

/** The eras a lesson speaks of: its front matter's `eras`, else every era its `when`s name. */
export function lessonEras(declared: readonly Era[] | undefined, named: Iterable<Era>): Era[] {
  if (declared?.length) return [...declared];
  const set = new Set(named);
  return ERAS.filter((e) => set.has(e));
}

/** Items in the order the screen shows them: those that apply here first, each group in authored order. */
export function appliesFirst<T extends { when?: When }>(items: readonly T[], ctx: EraContext): Array<{ item: T; index: number; applies: boolean }> {
  const all = items.map((item, index) => ({ item, index, applies: applies(item.when, ctx) }));
  return [...all.filter((x) => x.applies), ...all.filter((x) => !x.applies)];
}

interface Whens { steps: ReadonlyArray<{ commands: ReadonlyArray<{ when?: When }>; solution: ReadonlyArray<{ when?: When }>; checks: ReadonlyArray<{ when?: When }>; hintWhen?: ReadonlyArray<When | undefined>; prose?: ReadonlyArray<{ when?: When }> }> }

/** Every `when` in a lesson. */
export function lessonWhens(lesson: Whens): When[] {
  return lesson.steps.flatMap((s) => [...s.commands, ...s.solution, ...s.checks, ...(s.prose ?? [])].map((x) => x.when).concat(s.hintWhen ?? [])).filter((w): w is When => !!w);
}

/** The eras a lesson's `when`s name. */
export const namedEras = (lesson: Whens): Set<Era> => new Set(lessonWhens(lesson).flatMap((w) => w.eras ?? []));

/** The tools a lesson's `when`s need (what the runner looks for on PATH). */
export const namedTools = (lesson: Whens): Set<string> => new Set(lessonWhens(lesson).flatMap((w) => w.tools ?? []));

/** The summary of a check that is for other eras: not evaluated here, and counted as met. */
export function notAskedSummary(title: string, when: When | undefined, ctx: EraContext): string {
  return t('era.notAsked', { title, when: whenText(when), era: ctx.era ? eraName(ctx.era) : t('era.unknown') });
}
