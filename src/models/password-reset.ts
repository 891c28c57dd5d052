import type { Scope } from '../db/scope.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { recordResetRequest, resetRequestKey, secondsUntilKeyAllowed } from './login-throttle.js';
import { enqueueMail } from './outbox.js';
import { issuePasswordToken } from './password-token.js';
import { findScopeTenant } from './tenant.js';
import { fullName, greetingNameOf, normalizeLogin, toUser, type User } from './user.js';
import type { Links } from '../lib/urls.js';
import { accountsForAuthentication, visibleAccounts } from './visibility.js';

/**
 * A password reset asked for by login or e-mail (A11). Every active account that matches gets a
 * one-time link (1 hour) by e-mail; the caller answers the same whether or not any matched.
 * @returns how many e-mails were queued (for tests and logs, never for the page)
 */
export async function requestPasswordReset(scope: Scope, loginOrEmail: string, options: { links: Links; ip?: string | null }): Promise<number> {
  const wanted = loginOrEmail.trim();
  return scope.transaction(async (trx) => {
    const rows = await accountsForAuthentication(trx)
      .where('is_active', true)
      .whereNotNull('email')
      .andWhere((query) => query.where('login', normalizeLogin(wanted)).orWhereRaw('lower(email) = ?', [wanted.toLowerCase()]));
    const users: User[] = rows.map(toUser);
    for (const user of users) {
      // A link sent minutes ago still works: another request neither floods the inbox nor voids it.
      if (await hasFreshResetLink(trx, user.id, trx.now())) continue;
      // One message per account; when the address is shared, each names its login among the others'.
      const sharing = users.filter((other) => other.email!.toLowerCase() === user.email!.toLowerCase());
      await queueResetMail(trx, user, options.links, sharing.length > 1 ? sharing.map((other) => other.login) : []);
      await logEvent(trx, { action: 'user.password_reset_requested', subjectType: 'user', subjectId: user.id, ip: options.ip ?? null });
    }
    return rows.length;
  });
}

export type ResetRequestOutcome = { outcome: 'requested' } | { outcome: 'throttled'; retryAfterSeconds: number };

/**
 * requestPasswordReset for a visitor of the public form: each request counts against the
 * visitor's address, known login or not, and an address past its limit is refused before any
 * account is looked up (abusePolicy.resetRequests), so the form cannot flood anyone's inbox.
 */
export async function requestPasswordResetFrom(
  scope: Scope,
  loginOrEmail: string,
  visitor: { ip: string },
  options: { links: Links },
): Promise<ResetRequestOutcome> {
  const key = resetRequestKey(scope.tenantId, visitor.ip);
  const wait = await secondsUntilKeyAllowed(scope, key, scope.now());
  if (wait > 0) return { outcome: 'throttled', retryAfterSeconds: wait };
  await recordResetRequest(scope, key, scope.now());
  await requestPasswordReset(scope, loginOrEmail, { links: options.links, ip: visitor.ip });
  return { outcome: 'requested' };
}

/**
 * A password reset sent by staff to one account (A4: "send a password reset"): the same e-mail
 * and link as a reset the user asks for.
 * @returns false when the account has no e-mail address or is not active
 */
export async function sendPasswordResetTo(scope: Scope, userId: number, options: { links: Links }): Promise<boolean> {
  return scope.transaction(async (trx) => {
    const row = await visibleAccounts(trx).where('users.id', userId).first();
    if (!row || !row.email || !row.is_active) return false;
    const user = toUser(row);
    await queueResetMail(trx, user, options.links);
    await logEvent(trx, { action: 'user.password_reset_sent', subjectType: 'user', subjectId: user.id });
    return true;
  });
}

/**
 * A new reset link (earlier ones void) and its e-mail, in the account's language, in the caller's
 * transaction. With `sharedLogins` (the logins of every account the address belongs to), the message
 * says which of them its link is for, so a person with several accounts never sets the wrong one.
 */
async function queueResetMail(trx: Scope, user: User, links: Links, sharedLogins: string[] = []): Promise<void> {
  const tenant = await findScopeTenant(trx);
  const token = await issuePasswordToken(trx, user.id, 'reset');
  const link = links.absolute('auth.passwordResets.edit', { tenant: tenant.slug, token });
  await enqueueMail(trx, {
    to: user.email!,
    recipientUserId: user.id,
    locale: user.locale ?? tenant.defaultLocale,
    template: sharedLogins.length > 1 ? 'password-reset-shared' : 'password-reset',
    data: { tenant: tenant.name, name: fullName(user), greetingName: greetingNameOf(user), login: user.login, link, ...(sharedLogins.length > 1 ? { logins: sharedLogins.join(', ') } : {}) },
  });
}

/** How long a reset link is left alone before another request may replace it. */
const resetResendSeconds = 5 * 60;

async function hasFreshResetLink(trx: Scope, userId: number, now: Date): Promise<boolean> {
  const since = toDatabaseTime(new Date(now.getTime() - resetResendSeconds * 1000));
  const fresh = await trx.table('password_tokens').where({ user_id: userId, purpose: 'reset' }).whereNull('used_at').andWhere('created_at', '>', since).first('id');
  return Boolean(fresh);
}
