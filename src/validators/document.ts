import { z } from 'zod';
import { requiredText } from './form.js';

/** The longest description of a document, in characters. */
export const documentDescriptionLength = 2000;

/** The "add document" form (views/portal/documents/index.ejs); its files are checked as they arrive (middleware/uploads.ts). */
export const documentCreateForm = z
  .object({
    title: requiredText(200),
    description: z.string().trim().max(documentDescriptionLength, 'validation:tooLong').optional(),
    submissionKey: z.uuid().optional().catch(undefined),
  })
  .transform((form) => ({ title: form.title, description: form.description || null, submissionKey: form.submissionKey ?? null }));

export const documentFormFields = ['title', 'description', 'submissionKey'] as const;
