import type { Role, Scope } from '../db/scope.js';
import { roleRank } from '../db/scope.js';
import { NotFoundError } from '../lib/errors.js';
import { hashPassword, verifyPassword } from '../lib/passwords.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { findDefaultGroup } from './group.js';
import { accountsForAuthentication, visibleAccounts } from './visibility.js';

export const textSizes = ['smaller', 'default', 'larger'] as const;
export type TextSize = (typeof textSizes)[number];

export type User = {
  id: number;
  tenantId: number;
  login: string;
  email: string | null;
  firstName: string;
  lastName: string;
  role: Role;
  customerId: number | null;
  groupId: number | null;
  locale: string | null;
  textSize: TextSize;
  failedLoginCount: number;
  isLocked: boolean;
  isActive: boolean;
  mustChangePassword: boolean;
  hasPassword: boolean;
  lastSignInAt: string | null;
  passwordChangedAt: string | null;
  /** A client account that approves its customer's tickets (T7). */
  isApprover: boolean;
  /** A client account that is its customer's primary contact (A12): it sees all of the customer's tickets and documents. */
  isPrimaryContact: boolean;
};

export function toUser(row: Record<string, unknown>): User {
  return {
    id: Number(row.id),
    tenantId: Number(row.tenant_id),
    login: String(row.login),
    email: (row.email as string | null) ?? null,
    firstName: String(row.first_name),
    lastName: String(row.last_name),
    role: row.role as Role,
    customerId: row.customer_id === null ? null : Number(row.customer_id),
    groupId: row.group_id === null ? null : Number(row.group_id),
    locale: (row.locale as string | null) ?? null,
    textSize: (textSizes as readonly string[]).includes(String(row.text_size)) ? (row.text_size as TextSize) : 'default',
    failedLoginCount: Number(row.failed_login_count),
    isLocked: Boolean(row.is_locked),
    isActive: Boolean(row.is_active),
    mustChangePassword: Boolean(row.must_change_password),
    hasPassword: row.password_hash !== null && row.password_hash !== undefined,
    lastSignInAt: (row.last_sign_in_at as string | null) ?? null,
    passwordChangedAt: (row.password_changed_at as string | null) ?? null,
    isApprover: row.role === 'client' && Boolean(row.is_approver),
    isPrimaryContact: row.role === 'client' && Boolean(row.is_primary_contact),
  };
}

export function fullName(user: Pick<User, 'firstName' | 'lastName'>): string {
  return nameFromColumns(user.firstName, user.lastName);
}

/** A person's name from a row's first- and last-name columns (a missing part as empty); '' when both are. */
export function nameFromColumns(first: unknown, last: unknown): string {
  const text = (part: unknown) => (part === null || part === undefined ? '' : String(part));
  return `${text(first)} ${text(last)}`.trim();
}

/**
 * The name an e-mail greets the person with: their first name when the account carries a person's
 * whole name, else none (a neutral greeting). Accounts made without a contact's name are named
 * after their company or their login, with no last name: "Dzień dobry Alfa sp. z o.o." greets nobody.
 */
export function greetingNameOf(user: Pick<User, 'firstName' | 'lastName'>): string {
  const firstName = user.firstName.trim();
  return firstName && user.lastName.trim() ? firstName : '';
}

/** Logins are compared without regard to case on both databases, so they are kept in lower case. */
export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

/** Whether any account of the tenant has the login: logins are unique in the tenant, whoever can see the account. */
export async function isLoginTaken(scope: Scope, login: string): Promise<boolean> {
  return Boolean(await accountsForAuthentication(scope).where('login', normalizeLogin(login)).first('id'));
}

export type NewUser = {
  login: string;
  email?: string | null;
  firstName: string;
  lastName: string;
  role: Role;
  customerId?: number | null;
  password?: string | null;
  /** A hash made beforehand (outside the caller's transaction); wins over `password`. */
  passwordHash?: string | null;
  mustChangePassword?: boolean;
  locale?: string | null;
  phone?: string | null;
  isPrimaryContact?: boolean;
  isApprover?: boolean;
};

/**
 * Creates a staff or client account. A client joins the tenant's CLIENTS group.
 * @param options.bcryptCost cost used to hash the password, when one is given
 */
export async function createUser(scope: Scope, input: NewUser, options: { bcryptCost: number }): Promise<User> {
  const passwordHash = input.passwordHash ?? (input.password ? await hashPassword(input.password, options.bcryptCost) : null);
  return scope.transaction(async (trx) => {
    const group = input.role === 'client' ? await findDefaultGroup(trx) : undefined;
    const now = toDatabaseTime(trx.now());
    const id = await trx.insert('users', {
      login: normalizeLogin(input.login),
      email: input.email ?? null,
      first_name: input.firstName,
      last_name: input.lastName,
      role: input.role,
      customer_id: input.role === 'client' ? (input.customerId ?? null) : null,
      group_id: group?.id ?? null,
      password_hash: passwordHash,
      locale: input.locale ?? null,
      phone: input.phone ?? null,
      is_primary_contact: input.role === 'client' && (input.isPrimaryContact ?? false),
      is_approver: input.role === 'client' && (input.isApprover ?? false),
      must_change_password: input.mustChangePassword ?? false,
      password_changed_at: passwordHash ? now : null,
      created_at: now,
      updated_at: now,
    });
    await logEvent(trx, { action: 'user.created', subjectType: 'user', subjectId: id, details: { role: input.role } });
    return findUser(trx, id);
  });
}

/** @throws NotFoundError when the user is not the scope tenant's */
export async function findUser(scope: Scope, id: number): Promise<User> {
  const row = await visibleAccounts(scope).where('users.id', id).first();
  if (!row) throw new NotFoundError(`user ${id} not found`);
  return toUser(row);
}

export async function recordSuccessfulSignIn(scope: Scope, userId: number, ip: string | null): Promise<void> {
  await scope.transaction(async (trx) => {
    const now = toDatabaseTime(trx.now());
    await visibleAccounts(trx).where('users.id', userId).update({ failed_login_count: 0, last_sign_in_at: now });
    await logEvent(trx, { action: 'user.signed_in', subjectType: 'user', subjectId: userId, actorId: userId, ip });
  });
}

/**
 * Changes a user's password after checking the current one.
 * @returns false when the current password is wrong (nothing changes)
 */
export async function changePassword(
  scope: Scope,
  userId: number,
  passwords: { currentPassword: string; newPassword: string },
  options: { bcryptCost: number },
): Promise<boolean> {
  const row = await visibleAccounts(scope).where('users.id', userId).first();
  if (!row) throw new NotFoundError(`user ${userId} not found`);
  if (!row.password_hash || !(await verifyPassword(passwords.currentPassword, String(row.password_hash)))) return false;
  await setPassword(scope, userId, passwords.newPassword, options);
  return true;
}

/** Sets a new password, clears a forced change, and records it. */
export async function setPassword(scope: Scope, userId: number, password: string, options: { bcryptCost: number }): Promise<void> {
  await storePasswordHash(scope, userId, await hashPassword(password, options.bcryptCost));
}

/**
 * Stores a hash made beforehand, so that no transaction waits for bcrypt. Logs a password change,
 * unless the caller logs what happened itself (`isLoggedByCaller`): a one-time link sets a first
 * password or a forgotten one, and its own entry says which, so the log never claims a change of a
 * password that an account did not have.
 */
export async function storePasswordHash(scope: Scope, userId: number, passwordHash: string, options: { isLoggedByCaller?: boolean } = {}): Promise<void> {
  await scope.transaction(async (trx) => {
    const now = toDatabaseTime(trx.now());
    const changed = await visibleAccounts(trx)
      .where('users.id', userId)
      .update({ password_hash: passwordHash, must_change_password: false, password_changed_at: now, updated_at: now });
    if (!changed) throw new NotFoundError(`user ${userId} not found`);
    // Whatever path changed it (own page, a link, staff), no link sent earlier may set it again.
    await voidPasswordTokens(trx, userId);
    if (!options.isLoggedByCaller) await logEvent(trx, { action: 'user.password_changed', subjectType: 'user', subjectId: userId });
  });
}

/**
 * Makes every unused one-time link of a user void (reset, setup, invitation): their password was
 * set by any path, or the address the links went to changed. Here rather than in password-token.ts,
 * which builds on this module, so that storing a password can do it without an import cycle.
 */
export async function voidPasswordTokens(scope: Scope, userId: number): Promise<void> {
  await scope.table('password_tokens').where('user_id', userId).whereNull('used_at').update({ used_at: toDatabaseTime(scope.now()) });
}

/**
 * Replaces a hash made with another bcrypt cost by one of today's (at sign-in). Upkeep, not a
 * change of password: the date of the last change (which ends older sessions), a forced change
 * and the audit log stay as they are. Only the hash that was checked is replaced, so a password
 * changed meanwhile (another device) is never turned back to the old one.
 */
export async function upgradePasswordHash(scope: Scope, userId: number, hashes: { checked: string; upgraded: string }): Promise<void> {
  await visibleAccounts(scope).where({ 'users.id': userId, 'users.password_hash': hashes.checked }).update({ password_hash: hashes.upgraded });
}

/** Locks an account: it cannot sign in, and its open sessions end on their next request. */
export async function lockUser(scope: Scope, userId: number): Promise<void> {
  await scope.transaction(async (trx) => {
    const now = toDatabaseTime(trx.now());
    const changed = await visibleAccounts(trx).where('users.id', userId).update({ is_locked: true, locked_at: now, updated_at: now });
    if (!changed) throw new NotFoundError(`user ${userId} not found`);
    await logEvent(trx, { action: 'user.locked', subjectType: 'user', subjectId: userId });
  });
}

export async function unlockUser(scope: Scope, userId: number): Promise<void> {
  await scope.transaction(async (trx) => {
    const now = toDatabaseTime(trx.now());
    const changed = await visibleAccounts(trx)
      .where('users.id', userId)
      .update({ is_locked: false, locked_at: null, failed_login_count: 0, updated_at: now });
    if (!changed) throw new NotFoundError(`user ${userId} not found`);
    await logEvent(trx, { action: 'user.unlocked', subjectType: 'user', subjectId: userId });
  });
}

export async function deactivateUser(scope: Scope, userId: number): Promise<void> {
  await scope.transaction(async (trx) => {
    const changed = await visibleAccounts(trx).where('users.id', userId).update({ is_active: false, updated_at: toDatabaseTime(trx.now()) });
    if (!changed) throw new NotFoundError(`user ${userId} not found`);
    await logEvent(trx, { action: 'user.deactivated', subjectType: 'user', subjectId: userId });
  });
}

/** Saves a display preference of the user's own (language or text size). */
export async function updatePreferences(scope: Scope, userId: number, preferences: { locale?: string; textSize?: TextSize }): Promise<void> {
  const changes: Record<string, unknown> = { updated_at: toDatabaseTime(scope.now()) };
  if (preferences.locale) changes.locale = preferences.locale;
  if (preferences.textSize) changes.text_size = preferences.textSize;
  await visibleAccounts(scope).where('users.id', userId).update(changes);
}

/** How many accounts the tenant has, per role. */
export async function countUsersByRole(scope: Scope): Promise<Record<Role, number>> {
  const rows: Array<{ role: Role; count: number | string }> = await visibleAccounts(scope).select('role').count({ count: '*' }).groupBy('role');
  const counts: Record<Role, number> = { client: 0, caretaker: 0, admin: 0, superadmin: 0 };
  for (const row of rows) counts[row.role] = Number(row.count);
  return counts;
}

/** The role rank of each of the accounts (for the development mailbox); an id not found is left out. */
export async function roleRanksOf(scope: Scope, userIds: number[]): Promise<Map<number, number>> {
  const wanted = [...new Set(userIds)];
  if (wanted.length === 0) return new Map();
  const rows: Array<{ id: number; role: Role }> = await visibleAccounts(scope).whereIn('users.id', wanted).select('users.id', 'users.role');
  return new Map(rows.map((row) => [Number(row.id), roleRank(row.role)]));
}
