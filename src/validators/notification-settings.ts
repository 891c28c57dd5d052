import { z } from 'zod';
import type { NotificationField } from '../models/notification-settings.js';

const choice = z.enum(['on', 'off'], { error: 'notifications:errors.choose' });

/** views/account/notification-settings/edit.ejs: a choice for each switch the person has, and nothing else. */
export function notificationSettingsForm(fields: readonly NotificationField[]): z.ZodType<Partial<Record<NotificationField, 'on' | 'off'>>> {
  // The reminders' switch came after the form: a form without it (a page opened before) leaves it as it is.
  return z.object(Object.fromEntries(fields.map((field) => [field, field === 'reminders' ? choice.optional() : choice])));
}

export const notificationSettingsFields = ['changeRequests', 'tickets', 'ticketApprovals', 'reminders'] as const satisfies readonly NotificationField[];
