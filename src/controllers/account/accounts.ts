import type { Request, Response } from 'express';
import { currentUserOf, scopeOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { findCustomer } from '../../models/customer.js';

/** GET /:tenant/account: "my account", for every signed-in user. */
export async function show(req: Request, res: Response): Promise<void> {
  const user = currentUserOf(req);
  const customer = user.customerId ? await findCustomer(scopeOf(req), user.customerId) : null;
  renderPage(res, 'account/accounts/show', { title: res.locals.t('account:title'), user, customer });
}
