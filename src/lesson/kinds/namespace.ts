/** The `namespace` check's schema: a namespace exists (with labels), or is gone. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';

export const namespaceSchema = checkSchema({
  kind: 'namespace',
  required: { name: field.string },
  optional: { labels: field.labels, absent: field.boolean },
  title(c) {
    if (c.absent) return `namespace ${c.name} absent`;
    const labels = c.labels ? Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(',') : '';
    return `namespace ${c.name}${labels ? ` labelled ${labels}` : ''} exists`;
  },
  doc: { parameters: '`name`, `labels?`, `absent?`', passes: 'the namespace exists (with those labels), or is gone when `absent: true`' },
});
