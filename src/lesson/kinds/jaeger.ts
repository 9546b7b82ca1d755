/** The `jaeger-traces` check's schema: Jaeger has traces for a service. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const jaegerTracesSchema = checkSchema({
  kind: 'jaeger-traces',
  required: { url: field.string, service: field.string },
  optional: { min: field.count, sinceLessonStart: field.boolean },
  title: (c) => (c.min !== undefined && c.min !== 1 ? t('check.title.jaegerMin', { min: c.min, service: c.service }) : t('check.title.jaeger', { service: c.service })),
  ports: { url: ['url'] },
  doc: {
    parameters: '`url`, `service`, `min?` (1), `sinceLessonStart?` (true)',
    passes: 'the Jaeger query API at `url` has traces for `service` (era-aware: `/api` or `/jaeger/api`, `productpage` or `productpage.default`)',
  },
});
