import type { Request, Response } from 'express';
import { idParameter, scopeOf, setFlash, tenantPath } from '../middleware/context.js';
import { resendInvitation } from '../models/client-account.js';

/** POST /:tenant/staff/customers/:customerId/accounts/:userId/invitation: a new link; earlier ones stop working (A7). */
export async function create(req: Request, res: Response): Promise<void> {
  const customerId = idParameter(req, 'customerId');
  await resendInvitation(scopeOf(req), customerId, idParameter(req, 'userId'), { baseUrl: req.deps.config.baseUrl });
  setFlash(req, 'success', 'accounts:invitation.resent');
  res.redirect(303, tenantPath(req, `staff/customers/${customerId}/accounts`));
}
