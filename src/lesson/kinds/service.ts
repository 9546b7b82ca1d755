/** The `service` check's schema: a service exists, exposing some ports. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';

export const serviceSchema = checkSchema({
  kind: 'service',
  required: { namespace: field.string, name: field.string },
  optional: { ports: field.ports },
  title: (c) => `service ${c.name} in ${c.namespace}${c.ports ? ` (ports ${c.ports.join(', ')})` : ''}`,
  doc: { parameters: '`namespace`, `name`, `ports?`', passes: 'the service exists and exposes those ports' },
});
