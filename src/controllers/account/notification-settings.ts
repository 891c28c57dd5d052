import type { Request, Response } from 'express';
import { currentUserOf, scopeOf, setFlash } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { findNotificationSettings, notificationFieldsOf, updateOwnNotificationSettings, type NotificationField } from '../../models/notification-settings.js';
import { formValues, parseForm, type FieldError } from '../../validators/form.js';
import { notificationSettingsFields, notificationSettingsForm } from '../../validators/notification-settings.js';

type SwitchTexts = { legend: string; hint: string; on: string; off: string };

/** What each switch says; the ticket e-mails differ for staff (new tasks) and clients (their tickets). */
function textsOf(field: NotificationField, isStaff: boolean): SwitchTexts {
  if (field === 'changeRequests') return { legend: 'notifications:changeRequests.legend', hint: 'notifications:changeRequests.hint', on: 'notifications:changeRequests.on', off: 'notifications:changeRequests.off' };
  if (field === 'reminders') return { legend: 'notifications:reminders.legend', hint: 'notifications:reminders.hint', on: 'notifications:reminders.on', off: 'notifications:reminders.off' };
  if (field === 'ticketApprovals') return { legend: 'notifications:ticketApprovals.legend', hint: 'notifications:ticketApprovals.hint', on: 'notifications:ticketApprovals.on', off: 'notifications:ticketApprovals.off' };
  return isStaff
    ? { legend: 'notifications:staffTickets.legend', hint: 'notifications:staffTickets.hint', on: 'notifications:staffTickets.on', off: 'notifications:staffTickets.off' }
    : { legend: 'notifications:clientTickets.legend', hint: 'notifications:clientTickets.hint', on: 'notifications:clientTickets.on', off: 'notifications:clientTickets.off' };
}

async function renderForm(req: Request, res: Response, status: number, submitted?: Record<string, string>, errors: Record<string, FieldError> = {}): Promise<void> {
  const user = currentUserOf(req);
  const values = submitted ?? (await findNotificationSettings(scopeOf(req), user.id));
  const switches = notificationFieldsOf(user).map((field) => ({ field, texts: textsOf(field, user.role !== 'client') }));
  renderPage(res, 'account/notification-settings/edit', { title: res.locals.t('notifications:title'), switches, values, errors }, status);
}

/** GET /:tenant/account/notifications: which e-mails the person gets (issues 14 and 15), each switch they have. */
export async function edit(req: Request, res: Response): Promise<void> {
  await renderForm(req, res, 200);
}

/** POST /:tenant/account/notifications */
export async function update(req: Request, res: Response): Promise<void> {
  const user = currentUserOf(req);
  const form = parseForm(notificationSettingsForm(notificationFieldsOf(user)), req.body);
  if (!form.ok) return renderForm(req, res, 422, formValues(req.body, notificationSettingsFields), form.errors);
  await updateOwnNotificationSettings(scopeOf(req), user.id, form.data);
  setFlash(req, 'success', 'notifications:saved');
  res.redirect(303, req.pathTo('account.accounts.show'));
}
