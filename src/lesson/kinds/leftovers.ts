/** The `no-leftovers` check's schema: nothing the lesson's manifests created is still there. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const noLeftoversSchema = checkSchema({
  kind: 'no-leftovers',
  /** `files`: manifests, relative to the lesson folder. */
  required: { files: field.strings },
  /** `namespace`: for objects that name none (default `default`); `kinds`: default Deployment, Service, Gateway, VirtualService. */
  optional: { namespace: field.string, kinds: field.strings },
  title: (c) => (c.namespace ? t('check.title.leftoversIn', { files: c.files.join(', '), namespace: c.namespace }) : t('check.title.leftovers', { files: c.files.join(', ') })),
  doc: {
    parameters: '`files` (manifests, relative to the lesson folder), `namespace?` (`default`), `kinds?` (Deployment, Service, Gateway, VirtualService)',
    passes: 'none of the objects of those kinds that the files create is still in the cluster (for clean-up steps); a failure lists what is left',
  },
});
