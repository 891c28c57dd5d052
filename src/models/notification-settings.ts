import type { Scope } from '../db/scope.js';
import { signedInUser } from '../db/scope.js';
import { ForbiddenError } from '../lib/errors.js';
import type { SettingValue } from './setting-registry.js';
import { saveSettings, settingsInForce } from './settings.js';

/** The e-mails a member of staff chooses to get (issue 14); each is a layered setting on their account. */
export type NotificationSettings = { changeRequests: SettingValue<'notifications.change_requests'> };

/** A user's notification choices in force (their own, else the default: on). */
export async function findNotificationSettings(scope: Scope, userId: number): Promise<NotificationSettings> {
  const settings = await settingsInForce(scope, { accountId: userId });
  return { changeRequests: settings['notifications.change_requests'].value };
}

/**
 * Saves the signed-in user's own choices; only what changed is written (and audited by saveSettings).
 * @throws ForbiddenError for another user's account: nobody switches off someone else's notices
 * @returns whether anything changed
 */
export async function updateOwnNotificationSettings(scope: Scope, userId: number, settings: NotificationSettings): Promise<boolean> {
  if (signedInUser(scope).id !== userId) throw new ForbiddenError(`user ${signedInUser(scope).id} may not change the notices of user ${userId}`);
  const before = await findNotificationSettings(scope, userId);
  if (before.changeRequests === settings.changeRequests) return false;
  await saveSettings(scope, 'account', userId, { 'notifications.change_requests': settings.changeRequests });
  return true;
}
