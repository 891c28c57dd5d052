import type { Request, Response } from 'express';
import { idParameter, scopeOf, setFlash, tenantPath } from '../middleware/context.js';
import { findVisibleCustomer, setCustomerActive } from '../models/customer.js';

async function setActive(req: Request, res: Response, isActive: boolean): Promise<void> {
  const customer = await findVisibleCustomer(scopeOf(req), idParameter(req, 'customerId'));
  await setCustomerActive(scopeOf(req), customer.id, isActive);
  setFlash(req, 'success', isActive ? 'customers:flash.activated' : 'customers:flash.deactivated');
  res.redirect(303, tenantPath(req, `staff/customers/${customer.id}`));
}

/** POST /:tenant/admin/customers/:customerId/deactivation: the customer stays on record, shown as inactive (D1). */
export async function createDeactivation(req: Request, res: Response): Promise<void> {
  await setActive(req, res, false);
}

/** POST /:tenant/admin/customers/:customerId/activation: a deactivated customer comes back. */
export async function createActivation(req: Request, res: Response): Promise<void> {
  await setActive(req, res, true);
}
