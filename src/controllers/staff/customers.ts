import type { Request, Response } from 'express';
import { isAdministrator } from '../../db/scope.js';
import { scopeOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { keysetPageFrom } from '../../lib/keyset.js';
import { pageFrom } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { findCaretakerChoice, listCaretakerChoices } from '../../models/customer.js';
import { listCustomers, type CustomerListQuery } from '../../models/customer-list.js';
import { customerSettingsWithAccounts, shownCustomerSettingFields } from '../../models/customer-settings.js';
import { can } from '../../policies/customer.js';
import { message } from '../../presenters/presentation.js';
import { bankAccountText, customerFieldLabels, customerFilterChoices, customerSettingRows, customerStatus, portalStateLabels, taxIdText } from '../../presenters/customers.js';
import { customerListQuery } from '../../validators/customer.js';
import { listTasks } from '../../models/ticket-list.js';
import { taskRow } from '../../presenters/task-list.js';

const perPage = 25;

/** The list's filters, leaving out what is at its default (the pager's links keep them). */
function filterParameters(query: CustomerListQuery): Record<string, string | undefined> {
  return {
    q: query.search || undefined,
    caretaker: query.caretaker !== 'all' ? String(query.caretaker) : undefined,
    status: query.status !== 'active' ? query.status : undefined,
    portal: query.portal !== 'all' ? query.portal : undefined,
    sort: query.sort !== 'name-asc' ? query.sort : undefined,
  };
}

/** GET /:tenant/staff/customers: a caretaker's own customers, or every customer for admins. */
export async function index(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const query = customerListQuery.parse(req.query);
  // Admins see every customer, so they get the caretaker filter and the way to a new customer.
  const isAdmin = isAdministrator(scope.actor);
  const [{ rows, pagination }, caretakers] = await Promise.all([listCustomers(scope, query, keysetPageFrom(req.query as Record<string, unknown>, perPage)), isAdmin ? listCaretakerChoices(scope) : []]);
  const parameters = filterParameters(query);
  const shown = rows.map((row) => ({ ...row, taxIdText: taxIdText(row.taxCountry, row.taxId), statusBadge: customerStatus(row.isActive), portalStateText: message(portalStateLabels[row.portalState]) }));
  renderPage(res, 'staff/customers/index', {
    title: res.locals.t('customers:list.title'),
    rows: shown,
    pagination,
    query,
    choices: customerFilterChoices(caretakers),
    isAdmin,
    basePath: req.pathTo('staff.customers.index'),
    hasFilters: Object.values(parameters).some((value) => value !== undefined),
    filterParameters: parameters,
  });
}

/** GET /:tenant/staff/customers/:customerId: the record, loaded through the user (a caretaker's own customers only). */
const recordTicketCount = 10;

export async function show(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const customer = loaded(req, 'customer');
  // The customer's tickets that this member of staff sees, the latest changed first (T5): the record says what is going on.
  const ticketFilters = { status: 'all', customer: customer.id, caretaker: undefined, category: undefined, due: 'any', q: '', sort: 'updated-desc' } as const;
  const [{ settings, accounts }, caretaker, tickets] = await Promise.all([
    customerSettingsWithAccounts(scope, customer.id),
    findCaretakerChoice(scope, customer.caretakerId),
    listTasks(scope, 'all', ticketFilters, pageFrom(1, recordTicketCount)),
  ]);
  renderPage(res, 'staff/customers/show', {
    title: customer.name,
    customer,
    taxIdText: taxIdText(customer.taxCountry, customer.taxId),
    bankAccountText: bankAccountText(customer.bankAccount),
    caretaker,
    tickets: { rows: tickets.rows.map((row) => taskRow(row, req.locale)), total: tickets.pagination.total },
    ticketListPath: isAdministrator(scope.actor) ? req.pathTo('admin.tasks.index', {}, { customer: String(customer.id), status: 'all', sort: 'updated-desc' }) : req.pathTo('staff.tasks.index', {}, { customer: String(customer.id), status: 'all', sort: 'updated-desc' }),
    settingRows: customerSettingRows(settings, accounts, shownCustomerSettingFields),
    fieldLabels: customerFieldLabels,
    activeTab: 'details',
    canManageAccounts: can(scope.actor, 'manageAccounts', customer),
    canEdit: can(scope.actor, 'edit', customer),
    canDeactivate: can(scope.actor, 'deactivate', customer),
  });
}
