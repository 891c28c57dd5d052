import type { Scope } from '../db/scope.js';
import { inTransaction, tenantTable } from '../db/scope.js';
import { generateToken, hashToken } from '../lib/tokens.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { hashPassword } from '../lib/passwords.js';
import { findUser, storePasswordHash, type User } from './user.js';

export const passwordTokenPurposes = { setup: 7 * 24 * 60 * 60 } as const;
export type PasswordTokenPurpose = keyof typeof passwordTokenPurposes;

/**
 * Issues a one-time link token for a user; earlier unused tokens of the same purpose stop working.
 * @returns the token in clear, to be put in a link; only its hash is stored
 */
export async function issuePasswordToken(scope: Scope, userId: number, purpose: PasswordTokenPurpose): Promise<string> {
  const { token, tokenHash } = generateToken();
  await inTransaction(scope, async (trx) => {
    const now = new Date();
    await tenantTable(trx, 'password_tokens')
      .where({ user_id: userId, purpose })
      .whereNull('used_at')
      .update({ used_at: toDatabaseTime(now) });
    await trx.db('password_tokens').insert({
      tenant_id: trx.tenantId,
      user_id: userId,
      purpose,
      token_hash: tokenHash,
      expires_at: toDatabaseTime(new Date(now.getTime() + passwordTokenPurposes[purpose] * 1000)),
      created_at: toDatabaseTime(now),
    });
  });
  return token;
}

export type TokenState = { state: 'usable'; user: User; tokenId: number } | { state: 'expired' | 'used' | 'unknown' };

/** What a link's token is worth now: usable (with its user), expired, used, or unknown. */
export async function inspectPasswordToken(scope: Scope, token: string): Promise<TokenState> {
  const row = await tenantTable(scope, 'password_tokens').where('token_hash', hashToken(token)).first();
  if (!row) return { state: 'unknown' };
  if (row.used_at) return { state: 'used' };
  if (String(row.expires_at) <= toDatabaseTime(new Date())) return { state: 'expired' };
  return { state: 'usable', user: await findUser(scope, Number(row.user_id)), tokenId: Number(row.id) };
}

/**
 * Sets the password through a link, once: the token is marked used in the same transaction,
 * and a second, concurrent use finds nothing to mark and changes nothing.
 * @returns the user, or null when the token was no longer usable
 */
export async function usePasswordToken(scope: Scope, token: string, password: string, options: { bcryptCost: number }): Promise<User | null> {
  const passwordHash = await hashPassword(password, options.bcryptCost);
  return inTransaction(scope, async (trx) => {
    const found = await inspectPasswordToken(trx, token);
    if (found.state !== 'usable') return null;
    const marked = await tenantTable(trx, 'password_tokens')
      .where('id', found.tokenId)
      .whereNull('used_at')
      .update({ used_at: toDatabaseTime(new Date()) });
    if (!marked) return null;
    await storePasswordHash(trx, found.user.id, passwordHash);
    await logEvent(trx, { action: 'user.password_link_used', subjectType: 'user', subjectId: found.user.id, actorId: found.user.id });
    return findUser(trx, found.user.id);
  });
}
