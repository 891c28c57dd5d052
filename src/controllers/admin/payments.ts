import type { Request, Response } from 'express';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { pageFrom } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { scopeOf, setFlash, tenantOf } from '../../middleware/context.js';
import { enterLedgerEntry } from '../../models/ledger.js';
import { customerPicker } from '../../models/customer-choices.js';
import { listLedgerEntries } from '../../models/ledger-list.js';
import { customerPickerLinks, customerSearchOf, onlyMatchOf } from '../../presenters/customer-picker.js';
import { fieldErrorsOf, formValues, parseForm } from '../../validators/form.js';
import { ledgerListQuery, paymentFields, paymentForm } from '../../validators/ledger-entry.js';
import { newPaymentValues, renderPaymentForm } from './_payment-page.js';

const perPage = 25;

/**
 * GET /:tenant/admin/payments: entries waiting for a decision first, then the decided ones; filtered
 * by status, kind and customer (found by a search when the tenant has many: ?customerSearch=).
 */
export async function index(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const query = ledgerListQuery.parse(req.query);
  const filterParameters = { status: query.status !== 'all' ? query.status : undefined, kind: query.kind !== 'all' ? query.kind : undefined, customer: query.customer !== undefined ? String(query.customer) : undefined };
  const links = customerPickerLinks(req, 'admin.payments.index', filterParameters);
  const [{ rows, pagination }, picker] = await Promise.all([
    listLedgerEntries(scope, query, pageFrom(req.query.page, perPage)),
    customerPicker(scope, { isActiveOnly: false, chosenId: query.customer, search: customerSearchOf(req) }),
  ]);
  const onlyMatch = onlyMatchOf(picker);
  if (onlyMatch !== undefined) return res.redirect(links.hrefFor(onlyMatch));
  renderPage(res, 'admin/payments/index', { title: res.locals.t('payments:list.title'), rows, pagination, query, picker, ...links, filterParameters });
}

/** GET /:tenant/admin/payments/new[?customer=id]: the form, with that customer's open invoices to choose from. */
async function newPayment(req: Request, res: Response): Promise<void> {
  await renderPaymentForm(req, res, 200, newPaymentValues(req, typeof req.query.customer === 'string' ? req.query.customer : ''));
}
export { newPayment as new };

/**
 * POST /:tenant/admin/payments: a pending payment, once per submission key (twenty identical posts
 * enter one). Bad input, an unknown customer or an invoice that is not the customer's is 422.
 */
export async function create(req: Request, res: Response): Promise<void> {
  const values = formValues(req.body, paymentFields);
  const form = parseForm(paymentForm(tenantOf(req).currency), req.body);
  if (!form.ok) return renderPaymentForm(req, res, 422, values, form.errors);
  const { customerId, paidOn, method, amount, reference, paysEntryId, submissionKey } = form.data;
  const outcome = await enterLedgerEntry(scopeOf(req), { kind: 'payment', customerId, amount, paidOn, method, reference, paysEntryId }, { idempotencyKey: submissionKey ?? null }).catch((error: unknown) => {
    if (error instanceof ValidationError) return error;
    // A customer of another tenant or one that does not exist: the same message as a bad choice.
    if (error instanceof NotFoundError) return new ValidationError({ customerId: 'payments:errors.customer' });
    throw error;
  });
  if (outcome instanceof ValidationError) return renderPaymentForm(req, res, 422, values, fieldErrorsOf(outcome));
  setFlash(req, 'success', 'payments:entered');
  res.redirect(303, req.pathTo('admin.ledgerEntries.show', { entryId: outcome.id }));
}
