import type { Request, Response } from 'express';
import { linksOf, scopeOf } from '../../middleware/context.js';
import { resendInvitation } from '../../models/account.js';
import { runAccountAction } from './_account-page.js';

/** POST /:tenant/admin/accounts/:userId/invitation: a new invitation for an account without a password yet. */
export async function create(req: Request, res: Response): Promise<void> {
  const options = { links: linksOf(req) };
  await runAccountAction(req, res, (userId) => resendInvitation(scopeOf(req), userId, options), 'accountsPanel:invitation.sent');
}
