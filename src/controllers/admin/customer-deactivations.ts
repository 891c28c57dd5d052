import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { setCustomerActive } from '../../models/customer.js';

/** POST /:tenant/admin/customers/:customerId/deactivation: the customer stays on record, shown as inactive (D1). */
export async function create(req: Request, res: Response): Promise<void> {
  const customer = loaded(req, 'customer');
  await setCustomerActive(scopeOf(req), customer.id, false);
  setFlash(req, 'success', 'customers:flash.deactivated');
  res.redirect(303, req.pathTo('staff.customers.show', { customerId: customer.id }));
}
