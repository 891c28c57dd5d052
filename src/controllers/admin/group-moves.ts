import type { Request, Response } from 'express';
import { refusalOf, ValidationError } from '../../lib/errors.js';
import { scopeOf, setFlash, tenantOf } from '../../middleware/context.js';
import { moveAccountsToGroup } from '../../models/group.js';
import { groupMoveForm } from '../../validators/accounts-panel.js';
import { fieldErrorsOf, parseForm } from '../../validators/form.js';
import { safeReturnPath } from '../../validators/preferences.js';
import { renderAccountList } from './_account-page.js';

/** Where the move was sent from: a page of the accounts panel of this tenant, else the list. */
function origin(req: Request): string {
  const list = req.pathTo('admin.accounts.index');
  // Resolved first (safeReturnPath), so %2e%2e cannot climb out of the panel.
  const candidate = safeReturnPath(req.body?.returnTo, tenantOf(req).slug, list);
  const isPanelPage = candidate === list || candidate.startsWith(`${list}?`) || candidate.startsWith(`${list}/`);
  return isPanelPage ? candidate : list;
}

/** POST /:tenant/admin/accounts/group-moves: moves the ticked client accounts to one group (A5). */
export async function create(req: Request, res: Response): Promise<void> {
  const back = origin(req);
  const listQuery = Object.fromEntries(new URL(back, 'http://localhost').searchParams);
  const form = parseForm(groupMoveForm, req.body);
  if (!form.ok) return renderAccountList(req, res, listQuery, 422, form.errors);
  const outcome = await moveAccountsToGroup(scopeOf(req), form.data.ids, form.data.groupId).catch(refusalOf);
  if (outcome instanceof ValidationError) return renderAccountList(req, res, listQuery, 422, fieldErrorsOf(outcome));
  setFlash(req, 'success', outcome.skipped > 0 ? 'accountsPanel:groupMove.movedSkippingOthers' : 'accountsPanel:groupMove.moved');
  res.redirect(303, back);
}
