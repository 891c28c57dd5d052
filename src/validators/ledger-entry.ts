import { z } from 'zod';
import { isCalendarDate } from '../lib/time.js';
import { moneyOf, parseAmount, type Money } from '../lib/money.js';
import { paymentMethods } from '../models/ledger.js';
import { requiredText } from './form.js';

/** The fields of the payment form, as the user typed them (kept on a refusal). */
export const paymentFields = ['customerId', 'paidOn', 'method', 'amount', 'reference', 'paysEntryId', 'submissionKey'] as const;

const date = z.string({ error: 'payments:errors.date' }).trim().refine(isCalendarDate, 'payments:errors.date');
const optionalText = (max: number) => z.string().trim().max(max, 'validation:tooLong').optional().transform((value) => value || null);

/** An amount typed in Polish or English notation ("1 234,56", "1234.56"), exact, in the currency's minor units; more than zero. */
function amountField(currency: string) {
  return z
    .string({ error: 'payments:errors.amount' })
    .transform((text, context): Money => {
      const minor = parseAmount(text, currency);
      if (minor === null) {
        context.addIssue({ code: 'custom', message: 'payments:errors.amount' });
        return z.NEVER;
      }
      if (minor <= 0) {
        context.addIssue({ code: 'custom', message: 'money:errors.amountPositive' });
        return z.NEVER;
      }
      return moneyOf(minor, currency);
    });
}

/** views/admin/payments/new.ejs: a payment of a customer, in the tenant's currency, optionally naming the invoice it pays. */
export function paymentForm(currency: string) {
  return z.object({
    customerId: z.coerce.number({ error: 'payments:errors.customer' }).int('payments:errors.customer').positive('payments:errors.customer'),
    paidOn: date,
    method: z.enum(paymentMethods, { error: 'payments:errors.method' }),
    amount: amountField(currency),
    reference: optionalText(140),
    paysEntryId: z
      .string()
      .optional()
      .transform((value) => (value ? Number(value) : null))
      .refine((value) => value === null || (Number.isInteger(value) && value > 0), 'money:errors.paysUnknownInvoice'),
    submissionKey: z.uuid().optional().catch(undefined),
  });
}

/** The admins' payments list: ?status=&kind=&customer= (anything else falls back to the default). */
export const ledgerListQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'all']).catch('all'),
  kind: z.enum(['invoice', 'payment', 'correction', 'all']).catch('all'),
  customer: z.coerce.number().int().positive().optional().catch(undefined),
});

/** views/admin/ledger-entries/show.ejs: the decision forms carry the version the admin saw. */
export const decisionForm = z.object({ version: z.coerce.number().int().positive() });
export const rejectionForm = decisionForm.extend({ reason: requiredText(500) });
