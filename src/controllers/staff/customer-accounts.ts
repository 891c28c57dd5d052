import type { Request, Response } from 'express';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { refusalFrom } from '../../lib/errors.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { createClientAccount, listClientAccounts } from '../../models/client-account.js';
import { clientAccountStatus, clientRolesText } from '../../presenters/accounts.js';
import { clientAccountCreateForm, clientAccountFormFields } from '../../validators/client-account.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../../validators/form.js';

const perPage = 50;

type FormState = { values: Record<string, string>; errors: Record<string, FieldError> };

async function renderAccounts(req: Request, res: Response, status: number, form: FormState): Promise<void> {
  const customer = loaded(req, 'customer');
  const page = pageFrom(req.query.page, perPage);
  const { accounts, total } = await listClientAccounts(scopeOf(req), customer.id, page);
  renderPage(res, 'staff/customer-accounts/index', {
    title: res.locals.t('accounts:list.title', { customer: customer.name }),
    customer,
    activeTab: 'accounts',
    canManageAccounts: true,
    accounts: accounts.map((account) => ({ ...account, roles: clientRolesText(account), statusBadge: clientAccountStatus(account.state) })),
    pagination: paginate(page, total),
    ...form,
  }, status);
}

/** GET /:tenant/staff/customers/:customerId/accounts: the Accounts tab (A3), for the customer's caretaker and admins. */
export async function index(req: Request, res: Response): Promise<void> {
  await renderAccounts(req, res, 200, { values: { access: 'invitation' }, errors: {} });
}

/** POST /:tenant/staff/customers/:customerId/accounts: a new client account, with a password or an invitation. */
export async function create(req: Request, res: Response): Promise<void> {
  const customer = loaded(req, 'customer');
  const values = formValues(req.body, clientAccountFormFields);
  const form = parseForm(clientAccountCreateForm, req.body);
  if (!form.ok) return renderAccounts(req, res, 422, { values, errors: form.errors });
  const refusal = await refusalFrom(createClientAccount(scopeOf(req), customer.id, form.data, { bcryptCost: req.deps.config.bcryptCost, links: linksOf(req) }));
  if (refusal) return renderAccounts(req, res, 422, { values, errors: fieldErrorsOf(refusal) });
  setFlash(req, 'success', form.data.access.kind === 'invitation' ? 'accounts:create.createdInvited' : 'accounts:create.created');
  res.redirect(303, req.pathTo('staff.customerAccounts.index', { customerId: customer.id }));
}
