import { z } from 'zod';
import { formatMoney, parseAmount } from '../lib/money.js';
import { parseForm, type FormResult } from './form.js';

/** The highest amount (1 000 000,00 in the currency) a payment order is printed for, in whole currency units: a typo guard, far above any invoice of the portal. */
export const paymentOrderLimit = 1_000_000;

/** What the payment order form asks (M3): the whole balance due, or an amount the payer types. */
export type PaymentOrderRequest = { choice: 'balance' } | { choice: 'other'; amountMinor: number };

/**
 * The payment order form (`views/portal/payment-orders/new.ejs`), sent as a query (GET: printing
 * changes nothing). A typed amount is read by `parseAmount` ("1 234,56", "1234.56"), must be more
 * than zero and at most the limit, in the tenant's currency.
 */
export function paymentOrderForm(input: unknown, currency: string, locale: string): FormResult<PaymentOrderRequest> {
  const schema = z.object({
    choice: z.enum(['balance', 'other'], { error: 'validation:invalid' }).default('balance'),
    amount: z.string().trim().max(30, 'paymentDocuments:errors.amount').optional().default(''),
  });
  const parsed = parseForm(schema, input);
  if (!parsed.ok) return parsed;
  if (parsed.data.choice === 'balance') return { ok: true, data: { choice: 'balance' } };
  if (parsed.data.amount === '') return { ok: false, errors: { amount: { key: 'paymentDocuments:errors.amountRequired' } } };
  const amountMinor = parseAmount(parsed.data.amount, currency);
  if (amountMinor === null) return { ok: false, errors: { amount: { key: 'paymentDocuments:errors.amount' } } };
  if (amountMinor <= 0) return { ok: false, errors: { amount: { key: 'paymentDocuments:errors.amountPositive' } } };
  const limitMinor = parseAmount(String(paymentOrderLimit), currency)!;
  if (amountMinor > limitMinor) return { ok: false, errors: { amount: { key: 'paymentDocuments:errors.amountTooHigh', values: { limit: formatMoney(limitMinor, currency, locale) } } } };
  return { ok: true, data: { choice: 'other', amountMinor } };
}
