/**
 * Where outside text enters the trace viewer: a trace model whose names are display text (see
 * src/text/display-text.ts). The names of every span, service and pair are made inert here,
 * before the list, the waterfall or the search see them — two short strings per span, so a
 * 50,000-span trace costs milliseconds. Tags, process tags and logs, drawn only in the details
 * pane of one span at a time, are not copied (a whole trace's are tens of megabytes: walking them
 * took longer than building the model, measured); the screen's last guard (Line in src/ui/terminal.tsx; in plain output, each line)
 * shows their controls inertly, one cell each for C0, as the pane counted them.
 */
import type { SpanNode, TraceModel } from './model-types.js';
import { displayText, hasSteering, inertStrings } from '../text/display-text.js';

const STEERING_OR_NEWLINE = (s: string) => hasSteering(s) || s.includes('\n');

export function displayModel(model: TraceModel): TraceModel {
  let spans: Map<string, SpanNode> | undefined;
  for (const [id, s] of model.spans) {
    if (!STEERING_OR_NEWLINE(s.operation) && !STEERING_OR_NEWLINE(s.service) && !(s.warnings && s.warnings.some(STEERING_OR_NEWLINE))) continue;
    spans ??= new Map(model.spans);
    spans.set(id, { ...s, operation: displayText(s.operation), service: displayText(s.service), ...(s.warnings ? { warnings: s.warnings.map((w) => displayText(w)) } : {}) });
  }
  const small = inertStrings({ services: model.services, pairs: model.pairs, rootService: model.rootService, rootOperation: model.rootOperation, warnings: model.warnings });
  if (!spans && small.services === model.services && small.pairs === model.pairs && small.rootService === model.rootService && small.rootOperation === model.rootOperation && small.warnings === model.warnings) return model;
  return { ...model, ...small, spans: spans ?? model.spans };
}
