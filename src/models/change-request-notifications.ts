import type { Scope } from '../db/scope.js';
import type { Links } from '../lib/urls.js';
import { enqueueMail } from './outbox.js';
import { findProviderDetails } from './provider-details.js';
import { settingsInForce } from './settings.js';
import { findScopeTenant } from './tenant.js';
import { findActiveCaretaker } from './caretaker.js';
import { visibleAccounts } from './visibility.js';
import { nameFromColumns } from './user.js';

export type FiledRequest = { requestId: number; customerId: number; customerName: string; requestedBy: number; fields: readonly string[] };

/**
 * Tells staff that a client has asked for a change of the customer's data, in the request's
 * transaction (the message is queued only if the request is kept): the customer's caretaker,
 * unless they switched these notices off; when the customer has no active caretaker, the
 * office's address (provider details), where someone can assign one; else nobody. A caretaker
 * without an e-mail address gets nothing, and nothing fails.
 * @returns to whom it was queued: 'caretaker', 'office' or 'nobody'
 */
export async function notifyOfFiledRequest(scope: Scope, request: FiledRequest, links: Links): Promise<'caretaker' | 'office' | 'nobody'> {
  const [caretaker, tenant, provider, requester] = await Promise.all([
    findActiveCaretaker(scope, request.customerId),
    findScopeTenant(scope),
    findProviderDetails(scope),
    visibleAccounts(scope).where('users.id', request.requestedBy).first('users.first_name', 'users.last_name', 'users.login'),
  ]);
  const data = {
    tenant: tenant.name,
    customer: request.customerName,
    requester: nameFromColumns(requester?.first_name, requester?.last_name) || String(requester?.login ?? ''),
    count: String(request.fields.length),
    link: links.absolute('staff.changeRequests.show', { tenant: tenant.slug, requestId: request.requestId }),
  };
  if (caretaker) {
    const settings = await settingsInForce(scope, { accountId: caretaker.id });
    if (settings['notifications.change_requests'].value === 'off' || !caretaker.email) return 'nobody';
    await enqueueMail(scope, { to: caretaker.email, locale: caretaker.locale ?? tenant.defaultLocale, template: 'change-request-filed', recipientUserId: caretaker.id, customerId: request.customerId, data: { ...data, greetingName: caretaker.greetingName } });
    return 'caretaker';
  }
  if (!provider.office.email) return 'nobody';
  await enqueueMail(scope, { to: provider.office.email, customerId: request.customerId, locale: tenant.defaultLocale, template: 'change-request-filed-office', data });
  return 'office';
}
