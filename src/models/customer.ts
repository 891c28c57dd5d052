import type { Scope } from '../db/scope.js';
import { insertReturningId, tenantTable } from '../db/scope.js';
import { NotFoundError } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';

export type Customer = { id: number; name: string; caretakerId: number | null; isActive: boolean };

function toCustomer(row: Record<string, unknown>): Customer {
  return {
    id: Number(row.id),
    name: String(row.name),
    caretakerId: row.caretaker_id === null ? null : Number(row.caretaker_id),
    isActive: Boolean(row.is_active),
  };
}

export async function createCustomer(scope: Scope, input: { name: string; caretakerId?: number | null }): Promise<Customer> {
  const now = toDatabaseTime(new Date());
  const id = await insertReturningId(scope.db, 'customers', {
    tenant_id: scope.tenantId,
    name: input.name,
    caretaker_id: input.caretakerId ?? null,
    is_active: true,
    created_at: now,
    updated_at: now,
  });
  return { id, name: input.name, caretakerId: input.caretakerId ?? null, isActive: true };
}

/** @throws NotFoundError when the customer is not the scope tenant's */
export async function findCustomer(scope: Scope, id: number): Promise<Customer> {
  const row = await tenantTable(scope, 'customers').where('id', id).first();
  if (!row) throw new NotFoundError(`customer ${id} not found`);
  return toCustomer(row);
}

export async function countCustomers(scope: Scope): Promise<{ total: number; active: number }> {
  const row = await tenantTable(scope, 'customers')
    .select(scope.db.raw('count(*) as total'), scope.db.raw('sum(case when is_active then 1 else 0 end) as active'))
    .first();
  return { total: Number(row?.total ?? 0), active: Number(row?.active ?? 0) };
}
