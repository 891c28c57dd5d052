import type { Scope } from '../db/scope.js';
import { lockRow } from '../db/scope.js';
import { ForbiddenError, NotFoundError } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { canAdminister } from '../policies/account.js';
import { logEvent } from './audit.js';
import { findCustomerForAccounts } from './client-account.js';
import { enqueueMail } from './outbox.js';
import { checkSharedEmail } from './shared-email.js';
import { findScopeTenant } from './tenant.js';
import { greetingNameOf, toUser, voidPasswordTokens, type User } from './user.js';
import { visibleAccounts } from './visibility.js';

/** What staff edit of an account (A4, A12); the flags mean something for client accounts only. */
export type AccountDetails = { firstName: string; lastName: string; email: string | null; phone: string | null; isPrimaryContact: boolean; isApprover: boolean };
export const accountDetailFields = ['firstName', 'lastName', 'email', 'phone', 'isPrimaryContact', 'isApprover'] as const;
export type AccountDetailField = (typeof accountDetailFields)[number];

/** An account as its edit form needs it: who it is, its details and the version they were read at. */
export type EditableAccount = Pick<User, 'id' | 'login' | 'role' | 'customerId'> & { details: AccountDetails; version: number };

export type AccountDetailsUpdate = { details: AccountDetails; version: number; isSharedEmailConfirmed: boolean };
export type AccountDetailsOutcome = { status: 'saved'; changedFields: AccountDetailField[] } | { status: 'conflict'; current: EditableAccount };

/**
 * Where the edit comes from: the accounts panel (any account the admin may administer) or a
 * customer's Accounts tab (a client account of that customer, for its caretaker and admins).
 */
export type EditPath = { kind: 'panel' } | { kind: 'customer'; customerId: number };

function toEditableAccount(row: Record<string, unknown>): EditableAccount {
  const user = toUser(row);
  const isClient = user.role === 'client';
  return {
    id: user.id,
    login: user.login,
    role: user.role,
    customerId: user.customerId,
    version: Number(row.version ?? 1),
    details: {
      firstName: user.firstName,
      lastName: user.lastName,
      email: user.email,
      phone: (row.phone as string | null) ?? null,
      isPrimaryContact: isClient && Boolean(row.is_primary_contact),
      isApprover: isClient && Boolean(row.is_approver),
    },
  };
}

/**
 * The account whose details the actor is about to see or change, by the path they came by.
 * @throws NotFoundError out of reach (another tenant, another customer's account, or not a client
 *   account of the customer); ForbiddenError when the policy refuses (the same rules as the panel's actions)
 */
export async function findEditableAccount(scope: Scope, userId: number, path: EditPath): Promise<EditableAccount> {
  if (path.kind === 'customer') {
    const customer = await findCustomerForAccounts(scope, path.customerId);
    const row = await visibleAccounts(scope).where({ 'users.id': userId, 'users.customer_id': customer.id, 'users.role': 'client' }).first();
    if (!row) throw new NotFoundError(`user ${userId} is not a client account of customer ${customer.id}`);
    return toEditableAccount(row);
  }
  const row = await visibleAccounts(scope).where('users.id', userId).first();
  if (!row) throw new NotFoundError(`user ${userId} not found`);
  const account = toEditableAccount(row);
  if (!canAdminister(scope.actor, { id: account.id, tenantId: scope.tenantId, role: account.role })) {
    throw new ForbiddenError(`may not edit user ${userId}`, { messageKey: 'accountsPanel:refused.administer' });
  }
  return account;
}

const columns: Record<AccountDetailField, string> = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  isPrimaryContact: 'is_primary_contact',
  isApprover: 'is_approver',
};

/** The fields of the account's kind (the flags are a client account's). */
export function detailFieldsOf(role: User['role']): AccountDetailField[] {
  return accountDetailFields.filter((field) => role === 'client' || (field !== 'isPrimaryContact' && field !== 'isApprover'));
}

/** The fields whose submitted value differs from the stored one. */
function changedFieldsOf(account: EditableAccount, details: AccountDetails): AccountDetailField[] {
  return detailFieldsOf(account.role).filter((field) => account.details[field] !== details[field]);
}

/**
 * Saves an account's details under a version check: the update runs only on the version the form
 * was opened at, and bumps it. When someone saved meanwhile the outcome is a conflict with the
 * stored account (the form merges: validators/edit-merge.ts), unless the stored details are
 * already what was sent (a double click). A new e-mail address voids the links sent to the old
 * one and the old address is told; one another account uses needs the form's confirmation.
 * Audited with the names of the fields that changed, never their values.
 * @throws NotFoundError, ForbiddenError as findEditableAccount; ValidationError (shared e-mail not confirmed)
 */
export async function updateAccountDetails(scope: Scope, userId: number, path: EditPath, update: AccountDetailsUpdate): Promise<AccountDetailsOutcome> {
  return scope.transaction(async (trx) => {
    await lockRow(trx, 'users', userId);
    const account = await findEditableAccount(trx, userId, path);
    const changed = changedFieldsOf(account, update.details);
    if (changed.length === 0) return { status: 'saved', changedFields: [] };
    if (account.version !== update.version) return { status: 'conflict', current: account };
    if (changed.includes('email')) await checkSharedEmail(trx, update.details.email, { exceptUserId: userId, isConfirmed: update.isSharedEmailConfirmed });
    const row: Record<string, unknown> = { version: trx.raw('version + 1'), updated_at: toDatabaseTime(trx.now()) };
    for (const field of changed) row[columns[field]] = update.details[field];
    const updated = await visibleAccounts(trx).where({ 'users.id': userId, 'users.version': update.version }).update(row);
    if (!updated) return { status: 'conflict', current: await findEditableAccount(trx, userId, path) };
    if (changed.includes('email')) await onEmailChanged(trx, account, update.details);
    await logEvent(trx, { action: 'account.updated', subjectType: 'user', subjectId: userId, details: { fields: changed } });
    return { status: 'saved', changedFields: changed };
  });
}

/** Links sent to the old address must not outlive it, and its owner hears of the change there. */
async function onEmailChanged(trx: Scope, account: EditableAccount, details: AccountDetails): Promise<void> {
  await voidPasswordTokens(trx, account.id);
  if (!account.details.email) return;
  const tenant = await findScopeTenant(trx);
  const localeRow = await visibleAccounts(trx).where('users.id', account.id).first('users.locale');
  await enqueueMail(trx, {
    to: account.details.email,
    recipientUserId: account.id,
    locale: (localeRow?.locale as string | null) ?? tenant.defaultLocale,
    template: 'email-changed',
    data: { tenant: tenant.name, login: account.login, greetingName: greetingNameOf(details), email: details.email ?? '' },
  });
}
