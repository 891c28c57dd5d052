import type { Scope, UserActor } from '../db/scope.js';
import { rememberConfigurationVersion } from '../db/scope.js';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from '../lib/passwords.js';
import { logEvent } from './audit.js';
import { secondsUntilAllowed, throttleKeys, type ThrottleKeys } from './login-throttle.js';
import { checkUnderThrottle, type AttemptVerdict } from './sign-in-attempts.js';
import { settingsInForce } from './settings.js';
import { configurationVersionQuery } from './tenant-configuration.js';
import { normalizeLogin, recordSuccessfulSignIn, toUser, upgradePasswordHash, type User } from './user.js';
import { accountsForAuthentication, accountsWithOwnCustomer } from './visibility.js';
import { findVisibleCustomerRow, rememberOwnCustomerRow } from './customer.js';

export type SignInResult =
  | { outcome: 'signed-in'; user: User }
  | { outcome: 'refused' }
  | { outcome: 'no-portal-access' }
  | { outcome: 'throttled'; retryAfterSeconds: number };

/** The actor a user is once a credential has proved them. */
export function actorFor(user: Pick<User, 'id' | 'tenantId' | 'role' | 'customerId'> & { isApprover?: boolean; isPrimaryContact?: boolean }): Omit<UserActor, 'kind'> {
  return { id: user.id, tenantId: user.tenantId, role: user.role, customerId: user.customerId, isApprover: user.isApprover ?? false, isPrimaryContact: user.isPrimaryContact };
}

/**
 * Whether a client's customer may use the portal (A6): the customer is active and the layered
 * 'portal.access' setting (customer, then the account's group, then the tenant) is 'on'. Staff
 * are not customers' people: always true for them. Asked as the user.
 */
export async function hasPortalAccess(scope: Scope, user: User): Promise<boolean> {
  if (user.role !== 'client') return true;
  if (!user.customerId) return false;
  const userScope = scope.actor.kind === 'user' && scope.actor.id === user.id ? scope : scope.authenticatedAs(actorFor(user));
  // The whole row, which the page then shows (findCustomer), for the price of the one column.
  const customer = await findVisibleCustomerRow(userScope, user.customerId);
  if (!customer || !customer.is_active) return false;
  const settings = await settingsInForce(userScope, { customerId: user.customerId, groupId: user.groupId });
  return settings['portal.access'].value === 'on';
}

/** The account with this login in the scope's tenant, with its password hash. */
async function findUserForSignIn(scope: Scope, login: string): Promise<{ user: User; passwordHash: string | null } | undefined> {
  const row = await accountsForAuthentication(scope).where('login', normalizeLogin(login)).first();
  return row ? { user: toUser(row), passwordHash: (row.password_hash as string | null) ?? null } : undefined;
}

/**
 * Checks a login and password for one tenant. Unknown login, wrong password, and a locked or
 * deactivated account all give the same 'refused' after the same bcrypt work, and all count
 * towards the throttle. The attempt is taken from the throttle before bcrypt runs, so a blocked
 * login costs no bcrypt and parallel requests cannot get past the limit together.
 * Only a right password learns that the customer has no portal access ('no-portal-access'):
 * telling it to a guesser would confirm the login. It neither counts as a failure nor clears them.
 */
export async function authenticate(scope: Scope, credentials: { login: string; password: string; ip: string }, options: { bcryptCost: number }): Promise<SignInResult> {
  const keys = throttleKeys(scope.tenantId, credentials.login, credentials.ip);
  const attempt = await checkUnderThrottle(scope, keys, scope.now(), () => checkPassword(scope, credentials, options.bcryptCost));
  if (attempt.isThrottled) return { outcome: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds };
  const { outcome, passwordHash, failedUserId } = attempt.result;
  if (outcome.outcome === 'refused') await recordFailedSignIn(scope, failedUserId ?? null, keys, credentials.ip);
  if (outcome.outcome !== 'signed-in') return outcome;
  const userScope = scope.authenticatedAs(actorFor(outcome.user));
  if (needsRehash(passwordHash!, options.bcryptCost)) await upgradePasswordHash(userScope, outcome.user.id, { checked: passwordHash!, upgraded: await hashPassword(credentials.password, options.bcryptCost) });
  await recordSuccessfulSignIn(userScope, outcome.user.id, credentials.ip);
  return outcome;
}

/** The password check itself, as the throttle settles it: a failure, a success, or neither (no portal access). */
async function checkPassword(
  scope: Scope,
  credentials: { login: string; password: string },
  bcryptCost: number,
): Promise<{ verdict: AttemptVerdict; result: { outcome: SignInResult; passwordHash?: string; failedUserId?: number } }> {
  const found = await findUserForSignIn(scope, credentials.login);
  const passwordMatches = found?.passwordHash ? await verifyPassword(credentials.password, found.passwordHash) : await verifyAgainstDummy(credentials.password, bcryptCost);
  const user = found?.user;
  if (!user || !passwordMatches || user.isLocked || !user.isActive) {
    if (user) await accountsForAuthentication(scope).where('id', user.id).increment('failed_login_count', 1);
    return { verdict: 'failure', result: { outcome: { outcome: 'refused' }, ...(user ? { failedUserId: user.id } : {}) } };
  }
  if (!(await hasPortalAccess(scope, user))) return { verdict: 'neither', result: { outcome: { outcome: 'no-portal-access' } } };
  return { verdict: 'success', result: { outcome: { outcome: 'signed-in', user }, passwordHash: found.passwordHash! } };
}

/**
 * A refused sign-in is on record (D3): the account's id when the login exists, none for an unknown
 * one (the typed login is personal data, or a password typed into the wrong field, and is never
 * kept). The failure that earns a wait is also recorded as the lockout it starts. A request refused
 * by the throttle itself is not logged: it checked nothing, and the lockout is already on record.
 */
async function recordFailedSignIn(scope: Scope, userId: number | null, keys: ThrottleKeys, ip: string): Promise<void> {
  const blockedForSeconds = await secondsUntilAllowed(scope, keys, scope.now());
  await scope.transaction(async (trx) => {
    const subject = { actorId: null, subjectType: 'user', subjectId: userId, ip };
    await logEvent(trx, { action: 'user.sign_in_failed', ...subject, details: { isKnownLogin: userId !== null } });
    if (blockedForSeconds > 0) await logEvent(trx, { action: 'user.sign_in_blocked', ...subject, details: { isKnownLogin: userId !== null, seconds: blockedForSeconds } });
  });
}

export type LinkAdmission = { outcome: 'signed-in' } | { outcome: 'locked' } | { outcome: 'no-portal-access' };

/**
 * After a one-time link has set a password: whether the user may now be signed in (not when the
 * account is locked or its customer has no portal access), recorded like any sign-in.
 */
export async function admitAfterLink(scope: Scope, user: User, ip: string | null): Promise<LinkAdmission> {
  if (user.isLocked) return { outcome: 'locked' };
  if (!(await hasPortalAccess(scope, user))) return { outcome: 'no-portal-access' };
  await recordSuccessfulSignIn(scope.authenticatedAs(actorFor(user)), user.id, ip);
  return { outcome: 'signed-in' };
}

export type SessionUser = { user: User; lastVisitedPath: string | null; hasPortalAccess: boolean };

/**
 * The user a session names, as stored now (a lock or a new role acts at once), or undefined when gone;
 * in the same statement the tenant's configuration version, which the rest of the request goes by to
 * use what the process kept of the tenant's row, settings, categories and urgent announcements' times
 * (Scope.kept).
 */
export async function findSessionUser(scope: Scope, userId: number): Promise<SessionUser | undefined> {
  const version = configurationVersionQuery(scope);
  const customerColumns = await scope.columnsOf('customers');
  const row: Record<string, unknown> | undefined = await accountsWithOwnCustomer(scope, customerColumns).where('users.id', userId).select(version.as('tenant_configuration_version')).first();
  if (!row) return undefined;
  rememberConfigurationVersion(scope, row.tenant_configuration_version);
  const user = toUser(row);
  if (user.role === 'client' && user.customerId !== null && row.customer__id !== null && row.customer__id !== undefined) {
    rememberOwnCustomerRow(scope.authenticatedAs(actorFor(user)), Object.fromEntries(customerColumns.map((column) => [column, row[`customer__${column}`]])));
  }
  const isUsable = user.isActive && !user.isLocked;
  return { user, lastVisitedPath: (row.last_visited_path as string | null) ?? null, hasPortalAccess: isUsable && (await hasPortalAccess(scope, user)) };
}
