import type { Money } from '../lib/money.js';
import type { OpenInvoice } from '../models/customer-balance.js';
import type { PaymentMethod } from '../models/ledger.js';
import { message, type Status, type Text } from './presentation.js';

/**
 * What a balance means to the client, in words (M2): positive is what the customer owes ("Do
 * zapłaty"), negative an overpayment ("Nadpłata", shown without its minus), zero nothing to pay.
 */
export type ShownBalance = { label: Text; hint: Text; state: 'owes' | 'overpaid' | 'settled'; minor: bigint; currency: string };

export function balanceInWords(balance: Money): ShownBalance {
  const { minor, currency } = balance;
  if (minor > 0n) return { label: message('settlements:balance.owes'), hint: message('settlements:balance.owesHint'), state: 'owes', minor, currency };
  if (minor < 0n) return { label: message('settlements:balance.overpaid'), hint: message('settlements:balance.overpaidHint'), state: 'overpaid', minor: -minor, currency };
  return { label: message('settlements:balance.settled'), hint: message('settlements:balance.settledHint'), state: 'settled', minor: 0n, currency };
}

/** An open invoice's state as a badge: overdue by so many days (in words, not only red), or due on its day. */
export function openInvoiceStatus(invoice: Pick<OpenInvoice, 'daysOverdue'>): Status {
  if (invoice.daysOverdue > 0) return { label: message('settlements:dues.overdue', { count: invoice.daysOverdue }), tone: 'danger' };
  return { label: message('settlements:dues.notYetDue'), tone: 'neutral' };
}

/** The names of the payment methods, as written out keys so that the locale test finds them. */
export const paymentMethodLabels: Record<PaymentMethod, string> = {
  transfer: 'settlements:methods.transfer',
  cash: 'settlements:methods.cash',
  card: 'settlements:methods.card',
  other: 'settlements:methods.other',
};

/** The name of a payment's method. */
export function paymentMethodLabel(method: PaymentMethod | null): Text {
  return method ? message(paymentMethodLabels[method]) : '—';
}
