import type { Request, Response } from 'express';
import { roles, type Role } from '../../db/scope.js';
import { refusalFrom, type ValidationError } from '../../lib/errors.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { findAccount, listAccounts, withVisibleAccounts, type Account, type AccountFilters } from '../../models/account.js';
import { customerPicker } from '../../models/customer-choices.js';
import { listGroups } from '../../models/group.js';
import { definitionOf, isShown, type SettingName } from '../../models/setting-registry.js';
import { settingsInForce } from '../../models/settings.js';
import { sourceText, valueText } from '../../presenters/settings.js';
import { canAdminister, canAssignRole } from '../../policies/account.js';
import { accountFilterChoices, accountStatus, clientRolesText, roleLabel } from '../../presenters/accounts.js';
import { customerPickerLinks, customerSearchOf, onlyMatchOf } from '../../presenters/customer-picker.js';
import { accountFiltersFrom } from '../../validators/accounts-panel.js';
import type { FieldError } from '../../validators/form.js';

const perPage = 25;

/** The list's filters as query parameters (the pager and the sort keep them). */
function filterParameters(filters: AccountFilters): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(filters).map(([key, value]) => [key, value === undefined || value === '' ? undefined : String(value)]));
}

/**
 * Renders the account list for a query (the request's own, or the one a bulk move came from);
 * a refused bulk move shows its messages above the list.
 */
export async function renderAccountList(req: Request, res: Response, query: unknown, status = 200, errors: Record<string, FieldError> = {}): Promise<void> {
  const filters = accountFiltersFrom(query);
  const page = pageFrom((query as Record<string, unknown>).page, perPage);
  const scope = scopeOf(req);
  const [{ accounts, total }, groups, picker] = await Promise.all([
    listAccounts(scope, filters, page),
    listGroups(scope),
    customerPicker(scope, { isActiveOnly: false, chosenId: filters.customer, search: customerSearchOf(req), narrowedBy: withVisibleAccounts(scope) }),
  ]);
  const parameters = filterParameters(filters);
  const links = customerPickerLinks(req, 'admin.accounts.index', parameters);
  const onlyMatch = onlyMatchOf(picker);
  if (onlyMatch !== undefined) return res.redirect(links.hrefFor(onlyMatch));
  renderPage(res, 'admin/accounts/index', {
    title: res.locals.t('accountsPanel:list.title'),
    accounts: accounts.map((account) => ({ ...account, roleText: roleLabel(account.role), statusBadge: accountStatus(account.state) })),
    filters,
    choices: accountFilterChoices(groups),
    picker,
    ...links,
    filterParameters: parameters,
    pagination: paginate(page, total),
    returnTo: req.pathTo('admin.accounts.index', {}, { ...parameters, page: page.page }),
    errors,
  }, status);
}

/** The roles the form on an account's page offers: those of the same kind the actor may give. */
function roleChoicesFor(req: Request, account: Account): Role[] {
  const sameKind = account.role === 'client' ? (['client'] as Role[]) : roles.filter((role) => role !== 'client');
  return sameKind.filter((role) => canAssignRole(scopeOf(req).actor, role, account));
}

/** The settings that apply to a client, in the order the account page lists them. */
const clientSettingNames: SettingName[] = ['portal.access', 'account.landing_page', 'portal.portlets', 'tickets.approval', 'tickets.visibility', 'tickets.visible_since', 'notifications.tickets', 'notifications.ticket_approvals'];
/** The settings that apply to a member of staff. */
const staffSettingNames: SettingName[] = ['account.landing_page', 'notifications.tickets', 'notifications.change_requests'];

/**
 * Renders the route's account with its actions; the action controllers use it to answer a refused
 * action (no e-mail address, a role of the other kind) with 422 and the reason.
 */
export async function renderAccount(req: Request, res: Response, status = 200, problem?: ValidationError): Promise<void> {
  const scope = scopeOf(req);
  // Read again after a refused action, which may have changed nothing, or something; a page view shows what the route loaded.
  const [account, groups] = await Promise.all([status === 200 ? loaded(req, 'account') : findAccount(scope, loaded(req, 'account').id), listGroups(scope)]);
  const inForce = await settingsInForce(scope, { accountId: account.id, customerId: account.customerId, groupId: account.groupId });
  // Every value in force for this person (D5), each with where it comes from: a client's portal, start page and
  // tickets follow their customer and group; staff have only their own choices.
  const settingNames = (account.role === 'client' ? clientSettingNames : staffSettingNames).filter(isShown);
  const settings = settingNames.map((name) => ({
    name,
    label: definitionOf(name).label,
    value: valueText(name, inForce[name].value),
    source: sourceText(inForce[name].source, { groupName: account.groupName }),
  }));
  renderPage(res, 'admin/accounts/show', {
    title: res.locals.t('accountsPanel:show.title', { login: account.login }),
    account: { ...account, roleText: roleLabel(account.role), statusBadge: accountStatus(account.state), rolesAtCustomer: clientRolesText(account) },
    canAdminister: canAdminister(scope.actor, account),
    roleChoices: roleChoicesFor(req, account).map((role) => ({ value: role, label: roleLabel(role) })),
    groupChoices: groups.map((group) => ({ value: group.id, label: group.name })),
    settings,
    problems: problem ? Object.values(problem.fieldErrors).map((key) => ({ key })) : [],
  }, status);
}

/** Runs an action on the route's account: success → back to it with a flash; a refusal with a reason → its page, 422. */
export async function runAccountAction(req: Request, res: Response, action: (userId: number) => Promise<unknown>, flashKey: string): Promise<void> {
  const userId = loaded(req, 'account').id;
  const refusal = await refusalFrom(action(userId));
  if (refusal) return renderAccount(req, res, 422, refusal);
  setFlash(req, 'success', flashKey);
  res.redirect(303, req.pathTo('admin.accounts.show', { userId }));
}
