import type { Request, Response } from 'express';
import { roles, staffRoles, type Role } from '../db/scope.js';
import { refusalFrom, refusalOf, ValidationError } from '../lib/errors.js';
import { pageFrom, paginate } from '../lib/pagination.js';
import { renderPage } from '../lib/render.js';
import { fromDatabaseTime } from '../lib/time.js';
import { actorOf, currentUserOf, idParameter, scopeOf, setFlash, tenantPath } from '../middleware/context.js';
import { createStaffAccount, customersWithAccounts, findAccount, listAccounts, type Account } from '../models/account.js';
import { listGroups } from '../models/group.js';
import { canAdminister, canAssignRole } from '../policies/account.js';
import { accountFiltersFrom, staffAccountCreateForm, staffAccountFields, type AccountFilters } from '../validators/accounts-panel.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../validators/form.js';

const perPage = 25;

/** The list's address with these filters (the pager and the sort keep them). */
function listQuery(filters: AccountFilters): string {
  const entries = Object.entries(filters).filter(([, value]) => value !== undefined && value !== '').map(([key, value]) => [key, String(value)]);
  return new URLSearchParams(entries).toString();
}

/**
 * Renders the account list for a query (the request's own, or the one a bulk move came from);
 * a refused bulk move shows its messages above the list.
 */
export async function renderAccountList(req: Request, res: Response, query: unknown, status = 200, errors: Record<string, FieldError> = {}): Promise<void> {
  const filters = accountFiltersFrom(query);
  const page = pageFrom((query as Record<string, unknown>).page, perPage);
  const scope = scopeOf(req);
  const [{ accounts, total }, groups, customers] = await Promise.all([listAccounts(scope, filters, page), listGroups(scope), customersWithAccounts(scope)]);
  const filterQuery = listQuery(filters);
  renderPage(res, 'admin/accounts/index', {
    title: res.locals.t('accountsPanel:list.title'),
    accounts: accounts.map((account) => ({ ...account, lastSignInAt: fromDatabaseTime(account.lastSignInAt) })),
    filters,
    filterQuery,
    groups,
    customers,
    pagination: paginate(page, total),
    returnTo: tenantPath(req, `admin/accounts?${filterQuery}${filterQuery ? '&' : ''}page=${page.page}`),
    errors,
  }, status);
}

/** GET /:tenant/admin/accounts: staff and client accounts with filters, sorting and pages (A4). */
export async function index(req: Request, res: Response): Promise<void> {
  await renderAccountList(req, res, req.query);
}

function renderNewForm(req: Request, res: Response, status: number, values: Record<string, string>, errors: Record<string, FieldError> = {}): void {
  const actor = actorOf(currentUserOf(req));
  renderPage(res, 'admin/accounts/new', {
    title: res.locals.t('accountsPanel:new.title'),
    roleChoices: staffRoles.filter((role) => canAssignRole(actor, role)),
    values,
    errors,
  }, status);
}

/** GET /:tenant/admin/accounts/new: the staff account form. */
export function newAccount(req: Request, res: Response): void {
  renderNewForm(req, res, 200, { role: 'caretaker', passwordChoice: 'invitation' });
}

/** POST /:tenant/admin/accounts: creates a staff account; a role the actor may not give is 403. */
export async function create(req: Request, res: Response): Promise<void> {
  const values = formValues(req.body, staffAccountFields);
  const form = parseForm(staffAccountCreateForm, req.body);
  if (!form.ok) return renderNewForm(req, res, 422, values, form.errors);
  const options = { bcryptCost: req.deps.config.bcryptCost, baseUrl: req.deps.config.baseUrl };
  const created = await createStaffAccount(scopeOf(req), form.data, options).catch(refusalOf);
  if (created instanceof ValidationError) return renderNewForm(req, res, 422, values, fieldErrorsOf(created));
  setFlash(req, 'success', form.data.password ? 'accountsPanel:new.created' : 'accountsPanel:new.createdAndInvited');
  res.redirect(303, tenantPath(req, `admin/accounts/${created.id}`));
}

/** The roles the form on an account's page offers: those of the same kind the actor may give. */
function roleChoicesFor(req: Request, account: Account): Role[] {
  const actor = actorOf(currentUserOf(req));
  const sameKind = account.role === 'client' ? (['client'] as Role[]) : roles.filter((role) => role !== 'client');
  return sameKind.filter((role) => canAssignRole(actor, role, account));
}

/**
 * Renders an account's page with its actions; the action controllers use it to answer a refused
 * action (no e-mail address, a role of the other kind) with 422 and the reason.
 */
export async function renderAccount(req: Request, res: Response, userId: number, status = 200, problem?: ValidationError): Promise<void> {
  const scope = scopeOf(req);
  const [account, groups] = await Promise.all([findAccount(scope, userId), listGroups(scope)]);
  renderPage(res, 'admin/accounts/show', {
    title: res.locals.t('accountsPanel:show.title', { login: account.login }),
    account: { ...account, lastSignInAt: fromDatabaseTime(account.lastSignInAt), invitedAt: fromDatabaseTime(account.invitedAt) },
    canAdminister: canAdminister(actorOf(currentUserOf(req)), account),
    roleChoices: roleChoicesFor(req, account),
    groups,
    problems: problem ? Object.values(problem.fieldErrors).map((key) => ({ key })) : [],
  }, status);
}

/** GET /:tenant/admin/accounts/:userId */
export async function show(req: Request, res: Response): Promise<void> {
  await renderAccount(req, res, idParameter(req, 'userId'));
}

/** Runs an account action: success → back to the account with a flash; a refusal with a reason → its page, 422. */
export async function runAccountAction(req: Request, res: Response, action: (userId: number) => Promise<unknown>, flashKey: string): Promise<void> {
  const userId = idParameter(req, 'userId');
  const refusal = await refusalFrom(action(userId));
  if (refusal) return renderAccount(req, res, userId, 422, refusal);
  setFlash(req, 'success', flashKey);
  res.redirect(303, tenantPath(req, `admin/accounts/${userId}`));
}
