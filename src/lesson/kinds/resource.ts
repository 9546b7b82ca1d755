/** The `resource` check's schema: any object (an Istio Gateway …) exists, or does not. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';

export const resourceSchema = checkSchema({
  kind: 'resource',
  required: { apiVersion: field.string, resourceKind: field.string },
  optional: { namespace: field.string, name: field.string, selector: field.selector, absent: field.boolean },
  rules(_c, at) {
    if (at.given('name') && at.given('selector')) at.problem('resource check takes "name" or "selector", not both', 'selector');
  },
  title: (c) => [c.resourceKind, c.name ?? c.selector, c.namespace ? `in ${c.namespace}` : '', c.absent ? 'absent' : 'exists'].filter(Boolean).join(' '),
  doc: {
    parameters: '`apiVersion`, `resourceKind`, `namespace?`, `name?` or `selector?`, `absent?`',
    passes: 'such an object exists (or not); for Istio resources such as Gateway',
  },
});
