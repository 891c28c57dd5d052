import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { setCustomerActive } from '../../models/customer.js';

/** POST /:tenant/admin/customers/:customerId/activation: a deactivated customer comes back. */
export async function create(req: Request, res: Response): Promise<void> {
  const customer = loaded(req, 'customer');
  await setCustomerActive(scopeOf(req), customer.id, true);
  setFlash(req, 'success', 'customers:flash.activated');
  res.redirect(303, req.pathTo('staff.customers.show', { customerId: customer.id }));
}
