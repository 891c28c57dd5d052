import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { configureTenantPortlets, findTenantPortlets } from '../../models/portlet-configuration.js';
import { formValues } from '../../validators/form.js';
import { groupPortletFields, parseGroupPortlets } from '../../validators/group-portlets.js';
import { renderPortletForm } from './_portlet-form-page.js';

/** GET /:tenant/admin/portlets: the portal's default start page, for every group without a set of its own (P1, P2, D5). */
export async function edit(req: Request, res: Response): Promise<void> {
  renderPortletForm(req, res, { kind: 'tenant' }, await findTenantPortlets(scopeOf(req)), 200);
}

/** POST /:tenant/admin/portlets: saves the default set, or goes back to every everyday portlet; bad input is 422 with the form as sent. */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseGroupPortlets(req.body);
  if (!form.ok) return renderPortletForm(req, res, { kind: 'tenant' }, await findTenantPortlets(scopeOf(req)), 422, { values: formValues(req.body, groupPortletFields), errors: form.errors });
  await configureTenantPortlets(scopeOf(req), form.data);
  setFlash(req, 'success', 'portlets:defaults.saved');
  res.redirect(303, req.pathTo('admin.portletDefaults.edit'));
}
