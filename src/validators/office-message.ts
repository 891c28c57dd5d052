import { z } from 'zod';
import { requiredText } from './form.js';
import { maximumMessageLength } from './ticket.js';

/** views/portal/office-messages/new.ejs: a client's message to the office (C1), its subject and text. */
export const officeMessageForm = z.object({
  subject: requiredText(200),
  message: z
    .string({ error: 'validation:required' })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().min(1, 'validation:required').max(maximumMessageLength, 'validation:tooLong')),
  submissionKey: z.uuid().optional().catch(undefined),
});
export const officeMessageFields = ['subject', 'message', 'submissionKey'] as const;
