import { isCalendarDate } from '../lib/time.js';
import { paymentMethods, type PaymentMethod } from '../models/ledger.js';
import type { PaymentFilter } from '../models/payment-history.js';
import type { FieldError } from './form.js';

/** The fields of the payment history's filter (views/portal/payments/index.ejs), as the address carries them. */
export const paymentFilterFields = ['from', 'to', 'method'] as const;
type FilterField = (typeof paymentFilterFields)[number];

const textOf = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 40) : '');

/**
 * The filter of a request to the payment history. A value that cannot be used is reported beside its
 * field and left out of the filter (the page answers 422 and shows the form with what was typed).
 * @returns the usable filter, the values as typed, and the problems
 */
export function paymentFilterFrom(query: Record<string, unknown>): { filter: PaymentFilter; values: Record<FilterField, string>; errors: Record<string, FieldError> } {
  const values = Object.fromEntries(paymentFilterFields.map((field) => [field, textOf(query[field])])) as Record<FilterField, string>;
  const errors: Record<string, FieldError> = {};
  const filter: PaymentFilter = {};
  for (const field of ['from', 'to'] as const) {
    if (!values[field]) continue;
    if (isCalendarDate(values[field])) filter[field] = values[field];
    else errors[field] = { key: 'settlements:filters.dateInvalid' };
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    errors.to = { key: 'settlements:filters.periodReversed' };
    delete filter.to;
  }
  if (values.method) {
    if ((paymentMethods as readonly string[]).includes(values.method)) filter.method = values.method as PaymentMethod;
    else errors.method = { key: 'settlements:filters.methodInvalid' };
  }
  return { filter, values, errors };
}
