import type { Request, Response } from 'express';
import { currentUserOf, scopeOf, tenantOf } from '../middleware/context.js';
import { renderPage } from '../lib/render.js';
import { countCustomers, findCustomer } from '../models/customer.js';
import { countUsersByRole } from '../models/user.js';

/** GET /:tenant/portal: the client's dashboard. */
export async function portal(req: Request, res: Response): Promise<void> {
  const user = currentUserOf(req);
  const customer = user.customerId ? await findCustomer(scopeOf(req), user.customerId) : null;
  renderPage(res, 'portal/dashboard', { title: res.locals.t('dashboard:portal.title'), tenant: tenantOf(req), customer });
}

/** GET /:tenant/staff: the staff panel's start page. */
export function staff(req: Request, res: Response): void {
  renderPage(res, 'staff/dashboard', { title: res.locals.t('dashboard:staff.title'), tenant: tenantOf(req) });
}

/** GET /:tenant/admin: the administration start page, with the tenant's numbers. */
export async function admin(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const [customers, accounts] = await Promise.all([countCustomers(scope), countUsersByRole(scope)]);
  renderPage(res, 'admin/dashboard', { title: res.locals.t('admin:dashboard.title'), tenant: tenantOf(req), customers, accounts });
}
