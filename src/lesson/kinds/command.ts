/** The `command` check's schema: a shell command exits 0 (the escape hatch). */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const commandSchema = checkSchema({
  kind: 'command',
  required: { run: field.string },
  optional: { timeoutMs: field.ms },
  title(c) {
    const first = c.run.trim().split('\n')[0];
    const more = first.length > 60 || c.run.trim().includes('\n');
    return t('check.title.command', { command: `${first.length > 60 ? first.slice(0, 59) : first}${more ? '…' : ''}` });
  },
  // Its localhost URLs move with `--port`; bash expands its `${VAR}`s from the environment.
  ports: { shell: ['run'] },
  verbatim: ['run'],
  doc: { parameters: '`run`, `timeoutMs?`', passes: 'the shell command exits 0 (the escape hatch)' },
});
