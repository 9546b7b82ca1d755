/** The `port-open` and `port-closed` checks' schemas: something (or nothing) listens on a local port. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const portOpenSchema = checkSchema({
  kind: 'port-open',
  required: { port: field.port },
  optional: {},
  title: (c) => t('check.title.portOpen', { port: c.port }),
  ports: { port: ['port'] },
  doc: { parameters: '`port`', passes: 'something listens on 127.0.0.1:port' },
});

export const portClosedSchema = checkSchema({
  kind: 'port-closed',
  required: { port: field.port },
  optional: {},
  title: (c) => t('check.title.portClosed', { port: c.port }),
  ports: { port: ['port'] },
  doc: { parameters: '`port`', passes: 'nothing listens on 127.0.0.1:port' },
});
