import type { Request, Response } from 'express';
import { scopeOf, setFlash } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { findProviderDetails } from '../../models/provider-details.js';
import { mayChangeSetting, saveSettings, settingsInForce, type SettingChanges, type SettingsInForce } from '../../models/settings.js';
import type { SettingName } from '../../models/setting-registry.js';
import { message } from '../../presenters/presentation.js';
import { inForceText, sourceText, valueText } from '../../presenters/settings.js';
import { formValues, parseForm, type FieldError } from '../../validators/form.js';
import { choicesOf, tenantSettingChanges, tenantSettingFields, tenantSettingNames, tenantSettingsForm } from '../../validators/settings.js';

/** Each shown setting's value in force for the tenant and where it comes from (set here, or the default). */
function inForceOf(settings: SettingsInForce, officeEmail: string | null) {
  return Object.fromEntries(tenantSettingFields.map((field) => {
    const name = tenantSettingNames[field];
    // No queue address of its own: the page says where new tickets of the queue are announced instead.
    if (field === 'queueEmail' && !settings[name].value) return [field, officeEmail ? message('settings:queueEmail.fallback', { address: officeEmail }) : message('settings:queueEmail.nowhere')];
    const choice = choicesOf(field).find((candidate) => candidate.value === settings[name].value);
    return [field, inForceText(choice ? message(choice.label) : valueText(name, settings[name].value), sourceText(settings[name].source, { here: 'tenant' }))];
  }));
}

async function renderForm(req: Request, res: Response, status: number, submitted?: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const [settings, provider] = await Promise.all([settingsInForce(scopeOf(req)), findProviderDetails(scopeOf(req))]);
  const stored = Object.fromEntries(tenantSettingFields.map((field) => [field, String(settings[tenantSettingNames[field]].value)]));
  const lockedFields = tenantSettingFields.filter((field) => !mayChangeSetting(scopeOf(req), tenantSettingNames[field]));
  // A refused form keeps what was typed; the fields this person may not change show what is stored.
  const values = submitted ? { ...submitted, ...Object.fromEntries(lockedFields.map((field) => [field, stored[field]])) } : stored;
  const choices = Object.fromEntries(tenantSettingFields.map((field) => [field, choicesOf(field)]));
  renderPage(res, 'admin/settings/edit', { title: res.locals.t('settings:title'), fields: tenantSettingFields, values, errors, inForce: inForceOf(settings, provider.office.email), choices, lockedFields }, status);
}

/** GET /:tenant/admin/settings: the tenant's settings (A6, A7, A10, D5), each with where its value comes from. */
export async function edit(req: Request, res: Response): Promise<void> {
  await renderForm(req, res, 200);
}

/** POST /:tenant/admin/settings: saves what changed (settings.ts records it in the audit log). */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(tenantSettingsForm, req.body);
  if (!form.ok) return renderForm(req, res, 422, formValues(req.body, tenantSettingFields), form.errors);
  // A superadmins' setting is shown to an admin but not sent (disabled); one posted anyway is left as it is.
  const changes = Object.fromEntries(Object.entries(tenantSettingChanges(form.data, await settingsInForce(scopeOf(req)))).filter(([name]) => mayChangeSetting(scopeOf(req), name as SettingName))) as SettingChanges;
  if (Object.keys(changes).length > 0) await saveSettings(scopeOf(req), 'tenant', 0, changes);
  setFlash(req, 'success', 'settings:saved');
  res.redirect(303, req.pathTo('admin.settings.edit'));
}
