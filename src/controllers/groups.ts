import type { Request, Response } from 'express';
import { refusalFrom } from '../lib/errors.js';
import { renderPage } from '../lib/render.js';
import { idParameter, scopeOf, setFlash, tenantPath } from '../middleware/context.js';
import { createGroup, findGroup, groupPortalAccess, listGroups, updateGroup } from '../models/group.js';
import { fieldErrorsOf, formValues, parseForm, type FieldError } from '../validators/form.js';
import { groupCreateForm, groupEditForm } from '../validators/group.js';

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
  res.redirect(303, tenantPath(req, 'admin/groups'));
}

/** The edit page: the name, the portal-access override (D5) and the deletion form; also the answer to a refused form. */
export async function renderEdit(req: Request, res: Response, status: number, values?: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const scope = scopeOf(req);
  const group = await findGroup(scope, idParameter(req, 'groupId'));
  const portalAccess = await groupPortalAccess(scope, group.id);
  renderPage(res, 'admin/groups/edit', {
    title: res.locals.t('groups:edit.title', { name: group.name }),
    group,
    portalAccess,
    values: values ?? { name: group.name, portalAccess: portalAccess.override },
    errors,
  }, status);
}

/** GET /:tenant/admin/groups/:groupId/edit */
export async function edit(req: Request, res: Response): Promise<void> {
  await renderEdit(req, res, 200);
}

/** POST /:tenant/admin/groups/:groupId: renames (never CLIENTS: 403) and sets the portal-access override. */
export async function update(req: Request, res: Response): Promise<void> {
  const groupId = idParameter(req, 'groupId');
  const values = formValues(req.body, ['name', 'portalAccess']);
  const form = parseForm(groupEditForm, req.body);
  if (!form.ok) return renderEdit(req, res, 422, values, form.errors);
  const refusal = await refusalFrom(updateGroup(scopeOf(req), groupId, form.data));
  if (refusal) return renderEdit(req, res, 422, values, fieldErrorsOf(refusal));
  setFlash(req, 'success', 'groups:saved');
  res.redirect(303, tenantPath(req, `admin/groups/${groupId}/edit`));
}
