import { z } from 'zod';

/**
 * views/partials/mail-intake-actions.ejs, the form of an unmatched message: the customer it is from,
 * chosen from a list, or (a provider with many customers) named by its number or tax id.
 */
export const mailIntakeFilingForm = z.union([
  z.object({ customerId: z.coerce.number().int().positive() }),
  z.object({ customerReference: z.string().trim().min(1).max(100) }),
]);

export type MailIntakeFiling = z.infer<typeof mailIntakeFilingForm>;
