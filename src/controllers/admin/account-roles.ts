import type { Request, Response } from 'express';
import { ValidationError } from '../../lib/errors.js';
import { linksOf, scopeOf } from '../../middleware/context.js';
import { changeAccountRole } from '../../models/account.js';
import { roleChangeForm } from '../../validators/accounts-panel.js';
import { parseForm } from '../../validators/form.js';
import { runAccountAction } from './_account-page.js';

/** POST /:tenant/admin/accounts/:userId/role: 403 for one's own role or one above the actor's reach. */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(roleChangeForm, req.body);
  await runAccountAction(req, res, async (userId) => {
    if (!form.ok) throw new ValidationError({ role: form.errors.role?.key ?? 'validation:invalid' });
    await changeAccountRole(scopeOf(req), userId, form.data.role, { links: linksOf(req) });
  }, 'accountsPanel:role.changed');
}
