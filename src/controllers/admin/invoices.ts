import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { renderPage } from '../../lib/render.js';
import { calendarDateIn, calendarDatePlusDays } from '../../lib/time.js';
import { scopeOf, setFlash, tenantOf } from '../../middleware/context.js';
import { findBillingDetails } from '../../models/billing-details.js';
import { enterLedgerEntry } from '../../models/ledger.js';
import { customerPicker } from '../../models/customer-choices.js';
import { carriedFromQuery, carriedValues, chosenIdOf, customerPickerLinks, customerSearchOf, onlyMatchOf } from '../../presenters/customer-picker.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../../validators/form.js';
import { invoiceFields, invoiceForm } from '../../validators/ledger-entry.js';

/** What the invoice form carries through its customer search. */
const carriedFields = ['documentNumber', 'issueDate', 'dueDate', 'amount', 'description'] as const;

/**
 * The invoice form; also the answer to a refused one (422), with the user's values. The customer is
 * chosen from a list, or (many customers) found above the form by a search (?customerSearch=).
 */
async function renderInvoiceForm(req: Request, res: Response, status: number, values: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const scope = scopeOf(req);
  const [picker, billing] = await Promise.all([customerPicker(scope, { isActiveOnly: true, chosenId: chosenIdOf(values), search: customerSearchOf(req) }), findBillingDetails(scope)]);
  const carried = carriedValues(values, carriedFields, { issueDate: calendarDateIn(scope.now(), tenantOf(req).timeZone) });
  const links = customerPickerLinks(req, 'admin.invoices.new', carried);
  const onlyMatch = onlyMatchOf(picker);
  if (onlyMatch !== undefined) return res.redirect(links.hrefFor(onlyMatch));
  renderPage(
    res,
    'admin/invoices/new',
    {
      title: res.locals.t('payments:invoice.title'),
      values: { ...values, submissionKey: values.submissionKey || randomUUID() },
      errors,
      currency: billing.currency,
      paymentTermDays: billing.paymentTermDays,
      picker,
      ...links,
      carried,
    },
    status,
  );
}

/** GET /:tenant/admin/invoices/new[?customer=id]: a fresh form, issued today, with its own submission key. */
async function newInvoice(req: Request, res: Response): Promise<void> {
  const today = calendarDateIn(scopeOf(req).now(), tenantOf(req).timeZone);
  const customerId = typeof req.query.customer === 'string' ? req.query.customer : '';
  await renderInvoiceForm(req, res, 200, { customerId, documentNumber: '', issueDate: today, dueDate: '', amount: '', description: '', submissionKey: randomUUID(), ...carriedFromQuery(req, carriedFields) });
}
export { newInvoice as new };

/**
 * POST /:tenant/admin/invoices: a pending invoice (M1), once per submission key. Without a due date
 * it is due the tenant's payment term after its issue. Bad input, a due date before the issue
 * date or an unknown customer is 422.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const values = formValues(req.body, invoiceFields);
  const billing = await findBillingDetails(scope);
  const form = parseForm(invoiceForm(billing.currency), req.body);
  if (!form.ok) return renderInvoiceForm(req, res, 422, values, form.errors);
  const { customerId, documentNumber, issueDate, dueDate, amount, description, submissionKey } = form.data;
  const invoice = { kind: 'invoice' as const, customerId, documentNumber, issueDate, dueDate: dueDate ?? calendarDatePlusDays(issueDate, billing.paymentTermDays), amount, description };
  const outcome = await enterLedgerEntry(scope, invoice, { idempotencyKey: submissionKey ?? null }).catch((error: unknown) => {
    if (error instanceof ValidationError) return error;
    // A customer of another tenant or one that does not exist: the same message as a bad choice.
    if (error instanceof NotFoundError) return new ValidationError({ customerId: 'payments:errors.customer' });
    throw error;
  });
  if (outcome instanceof ValidationError) return renderInvoiceForm(req, res, 422, values, fieldErrorsOf(outcome));
  setFlash(req, 'success', 'payments:invoice.entered');
  res.redirect(303, req.pathTo('admin.ledgerEntries.show', { entryId: outcome.id }));
}
