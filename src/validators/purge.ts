import { z } from 'zod';

/** views/superadmin/purge-requests/new.ejs: the target's name or number, typed out (compared trimmed by the model). */
export const purgeRequestForm = z.object({
  confirmation: z.string({ error: 'purge:errors.confirmationRequired' }).trim().min(1, 'purge:errors.confirmationRequired').max(300, 'validation:tooLong'),
});

/** views/admin/purge-requests/show.ejs: an approval or a cancellation carries the version the person saw. */
export const purgeDecisionForm = z.object({ version: z.coerce.number().int().positive() });
