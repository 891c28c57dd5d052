import type { Request, Response } from 'express';
import { actorOf, currentUserOf, idParameter, scopeOf, tenantPath } from '../middleware/context.js';
import { formatNip } from '../lib/nip.js';
import { pageFrom, type Pagination } from '../lib/pagination.js';
import { renderPage } from '../lib/render.js';
import { fromDatabaseTime } from '../lib/time.js';
import { findCaretakerChoice, findVisibleCustomer, listCaretakerChoices } from '../models/customer.js';
import { listCustomers, type CustomerListQuery } from '../models/customer-list.js';
import { effectiveCustomerSettings } from '../models/customer-settings.js';
import { can } from '../policies/customer.js';
import { customerListQuery } from '../validators/customer.js';
import { settingChoices, settingSources } from './customer-form.js';

const perPage = 25;

/** The list's address with its filters, leaving out what is at its default, on the given page. */
function listHref(basePath: string, query: CustomerListQuery, page: number): string {
  const parameters = new URLSearchParams();
  if (query.search) parameters.set('q', query.search);
  if (query.caretaker !== 'all') parameters.set('caretaker', String(query.caretaker));
  if (query.status !== 'active') parameters.set('status', query.status);
  if (query.portal !== 'all') parameters.set('portal', query.portal);
  if (query.sort !== 'name-asc') parameters.set('sort', query.sort);
  if (page > 1) parameters.set('page', String(page));
  const search = parameters.toString();
  return search ? `${basePath}?${search}` : basePath;
}

/** A tax id as people read it: a NIP grouped with dashes, a foreign one after its country code. */
function taxIdText(taxCountry: string, taxId: string | null): string | null {
  if (!taxId) return null;
  return taxCountry === 'PL' ? formatNip(taxId) : `${taxCountry} ${taxId}`;
}

function pagerLinks(basePath: string, query: CustomerListQuery, pagination: Pagination) {
  return {
    previous: pagination.hasPrevious ? listHref(basePath, query, pagination.page - 1) : null,
    next: pagination.hasNext ? listHref(basePath, query, pagination.page + 1) : null,
  };
}

/** GET /:tenant/staff/customers: a caretaker's own customers, or every customer for admins. */
export async function index(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const query = customerListQuery.parse(req.query);
  // Admins see every customer, so they get the caretaker filter and the way to a new customer.
  const isAdmin = currentUserOf(req).role === 'admin' || currentUserOf(req).role === 'superadmin';
  const [{ rows, pagination }, caretakers] = await Promise.all([listCustomers(scope, query, pageFrom(req.query.page, perPage)), isAdmin ? listCaretakerChoices(scope) : []]);
  const basePath = tenantPath(req, 'staff/customers');
  const hasFilters = listHref(basePath, query, 1) !== basePath;
  const shown = rows.map((row) => ({ ...row, taxIdText: taxIdText(row.taxCountry, row.taxId) }));
  renderPage(res, 'staff/customers/index', { title: res.locals.t('customers:list.title'), rows: shown, pagination, query, caretakers, isAdmin, basePath, hasFilters, pager: pagerLinks(basePath, query, pagination) });
}

/** GET /:tenant/staff/customers/:customerId: the record, loaded through the user (a caretaker's own customers only). */
export async function show(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const customer = await findVisibleCustomer(scope, idParameter(req, 'customerId'));
  const [settings, caretaker] = await Promise.all([effectiveCustomerSettings(scope, customer.id), findCaretakerChoice(scope, customer.caretakerId)]);
  const actor = actorOf(currentUserOf(req));
  renderPage(res, 'staff/customers/show', {
    title: customer.name,
    customer,
    createdAt: fromDatabaseTime(customer.createdAt),
    taxIdText: taxIdText(customer.taxCountry, customer.taxId),
    caretaker,
    settings,
    settingChoices,
    settingSources,
    activeTab: 'details',
    canManageAccounts: can(actor, 'manageAccounts', customer),
    canEdit: can(actor, 'edit', customer),
    canDeactivate: can(actor, 'deactivate', customer),
  });
}
