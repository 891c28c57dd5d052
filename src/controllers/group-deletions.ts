import type { Request, Response } from 'express';
import { idParameter, scopeOf, setFlash, tenantPath } from '../middleware/context.js';
import { deleteGroup } from '../models/group.js';
import { parseForm } from '../validators/form.js';
import { groupDeletionForm } from '../validators/group.js';
import { renderEdit } from './groups.js';

/** POST /:tenant/admin/groups/:groupId/deletion: with the box ticked, deletes the group; its members go back to CLIENTS. */
export async function create(req: Request, res: Response): Promise<void> {
  const groupId = idParameter(req, 'groupId');
  const form = parseForm(groupDeletionForm, req.body);
  if (!form.ok) return renderEdit(req, res, 422, undefined, form.errors);
  await deleteGroup(scopeOf(req), groupId);
  setFlash(req, 'success', 'groups:deletion.done');
  res.redirect(303, tenantPath(req, 'admin/groups'));
}
