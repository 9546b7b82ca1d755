/** The `pods-ready` check's schema: enough pods matching a selector, all Ready. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const podsReadySchema = checkSchema({
  kind: 'pods-ready',
  required: { namespace: field.string, selector: field.selector },
  optional: { min: field.count },
  title: (c) => (c.min !== undefined && c.min !== 1 ? t('check.title.podsReadyMin', { min: c.min, selector: c.selector, namespace: c.namespace }) : t('check.title.podsReady', { selector: c.selector, namespace: c.namespace })),
  doc: { parameters: '`namespace`, `selector`, `min?` (1)', passes: 'at least `min` pods match the label selector and all matching pods are Ready' },
});
