/** The `namespace` check's schema: a namespace exists (with labels), or is gone. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const namespaceSchema = checkSchema({
  kind: 'namespace',
  required: { name: field.string },
  optional: { labels: field.labels, absent: field.boolean },
  title(c) {
    if (c.absent) return t('check.title.namespaceAbsent', { name: c.name });
    const labels = c.labels ? Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(',') : '';
    return labels ? t('check.title.namespaceLabelled', { name: c.name, labels }) : t('check.title.namespace', { name: c.name });
  },
  doc: { parameters: '`name`, `labels?`, `absent?`', passes: 'the namespace exists (with those labels), or is gone when `absent: true`' },
});
