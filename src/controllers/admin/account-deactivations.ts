import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { deactivateAccount } from '../../models/account.js';
import { runAccountAction } from './_account-page.js';

/** POST /:tenant/admin/accounts/:userId/deactivation: the account stays on record but can no longer sign in. */
export async function create(req: Request, res: Response): Promise<void> {
  await runAccountAction(req, res, (userId) => deactivateAccount(scopeOf(req), userId), 'accountsPanel:deactivation.done');
}
