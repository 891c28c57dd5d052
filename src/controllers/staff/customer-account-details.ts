import type { Request, Response } from 'express';
import { refusalOf, ValidationError } from '../../lib/errors.js';
import { renderPage } from '../../lib/render.js';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { findEditableAccount, updateAccountDetails, type EditPath } from '../../models/account-details.js';
import { accountDetailLabels, conflictPage, openedPage, refusedPage, type AccountDetailsPage } from '../../presenters/account-details.js';
import { accountDetailsForm } from '../../validators/account-details.js';
import { fieldErrorsOf, parseForm, type FieldError } from '../../validators/form.js';

const pathOf = (req: Request): EditPath => ({ kind: 'customer', customerId: loaded(req, 'customer').id });

function renderForm(req: Request, res: Response, page: AccountDetailsPage, status: number, errors: Record<string, FieldError> = {}): void {
  const customer = loaded(req, 'customer');
  renderPage(res, 'staff/customer-account-details/edit', {
    title: res.locals.t('accounts:details.title', { login: page.account.login }),
    ...page,
    accountDetailLabels,
    customer,
    errors,
    action: req.pathTo('staff.customerAccountDetails.update', { customerId: customer.id, userId: page.account.id }),
    cancelHref: req.pathTo('staff.customerAccounts.index', { customerId: customer.id }),
  }, status);
}

/** GET /:tenant/staff/customers/:customerId/accounts/:userId/details/edit: a client account's details, for the customer's caretaker and admins. */
export async function edit(req: Request, res: Response): Promise<void> {
  renderForm(req, res, openedPage(await findEditableAccount(scopeOf(req), loaded(req, 'account').id, pathOf(req))), 200);
}

/** POST /:tenant/staff/customers/:customerId/accounts/:userId/details: saves them under the version check; a conflict merges (409). */
export async function update(req: Request, res: Response): Promise<void> {
  const account = await findEditableAccount(scopeOf(req), loaded(req, 'account').id, pathOf(req));
  const form = parseForm(accountDetailsForm, req.body);
  if (!form.ok) return renderForm(req, res, refusedPage(account, req.body), 422, form.errors);
  const outcome = await updateAccountDetails(scopeOf(req), account.id, pathOf(req), form.data).catch(refusalOf);
  if (outcome instanceof ValidationError) return renderForm(req, res, refusedPage(account, req.body), 422, fieldErrorsOf(outcome));
  if (outcome.status === 'conflict') return renderForm(req, res, conflictPage(outcome.current, req.body), 409);
  setFlash(req, 'success', outcome.changedFields.length ? 'accounts:details.saved' : 'accounts:details.unchanged');
  res.redirect(303, req.pathTo('staff.customerAccounts.index', { customerId: loaded(req, 'customer').id }));
}
