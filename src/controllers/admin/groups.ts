import type { Request, Response } from 'express';
import { refusalFrom } from '../../lib/errors.js';
import { renderPage } from '../../lib/render.js';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { createGroup, listGroups, updateGroup } from '../../models/group.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../../validators/form.js';
import { groupCreateForm, groupEditForm } from '../../validators/group.js';
import { renderGroupEdit } from './_group-page.js';

async function renderList(req: Request, res: Response, status: number, values: Record<string, string> = { name: '' }, errors: Record<string, FieldError> = {}): Promise<void> {
  renderPage(res, 'admin/groups/index', { title: res.locals.t('groups:list.title'), groups: await listGroups(scopeOf(req)), values, errors }, status);
}

/** GET /:tenant/admin/groups: the client groups with their member counts, and the new-group form (A5). */
export async function index(req: Request, res: Response): Promise<void> {
  await renderList(req, res, 200);
}

/** POST /:tenant/admin/groups: a name taken in the tenant, in any case, is 422. */
export async function create(req: Request, res: Response): Promise<void> {
  const values = formValues(req.body, ['name']);
  const form = parseForm(groupCreateForm, req.body);
  if (!form.ok) return renderList(req, res, 422, values, form.errors);
  const refusal = await refusalFrom(createGroup(scopeOf(req), form.data.name));
  if (refusal) return renderList(req, res, 422, values, fieldErrorsOf(refusal));
  setFlash(req, 'success', 'groups:created');
  res.redirect(303, req.pathTo('admin.groups.index'));
}

/** GET /:tenant/admin/groups/:groupId/edit */
export async function edit(req: Request, res: Response): Promise<void> {
  await renderGroupEdit(req, res, 200);
}

/** POST /:tenant/admin/groups/:groupId: renames (never CLIENTS: 403) and sets the portal-access override. */
export async function update(req: Request, res: Response): Promise<void> {
  const group = loaded(req, 'group');
  const values = formValues(req.body, ['name', 'portalAccess']);
  const form = parseForm(groupEditForm, req.body);
  if (!form.ok) return renderGroupEdit(req, res, 422, values, form.errors);
  const refusal = await refusalFrom(updateGroup(scopeOf(req), group.id, form.data));
  if (refusal) return renderGroupEdit(req, res, 422, values, fieldErrorsOf(refusal));
  setFlash(req, 'success', 'groups:saved');
  res.redirect(303, req.pathTo('admin.groups.edit', { groupId: group.id }));
}
