import type { Scope } from '../db/scope.js';
import { memoised, staffRoles } from '../db/scope.js';
import { NotFoundError, ValidationError } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { visibleAccounts, visibleCustomers } from './visibility.js';
import { nameFromColumns } from './user.js';

export type Customer = {
  id: number;
  tenantId: number;
  name: string;
  caretakerId: number | null;
  isActive: boolean;
  taxCountry: string;
  taxId: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string;
  email: string | null;
  phone: string | null;
  notes: string | null;
  bankAccount: string | null;
  /** The customer's number in the accounting system, unique within the tenant: imports match on it. */
  customerNumber: string | null;
  /** Bumped by every change, for optimistic locking (see customer-changes.ts). */
  version: number;
  createdAt: string;
  updatedAt: string;
};

export const customerDetailFields = ['name', 'taxCountry', 'taxId', 'street', 'postalCode', 'city', 'country', 'email', 'phone', 'caretakerId', 'notes', 'isActive', 'bankAccount', 'customerNumber'] as const;

/** What an admin sets on the customer form (D1, A2). */
export type CustomerDetails = Pick<Customer, (typeof customerDetailFields)[number]>;

/** The column of each detail of the customer form (the import writes the same columns). */
export const customerDetailColumns: Readonly<Record<keyof CustomerDetails, string>> = {
  name: 'name',
  taxCountry: 'tax_country',
  taxId: 'tax_id',
  street: 'street',
  postalCode: 'postal_code',
  city: 'city',
  country: 'country',
  email: 'email',
  phone: 'phone',
  caretakerId: 'caretaker_id',
  notes: 'notes',
  isActive: 'is_active',
  bankAccount: 'bank_account',
  customerNumber: 'customer_number',
};

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export function toCustomer(row: Record<string, unknown>): Customer {
  return {
    id: Number(row.id),
    tenantId: Number(row.tenant_id),
    name: String(row.name),
    caretakerId: row.caretaker_id === null || row.caretaker_id === undefined ? null : Number(row.caretaker_id),
    isActive: Boolean(row.is_active),
    taxCountry: String(row.tax_country ?? 'PL'),
    taxId: text(row.tax_id),
    street: text(row.street),
    postalCode: text(row.postal_code),
    city: text(row.city),
    country: String(row.country ?? 'PL'),
    email: text(row.email),
    phone: text(row.phone),
    notes: text(row.notes),
    bankAccount: text(row.bank_account),
    customerNumber: text(row.customer_number),
    version: Number(row.version ?? 1),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

/** The customer's details as table columns, for an insert or an update. */
export function detailColumns(details: Partial<CustomerDetails>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(details)) {
    if (value !== undefined) row[customerDetailColumns[field as keyof CustomerDetails]] = value;
  }
  return row;
}

/**
 * Inserts a customer as it is given, without checks or an audit entry: for factories, seeds and
 * registerCustomer (customer-registration.ts), which does both for the admin pages.
 */
export async function createCustomer(scope: Scope, input: { name: string; caretakerId?: number | null } & Partial<CustomerDetails>): Promise<Customer> {
  const now = toDatabaseTime(scope.now());
  const id = await scope.insert('customers', {
    ...detailColumns(input),
    caretaker_id: input.caretakerId ?? null,
    is_active: input.isActive ?? true,
    created_at: now,
    updated_at: now,
  });
  return findCustomer(scope, id);
}

/**
 * A customer loaded through the actor: one they may not see is simply not found, so the answer
 * never tells a caretaker that another caretaker's customer exists.
 * @throws NotFoundError when the customer is another tenant's or outside the actor's reach
 */
export async function findCustomer(scope: Scope, id: number): Promise<Customer> {
  const row = await findVisibleCustomerRow(scope, id);
  if (!row) throw new NotFoundError(`customer ${id} not found for this actor`);
  return toCustomer(row);
}

/**
 * A customer's row as the actor sees it (undefined out of reach), read once per request and actor
 * (scope.memo): a client's every request checks its customer's portal access, and the page then
 * shows the same customer. A committed transaction empties the memo, so a page after a change reads anew.
 */
export function findVisibleCustomerRow(scope: Scope, id: number): Promise<Record<string, unknown> | undefined> {
  // then() runs the query once and gives a promise; the builder itself would run again on every await.
  return memoised(scope, visibleCustomerKey(scope, id), () => visibleCustomers(scope).where('customers.id', id).first().then((row: Record<string, unknown> | undefined) => row));
}

/**
 * A client's own customer row read with its user (accountsWithOwnCustomer), for the rest of the request:
 * as findVisibleCustomerRow would have read it for that client, whose one visible customer it is.
 * @throws Error for any actor but that client
 */
export function rememberOwnCustomerRow(scope: Scope, row: Record<string, unknown>): void {
  const actor = scope.actor;
  if (actor.kind !== 'user' || actor.role !== 'client' || actor.customerId !== Number(row.id)) throw new Error('only a client’s own customer is read with its user');
  scope.memo?.set(visibleCustomerKey(scope, actor.customerId), Promise.resolve(row));
}

function visibleCustomerKey(scope: Scope, id: number): string {
  const actor = scope.actor;
  return `visible-customer:${actor.kind === 'user' ? `${actor.id}:${actor.role}:${actor.customerId}` : actor.kind}:${id}`;
}

export async function countCustomers(scope: Scope): Promise<{ total: number; active: number }> {
  const row = await visibleCustomers(scope)
    .select(scope.raw('count(*) as total'), scope.raw('sum(case when is_active then 1 else 0 end) as active'))
    .first();
  return { total: Number(row?.total ?? 0), active: Number(row?.active ?? 0) };
}

export type CaretakerChoice = { id: number; name: string; isActive: boolean };

/** The staff a customer can be given to: the tenant's active caretakers, admins and superadmins. */
export async function listCaretakerChoices(scope: Scope): Promise<CaretakerChoice[]> {
  const rows: Array<Record<string, unknown>> = await visibleAccounts(scope)
    .whereIn('role', staffRoles)
    .where('is_active', true)
    .orderBy([{ column: 'last_name' }, { column: 'first_name' }, { column: 'id' }])
    .select('id', 'first_name', 'last_name', 'login', 'is_active');
  return rows.map(toCaretakerChoice);
}

/** A caretaker by id (for a name on a page), active or not; undefined when there is none. */
export async function findCaretakerChoice(scope: Scope, id: number | null): Promise<CaretakerChoice | undefined> {
  if (id === null) return undefined;
  const row = await visibleAccounts(scope).where('users.id', id).first('id', 'first_name', 'last_name', 'login', 'is_active');
  return row ? toCaretakerChoice(row) : undefined;
}

function toCaretakerChoice(row: Record<string, unknown>): CaretakerChoice {
  const name = nameFromColumns(row.first_name, row.last_name);
  return { id: Number(row.id), name: name || String(row.login), isActive: Boolean(row.is_active) };
}

/**
 * Refuses a caretaker who is not an active staff member of the tenant: an id of another tenant's
 * user or of a client never reaches the table. The caretaker a customer already has may stay,
 * even if their account was deactivated since, so other changes can still be saved.
 * @throws ValidationError on the caretakerId field
 */
export async function assertAssignableCaretaker(scope: Scope, caretakerId: number | null, currentCaretakerId: number | null = null): Promise<void> {
  if (caretakerId === null || caretakerId === currentCaretakerId) return;
  const row = await visibleAccounts(scope).where({ 'users.id': caretakerId, 'users.is_active': true }).whereIn('users.role', staffRoles).first('id');
  if (!row) throw new ValidationError({ caretakerId: 'customers:validation.caretakerUnknown' });
}

/**
 * How many client accounts of the customer can sign in now (active ones): those a deactivation
 * shuts out of the portal (sign-in refuses them, a session ends at its next request).
 */
export async function countActiveClientAccounts(scope: Scope, customerId: number): Promise<number> {
  const row = await visibleAccounts(scope).where({ 'users.customer_id': customerId, 'users.role': 'client', 'users.is_active': true }).count({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

/**
 * Deactivates or reactivates a customer. Asking for the state it already has changes nothing
 * and writes no audit entry, so a repeated click does no harm.
 * @throws NotFoundError when the customer is not the scope tenant's
 */
export async function setCustomerActive(scope: Scope, id: number, isActive: boolean): Promise<void> {
  await scope.transaction(async (trx) => {
    await findCustomer(trx, id);
    const changed = await visibleCustomers(trx)
      .where({ id, is_active: !isActive })
      .update({ is_active: isActive, version: trx.raw('version + 1'), updated_at: toDatabaseTime(trx.now()) });
    if (!changed) return;
    await logEvent(trx, { action: isActive ? 'customer.activated' : 'customer.deactivated', subjectType: 'customer', subjectId: id });
  });
}
