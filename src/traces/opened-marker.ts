/**
 * How the trace viewer tells a running lesson that the learner opened a trace:
 * a line `TRACE_ID SERVICE,SERVICE…` appended to `traces-opened` in the
 * session's directory (the `trace-opened` check reads it).
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JaegerTrace } from './jaeger-model.js';

export const TRACES_OPENED_FILE = 'traces-opened';

export function recordOpened(dir: string | undefined, trace: JaegerTrace): void {
  if (!dir) return;
  const services = new Set<string>();
  for (const s of trace.spans) {
    const p = s.process ?? (s.processID ? trace.processes?.[s.processID] : undefined);
    if (p?.serviceName) services.add(p.serviceName);
  }
  try {
    appendFileSync(join(dir, TRACES_OPENED_FILE), `${trace.traceID} ${[...services].join(',')}\n`);
  } catch {
    /* the lesson is gone: nothing to tell */
  }
}
