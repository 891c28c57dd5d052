import type { Request, Response } from 'express';
import { currentUserOf, scopeOf, tenantOf } from '../middleware/context.js';
import { renderPage } from '../lib/render.js';
import { findCustomer } from '../models/customer.js';

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
