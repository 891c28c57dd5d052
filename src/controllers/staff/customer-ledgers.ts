import type { Request, Response } from 'express';
import { isAdministrator } from '../../db/scope.js';
import { calendarDateIn } from '../../lib/time.js';
import { renderPage } from '../../lib/render.js';
import { scopeOf, tenantOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { customerLedgerOf } from '../../models/customer-ledger.js';
import { can } from '../../policies/customer.js';

/**
 * GET /:tenant/staff/customers/:customerId/ledger: the customer's balance, open invoices (overdue
 * ones highlighted), every entry and which payments paid which invoice; admins and the customer's
 * caretaker, read-only here (admins decide entries on the payments pages).
 */
export async function index(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const customer = loaded(req, 'customer');
  const today = calendarDateIn(scope.now(), tenantOf(req).timeZone);
  const ledger = await customerLedgerOf(scope, customer.id, today);
  const entryById = new Map(ledger.entries.map((entry) => [entry.id, entry]));
  const paidBy = (invoiceId: number) => ledger.allocations.filter((allocation) => allocation.debitEntryId === invoiceId).map((allocation) => ({ ...allocation, credit: entryById.get(allocation.creditEntryId) }));
  renderPage(res, 'staff/customer-ledgers/index', {
    title: res.locals.t('payments:ledger.title', { name: customer.name }),
    customer,
    ledger,
    paidBy,
    isAdmin: isAdministrator(scope.actor),
    activeTab: 'ledger',
    canManageAccounts: can(scope.actor, 'manageAccounts', customer),
  });
}
