/** The `trace-opened` check's schema: the learner opened a trace in kubetutor's trace viewer. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const traceOpenedSchema = checkSchema({
  kind: 'trace-opened',
  required: {},
  /** `focus`: `caller -> callee`, the viewer opens on that call's client span. */
  optional: { service: field.string, focus: field.string },
  title: (c) => (c.service ? t('check.title.traceOpenedOf', { service: c.service }) : t('check.title.traceOpened')),
  doc: {
    parameters: "`service?`, `focus?` (`caller -> callee`: the viewer opens on that call's client span)",
    passes: "the learner opened a trace (containing that service) in kubetutor's trace viewer: `t` in the runner, or `kubetutor traces` run from a lesson command",
  },
});
