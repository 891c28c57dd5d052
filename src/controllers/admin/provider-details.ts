import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { findProviderDetails, updateOfficeContact } from '../../models/provider-details.js';
import { formValues, parseForm, type FieldError } from '../../validators/form.js';
import { maximumOfficeAddressLength, maximumOfficeHoursLength, providerDetailsFields, providerDetailsForm } from '../../validators/provider-details.js';

async function renderForm(req: Request, res: Response, status: number, submitted?: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const provider = await findProviderDetails(scopeOf(req));
  const values = submitted ?? Object.fromEntries(providerDetailsFields.map((field) => [field, provider.office[field] ?? '']));
  renderPage(res, 'admin/provider-details/edit', { title: res.locals.t('providerDetails:title'), provider, values, errors, maximumOfficeAddressLength, maximumOfficeHoursLength }, status);
}

/** GET /:tenant/admin/provider-details: the office's contact details that clients see on their start page. */
export async function edit(req: Request, res: Response): Promise<void> {
  await renderForm(req, res, 200);
}

/** POST /:tenant/admin/provider-details */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(providerDetailsForm, req.body);
  if (!form.ok) return renderForm(req, res, 422, formValues(req.body, providerDetailsFields), form.errors);
  await updateOfficeContact(scopeOf(req), form.data);
  setFlash(req, 'success', 'providerDetails:saved');
  res.redirect(303, req.pathTo('admin.providerDetails.edit'));
}
