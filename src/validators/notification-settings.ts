import { z } from 'zod';
import type { NotificationField } from '../models/notification-settings.js';

const choice = z.enum(['on', 'off'], { error: 'notifications:errors.choose' });

/** views/account/notification-settings/edit.ejs: a choice for each switch the person has, and nothing else. */
export function notificationSettingsForm(fields: readonly NotificationField[]): z.ZodType<Partial<Record<NotificationField, 'on' | 'off'>>> {
  return z.object(Object.fromEntries(fields.map((field) => [field, choice])));
}

export const notificationSettingsFields = ['changeRequests', 'tickets', 'ticketApprovals'] as const satisfies readonly NotificationField[];
