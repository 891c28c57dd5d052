import type { Scope } from '../db/scope.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, isUniqueViolation } from '../lib/errors.js';
import type { Page } from '../lib/pagination.js';
import { hashPassword } from '../lib/passwords.js';
import { fromDatabaseTime } from '../lib/time.js';
import { can } from '../policies/customer.js';
import { findCustomer, type Customer } from './customer.js';
import { inviteUser } from './invitation.js';
import { invitationsExpiredBefore } from './password-token.js';
import { checkSharedEmail } from './shared-email.js';
import { createUser, findUser, fullName, isLoginTaken, type User } from './user.js';
import type { Links } from '../lib/urls.js';
import { visibleAccounts } from './visibility.js';

/** A client account as the customer record's Accounts tab shows it (A3, A8, A12). */
export type ClientAccountState = 'active' | 'locked' | 'invited' | 'invitationExpired' | 'deactivated';
export type ClientAccount = {
  id: number;
  login: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  isPrimaryContact: boolean;
  isApprover: boolean;
  state: ClientAccountState;
  lastSignInAt: Date | null;
};

/** How a new account gets its password: one the staff set now (changed at first sign-in), or an invitation. */
export type AccountAccess = { kind: 'password'; password: string } | { kind: 'invitation' };

export type NewClientAccount = Pick<ClientAccount, 'login' | 'firstName' | 'lastName' | 'email' | 'phone' | 'isPrimaryContact' | 'isApprover'> & {
  access: AccountAccess;
  /**
   * Whether the person confirmed an address another account already uses (models/shared-email.ts).
   * Forms always say; left out, the address is not checked (a first account made with its customer).
   */
  isSharedEmailConfirmed?: boolean;
};

/** Deactivated and locked come first: they say why the account cannot sign in, whatever else holds. */
function stateOf(row: Record<string, unknown>, expiredBefore: string): ClientAccountState {
  if (!row.is_active) return 'deactivated';
  if (row.is_locked) return 'locked';
  if (row.password_hash === null) return row.invited_at !== null && String(row.invited_at) < expiredBefore ? 'invitationExpired' : 'invited';
  return 'active';
}

function toClientAccount(row: Record<string, unknown>, expiredBefore: string): ClientAccount {
  return {
    id: Number(row.id),
    login: String(row.login),
    firstName: String(row.first_name),
    lastName: String(row.last_name),
    email: (row.email as string | null) ?? null,
    phone: (row.phone as string | null) ?? null,
    isPrimaryContact: Boolean(row.is_primary_contact),
    isApprover: Boolean(row.is_approver),
    state: stateOf(row, expiredBefore),
    lastSignInAt: fromDatabaseTime(row.last_sign_in_at as string | null),
  };
}

/**
 * The customer whose client accounts the actor is about to see or change: the customer's own
 * caretaker and admins may; system work (no actor) may.
 * @throws NotFoundError for another tenant's customer; ForbiddenError for anyone else
 */
export async function findCustomerForAccounts(scope: Scope, customerId: number): Promise<Customer> {
  const customer = await findCustomer(scope, customerId);
  if (!can(scope.actor, 'manageAccounts', customer)) {
    throw new ForbiddenError(`${scope.actor.kind} may not manage the accounts of customer ${customer.id}`);
  }
  return customer;
}

/** One page of a customer's client accounts, by name. */
export async function listClientAccounts(scope: Scope, customerId: number, page: Page): Promise<{ accounts: ClientAccount[]; total: number }> {
  const accountsOf = () => visibleAccounts(scope).where({ 'users.customer_id': customerId, 'users.role': 'client' });
  const [countRow, rows] = await Promise.all([
    accountsOf().count({ count: '*' }).first(),
    accountsOf().orderBy([{ column: 'last_name' }, { column: 'first_name' }, { column: 'id' }]).limit(page.perPage).offset(page.offset),
  ]);
  const expiredBefore = invitationsExpiredBefore(scope);
  return { accounts: rows.map((row: Record<string, unknown>) => toClientAccount(row, expiredBefore)), total: Number(countRow?.count ?? 0) };
}

/**
 * Creates a portal account of a customer (A3): role client, in the CLIENTS group, with its contact
 * data and flags, and either a password it must change at first sign-in or an invitation e-mailed
 * in the same transaction. A taken login (also one taken by a concurrent request) is a field error.
 * @throws ValidationError on login (taken) or email (an invitation without one); NotFoundError, ForbiddenError as findCustomerForAccounts
 */
export async function createClientAccount(
  scope: Scope,
  customerId: number,
  input: NewClientAccount,
  options: { bcryptCost: number; links: Links },
): Promise<User> {
  // Hashed before the transaction, so that no transaction waits for bcrypt.
  const passwordHash = input.access.kind === 'password' ? await hashPassword(input.access.password, options.bcryptCost) : null;
  try {
    return await scope.transaction(async (trx) => {
      const customer = await findCustomerForAccounts(trx, customerId);
      if (input.access.kind === 'invitation' && !input.email) throw new ValidationError({ email: 'accounts:invitation.needsEmail' });
      if (await isLoginTaken(trx, input.login)) throw loginTaken();
      await checkSharedEmail(trx, input.email, { isConfirmed: input.isSharedEmailConfirmed ?? true });
      const user = await createUser(
        trx,
        {
          login: input.login,
          email: input.email,
          firstName: input.firstName,
          lastName: input.lastName,
          role: 'client',
          customerId: customer.id,
          phone: input.phone,
          isPrimaryContact: input.isPrimaryContact,
          isApprover: input.isApprover,
          // A password typed by staff is a first one: the client chooses their own at first sign-in.
          passwordHash,
          mustChangePassword: passwordHash !== null,
        },
        options,
      );
      if (input.access.kind === 'invitation') await inviteUser(trx, user.id, options);
      return findUser(trx, user.id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw loginTaken();
    throw error;
  }
}

function loginTaken(): ValidationError {
  return new ValidationError({ login: 'accounts:create.loginTaken' });
}

/**
 * Sends a customer's client account a new invitation (A7); earlier links stop working.
 * @throws NotFoundError when the account is not a client account of this customer;
 *   ConflictError when it already has a password or is deactivated (a reset is the way then)
 */
export async function resendInvitation(scope: Scope, customerId: number, userId: number, options: { links: Links }): Promise<void> {
  await scope.transaction(async (trx) => {
    const customer = await findCustomerForAccounts(trx, customerId);
    const row = await visibleAccounts(trx).where({ 'users.id': userId, 'users.customer_id': customer.id, 'users.role': 'client' }).first();
    if (!row) throw new NotFoundError(`user ${userId} is not a client account of customer ${customer.id}`);
    // An invitation sent or expired unused may be sent again.
    if (row.password_hash !== null || !row.is_active || row.is_locked) {
      throw new ConflictError(`user ${userId} cannot be invited again`, { messageKey: 'accounts:invitation.notPending' });
    }
    await inviteUser(trx, userId, options);
  });
}

export type Invitation = { login: string; name: string; customerName: string | null };

/** What the invitation page says about the account a usable link is for. */
export async function describeInvitation(scope: Scope, user: User): Promise<Invitation> {
  const customer = user.customerId ? await findCustomer(scope, user.customerId) : null;
  return { login: user.login, name: fullName(user), customerName: customer?.name ?? null };
}
