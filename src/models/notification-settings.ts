import type { Scope, UserActor } from '../db/scope.js';
import { isStaff, signedInUser } from '../db/scope.js';
import { ForbiddenError } from '../lib/errors.js';
import type { SettingValue } from './setting-registry.js';
import { saveSettings, settingsInForce, type SettingChanges } from './settings.js';

/**
 * The e-mails a person chooses to get (issues 14 and 15), each a layered setting on their account,
 * on by default: staff are told of their customers' change requests, of new tasks and of clients'
 * replies in them; clients of replies, status and due-date changes of their tickets and the
 * approval decided on them (T9), and an approver also of the tickets waiting for their approval (T7).
 */
export const notificationSettingNames = {
  changeRequests: 'notifications.change_requests',
  tickets: 'notifications.tickets',
  ticketApprovals: 'notifications.ticket_approvals',
  reminders: 'notifications.reminders',
} as const;

export type NotificationField = keyof typeof notificationSettingNames;
export type NotificationSettings = { [Field in NotificationField]: SettingValue<(typeof notificationSettingNames)[Field]> };

/** The switches a person has: only the e-mails they could get. */
export function notificationFieldsOf(actor: Pick<UserActor, 'role' | 'isApprover'>): NotificationField[] {
  if (isStaff(actor.role)) return ['changeRequests', 'tickets'];
  // Reminders of overdue payments (M9) go to a company's primary contacts; any client may become one.
  return actor.isApprover ? ['tickets', 'ticketApprovals', 'reminders'] : ['tickets', 'reminders'];
}

/** A user's notification choices in force (their own, else the default: on). */
export async function findNotificationSettings(scope: Scope, userId: number): Promise<NotificationSettings> {
  const settings = await settingsInForce(scope, { accountId: userId });
  return {
    changeRequests: settings['notifications.change_requests'].value,
    tickets: settings['notifications.tickets'].value,
    ticketApprovals: settings['notifications.ticket_approvals'].value,
    reminders: settings['notifications.reminders'].value,
  };
}

/**
 * Saves the signed-in user's own choices, of the switches they have (notificationFieldsOf); only
 * what changed is written (and audited by saveSettings).
 * @throws ForbiddenError for another user's account: nobody switches off someone else's notices
 * @returns whether anything changed
 */
export async function updateOwnNotificationSettings(scope: Scope, userId: number, settings: Partial<NotificationSettings>): Promise<boolean> {
  const me = signedInUser(scope);
  if (me.id !== userId) throw new ForbiddenError(`user ${me.id} may not change the notices of user ${userId}`);
  const before = await findNotificationSettings(scope, userId);
  const changes: SettingChanges = {};
  for (const field of notificationFieldsOf(me)) {
    const value = settings[field];
    if (value !== undefined && value !== before[field]) changes[notificationSettingNames[field]] = value;
  }
  if (Object.keys(changes).length === 0) return false;
  await saveSettings(scope, 'account', userId, changes);
  return true;
}
