import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { deleteGroup } from '../../models/group.js';
import { parseForm } from '../../validators/form.js';
import { groupDeletionForm } from '../../validators/group.js';
import { renderGroupEdit } from './_group-page.js';

/** POST /:tenant/admin/groups/:groupId/deletion: with the box ticked, deletes the group; its members go back to CLIENTS. */
export async function create(req: Request, res: Response): Promise<void> {
  const form = parseForm(groupDeletionForm, req.body);
  if (!form.ok) return renderGroupEdit(req, res, 422, undefined, form.errors);
  await deleteGroup(scopeOf(req), loaded(req, 'group').id);
  setFlash(req, 'success', 'groups:deletion.done');
  res.redirect(303, req.pathTo('admin.groups.index'));
}
