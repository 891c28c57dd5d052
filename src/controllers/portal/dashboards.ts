import type { Request, Response } from 'express';
import { currentUserOf, scopeOf, tenantOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { findCustomer } from '../../models/customer.js';

/** GET /:tenant/portal: the client's dashboard. */
export async function show(req: Request, res: Response): Promise<void> {
  const user = currentUserOf(req);
  const customer = user.customerId ? await findCustomer(scopeOf(req), user.customerId) : null;
  renderPage(res, 'portal/dashboards/show', { title: res.locals.t('dashboard:portal.title'), tenant: tenantOf(req), customer });
}
