import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { lockAccount, unlockAccount } from '../../models/account.js';
import { runAccountAction } from './_account-page.js';

/** POST /:tenant/admin/accounts/:userId/lock: the account cannot sign in, and its sessions end at once. */
export async function create(req: Request, res: Response): Promise<void> {
  await runAccountAction(req, res, (userId) => lockAccount(scopeOf(req), userId), 'accountsPanel:lock.locked');
}

/** POST /:tenant/admin/accounts/:userId/unlock */
export async function destroy(req: Request, res: Response): Promise<void> {
  await runAccountAction(req, res, (userId) => unlockAccount(scopeOf(req), userId), 'accountsPanel:lock.unlocked');
}
