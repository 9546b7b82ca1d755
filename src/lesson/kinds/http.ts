/** The `http` check's schema: a GET answers a status (and some text). */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const httpSchema = checkSchema({
  kind: 'http',
  required: { url: field.string },
  optional: { status: field.status, contains: field.string },
  title: (c) => (c.contains !== undefined ? t('check.title.httpContaining', { url: c.url, status: c.status ?? 200, text: c.contains }) : t('check.title.http', { url: c.url, status: c.status ?? 200 })),
  ports: { url: ['url'] },
  doc: { parameters: '`url`, `status?` (200), `contains?`', passes: 'a GET answers that status (and the body contains the text)' },
});
