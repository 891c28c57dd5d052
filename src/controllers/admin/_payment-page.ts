import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';
import { scopeOf, tenantOf } from '../../middleware/context.js';
import { openInvoicesOf } from '../../models/customer-balance.js';
import { customerPicker } from '../../models/customer-choices.js';
import { paymentMethods } from '../../models/ledger.js';
import { NotFoundError } from '../../lib/errors.js';
import { formatAmount } from '../../lib/money.js';
import type { FieldError } from '../../validators/form.js';
import { calendarDateIn } from '../../lib/time.js';
import { carriedFromQuery, carriedValues, chosenIdOf, customerPickerLinks, customerSearchOf, onlyMatchOf } from '../../presenters/customer-picker.js';

/** Today in the tenant's time zone. */
const todayOf = (req: Request) => calendarDateIn(scopeOf(req).now(), tenantOf(req).timeZone);

/** What the payment form carries through its customer search (not the invoice paid: it depends on the customer; a new submission key is fine). */
const carriedFields = ['paidOn', 'method', 'amount', 'reference'] as const;

/**
 * A fresh payment form: today's date, a transfer, its own submission key (a double click enters one
 * payment); or the values a customer search carried back.
 */
export function newPaymentValues(req: Request, customerId: string): Record<string, string> {
  return { customerId, paidOn: todayOf(req), method: 'transfer', amount: '', reference: '', paysEntryId: '', submissionKey: randomUUID(), ...carriedFromQuery(req, carriedFields) };
}

/** The open invoices of the chosen customer, for "pays invoice" (none while no customer is chosen, or an unknown one). */
async function invoiceChoices(req: Request, customerId: string) {
  const id = Number(customerId);
  if (!Number.isInteger(id) || id <= 0) return [];
  const invoices = await openInvoicesOf(scopeOf(req), id, todayOf(req)).catch((error: unknown) => {
    if (error instanceof NotFoundError) return [];
    throw error;
  });
  return invoices.map((invoice) => ({
    value: invoice.id,
    label: { key: 'payments:form.invoiceChoice', values: { number: invoice.documentNumber ?? `#${invoice.id}`, dueDate: invoice.dueDate, outstanding: formatAmount(invoice.outstanding, req.locale) } },
  }));
}

/**
 * The payment form; also the answer to a refused one (422), with the user's values. The customer
 * is chosen from a list, or (many customers) found above the form by a search (?customerSearch=).
 */
export async function renderPaymentForm(req: Request, res: Response, status: number, values: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const picker = customerPicker(scopeOf(req), { isActiveOnly: true, chosenId: chosenIdOf(values), search: customerSearchOf(req) });
  const [customers, invoices] = await Promise.all([picker, invoiceChoices(req, values.customerId ?? '')]);
  const carried = carriedValues(values, carriedFields, { paidOn: todayOf(req), method: 'transfer' });
  const links = customerPickerLinks(req, 'admin.payments.new', carried);
  const onlyMatch = onlyMatchOf(customers);
  if (onlyMatch !== undefined) return res.redirect(links.hrefFor(onlyMatch));
  renderPage(
    res,
    'admin/payments/new',
    {
      title: res.locals.t('payments:new.title'),
      values: { ...values, submissionKey: values.submissionKey || randomUUID() },
      errors,
      currency: tenantOf(req).currency,
      picker: customers,
      ...links,
      carried,
      methodOptions: paymentMethods.map((method) => ({ value: method, label: { key: `payments:method.${method}` } })),
      invoiceOptions: [{ value: '', label: { key: 'payments:form.noInvoice' } }, ...invoices],
    },
    status,
  );
}
