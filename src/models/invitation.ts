import type { Scope } from '../db/scope.js';
import { ValidationError } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { findCustomer } from './customer.js';
import { enqueueMail } from './outbox.js';
import { issuePasswordToken } from './password-token.js';
import { findScopeTenant } from './tenant.js';
import { findUser, fullName, greetingNameOf } from './user.js';
import type { Links } from '../lib/urls.js';
import { visibleAccounts } from './visibility.js';

/**
 * Invites a client account to the portal (A7): a one-time link (7 days) is e-mailed in the
 * account's language, in the caller's transaction. A new invitation makes earlier ones void.
 * @throws ValidationError when the account has no e-mail address to send it to
 */
export async function inviteUser(scope: Scope, userId: number, options: { links: Links }): Promise<void> {
  await scope.transaction(async (trx) => {
    const user = await findUser(trx, userId);
    if (!user.email) throw new ValidationError({ email: 'accounts:invitation.needsEmail' });
    const tenant = await findScopeTenant(trx);
    const customer = user.customerId ? await findCustomer(trx, user.customerId) : null;
    const token = await issuePasswordToken(trx, user.id, 'invitation');
    await enqueueMail(trx, {
      to: user.email,
      recipientUserId: user.id,
      customerId: user.role === 'client' ? user.customerId : null,
      locale: user.locale ?? tenant.defaultLocale,
      // Staff are invited to the staff panel, clients to their company's portal.
      template: user.role === 'client' ? 'invitation' : 'staff-invitation',
      data: {
        tenant: tenant.name,
        name: fullName(user),
        greetingName: greetingNameOf(user),
        login: user.login,
        customer: customer?.name ?? tenant.name,
        link: options.links.absolute('auth.invitations.edit', { tenant: tenant.slug, token }),
      },
    });
    await visibleAccounts(trx).where('users.id', user.id).update({ invited_at: toDatabaseTime(trx.now()) });
    await logEvent(trx, { action: 'user.invitation_sent', subjectType: 'user', subjectId: user.id });
  });
}
