import { randomBytes } from 'node:crypto';
import type { Scope } from '../db/scope.js';

const changedKey = 'tenant-configuration-changed';

/** A new version of a tenant's configuration: random, so that a tenant made again never meets what was kept for one before it. */
export function newConfigurationVersion(): string {
  return randomBytes(12).toString('hex');
}

/**
 * The tenant's configuration version as a subquery, for the statement that reloads the signed-in user
 * (authentication.ts): read without a lock, as the transaction that renews it commits.
 */
export function configurationVersionQuery(scope: Scope) {
  return scope.table('tenant_configuration_versions').select('tenant_configuration_versions.version');
}

/**
 * Marks the tenant's configuration (its row, its settings, its ticket categories, and when its urgent
 * announcements are in force) changed by this transaction: a new version is written at once, once however
 * many changes the transaction makes, and is seen by other processes when it commits, so that what any of
 * them kept (Scope.kept) gives way at their next request. Every verb that changes them calls it;
 * test/unit/architecture/configuration-changes.test.ts checks that. The version's row is in a table of its
 * own, which nothing references: on MySQL the tenant's row is held in share mode by every insert that
 * references it, and writing the version there deadlocked two settings saved at once
 * (migrations/20261206_0910…). Two changes of one tenant's configuration wait for each other here, and
 * nothing else does.
 * @throws Error outside a transaction
 */
export async function noteConfigurationChanged(trx: Scope): Promise<void> {
  const state = trx.transactionState;
  if (!state) throw new Error('a change of the tenant configuration runs in a transaction');
  if (state.has(changedKey)) return;
  state.set(changedKey, true);
  const version = newConfigurationVersion();
  const updated = await trx.table('tenant_configuration_versions').update({ version });
  // A tenant written without its version (by hand): it gets one. (Not the way in for a new tenant: on
  // MySQL an update that finds no row locks the gap, and tenants created at once deadlocked on it.)
  if (Number(updated) === 0) await trx.insertQuery('tenant_configuration_versions', { version }).onConflict('tenant_id').ignore();
}

/** A new tenant's first configuration version, in the transaction that creates it (tenant.ts createTenant). */
export async function startConfigurationVersion(trx: Scope): Promise<void> {
  if (!trx.transactionState) throw new Error('a tenant is created in a transaction');
  await trx.insertQuery('tenant_configuration_versions', { version: newConfigurationVersion() });
  trx.transactionState.set(changedKey, true);
}
