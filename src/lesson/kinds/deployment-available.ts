/** The `deployment-available` check's schema: a deployment (by name or selector) reports Available. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const deploymentAvailableSchema = checkSchema({
  kind: 'deployment-available',
  required: { namespace: field.string },
  optional: { name: field.string, selector: field.selector },
  rules(_c, at) {
    if (!at.given('name') && !at.given('selector')) at.problem(t('lesson.rule.deploymentNeeds'));
    if (at.given('name') && at.given('selector')) at.problem(t('lesson.rule.deploymentBoth'), 'selector');
  },
  title: (c) => (c.name ? t('check.title.deployment', { name: c.name, namespace: c.namespace }) : t('check.title.deployments', { selector: c.selector ?? '', namespace: c.namespace })),
  doc: { parameters: '`namespace`, `name` or `selector`', passes: 'the deployment(s) report Available' },
});
