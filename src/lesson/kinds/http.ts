/** The `http` check's schema: a GET answers a status (and some text). */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';

export const httpSchema = checkSchema({
  kind: 'http',
  required: { url: field.string },
  optional: { status: field.status, contains: field.string },
  title: (c) => `GET ${c.url} returns ${c.status ?? 200}${c.contains !== undefined ? ` containing "${c.contains}"` : ''}`,
  ports: { url: ['url'] },
  doc: { parameters: '`url`, `status?` (200), `contains?`', passes: 'a GET answers that status (and the body contains the text)' },
});
