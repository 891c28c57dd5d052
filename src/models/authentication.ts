import type { Knex } from 'knex';
import type { Scope } from '../db/scope.js';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from '../lib/passwords.js';
import { tenantTable } from '../db/scope.js';
import { throttleKeys } from './login-throttle.js';
import { checkUnderThrottle, type AttemptVerdict } from './sign-in-attempts.js';
import { effectiveSettings } from './settings.js';
import { findUserForSignIn, recordFailedSignIn, recordSuccessfulSignIn, storePasswordHash, type User } from './user.js';

export type SignInResult =
  | { outcome: 'signed-in'; user: User }
  | { outcome: 'refused' }
  | { outcome: 'no-portal-access' }
  | { outcome: 'throttled'; retryAfterSeconds: number };

/**
 * Whether a client's customer may use the portal (A6): the customer is active and the layered
 * 'portal.access' setting (customer, then the account's group, then the tenant) is 'on'. Staff
 * are not customers' people: always true for them.
 */
export async function hasPortalAccess(scope: Scope, user: Pick<User, 'role' | 'customerId' | 'groupId'>): Promise<boolean> {
  if (user.role !== 'client') return true;
  if (!user.customerId) return false;
  const customer = await tenantTable(scope, 'customers').where('id', user.customerId).first('is_active');
  if (!customer || !customer.is_active) return false;
  const settings = await effectiveSettings(scope, { customerId: user.customerId, groupId: user.groupId });
  return settings['portal.access'].value === 'on';
}

/**
 * Checks a login and password for one tenant. Unknown login, wrong password, and a locked or
 * deactivated account all give the same 'refused' after the same bcrypt work, and all count
 * towards the throttle. The attempt is taken from the throttle before bcrypt runs, so a blocked
 * login costs no bcrypt and parallel requests cannot get past the limit together.
 * Only a right password learns that the customer has no portal access ('no-portal-access'):
 * telling it to a guesser would confirm the login. It neither counts as a failure nor clears them.
 */
export async function authenticate(
  scope: Scope,
  credentials: { login: string; password: string; ip: string },
  options: { bcryptCost: number; now: Date },
): Promise<SignInResult> {
  const db = scope.db as Knex;
  const keys = throttleKeys(scope.tenantId, credentials.login, credentials.ip);
  const attempt = await checkUnderThrottle(db, keys, options.now, () => checkPassword(scope, credentials, options.bcryptCost));
  if (attempt.isThrottled) return { outcome: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds };
  const { outcome, passwordHash } = attempt.result;
  if (outcome.outcome !== 'signed-in') return outcome;
  if (needsRehash(passwordHash!, options.bcryptCost)) await storePasswordHash(scope, outcome.user.id, await hashPassword(credentials.password, options.bcryptCost));
  await recordSuccessfulSignIn(scope, outcome.user.id, credentials.ip);
  return outcome;
}

async function checkPassword(
  scope: Scope,
  credentials: { login: string; password: string },
  bcryptCost: number,
): Promise<{ verdict: AttemptVerdict; result: { outcome: SignInResult; passwordHash?: string } }> {
  const found = await findUserForSignIn(scope, credentials.login);
  const passwordMatches = found?.passwordHash
    ? await verifyPassword(credentials.password, found.passwordHash)
    : await verifyAgainstDummy(credentials.password, bcryptCost);
  const user = found?.user;
  if (!user || !passwordMatches || user.isLocked || !user.isActive) {
    if (user) await recordFailedSignIn(scope, user.id);
    return { verdict: 'failure', result: { outcome: { outcome: 'refused' } } };
  }
  if (!(await hasPortalAccess(scope, user))) return { verdict: 'neither', result: { outcome: { outcome: 'no-portal-access' } } };
  return { verdict: 'success', result: { outcome: { outcome: 'signed-in', user }, passwordHash: found.passwordHash! } };
}
