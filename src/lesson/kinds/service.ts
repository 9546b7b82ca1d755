/** The `service` check's schema: a service exists, exposing some ports. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const serviceSchema = checkSchema({
  kind: 'service',
  required: { namespace: field.string, name: field.string },
  optional: { ports: field.ports },
  title: (c) => (c.ports ? t('check.title.servicePorts', { name: c.name, namespace: c.namespace, ports: c.ports.join(', ') }) : t('check.title.service', { name: c.name, namespace: c.namespace })),
  doc: { parameters: '`namespace`, `name`, `ports?`', passes: 'the service exists and exposes those ports' },
});
