/** The `resource` check's schema: any object (an Istio Gateway …) exists, or does not. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const resourceSchema = checkSchema({
  kind: 'resource',
  required: { apiVersion: field.string, resourceKind: field.string },
  optional: { namespace: field.string, name: field.string, selector: field.selector, absent: field.boolean },
  rules(_c, at) {
    if (at.given('name') && at.given('selector')) at.problem(t('lesson.rule.resourceBoth'), 'selector');
  },
  title: (c) => resourceTitle(c),
  doc: {
    parameters: '`apiVersion`, `resourceKind`, `namespace?`, `name?` or `selector?`, `absent?`',
    passes: 'such an object exists (or not); for Istio resources such as Gateway',
  },
});

/** `Gateway tracing-gateway in istio-system exists`; without a name or selector, the kind alone. */
function resourceTitle(c: { resourceKind: string; name?: string; selector?: string; namespace?: string; absent?: boolean }): string {
  const what = [c.resourceKind, c.name ?? c.selector].filter(Boolean).join(' ');
  if (c.namespace) return c.absent ? t('check.title.resourceAbsentIn', { what, namespace: c.namespace }) : t('check.title.resourceIn', { what, namespace: c.namespace });
  return c.absent ? t('check.title.resourceAbsent', { what }) : t('check.title.resource', { what });
}
