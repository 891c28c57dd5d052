import type { Request, Response } from 'express';
import { staffRoles } from '../../db/scope.js';
import { refusalOf, ValidationError } from '../../lib/errors.js';
import { renderPage } from '../../lib/render.js';
import { linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { createStaffAccount } from '../../models/account.js';
import { canAssignRole } from '../../policies/account.js';
import { staffAccountCreateForm, staffAccountFields } from '../../validators/accounts-panel.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../../validators/form.js';
import { renderAccount, renderAccountList } from './_account-page.js';

/** GET /:tenant/admin/accounts: staff and client accounts with filters, sorting and pages (A4). */
export async function index(req: Request, res: Response): Promise<void> {
  await renderAccountList(req, res, req.query);
}

function renderNewForm(req: Request, res: Response, status: number, values: Record<string, string>, errors: Record<string, FieldError> = {}): void {
  renderPage(res, 'admin/accounts/new', {
    title: res.locals.t('accountsPanel:new.title'),
    roleChoices: staffRoles.filter((role) => canAssignRole(scopeOf(req).actor, role)),
    values,
    errors,
  }, status);
}

/** GET /:tenant/admin/accounts/new: the staff account form. */
function newAccount(req: Request, res: Response): void {
  renderNewForm(req, res, 200, { role: 'caretaker', passwordChoice: 'invitation' });
}
export { newAccount as new };

/** POST /:tenant/admin/accounts: creates a staff account; a role the actor may not give is 403. */
export async function create(req: Request, res: Response): Promise<void> {
  const values = formValues(req.body, staffAccountFields);
  const form = parseForm(staffAccountCreateForm, req.body);
  if (!form.ok) return renderNewForm(req, res, 422, values, form.errors);
  const created = await createStaffAccount(scopeOf(req), form.data, { bcryptCost: req.deps.config.bcryptCost, links: linksOf(req) }).catch(refusalOf);
  if (created instanceof ValidationError) return renderNewForm(req, res, 422, values, fieldErrorsOf(created));
  setFlash(req, 'success', form.data.password ? 'accountsPanel:new.created' : 'accountsPanel:new.createdAndInvited');
  res.redirect(303, req.pathTo('admin.accounts.show', { userId: created.id }));
}

/** GET /:tenant/admin/accounts/:userId */
export async function show(req: Request, res: Response): Promise<void> {
  await renderAccount(req, res);
}
