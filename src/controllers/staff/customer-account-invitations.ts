import type { Request, Response } from 'express';
import { idParameter, linksOf, scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { resendInvitation } from '../../models/client-account.js';

/** POST /:tenant/staff/customers/:customerId/accounts/:userId/invitation: a new link; earlier ones stop working (A7). */
export async function create(req: Request, res: Response): Promise<void> {
  const customer = loaded(req, 'customer');
  await resendInvitation(scopeOf(req), customer.id, idParameter(req, 'userId'), { links: linksOf(req) });
  setFlash(req, 'success', 'accounts:invitation.resent');
  res.redirect(303, req.pathTo('staff.customerAccounts.index', { customerId: customer.id }));
}
