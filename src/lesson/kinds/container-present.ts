/** The `container-present` check's schema: every matching pod has a container (a sidecar). */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const containerPresentSchema = checkSchema({
  kind: 'container-present',
  required: { namespace: field.string, selector: field.selector, container: field.string },
  optional: {},
  title: (c) => t('check.title.containerPresent', { container: c.container, selector: c.selector, namespace: c.namespace }),
  doc: { parameters: '`namespace`, `selector`, `container`', passes: 'every matching pod has that container (e.g. `istio-proxy`)' },
});
