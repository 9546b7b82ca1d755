/**
 * The trace viewer's effects, for the UI: the lesson's Jaeger (the URL of its first
 * jaeger-traces check), recent traces of its service, one trace, and the mark a trace-opened
 * check reads once the learner opened one.
 */
import type { Lesson } from '../../lesson/types.js';
import type { TraceSummary } from '../../traces/model-types.js';
import type { JaegerTrace } from '../../traces/jaeger-model.js';
import type { JaegerClient } from '../../traces/jaeger-client.js';
import { recordOpened } from '../../traces/opened-marker.js';
import { interpolate } from '../../lesson/interpolate.js';
import { remapPorts } from '../../lesson/port-remap.js';
import { t } from '../../i18n/index.js';

export class TraceAccess {
  private jaeger: Promise<JaegerClient> | undefined;
  private cache = new Map<string, JaegerTrace>();

  /** `movedPorts`: forwards moved by `m` (lesson port → port now); `dir`: where the opened mark is written. */
  constructor(private lesson: Lesson, private vars: () => Record<string, string>, private movedPorts: Map<number, number>, private dir: string) {}

  /** A forward moved: the next query connects afresh. */
  reconnect(): void {
    this.jaeger = undefined;
  }

  /** The Jaeger the lesson talks to: the URL of its first jaeger-traces check, variables filled in. */
  jaegerUrl(): string | undefined {
    for (const step of this.lesson.steps) {
      for (const c of step.checks) if (c.kind === 'jaeger-traces') return interpolate((remapPorts(c, this.movedPorts) as typeof c).url, this.vars());
    }
    return undefined;
  }

  /** Recent traces of the lesson's service (productpage unless a trace-opened check names another). */
  async summaries(): Promise<TraceSummary[]> {
    const url = this.jaegerUrl();
    if (!url) throw new Error(t('session.noJaegerCheck'));
    const { JaegerClient } = await import('../../traces/jaeger-client.js');
    const { summarizeTrace } = await import('../../traces/trace-model.js');
    const client = await (this.jaeger ??= JaegerClient.connect(url).catch((e) => {
      this.jaeger = undefined;
      throw e;
    }));
    const wanted = this.lesson.steps.flatMap((s) => s.checks).find((c) => c.kind === 'trace-opened' && c.service);
    const short = (wanted && wanted.kind === 'trace-opened' && wanted.service) || 'productpage';
    const services = await client.services();
    const service = services.find((s) => s === short || s.startsWith(`${short}.`)) ?? services[0];
    if (!service) return [];
    const traces = await client.search({ service, limit: 20 });
    for (const tr of traces) this.cache.set(tr.traceID, tr);
    return traces.map(summarizeTrace);
  }

  /** The call the lesson wants pointed out when a trace opens (`focus: caller -> callee` on its trace-opened check). */
  focus(): { from: string; to: string } | undefined {
    for (const c of this.lesson.steps.flatMap((s) => s.checks)) {
      if (c.kind !== 'trace-opened' || !c.focus) continue;
      const [from, to] = c.focus.split(/\s*->\s*|\s*→\s*/);
      if (from && to) return { from, to };
    }
    return undefined;
  }

  async load(id: string): Promise<JaegerTrace> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const client = await this.jaeger;
    if (!client) throw new Error(t('session.noJaegerConnection'));
    return client.trace(id);
  }

  /** The learner opened a trace in the viewer: marked where the trace-opened check looks. */
  opened(id: string): void {
    const tr = this.cache.get(id);
    if (tr) recordOpened(this.dir, tr);
  }
}
