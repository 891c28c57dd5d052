import type { Scope } from '../db/scope.js';
import { staffRoles } from '../db/scope.js';
import { greetingNameOf, nameFromColumns } from './user.js';
import { visibleAccounts, visibleCustomers } from './visibility.js';

/** The person who looks after a customer (A2), as clients reach them and as e-mails greet them. */
export type Caretaker = { id: number; name: string; greetingName: string; email: string | null; phone: string | null; locale: string | null };

/**
 * A customer's caretaker when the customer has one who still works here (an active member of
 * staff); otherwise none, and the office stands in. Read through the actor: a client sees only
 * its own customer's caretaker, a customer out of reach has none.
 */
export async function findActiveCaretaker(scope: Scope, customerId: number): Promise<Caretaker | null> {
  const caretakerIds = visibleCustomers(scope).where('customers.id', customerId).whereNotNull('customers.caretaker_id').select('customers.caretaker_id');
  const row = await visibleAccounts(scope)
    .whereIn('users.id', caretakerIds)
    .whereIn('users.role', staffRoles)
    .where('users.is_active', true)
    .first('users.id', 'users.email', 'users.phone', 'users.first_name', 'users.last_name', 'users.login', 'users.locale');
  if (!row) return null;
  return {
    id: Number(row.id),
    name: nameFromColumns(row.first_name, row.last_name) || String(row.login),
    greetingName: greetingNameOf({ firstName: String(row.first_name ?? ''), lastName: String(row.last_name ?? '') }),
    email: (row.email as string | null) || null,
    phone: (row.phone as string | null) || null,
    locale: (row.locale as string | null) ?? null,
  };
}
