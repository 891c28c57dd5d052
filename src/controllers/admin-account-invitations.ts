import type { Request, Response } from 'express';
import { scopeOf } from '../middleware/context.js';
import { resendInvitation } from '../models/account.js';
import { runAccountAction } from './admin-accounts.js';

/** POST /:tenant/admin/accounts/:userId/invitation: a new invitation for an account without a password yet. */
export async function create(req: Request, res: Response): Promise<void> {
  const options = { baseUrl: req.deps.config.baseUrl };
  await runAccountAction(req, res, (userId) => resendInvitation(scopeOf(req), userId, options), 'accountsPanel:invitation.sent');
}
