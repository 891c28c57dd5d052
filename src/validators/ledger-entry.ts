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

/** The fields of the invoice form, as the user typed them (kept on a refusal). */
export const invoiceFields = ['customerId', 'documentNumber', 'issueDate', 'dueDate', 'amount', 'description', 'submissionKey'] as const;

/**
 * views/admin/invoices/new.ejs: an invoice of a customer, in the tenant's currency. Without a due
 * date it is due the tenant's payment term after its issue date (`dueDate` null here); one before
 * the issue date is refused.
 */
export function invoiceForm(currency: string) {
  return z
    .object({
      customerId: z.coerce.number({ error: 'payments:errors.customer' }).int('payments:errors.customer').positive('payments:errors.customer'),
      documentNumber: requiredText(64),
      issueDate: date,
      dueDate: z
        .string()
        .trim()
        .optional()
        .transform((value) => value || null)
        .refine((value) => value === null || isCalendarDate(value), 'payments:errors.date'),
      amount: amountField(currency),
      description: optionalText(500),
      submissionKey: z.uuid().optional().catch(undefined),
    })
    .refine((form) => form.dueDate === null || form.dueDate >= form.issueDate, { path: ['dueDate'], message: 'money:errors.dueBeforeIssue' });
}

/** The fields of the correction form, as the user typed them. */
export const correctionFields = ['direction', 'amount', 'date', 'description', 'submissionKey'] as const;
export const correctionDirections = ['raise', 'lower'] as const;

/**
 * views/admin/ledger-entry-corrections/new.ejs: a correction of an approved entry. The amount is
 * typed positive and the direction says which way it moves the balance: `raise` (the customer
 * owes more: an invoice raised, a payment returned) or `lower` (a credit note, a payment found).
 */
export function correctionForm(currency: string) {
  return z
    .object({
      direction: z.enum(correctionDirections, { error: 'payments:errors.direction' }),
      amount: amountField(currency),
      date,
      description: requiredText(500),
      submissionKey: z.uuid().optional().catch(undefined),
    })
    .transform((form) => ({ ...form, amount: form.direction === 'raise' ? form.amount : moneyOf(-form.amount.minor, currency) }));
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
