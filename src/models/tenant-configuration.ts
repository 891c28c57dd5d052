import { randomBytes } from 'node:crypto';
import type { Scope } from '../db/scope.js';

const changedKey = 'tenant-configuration-changed';

/** A new version of a tenant's configuration: random, so that a tenant made again never meets what was kept for one before it. */
export function newConfigurationVersion(): string {
  return randomBytes(12).toString('hex');
}

/**
 * Marks the tenant's configuration (its row, its settings, its ticket categories) changed by this
 * transaction: a new version is written just before it commits, once however many changes it makes,
 * so that what any process kept of it (Scope.kept) gives way at that process's next request. Every
 * verb that changes them calls it; test/unit/architecture/configuration-changes.test.ts checks that.
 * @throws Error outside a transaction
 */
export async function noteConfigurationChanged(trx: Scope): Promise<void> {
  const state = trx.transactionState;
  if (!state) throw new Error('a change of the tenant configuration runs in a transaction');
  if (state.has(changedKey)) return;
  state.set(changedKey, true);
  const writeVersion = async () => {
    await trx.tenantRow().update({ configuration_version: newConfigurationVersion() });
  };
  if (!trx.deferToCommit(writeVersion)) await writeVersion();
}
