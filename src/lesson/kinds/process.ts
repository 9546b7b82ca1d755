/** The `process` check's schema: a background process the runner started is running (or stopped). */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const processSchema = checkSchema({
  kind: 'process',
  required: { name: field.processName, state: field.state },
  optional: {},
  title: (c) => (c.state === 'running' ? t('check.title.processRunning', { name: c.name }) : t('check.title.processStopped', { name: c.name })),
  doc: { parameters: '`name`, `state` (`running`/`stopped`)', passes: 'the background process this runner started is in that state' },
});
