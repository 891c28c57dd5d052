import type { Request, Response } from 'express';
import { loaded } from '../../middleware/loaders.js';
import { createPurgeRequest, renderPurgeForm } from './_purge-request-page.js';

/** GET /:tenant/admin/purge-requests/customers/:customerId/new: what purging the customer removes, and the confirmation (D2, superadmins). */
async function newPurgeRequest(req: Request, res: Response): Promise<void> {
  await renderPurgeForm(req, res, { kind: 'customer', id: loaded(req, 'customer').id }, 200);
}
export { newPurgeRequest as new };

/** POST /:tenant/admin/purge-requests/customers/:customerId: confirmed by the customer's name typed out. */
export async function create(req: Request, res: Response): Promise<void> {
  await createPurgeRequest(req, res, { kind: 'customer', id: loaded(req, 'customer').id });
}
