import type { Request, Response } from 'express';
import { actorOf, currentUserOf, idParameter, scopeOf, tenantPath } from '../middleware/context.js';
import { formatNip } from '../lib/nip.js';
import { pageFrom } from '../lib/pagination.js';
import { renderPage } from '../lib/render.js';
import { fromDatabaseTime } from '../lib/time.js';
import { findCaretakerChoice, findVisibleCustomer, listCaretakerChoices } from '../models/customer.js';
import { listCustomers, type CustomerListQuery } from '../models/customer-list.js';
import { effectiveCustomerSettings } from '../models/customer-settings.js';
import { can } from '../policies/customer.js';
import { customerListQuery } from '../validators/customer.js';
import { settingChoices, settingSources } from './customer-form.js';

const perPage = 25;

/** The list's filters as a query string, leaving out what is at its default (the pager's links keep them). */
function filterQuery(query: CustomerListQuery): string {
  const parameters = new URLSearchParams();
  if (query.search) parameters.set('q', query.search);
  if (query.caretaker !== 'all') parameters.set('caretaker', String(query.caretaker));
  if (query.status !== 'active') parameters.set('status', query.status);
  if (query.portal !== 'all') parameters.set('portal', query.portal);
  if (query.sort !== 'name-asc') parameters.set('sort', query.sort);
  return parameters.toString();
}

/** A tax id as people read it: a NIP grouped with dashes, a foreign one after its country code. */
function taxIdText(taxCountry: string, taxId: string | null): string | null {
  if (!taxId) return null;
  return taxCountry === 'PL' ? formatNip(taxId) : `${taxCountry} ${taxId}`;
}

/** GET /:tenant/staff/customers: a caretaker's own customers, or every customer for admins. */
export async function index(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const query = customerListQuery.parse(req.query);
  // Admins see every customer, so they get the caretaker filter and the way to a new customer.
  const isAdmin = currentUserOf(req).role === 'admin' || currentUserOf(req).role === 'superadmin';
  const [{ rows, pagination }, caretakers] = await Promise.all([listCustomers(scope, query, pageFrom(req.query.page, perPage)), isAdmin ? listCaretakerChoices(scope) : []]);
  const basePath = tenantPath(req, 'staff/customers');
  const pageQuery = filterQuery(query);
  const hasFilters = pageQuery !== '';
  const shown = rows.map((row) => ({ ...row, taxIdText: taxIdText(row.taxCountry, row.taxId) }));
  renderPage(res, 'staff/customers/index', { title: res.locals.t('customers:list.title'), rows: shown, pagination, query, caretakers, isAdmin, basePath, hasFilters, pageQuery });
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
