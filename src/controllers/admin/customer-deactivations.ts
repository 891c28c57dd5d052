import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { renderPage } from '../../lib/render.js';
import { countActiveClientAccounts, setCustomerActive } from '../../models/customer.js';
import { customerDeactivationForm } from '../../validators/customer.js';
import { parseForm, type FieldError } from '../../validators/form.js';

/** The confirmation page: what a deactivation does to the customer's people, with how many accounts it shuts out. */
async function renderConfirmation(req: Request, res: Response, status: number, errors: Record<string, FieldError> = {}): Promise<void> {
  const customer = loaded(req, 'customer');
  const accountCount = await countActiveClientAccounts(scopeOf(req), customer.id);
  renderPage(res, 'admin/customer-deactivations/new', { title: res.locals.t('customers:deactivation.title'), customer, accountCount, errors }, status);
}

/** GET /:tenant/admin/customers/:customerId/deactivation/new: asks before deactivating (D1). */
async function newDeactivation(req: Request, res: Response): Promise<void> {
  await renderConfirmation(req, res, 200);
}
export { newDeactivation as new };

/**
 * POST /:tenant/admin/customers/:customerId/deactivation: the customer stays on record, shown as
 * inactive (D1). Only the confirmation page's button deactivates: a POST without its field (a
 * stale page, a forged form) gets the confirmation page back (422).
 */
export async function create(req: Request, res: Response): Promise<void> {
  const customer = loaded(req, 'customer');
  const form = parseForm(customerDeactivationForm, req.body);
  if (!form.ok) return renderConfirmation(req, res, 422, form.errors);
  await setCustomerActive(scopeOf(req), customer.id, false);
  setFlash(req, 'success', 'customers:flash.deactivated');
  res.redirect(303, req.pathTo('staff.customers.show', { customerId: customer.id }));
}
