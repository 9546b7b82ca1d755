/** The `container-present` check's schema: every matching pod has a container (a sidecar). */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';

export const containerPresentSchema = checkSchema({
  kind: 'container-present',
  required: { namespace: field.string, selector: field.selector, container: field.string },
  optional: {},
  title: (c) => ['container', c.container, 'in pods', c.selector, 'in', c.namespace].filter(Boolean).join(' '),
  doc: { parameters: '`namespace`, `selector`, `container`', passes: 'every matching pod has that container (e.g. `istio-proxy`)' },
});
