import type { Scope } from '../db/scope.js';
import { insertReturningId, tenantTable } from '../db/scope.js';
import { toDatabaseTime } from '../lib/time.js';

/** The name of the group every tenant has and every new client account joins (seed 000). */
export const defaultGroupName = 'CLIENTS';

export type Group = { id: number; name: string; isDefault: boolean };

/** Creates the tenant's CLIENTS group; part of creating a tenant. */
export async function createDefaultGroup(scope: Scope): Promise<number> {
  const now = toDatabaseTime(new Date());
  return insertReturningId(scope.db, 'groups', {
    tenant_id: scope.tenantId,
    name: defaultGroupName,
    is_default: true,
    created_at: now,
    updated_at: now,
  });
}

export async function findDefaultGroup(scope: Scope): Promise<Group | undefined> {
  const row = await tenantTable(scope, 'groups').where('is_default', true).first();
  return row ? { id: Number(row.id), name: String(row.name), isDefault: true } : undefined;
}
