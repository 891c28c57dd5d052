import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';
import { scopeOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { groupPortalAccess } from '../../models/group.js';
import { groupInheritedAccess } from '../../presenters/settings.js';
import type { FieldError } from '../../validators/form.js';

/** The edit page of the route's group: the name, the portal-access override (D5) and the deletion form; also the answer to a refused form. */
export async function renderGroupEdit(req: Request, res: Response, status: number, values?: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const group = loaded(req, 'group');
  const portalAccess = await groupPortalAccess(scopeOf(req), group.id);
  renderPage(res, 'admin/groups/edit', {
    title: res.locals.t('groups:edit.title', { name: group.name }),
    group,
    inheritedAccess: groupInheritedAccess(portalAccess.inherited),
    values: values ?? { name: group.name, portalAccess: portalAccess.override },
    errors,
  }, status);
}
