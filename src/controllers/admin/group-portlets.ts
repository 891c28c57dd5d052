import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { configureGroupPortlets, findGroupPortlets } from '../../models/portlet-configuration.js';
import { formValues } from '../../validators/form.js';
import { groupPortletFields, parseGroupPortlets } from '../../validators/group-portlets.js';
import { renderPortletForm } from './_portlet-form-page.js';

/** GET /:tenant/admin/groups/:groupId/portlets: which portlets the group's members see on their start page, in which order, set up how (P1, P2). */
export async function edit(req: Request, res: Response): Promise<void> {
  const group = loaded(req, 'group');
  renderPortletForm(req, res, { kind: 'group', group }, await findGroupPortlets(scopeOf(req), group.id), 200);
}

/** POST /:tenant/admin/groups/:groupId/portlets: saves the group's portlets, or lets it inherit again; bad places or limits are 422 with the form as sent. */
export async function update(req: Request, res: Response): Promise<void> {
  const group = loaded(req, 'group');
  const form = parseGroupPortlets(req.body);
  if (!form.ok) return renderPortletForm(req, res, { kind: 'group', group }, await findGroupPortlets(scopeOf(req), group.id), 422, { values: formValues(req.body, groupPortletFields), errors: form.errors });
  await configureGroupPortlets(scopeOf(req), group.id, form.data);
  setFlash(req, 'success', 'portlets:group.saved');
  res.redirect(303, req.pathTo('admin.groupPortlets.edit', { groupId: group.id }));
}
