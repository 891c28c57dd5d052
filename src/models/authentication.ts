import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { verifyAgainstDummy, verifyPassword } from '../lib/passwords.js';
import { clearFailures, recordFailure, secondsUntilAllowed, throttleKeys } from './login-throttle.js';
import { findUserForSignIn, recordFailedSignIn, recordSuccessfulSignIn, type User } from './user.js';

export type SignInResult =
  | { outcome: 'signed-in'; user: User }
  | { outcome: 'refused' }
  | { outcome: 'throttled'; retryAfterSeconds: number };

/**
 * Checks a login and password for one tenant. Unknown login, wrong password, and a locked or
 * deactivated account all give the same 'refused' after the same bcrypt work, and all count
 * towards the throttle; the throttle is asked first so a blocked login costs no bcrypt.
 */
export async function authenticate(
  scope: Scope,
  credentials: { login: string; password: string; ip: string },
  options: { bcryptCost: number; now?: Date },
): Promise<SignInResult> {
  const db = scope.db as Knex;
  const now = options.now ?? new Date();
  const keys = throttleKeys(scope.tenantId, credentials.login, credentials.ip);
  const wait = await secondsUntilAllowed(db, keys, now);
  if (wait > 0) return { outcome: 'throttled', retryAfterSeconds: wait };

  const found = await findUserForSignIn(scope, credentials.login);
  const passwordMatches = found?.passwordHash
    ? await verifyPassword(credentials.password, found.passwordHash)
    : await verifyAgainstDummy(credentials.password, options.bcryptCost);
  const user = found?.user;
  if (!user || !passwordMatches || user.isLocked || !user.isActive) {
    await recordFailure(db, keys, now);
    if (user) await recordFailedSignIn(scope, user.id);
    return { outcome: 'refused' };
  }
  await clearFailures(db, keys);
  await recordSuccessfulSignIn(scope, user.id, credentials.ip);
  return { outcome: 'signed-in', user };
}
