import type { Request, Response } from 'express';
import { currentUserOf, scopeOf, setFlash } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { findNotificationSettings, updateOwnNotificationSettings } from '../../models/notification-settings.js';
import { formValues, parseForm, type FieldError } from '../../validators/form.js';
import { notificationSettingsFields, notificationSettingsForm } from '../../validators/notification-settings.js';

async function renderForm(req: Request, res: Response, status: number, submitted?: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const values = submitted ?? (await findNotificationSettings(scopeOf(req), currentUserOf(req).id));
  renderPage(res, 'staff/notification-settings/edit', { title: res.locals.t('notifications:title'), values, errors }, status);
}

/** GET /:tenant/account/notifications: which e-mails the member of staff gets (issue 14). */
export async function edit(req: Request, res: Response): Promise<void> {
  await renderForm(req, res, 200);
}

/** POST /:tenant/account/notifications */
export async function update(req: Request, res: Response): Promise<void> {
  const form = parseForm(notificationSettingsForm, req.body);
  if (!form.ok) return renderForm(req, res, 422, formValues(req.body, notificationSettingsFields), form.errors);
  await updateOwnNotificationSettings(scopeOf(req), currentUserOf(req).id, form.data);
  setFlash(req, 'success', 'notifications:saved');
  res.redirect(303, req.pathTo('account.accounts.show'));
}
