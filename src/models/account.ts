import type { Knex } from 'knex';
import type { Role, Scope } from '../db/scope.js';
import { isStaff, staffRoles } from '../db/scope.js';
import { ForbiddenError, NotFoundError, ValidationError, isUniqueViolation } from '../lib/errors.js';
import type { Page } from '../lib/pagination.js';
import { hashPassword } from '../lib/passwords.js';
import { toDatabaseTime } from '../lib/time.js';
import { canAdminister, canAssignRole } from '../policies/account.js';
import { logEvent } from './audit.js';
import { inviteUser } from './invitation.js';
import { sendPasswordResetTo } from './password-reset.js';
import { invitationsExpiredBefore } from './password-token.js';
import { checkSharedEmail } from './shared-email.js';
import { createUser, deactivateUser, isLoginTaken, lockUser, toUser, unlockUser, voidPasswordTokens, type User } from './user.js';
import type { Links } from '../lib/urls.js';
import { visibleAccounts } from './visibility.js';

/** Whether and why the account can sign in; an active account without a password waits for its invitation (sent, or expired unused). */
export type AccountState = 'active' | 'invited' | 'invitationExpired' | 'locked' | 'deactivated';
export const accountSortKeys = ['name', 'login', 'role', 'customer', 'group', 'lastSignIn'] as const;
/** What the account list is narrowed and ordered by (validators/accounts-panel.ts reads it from the query). */
export type AccountFilters = { type?: 'staff' | 'client'; role?: Role; customer?: number; group?: number; state?: AccountState; search: string; sort: (typeof accountSortKeys)[number]; direction: 'asc' | 'desc' };
/** A new staff account, with a first password (to be changed at first sign-in) or null for an invitation. */
export type StaffAccountInput = { login: string; firstName: string; lastName: string; email: string | null; phone: string | null; role: Role; password: string | null; isSharedEmailConfirmed: boolean };
/** An account as the panel shows it: the user with its customer's and group's names. */
export type Account = User & {
  phone: string | null;
  customerName: string | null;
  groupName: string | null;
  state: AccountState;
  invitedAt: string | null;
  /** A client's flags at their customer (A12); false for staff. */
  isPrimaryContact: boolean;
  isApprover: boolean;
};

const sortColumns: Record<AccountFilters['sort'], string[]> = {
  name: ['users.last_name', 'users.first_name'],
  login: ['users.login'],
  role: ['users.role'],
  customer: ['customers.name'],
  group: ['groups.name'],
  lastSignIn: ['users.last_sign_in_at'],
};

/** An account's state; `expiredBefore` is when an invitation sent earlier has expired (invitationsExpiredBefore). */
function stateOf(user: User, invitedAt: string | null, expiredBefore: string): AccountState {
  if (!user.isActive) return 'deactivated';
  if (user.isLocked) return 'locked';
  if (!user.hasPassword && invitedAt !== null) return invitedAt < expiredBefore ? 'invitationExpired' : 'invited';
  return 'active';
}

function toAccount(row: Record<string, unknown>, expiredBefore: string): Account {
  const user = toUser(row);
  const state = stateOf(user, (row.invited_at as string | null) ?? null, expiredBefore);
  return {
    ...user,
    phone: (row.phone as string | null) ?? null,
    customerName: (row.customer_name as string | null) ?? null,
    groupName: (row.group_name as string | null) ?? null,
    state,
    invitedAt: (row.invited_at as string | null) ?? null,
    isPrimaryContact: user.role === 'client' && Boolean(row.is_primary_contact),
    isApprover: user.role === 'client' && Boolean(row.is_approver),
  };
}

/** The tenant's accounts with their customer and group joined on the same tenant. */
function accountsQuery(scope: Scope): Knex.QueryBuilder {
  return visibleAccounts(scope)
    .leftJoin('customers', function joinCustomer() {
      this.on('customers.tenant_id', '=', 'users.tenant_id').andOn('customers.id', '=', 'users.customer_id');
    })
    .leftJoin('groups', function joinGroup() {
      this.on('groups.tenant_id', '=', 'users.tenant_id').andOn('groups.id', '=', 'users.group_id');
    });
}

/** Each word of the search must appear in the login, a name or the e-mail ("anna nowak" finds Anna Nowak). */
function applyFilters(query: Knex.QueryBuilder, filters: AccountFilters, expiredBefore: string): Knex.QueryBuilder {
  if (filters.type === 'staff') query.whereIn('users.role', staffRoles);
  if (filters.type === 'client') query.where('users.role', 'client');
  if (filters.role) query.where('users.role', filters.role);
  if (filters.customer) query.where('users.customer_id', filters.customer);
  if (filters.group) query.where('users.group_id', filters.group);
  const waitingForInvitation = (builder: Knex.QueryBuilder) => builder.where({ 'users.is_active': true, 'users.is_locked': false }).whereNull('users.password_hash').whereNotNull('users.invited_at');
  if (filters.state === 'active') {
    query.where({ 'users.is_active': true, 'users.is_locked': false }).where((either) => either.whereNotNull('users.password_hash').orWhereNull('users.invited_at'));
  }
  if (filters.state === 'invited') waitingForInvitation(query).where('users.invited_at', '>=', expiredBefore);
  if (filters.state === 'invitationExpired') waitingForInvitation(query).where('users.invited_at', '<', expiredBefore);
  if (filters.state === 'locked') query.where({ 'users.is_active': true, 'users.is_locked': true });
  if (filters.state === 'deactivated') query.where('users.is_active', false);
  for (const word of filters.search.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5)) {
    // '!' escapes LIKE's wildcards on both databases (a backslash means different things to each).
    const pattern = `%${word.replace(/[!%_]/g, '!$&')}%`;
    query.where((either) => {
      for (const column of ['users.login', 'users.first_name', 'users.last_name', 'users.email']) either.orWhereRaw(`lower(${column}) like ? escape '!'`, [pattern]);
    });
  }
  return query;
}

/** One page of the tenant's staff and client accounts that pass the filters, in the chosen order. */
export async function listAccounts(scope: Scope, filters: AccountFilters, page: Page): Promise<{ accounts: Account[]; total: number }> {
  const expiredBefore = invitationsExpiredBefore(scope);
  const order = sortColumns[filters.sort].map((column) => ({ column, order: filters.direction })).concat({ column: 'users.id', order: filters.direction });
  const [countRow, rows] = await Promise.all([
    applyFilters(accountsQuery(scope), filters, expiredBefore).count({ count: '*' }).first(),
    applyFilters(accountsQuery(scope), filters, expiredBefore)
      .select('users.*', 'customers.name as customer_name', 'groups.name as group_name')
      .orderBy(order)
      .limit(page.perPage)
      .offset(page.offset),
  ]);
  return { accounts: rows.map((row: Record<string, unknown>) => toAccount(row, expiredBefore)), total: Number(countRow?.count ?? 0) };
}

/** @throws NotFoundError when the account is not the scope tenant's */
export async function findAccount(scope: Scope, userId: number): Promise<Account> {
  const row = await accountsQuery(scope).where('users.id', userId).select('users.*', 'customers.name as customer_name', 'groups.name as group_name').first();
  if (!row) throw new NotFoundError(`user ${userId} not found`);
  return toAccount(row, invitationsExpiredBefore(scope));
}

/** Narrows a query of customers to those with a portal account the actor sees (the accounts panel's filter, announcements to one customer). */
export function withVisibleAccounts(scope: Scope): (customers: Knex.QueryBuilder) => void {
  return (customers) => void customers.whereIn('customers.id', visibleAccounts(scope).whereNotNull('users.customer_id').select('users.customer_id'));
}

/** Two admins racing for one login: the unique key decides, and the second gets the form's message. */
function asLoginTaken(error: unknown): never {
  if (isUniqueViolation(error)) throw new ValidationError({ login: 'accountsPanel:form.loginTaken' });
  throw error;
}

/**
 * Creates a staff account (A4) with a password the admin chose (to be changed at first sign-in)
 * or, without one, an invitation e-mailed in the same transaction.
 * @throws ForbiddenError when the actor may not give that role; ValidationError for a login taken in the tenant
 */
export async function createStaffAccount(scope: Scope, input: StaffAccountInput, options: { bcryptCost: number; links: Links }): Promise<User> {
  if (!canAssignRole(scope.actor, input.role)) throw new ForbiddenError(`${scope.actor.kind} may not create a ${input.role}`, { messageKey: 'accountsPanel:refused.role' });
  const passwordHash = input.password ? await hashPassword(input.password, options.bcryptCost) : null;
  return scope.transaction(async (trx) => {
    if (await isLoginTaken(trx, input.login)) throw new ValidationError({ login: 'accountsPanel:form.loginTaken' });
    await checkSharedEmail(trx, input.email, { isConfirmed: input.isSharedEmailConfirmed });
    const { isSharedEmailConfirmed: _confirmed, ...account } = input;
    // A password typed by an admin is a first one: the colleague chooses their own at first sign-in.
    const user = await createUser(trx, { ...account, password: null, passwordHash, mustChangePassword: passwordHash !== null }, options).catch(asLoginTaken);
    if (!passwordHash) await inviteUser(trx, user.id, options);
    return user;
  });
}

/** The account if the actor may administer it (A4). @throws NotFoundError, ForbiddenError */
async function administeredAccount(scope: Scope, userId: number): Promise<Account> {
  const account = await findAccount(scope, userId);
  if (!canAdminister(scope.actor, account)) throw new ForbiddenError(`may not administer user ${userId}`, { messageKey: 'accountsPanel:refused.administer' });
  return account;
}

/**
 * Gives an account another role. Nobody changes their own; admins touch neither admins nor
 * superadmins; a client stays a client and staff stays staff (a client belongs to a customer).
 * The account's outstanding one-time links die with its old role: a link sent while it ranked
 * lower may have been read by someone of that rank (an admin resets a caretaker and reads the
 * development mailbox, or gave the caretaker their own address), and must not set the password of
 * an admin or superadmin. An account still waiting for its invitation is invited again, so the
 * colleague gets in by a link only those of the new rank can read.
 * @throws NotFoundError, ForbiddenError, ValidationError (client ↔ staff)
 */
export async function changeAccountRole(scope: Scope, userId: number, role: Role, options: { links?: Links } = {}): Promise<void> {
  await scope.transaction(async (trx) => {
    const account = await findAccount(trx, userId);
    if (!canAssignRole(trx.actor, role, account)) throw new ForbiddenError(`may not make user ${userId} a ${role}`, { messageKey: 'accountsPanel:refused.role' });
    if (isStaff(role) !== isStaff(account.role)) throw new ValidationError({ role: 'accountsPanel:role.crossesType' });
    if (role === account.role) return;
    if (account.role === 'superadmin') await keepAnotherSuperadmin(trx, account.id);
    // Only the row still holding the role read above changes, so a concurrent change is not logged twice.
    const changed = await visibleAccounts(trx).where({ 'users.id': userId, 'users.role': account.role }).update({ role, updated_at: toDatabaseTime(trx.now()) });
    if (!changed) return;
    await logEvent(trx, { action: 'user.role_changed', subjectType: 'user', subjectId: userId, details: { from: account.role, to: role } });
    await voidPasswordTokens(trx, userId);
    const isAwaitingInvitation = account.isActive && !account.hasPassword && account.invitedAt !== null && account.email !== null;
    if (isAwaitingInvitation && options.links) await inviteUser(trx, userId, { links: options.links });
  });
}

/** Locks an account; its sessions end on their next request. Locking a locked account changes nothing. */
export async function lockAccount(scope: Scope, userId: number): Promise<void> {
  await scope.transaction(async (trx) => {
    const account = await administeredAccount(trx, userId);
    if (account.isLocked) return;
    if (account.role === 'superadmin') await keepAnotherSuperadmin(trx, account.id);
    await lockUser(trx, userId);
  });
}

export async function unlockAccount(scope: Scope, userId: number): Promise<void> {
  await scope.transaction(async (trx) => {
    if ((await administeredAccount(trx, userId)).isLocked) await unlockUser(trx, userId);
  });
}

export async function deactivateAccount(scope: Scope, userId: number): Promise<void> {
  await scope.transaction(async (trx) => {
    const account = await administeredAccount(trx, userId);
    if (!account.isActive) return;
    if (account.role === 'superadmin') await keepAnotherSuperadmin(trx, account.id);
    await deactivateUser(trx, userId);
  });
}

/**
 * E-mails the account a password-reset link (A4, A11).
 * @throws ValidationError when the account has no e-mail address or is deactivated
 */
export async function sendAccountPasswordReset(scope: Scope, userId: number, options: { links: Links }): Promise<void> {
  await scope.transaction(async (trx) => {
    const account = await administeredAccount(trx, userId);
    if (!account.isActive) throw new ValidationError({ account: 'accountsPanel:refused.deactivated' });
    if (!(await sendPasswordResetTo(trx, userId, options))) throw new ValidationError({ account: 'accountsPanel:reset.needsEmail' });
  });
}

/**
 * Sends a new invitation to an account that has not set a password yet; earlier links stop working.
 * @throws ValidationError when the account has a password already, no e-mail, or is deactivated
 */
export async function resendInvitation(scope: Scope, userId: number, options: { links: Links }): Promise<void> {
  await scope.transaction(async (trx) => {
    const account = await administeredAccount(trx, userId);
    if (!account.isActive) throw new ValidationError({ account: 'accountsPanel:refused.deactivated' });
    if (account.hasPassword) throw new ValidationError({ account: 'accountsPanel:invitation.hasPassword' });
    if (!account.email) throw new ValidationError({ account: 'accountsPanel:invitation.needsEmail' });
    await inviteUser(trx, userId, options);
  });
}

/**
 * A tenant always keeps one superadmin who can sign in (the owner of the installation, D2/D4).
 * Every change that could take the last one away first locks all of the tenant's superadmin rows
 * in one statement, so two superadmins locking each other run one after the other (SQLite writes
 * one transaction at a time) and the second, reading with a lock, sees the first's commit. Not the
 * tenant row: inserts take it shared for their foreign keys, which deadlocked (docs/decisions.md).
 * @throws ValidationError when the account is the last active, unlocked superadmin
 */
async function keepAnotherSuperadmin(trx: Scope, accountId: number): Promise<void> {
  const superadmins = visibleAccounts(trx).where('users.role', 'superadmin').orderBy('users.id').select('users.id', 'users.is_active', 'users.is_locked');
  const rows: Array<{ id: number; is_active: unknown; is_locked: unknown }> = trx.isMysql ? await superadmins.forUpdate() : await superadmins;
  const hasAnother = rows.some((row) => Number(row.id) !== accountId && Boolean(row.is_active) && !row.is_locked);
  if (!hasAnother) throw new ValidationError({ account: 'accountsPanel:refused.lastSuperadmin' });
}
