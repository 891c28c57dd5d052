import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { effectiveSettings, saveSettings, type EffectiveSetting, type SettingName } from '../../models/settings.js';
import { formValues, parseForm, type FieldError } from '../../validators/form.js';
import { settingInForce } from '../../presenters/settings.js';
import { tenantSettingChanges, tenantSettingChoices, tenantSettingFields, tenantSettingNames, tenantSettingsForm } from '../../validators/settings.js';

/** Each setting's value in force for the tenant and where it comes from (set here, or the default), as the page says it. */
function inForceOf(settings: Record<SettingName, EffectiveSetting>) {
  const choices: Partial<Record<string, ReadonlyArray<{ value: string; label: string }>>> = tenantSettingChoices;
  return Object.fromEntries(tenantSettingFields.map((field) => [field, settingInForce(choices[field], settings[tenantSettingNames[field]])]));
}

async function renderForm(req: Request, res: Response, status: number, submitted?: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const settings = await effectiveSettings(scopeOf(req));
  const values = submitted ?? Object.fromEntries(tenantSettingFields.map((field) => [field, settings[tenantSettingNames[field]].value]));
  renderPage(res, 'admin/settings/edit', { title: res.locals.t('settings:title'), values, errors, inForce: inForceOf(settings), choices: tenantSettingChoices }, status);
}

/** GET /:tenant/admin/settings: the tenant's settings (A6, A7, D5), each with where its value comes from. */
export async function edit(req: Request, res: Response): Promise<void> {
  await renderForm(req, res, 200);
}

/** POST /:tenant/admin/settings: saves what changed (settings.ts records it in the audit log). */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(tenantSettingsForm, req.body);
  if (!form.ok) return renderForm(req, res, 422, formValues(req.body, tenantSettingFields), form.errors);
  const changes = tenantSettingChanges(form.data, await effectiveSettings(scopeOf(req)));
  if (Object.keys(changes).length > 0) await saveSettings(scopeOf(req), 'tenant', 0, changes);
  setFlash(req, 'success', 'settings:saved');
  res.redirect(303, req.pathTo('admin.settings.edit'));
}
