import type { Request, Response } from 'express';
import { linksOf, scopeOf } from '../../middleware/context.js';
import { sendAccountPasswordReset } from '../../models/account.js';
import { runAccountAction } from './_account-page.js';

/** POST /:tenant/admin/accounts/:userId/password-reset: e-mails the account a reset link (422 without an address). */
export async function create(req: Request, res: Response): Promise<void> {
  const options = { links: linksOf(req) };
  await runAccountAction(req, res, (userId) => sendAccountPasswordReset(scopeOf(req), userId, options), 'accountsPanel:reset.sent');
}
