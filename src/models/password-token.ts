import type { Scope } from '../db/scope.js';
import { lockRow } from '../db/scope.js';
import { TooManyRequestsError } from '../lib/errors.js';
import { generateToken, hashToken } from '../lib/tokens.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { linkGuessKey, recordLinkGuess, secondsUntilKeyAllowed } from './login-throttle.js';
import { hashPassword } from '../lib/passwords.js';
import { actorFor } from './authentication.js';
import { findUser, storePasswordHash, toUser, type User } from './user.js';
import { accountsForAuthentication } from './visibility.js';

/** What each kind of link is for, and how long it works (seconds). */
export const passwordTokenPurposes = {
  /** A first password for an account made without one (tenant:create). */
  setup: 7 * 24 * 60 * 60,
  /** A client invited to the portal (A7). */
  invitation: 7 * 24 * 60 * 60,
  /** A password reset asked for by e-mail (A11). */
  reset: 60 * 60,
} as const;
export type PasswordTokenPurpose = keyof typeof passwordTokenPurposes;

/**
 * Issues a one-time link token for a user; earlier unused tokens of the same purpose stop working.
 * @returns the token in clear, to be put in a link; only its hash is stored
 */
export async function issuePasswordToken(scope: Scope, userId: number, purpose: PasswordTokenPurpose): Promise<string> {
  const { token, tokenHash } = generateToken();
  await scope.transaction(async (trx) => {
    // Links of one account issued at once run one after the other: on MariaDB each void-then-insert
    // would otherwise hold a gap lock the other's insert waits for (a deadlock, seen under load).
    await lockRow(trx, 'users', userId);
    const now = trx.now();
    await trx.table('password_tokens')
      .where({ user_id: userId, purpose })
      .whereNull('used_at')
      .update({ used_at: toDatabaseTime(now) });
    await trx.insert('password_tokens', {
      user_id: userId,
      purpose,
      token_hash: tokenHash,
      expires_at: toDatabaseTime(new Date(now.getTime() + passwordTokenPurposes[purpose] * 1000)),
      created_at: toDatabaseTime(now),
    });
  });
  return token;
}

/** A usable link: whose it is, and the name of their customer (the invitation page says it). */
/**
 * The moment before which an invitation sent has expired unused (its lifetime back from now): an
 * account without a password invited earlier is "invitation expired", later "invitation sent".
 */
export function invitationsExpiredBefore(scope: Scope): string {
  return toDatabaseTime(new Date(scope.now().getTime() - passwordTokenPurposes.invitation * 1000));
}

export type TokenState = { state: 'usable'; user: User; tokenId: number; customerName: string | null } | { state: 'expired' | 'used' | 'unknown' };

/**
 * What a link's token is worth now: usable (with its user), expired, used, or unknown. A token
 * of another purpose than the link's is unknown; one of a deactivated account has expired.
 * The token is the visitor's proof: its account is read with it, whoever asks.
 */
export async function inspectPasswordToken(scope: Scope, token: string, purpose: PasswordTokenPurpose): Promise<TokenState> {
  const row = await scope.table('password_tokens').where({ token_hash: hashToken(token), purpose }).first('id', 'user_id', 'used_at', 'expires_at');
  if (!row) return { state: 'unknown' };
  if (row.used_at) return { state: 'used' };
  if (String(row.expires_at) <= toDatabaseTime(scope.now())) return { state: 'expired' };
  const account = await accountsForAuthentication(scope)
    .leftJoin('customers', function joinCustomer() {
      this.on('customers.tenant_id', '=', 'users.tenant_id').andOn('customers.id', '=', 'users.customer_id');
    })
    .where('users.id', Number(row.user_id))
    .first('users.*', 'customers.name as customer_name');
  const user = toUser(account);
  if (!user.isActive) return { state: 'expired' };
  // An invitation is for setting a first password: once the account has one, it is spent.
  if (purpose === 'invitation' && user.hasPassword) return { state: 'used' };
  return { state: 'usable', user, tokenId: Number(row.id), customerName: (account.customer_name as string | null) ?? null };
}

/**
 * inspectPasswordToken for a link opened by a visitor: an unknown token counts as a guess against
 * the visitor's address, and an address past its guesses is refused before any token is looked at
 * (a valid one too, so a blocked guesser learns nothing).
 * @throws TooManyRequestsError while the address has to wait
 */
export async function inspectLinkToken(
  scope: Scope,
  token: string,
  purpose: PasswordTokenPurpose,
  visitor: { ip: string },
): Promise<TokenState> {
  const key = linkGuessKey(scope.tenantId, visitor.ip);
  const wait = await secondsUntilKeyAllowed(scope, key, scope.now());
  if (wait > 0) throw new TooManyRequestsError(wait, 'too many unknown link tokens from one address', { messageKey: 'accounts:links.throttled' });
  const found = await inspectPasswordToken(scope, token, purpose);
  if (found.state === 'unknown') await recordLinkGuess(scope, key, scope.now());
  return found;
}

const auditActionOfUse: Record<PasswordTokenPurpose, string> = {
  setup: 'user.password_link_used',
  invitation: 'user.invitation_used',
  reset: 'user.password_reset',
};

/**
 * Sets the password through a link, once: the token is marked used in the same transaction,
 * and a second, concurrent use finds nothing to mark and changes nothing. A reset also ends
 * every session the user has (someone else may have known the old password).
 * @returns the user, or null when the token was no longer usable
 */
export async function usePasswordToken(
  scope: Scope,
  token: string,
  purpose: PasswordTokenPurpose,
  password: string,
  options: { bcryptCost: number },
): Promise<User | null> {
  const passwordHash = await hashPassword(password, options.bcryptCost);
  return scope.transaction(async (visitorTrx) => {
    const found = await inspectPasswordToken(visitorTrx, token, purpose);
    if (found.state !== 'usable') return null;
    // The token proves who the visitor is: the rest is done as that user.
    const trx = visitorTrx.authenticatedAs(actorFor(found.user));
    const marked = await trx.table('password_tokens')
      .where('id', found.tokenId)
      .whereNull('used_at')
      .update({ used_at: toDatabaseTime(trx.now()) });
    if (!marked) return null;
    // Storing the password voids every other link of the user too: the password they were sent to set is set.
    await storePasswordHash(trx, found.user.id, passwordHash, { isLoggedByCaller: true });
    if (purpose === 'reset') await trx.table('sessions').where('user_id', found.user.id).delete();
    await logEvent(trx, { action: auditActionOfUse[purpose], subjectType: 'user', subjectId: found.user.id });
    return findUser(trx, found.user.id);
  });
}

