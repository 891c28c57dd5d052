import type { Knex } from 'knex';
import { runWithCommitTasks } from './commit-tasks.js';
import { isMysql } from './knex.js';

export const roles = ['client', 'caretaker', 'admin', 'superadmin'] as const;
export type Role = (typeof roles)[number];
export const staffRoles: readonly Role[] = ['caretaker', 'admin', 'superadmin'];

/** Who is acting: the signed-in user as the models see them. Null for system work (CLI, seeds). */
export type Actor = { id: number; tenantId: number; role: Role; customerId: number | null };

/**
 * What every model verb receives: the database (or a transaction), the tenant the request
 * is for, and the actor. Models never query a tenant-owned table without scope.tenantId.
 */
export type Scope = { db: Knex | Knex.Transaction; tenantId: number; actor: Actor | null };

/** A query on a tenant-owned table, already limited to the scope's tenant. */
export function tenantTable(scope: Scope, table: string): Knex.QueryBuilder {
  return scope.db(table).where(`${table}.tenant_id`, scope.tenantId);
}

/** Runs work in a transaction, or joins the one the scope already has. Its audit entries are chained at its end. */
export async function inTransaction<T>(scope: Scope, work: (scope: Scope) => Promise<T>): Promise<T> {
  if (scope.db.isTransaction) return work(scope);
  return (scope.db as Knex).transaction((trx) => runWithCommitTasks(trx, () => work({ ...scope, db: trx })));
}

export function isStaff(role: Role): boolean {
  return staffRoles.includes(role);
}

/** The rank used by guards: client < caretaker < admin < superadmin. */
export function roleRank(role: Role): number {
  return roles.indexOf(role);
}

/** Inserts one row and returns its id on SQLite and MySQL alike. */
export async function insertReturningId(db: Knex | Knex.Transaction, table: string, row: Record<string, unknown>): Promise<number> {
  const [inserted] = await db(table).insert(row);
  return Number(inserted);
}

/**
 * Locks one tenant row until the transaction ends, so that concurrent verbs on the same record
 * run one after the other. SQLite needs no lock: it runs one write transaction at a time.
 */
export async function lockRow(scope: Scope, table: string, id: number): Promise<void> {
  if (!isMysql(scope.db)) return;
  await tenantTable(scope, table).where(`${table}.id`, id).forUpdate().first('id');
}
