/** The `trace` check's schema: recent traces show a span path (the path syntax: src/lesson/trace-path.ts). */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const traceSchema = checkSchema({
  kind: 'trace',
  /** `path`: `productpage -> reviews -> ratings`; `a > b` for a child span with no client span. */
  required: { url: field.string, path: field.tracePath },
  /**
   * `tags` every call on the path carries (compared as text); Go durations bounding each call's
   * client span; `min` traces that show it (1), of the newest `within` (20); `eras` it applies to
   * (elsewhere it passes, saying so).
   */
  optional: { tags: field.tags, maxDuration: field.duration, minDuration: field.duration, min: field.count, within: field.count, sinceLessonStart: field.boolean, eras: field.eras },
  title: (c) => (c.min !== undefined && c.min !== 1 ? t('check.title.traceMin', { min: c.min, path: c.path }) : t('check.title.trace', { path: c.path })),
  ports: { url: ['url'] },
  doc: {
    parameters: '`url`, `path`, `tags?`, `maxDuration?`, `minDuration?`, `min?` (1), `within?` (20), `sinceLessonStart?` (true), `eras?`',
    passes: 'one of the newest `within` traces in the Jaeger at `url` shows the span path (see below)',
  },
});
