/** The `pods-ready` check's schema: enough pods matching a selector, all Ready. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';

export const podsReadySchema = checkSchema({
  kind: 'pods-ready',
  required: { namespace: field.string, selector: field.selector },
  optional: { min: field.count },
  title: (c) => [c.min !== undefined && c.min !== 1 ? `at least ${c.min}` : '', 'pods', c.selector, 'Ready in', c.namespace].filter(Boolean).join(' '),
  doc: { parameters: '`namespace`, `selector`, `min?` (1)', passes: 'at least `min` pods match the label selector and all matching pods are Ready' },
});
