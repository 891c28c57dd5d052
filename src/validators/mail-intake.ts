import { z } from 'zod';

/** views/admin/mail-intake/index.ejs, the form of an unmatched message: the customer it is from. */
export const mailIntakeFilingForm = z.object({
  customerId: z.coerce.number().int().positive(),
});
