/** The `trace-opened` check's schema: the learner opened a trace in kubetutor's trace viewer. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';

export const traceOpenedSchema = checkSchema({
  kind: 'trace-opened',
  required: {},
  /** `focus`: `caller -> callee`, the viewer opens on that call's client span. */
  optional: { service: field.string, focus: field.string },
  title: (c) => `a trace${c.service ? ` of ${c.service}` : ''} opened in the trace viewer`,
  doc: {
    parameters: "`service?`, `focus?` (`caller -> callee`: the viewer opens on that call's client span)",
    passes: "the learner opened a trace (containing that service) in kubetutor's trace viewer: `t` in the runner, or `kubetutor traces` run from a lesson command",
  },
});
