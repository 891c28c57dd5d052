import { z } from 'zod';
import { importKinds } from '../lib/import-rows.js';

/** views/admin/imports/index.ejs: which kind of file, and whether only to check it (the default) or to import it. */
export const importCreateForm = z
  .object({
    kind: z.enum(importKinds, { error: 'imports:form.kindRequired' }),
    mode: z.enum(['dry-run', 'import'], { error: 'imports:form.modeRequired' }).default('dry-run'),
  })
  .transform((form) => ({ kind: form.kind, isDryRun: form.mode === 'dry-run' }));

export const importFormFields = ['kind', 'mode'];
